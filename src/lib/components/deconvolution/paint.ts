/**
 * Paint a single-channel grid into a canvas, one canvas pixel per grid cell, with a colour map
 * (a 256-entry lookup table of a d3 interpolator). The canvas is resized to the grid; CSS sets
 * its displayed size (use `image-rendering: pixelated` to keep cells sharp).
 */
import { rgb } from 'd3';
import type { Grid } from '$lib/fcn';

export type Lut = Uint8ClampedArray;

/** 256 RGB triples sampled from `interpolate(t)`, t ∈ [0, 1]. */
export function makeLut(interpolate: (t: number) => string): Lut {
	const lut = new Uint8ClampedArray(256 * 3);
	for (let i = 0; i < 256; i++) {
		const c = rgb(interpolate(i / 255));
		lut[3 * i] = c.r;
		lut[3 * i + 1] = c.g;
		lut[3 * i + 2] = c.b;
	}
	return lut;
}

/** Write `grid` into `canvas`, mapping [lo, hi] linearly onto the lookup table. */
export function paintGrid(canvas: HTMLCanvasElement, grid: Grid, lut: Lut, lo = 0, hi = 1): void {
	if (canvas.width !== grid.width) canvas.width = grid.width;
	if (canvas.height !== grid.height) canvas.height = grid.height;
	const ctx = canvas.getContext('2d');
	if (!ctx) return;
	const img = ctx.createImageData(grid.width, grid.height);
	const span = hi - lo || 1;
	for (let q = 0; q < grid.data.length; q++) {
		const t = Math.max(0, Math.min(255, Math.round(((grid.data[q] - lo) / span) * 255)));
		img.data[4 * q] = lut[3 * t];
		img.data[4 * q + 1] = lut[3 * t + 1];
		img.data[4 * q + 2] = lut[3 * t + 2];
		img.data[4 * q + 3] = 255;
	}
	ctx.putImageData(img, 0, 0);
}
