/** Single-channel grids → RGBA: the grey input, and a grid through a lookup table. */
import { describe, expect, it } from 'vitest';
import { makeLut, paintGrey, paintGrid } from '$lib/viz';

const px = (img: { data: Uint8ClampedArray }, p: number) => Array.from(img.data.subarray(4 * p, 4 * p + 4));

describe('paintGrey(data, width, height)', () => {
	it('paints ink 1 white and background 0 black, opaque, clamping outside [0, 1]', () => {
		const img = paintGrey(Float32Array.from([0, 0.5, 1, 2, -1, 0.25]), 3, 2);
		expect([img.width, img.height]).toEqual([3, 2]);
		expect([0, 1, 2, 3, 4, 5].map((p) => px(img, p))).toEqual([
			[0, 0, 0, 255],
			[128, 128, 128, 255],
			[255, 255, 255, 255],
			[255, 255, 255, 255],
			[0, 0, 0, 255],
			[64, 64, 64, 255]
		]);
	});
});

describe('paintGrid(grid, lut, lo, hi)', () => {
	const ramp = makeLut((t) => `rgb(${Math.round(255 * t)}, 0, 0)`);
	it('maps [lo, hi] linearly onto the table, clamped', () => {
		const img = paintGrid({ data: Float32Array.from([-1, 0, 1, 2, 3]), width: 5, height: 1 }, ramp, 0, 2);
		expect([0, 1, 2, 3, 4].map((p) => px(img, p)[0])).toEqual([0, 0, 128, 255, 255]);
		expect(px(img, 0)[3]).toBe(255);
	});
	it('paints a constant range (hi = lo) without dividing by zero', () => {
		const img = paintGrid({ data: Float32Array.from([0.5]), width: 1, height: 1 }, ramp, 0.5, 0.5);
		expect(px(img, 0)[0]).toBe(0);
	});
});
