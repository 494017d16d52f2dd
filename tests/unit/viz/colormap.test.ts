/** One Lut: 256 RGBA entries sampled from an interpolator; the perceptual colormaps made once. */
import { describe, expect, it } from 'vitest';
import { colormapCss, colormapLut, makeLut } from '$lib/viz';

describe('makeLut(interpolate)', () => {
	it('samples t = i/255 into 256 opaque RGBA entries', () => {
		const lut = makeLut((t) => `rgb(${Math.round(255 * t)}, 0, ${255 - Math.round(255 * t)})`);
		expect(lut).toHaveLength(256 * 4);
		expect(Array.from(lut.subarray(0, 4))).toEqual([0, 0, 255, 255]);
		expect(Array.from(lut.subarray(4 * 255, 4 * 256))).toEqual([255, 0, 0, 255]);
	});
});

describe('colormapLut(name) / colormapCss(name, t)', () => {
	it('builds each colormap once and agrees with its CSS colour', () => {
		expect(colormapLut('viridis')).toBe(colormapLut('viridis'));
		expect(Array.from(colormapLut('viridis').subarray(0, 4))).toEqual([68, 1, 84, 255]); // viridis(0) = #440154
		expect(colormapCss('inferno', 2)).toBe(colormapCss('inferno', 1)); // t is clamped
	});
});
