/**
 * A class-probability map of the convolutionalised classifier laid over its input (/fc-to-conv),
 * each score cell drawn where its unit sits (centre start + jump·i, one jump wide: the library's
 * receptive-field numbers). Pure: data → RGBA.
 */
import type { Grid } from '$lib/fcn';
import { colormapLut } from './colormap';
import type { Rgba } from './rgba';

/** Where score cell (i, j) lies on the input: its left/top edge is start − jump/2 + jump·index. */
export interface Placement {
	start: number;
	jump: number;
}

/**
 * The input (grey, dimmed) under a class-probability map `grid` (values in [0, 1]; inferno, opacity
 * growing with the probability). Pixels outside every score cell show the dimmed input only.
 */
export function paintClassOverlay(input: Float32Array, H: number, W: number, grid: Grid, at: Placement): Rgba {
	const lut = colormapLut('inferno');
	const out = new Uint8ClampedArray(H * W * 4);
	const edge = at.start - at.jump / 2;
	for (let y = 0; y < H; y++) {
		const gy = Math.floor((y + 0.5 - edge) / at.jump);
		for (let x = 0; x < W; x++) {
			const gx = Math.floor((x + 0.5 - edge) / at.jump);
			const g = 40 + 90 * input[y * W + x];
			let r = g,
				gg = g,
				b = g;
			if (gy >= 0 && gy < grid.height && gx >= 0 && gx < grid.width) {
				const p = Math.min(1, Math.max(0, grid.data[gy * grid.width + gx]));
				const i = 4 * Math.round(p * 255);
				const a = 0.25 + 0.7 * p;
				r = (1 - a) * r + a * lut[i];
				gg = (1 - a) * gg + a * lut[i + 1];
				b = (1 - a) * b + a * lut[i + 2];
			}
			const o = 4 * (y * W + x);
			out[o] = r;
			out[o + 1] = gg;
			out[o + 2] = b;
			out[o + 3] = 255;
		}
	}
	return { data: out, width: W, height: H };
}
