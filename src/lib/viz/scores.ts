/**
 * Score maps → RGBA: one class's scores of an HWC map as a diverging heat map (negative blue,
 * positive orange, zero the page background). Pure; no DOM.
 */
import type { Activation } from './featureMaps';
import { palette } from './palette';
import { hexRgb, type Rgb, type Rgba } from './rgba';

/**
 * Channel `channel` of the HWC score map `m`: −scale → palette.scores.negative, 0 → `zero` (the page background),
 * +scale → palette.scores.positive, linear between, clamped beyond.
 */
export function paintScores(m: Activation, channel: number, scale: number, zero: Rgb = [245, 245, 245]): Rgba {
	const { width: w, height: h, channels: C } = m;
	const out = new Uint8ClampedArray(w * h * 4);
	const neg = hexRgb(palette.scores.negative);
	const pos = hexRgb(palette.scores.positive);
	const s = scale > 0 ? scale : 1;
	for (let q = 0; q < w * h; q++) {
		const v = Math.max(-1, Math.min(1, m.data[q * C + channel] / s));
		const to = v < 0 ? neg : pos;
		const t = Math.abs(v);
		for (let k = 0; k < 3; k++) out[4 * q + k] = zero[k] + (to[k] - zero[k]) * t;
		out[4 * q + 3] = 255;
	}
	return { data: out, width: w, height: h };
}

/** The largest |value| of one channel (the heat map's scale). */
export function channelMaxAbs(m: Activation, channel: number): number {
	let mx = 0;
	for (let q = 0; q < m.width * m.height; q++) mx = Math.max(mx, Math.abs(m.data[q * m.channels + channel]));
	return mx;
}
