/**
 * Inputs for the live cells of /fc-to-conv: held-out digits written across a canvas of any size,
 * evenly spaced in one row, in the model's convention (ink 1 on background 0). Pure.
 */
import { renderDigit } from '$lib/data/scenes';

export interface Placed {
	/** Digit class. */
	digit: number;
	/** Box of its ink on the canvas, in px. */
	x: number;
	y: number;
	w: number;
	h: number;
}

/** The digit size used on an H×W canvas holding n digits: 60% of a slot, within 24…80 px (the classifier's training range). */
export function stripDigitSize(H: number, W: number, n: number): number {
	return Math.round(Math.min(80, Math.max(24, 0.6 * Math.min(H, W / n))));
}

/**
 * Write `digits` (28×28 images with their classes) across an H×W canvas, one per slot of width
 * W/n, centred. Returns the H·W intensities and where each digit went.
 */
export function digitStrip(
	digits: readonly { image: Float32Array; digit: number }[],
	H: number,
	W: number
): { image: Float32Array; placed: Placed[] } {
	if (!Number.isInteger(H) || !Number.isInteger(W) || H < 1 || W < 1) throw new RangeError(`invalid canvas ${W}×${H}`);
	const image = new Float32Array(H * W);
	const n = digits.length;
	const placed: Placed[] = [];
	if (n === 0) return { image, placed };
	const size = stripDigitSize(H, W, n);
	digits.forEach((d, i) => {
		const { ink, w, h } = renderDigit(d.image, size);
		const x0 = Math.round(((i + 0.5) * W) / n - w / 2);
		const y0 = Math.round(H / 2 - h / 2);
		for (let y = 0; y < h; y++) {
			const Y = y0 + y;
			if (Y < 0 || Y >= H) continue;
			for (let x = 0; x < w; x++) {
				const X = x0 + x;
				if (X < 0 || X >= W) continue;
				const v = ink[y * w + x];
				if (v > image[Y * W + X]) image[Y * W + X] = v;
			}
		}
		placed.push({ digit: d.digit, x: x0, y: y0, w, h });
	});
	return { image, placed };
}

/** Channel k of an [h, w, K] map as an h·w grid. */
export function channelOf(map: Float32Array, classes: number, k: number): Float32Array {
	const n = map.length / classes;
	const out = new Float32Array(n);
	for (let i = 0; i < n; i++) out[i] = map[i * classes + k];
	return out;
}
