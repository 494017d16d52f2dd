/** Label maps in class colours: the overlay (background transparent), the opaque map, counts and probabilities. */
import { describe, expect, it } from 'vitest';
import { classColors, classCounts, paintLabels, paintSegmentation, palette, pixelProbabilities } from '$lib/viz';

const px = (img: { data: Uint8ClampedArray; width: number }, x: number, y: number) =>
	Array.from(img.data.subarray(4 * (y * img.width + x), 4 * (y * img.width + x) + 4));

describe('paintSegmentation / pixelProbabilities', () => {
	it('leaves background transparent and paints class k in its colour', () => {
		const img = paintSegmentation(Uint8Array.from([0, 3]), 2, 1, 11, 1);
		expect(px(img, 0, 0)[3]).toBe(0);
		expect(px(img, 1, 0)).toEqual([...classColors(11)[3], 255]);
	});
	it('gives the softmax of a pixel’s scores, most probable first', () => {
		const scores = Float32Array.from([0, Math.log(3), 0, 0]); // pixel 0: classes 0, 1; pixel 1: …
		const p = pixelProbabilities(scores, 2, 2, 0, 0);
		expect(p[0].k).toBe(1);
		expect(p[0].p).toBeCloseTo(0.75, 6);
		expect(p[1].p).toBeCloseTo(0.25, 6);
	});
});

describe('paintLabels(labels, w, h, colors, under?)', () => {
	const colors = classColors(11);
	it('paints class k opaque in its colour, and void (255) as the void checker', () => {
		const img = paintLabels(Uint8Array.from([3, 255, 255, 0]), 4, 1, colors);
		expect(px(img, 0, 0)).toEqual([...colors[3], 255]);
		expect(px(img, 1, 0)).toEqual([150, 150, 150, 255]); // palette.void[0] = #969696
		expect(px(img, 2, 0)).toEqual([100, 100, 100, 255]); // palette.void[1] = #646464 ((x + y) mod 4 ≥ 2)
		expect(px(img, 3, 0)).toEqual([0, 0, 0, 255]); // background
		expect(palette.void).toEqual(['#969696', '#646464']);
	});
	it('darkens a pixel to 35 % where the grey input has no ink, keeps it where the ink is 1', () => {
		const img = paintLabels(Uint8Array.from([1, 1]), 2, 1, colors, Float32Array.from([0, 1]));
		expect(px(img, 0, 0).slice(0, 3)).toEqual(colors[1].map((c) => Math.round(c * 0.35)));
		expect(px(img, 1, 0)).toEqual([...colors[1], 255]);
	});
});

describe('classCounts(labels, classes)', () => {
	it('counts the pixels of each class and ignores labels past the classes', () => {
		expect(classCounts(Uint8Array.from([0, 0, 2, 255]), 3)).toEqual([2, 0, 1]);
	});
});
