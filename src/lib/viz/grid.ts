/**
 * Single-channel grids → RGBA: the grey input (ink 1 → white), and any grid through a colour
 * lookup table. One canvas pixel per cell; CSS scales it (`image-rendering: pixelated`). Pure; no DOM.
 */
import type { Grid } from '$lib/fcn';
import type { Lut } from './colormap';
import type { Rgba } from './rgba';

/** A grey image (row-major, values in [0, 1]) as opaque RGBA: ink 1 white on background 0 black. */
export function paintGrey(data: Float32Array, width: number, height: number): Rgba {
	const out = new Uint8ClampedArray(width * height * 4);
	for (let p = 0; p < width * height; p++) {
		const v = Math.round(Math.min(1, Math.max(0, data[p])) * 255);
		out[4 * p] = out[4 * p + 1] = out[4 * p + 2] = v;
		out[4 * p + 3] = 255;
	}
	return { data: out, width, height };
}

/** `grid` through a lookup table, mapping [lo, hi] linearly onto its 256 entries (clamped), opaque. */
export function paintGrid(grid: Grid, lut: Lut, lo = 0, hi = 1): Rgba {
	const out = new Uint8ClampedArray(grid.width * grid.height * 4);
	const span = hi - lo || 1;
	for (let q = 0; q < grid.data.length; q++) {
		const t = Math.max(0, Math.min(255, Math.round(((grid.data[q] - lo) / span) * 255)));
		out[4 * q] = lut[4 * t];
		out[4 * q + 1] = lut[4 * t + 1];
		out[4 * q + 2] = lut[4 * t + 2];
		out[4 * q + 3] = 255;
	}
	return { data: out, width: grid.width, height: grid.height };
}
