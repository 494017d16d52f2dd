/** Score maps → RGBA: a diverging heat map of one class, and its scale. */
import { describe, expect, it } from 'vitest';
import { channelMaxAbs, hexRgb, paintScores, palette } from '$lib/viz';

/** 3×1 map, 2 channels: channel 1 holds −2, 0, +1. */
const map = { data: Float32Array.from([9, -2, 9, 0, 9, 1]), width: 3, height: 1, channels: 2 };

describe('paintScores(m, channel, scale, zero)', () => {
	it('paints −scale in the negative colour, 0 in the page colour, +scale/2 halfway to the positive colour', () => {
		const img = paintScores(map, 1, 2, [255, 255, 255]);
		const px = (p: number) => Array.from(img.data.subarray(4 * p, 4 * p + 4));
		expect(px(0)).toEqual([...hexRgb(palette.scores.negative), 255]);
		expect(px(1)).toEqual([255, 255, 255, 255]);
		const pos = hexRgb(palette.scores.positive);
		expect(px(2)).toEqual([...Uint8ClampedArray.from(pos.map((c) => 255 + (c - 255) / 2)), 255]);
	});
});

describe('channelMaxAbs(m, channel)', () => {
	it('is the largest |score| of that channel only', () => {
		expect(channelMaxAbs(map, 1)).toBe(2);
		expect(channelMaxAbs(map, 0)).toBe(9);
	});
});
