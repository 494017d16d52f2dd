/**
 * Feature-map painting: every channel becomes one tile of ONE RGBA mosaic (one putImageData per layer),
 * coloured through viridis, scaled per channel or per layer.
 */
import { describe, expect, it } from 'vitest';
import { colormapLut, mosaicLayout, paintMosaic } from '$lib/viz';

/** 2×3 map with 3 channels: channel c holds c·10 + position. */
const act = (() => {
	const w = 3,
		h = 2,
		C = 3;
	const data = new Float32Array(w * h * C);
	for (let p = 0; p < w * h; p++) for (let c = 0; c < C; c++) data[p * C + c] = c * 10 + p;
	return { data, width: w, height: h, channels: C };
})();
const px = (img: { data: Uint8ClampedArray; width: number }, x: number, y: number) =>
	Array.from(img.data.subarray(4 * (y * img.width + x), 4 * (y * img.width + x) + 4));
const lut = (i: number) => Array.from(colormapLut('viridis').subarray(4 * i, 4 * i + 4));

describe('mosaicLayout / paintMosaic', () => {
	it('lays C tiles of the layer resolution in a near-square grid with 1 px gaps', () => {
		const l = mosaicLayout(act);
		expect(l).toMatchObject({ columns: 2, rows: 2, tileWidth: 3, tileHeight: 2, width: 7, height: 5 });
	});
	it('per-channel scaling maps each channel’s min to the colormap’s first and its max to its last colour', () => {
		const img = paintMosaic(act, { scaling: 'channel' });
		expect(px(img, 0, 0)).toEqual(lut(0)); // channel 0, min
		expect(px(img, 2, 1)).toEqual(lut(255)); // channel 0, max
		expect(px(img, 4, 0)).toEqual(lut(0)); // channel 1 (second tile), its own min
		expect(px(img, 3, 0)[3]).toBe(0); // the gap is transparent
	});
	it('per-layer scaling shares one range: channel 0 stays dark, channel 2 bright', () => {
		const img = paintMosaic(act, { scaling: 'layer' });
		expect(px(img, 0, 0)).toEqual(lut(0));
		expect(px(img, 2, 4)).toEqual(lut(255)); // the layer's max
		expect(px(img, 2, 1)).toEqual(lut(Math.floor((5 * 256) / 25))); // channel 0's max, 5 of 0…25
	});
});
