/**
 * Pictures → the model's convention (grey in [0, 1], ink bright, as the MNIST digits it was trained on),
 * and the padding that lets the FCN take any size (the paper's point: "inputs of any size").
 */
import { describe, expect, it } from 'vitest';
import { fitWithin, greyNotices, rgbaToGrey } from '$lib/data/grey';
import { padImage, roundUpTo } from '$lib/fcn/padding';

function rgba(w: number, h: number, f: (x: number, y: number) => [number, number, number, number]) {
	const data = new Uint8ClampedArray(w * h * 4);
	for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set(f(x, y), 4 * (y * w + x));
	return { data, width: w, height: h };
}

describe('rgbaToGrey(img)', () => {
	it('keeps bright ink on a dark background as is (white → 1, black → 0)', () => {
		const img = rgba(5, 5, (x, y) => (x === 2 && y === 2 ? [255, 255, 255, 255] : [0, 0, 0, 255]));
		const { image, inverted } = rgbaToGrey(img);
		expect(inverted).toBe(false);
		expect(image.data[12]).toBeCloseTo(1, 6);
		expect(image.data[0]).toBe(0);
	});

	it('inverts dark ink on light paper so that the ink is bright, and says so', () => {
		const img = rgba(5, 5, (x, y) => (x === 2 && y === 2 ? [0, 0, 0, 255] : [250, 250, 250, 255]));
		const { image, inverted } = rgbaToGrey(img);
		expect(inverted).toBe(true);
		expect(image.data[12]).toBeCloseTo(1, 6);
		expect(image.data[0]).toBeLessThan(0.05);
	});

	it('weights colours by luma (green brighter than blue)', () => {
		const img = rgba(3, 1, (x) => (x === 0 ? [0, 255, 0, 255] : x === 1 ? [0, 0, 255, 255] : [0, 0, 0, 255]));
		const { image, inverted, transparentAs } = rgbaToGrey(img);
		expect([inverted, transparentAs]).toEqual([false, null]);
		expect(image.data[0]).toBeGreaterThan(image.data[1]);
		expect(image.data[2]).toBe(0);
	});

	it('rejects an empty image with a RangeError naming the size', () => {
		expect(() => rgbaToGrey({ data: new Uint8ClampedArray(0), width: 0, height: 3 })).toThrow(/invalid image: 0×3/);
	});
});

/** Rec. 709 luma of an RGB triple, in [0, 1]. */
const luma = ([r, g, b]: number[]) => (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;

/**
 * A 9×9 drawing on a transparent background: a solid stroke through the middle row in `colour`,
 * with half-transparent antialiased pixels above and below it.
 */
function strokeOnTransparent(colour: [number, number, number]) {
	return rgba(9, 9, (x, y) =>
		x < 2 || x > 6 ? [0, 0, 0, 0] : y === 4 ? [...colour, 255] : y === 3 || y === 5 ? [...colour, 128] : [0, 0, 0, 0]
	);
}

describe('rgbaToGrey(img) on pictures with transparency: transparent is paper, never ink, and the strokes come out bright', () => {
	it('dark strokes on a transparent background become bright ink alpha × (1 − luma), where compositing over black would lose them', () => {
		const colour: [number, number, number] = [30, 30, 90];
		const img = strokeOnTransparent(colour);
		const { image, inverted, transparentAs } = rgbaToGrey(img);
		expect([transparentAs, inverted]).toEqual(['white', true]);
		for (let p = 0; p < 81; p++) expect(image.data[p]).toBeCloseTo((img.data[4 * p + 3] / 255) * (1 - luma(colour)), 5);
		expect(image.data[4 * 9 + 4]).toBeGreaterThan(0.8); // the solid stroke is bright
		expect(image.data[0]).toBe(0); // the transparent background is black
	});

	it('light strokes on a transparent background stay the ink: alpha × luma', () => {
		const colour: [number, number, number] = [250, 240, 200];
		const img = strokeOnTransparent(colour);
		const { image, inverted, transparentAs } = rgbaToGrey(img);
		expect([transparentAs, inverted]).toEqual(['black', false]);
		for (let p = 0; p < 81; p++) expect(image.data[p]).toBeCloseTo((img.data[4 * p + 3] / 255) * luma(colour), 5);
	});

	it('a picture with its own opaque paper and transparent corners reads the corners as that paper (white paper, dark ink: inverted)', () => {
		const corner = (x: number, y: number) => (x === 0 || x === 8) && (y === 0 || y === 8);
		const img = rgba(9, 9, (x, y) => (corner(x, y) ? [0, 0, 0, 0] : x === 4 ? [0, 0, 0, 255] : [255, 255, 255, 255]));
		const { image, inverted, transparentAs } = rgbaToGrey(img);
		expect([transparentAs, inverted]).toEqual(['white', true]);
		expect(image.data[4]).toBeCloseTo(1, 6); // the ink
		expect(image.data[0]).toBe(0); // a corner: paper, not ink
		expect(image.data[1]).toBe(0);
	});

	it('with autoInvert off, transparency is composited over black and nothing is inverted', () => {
		const img = strokeOnTransparent([0, 0, 0]);
		const { image, inverted, transparentAs } = rgbaToGrey(img, false);
		expect([transparentAs, inverted]).toEqual(['black', false]);
		expect(image.data.every((v) => v === 0)).toBe(true);
	});

	it('notices say how transparency was read: dark strokes made bright, light strokes kept, nothing visible at all', () => {
		expect(greyNotices(rgbaToGrey(strokeOnTransparent([0, 0, 0])))).toEqual([
			expect.stringMatching(/^Transparent background read as white paper, so the dark strokes .* bright ink/)
		]);
		expect(greyNotices(rgbaToGrey(strokeOnTransparent([255, 255, 255])))).toEqual([
			expect.stringMatching(/^Transparent background read as black paper: the light strokes are the ink/)
		]);
		expect(greyNotices(rgbaToGrey(rgba(4, 4, () => [255, 0, 0, 0])))).toEqual([
			expect.stringMatching(/transparent all over: there is no ink/)
		]);
		// Opaque pictures: a notice only when inverted.
		expect(greyNotices(rgbaToGrey(rgba(4, 4, () => [255, 255, 255, 255])))).toEqual([
			expect.stringMatching(/^Inverted/)
		]);
		expect(greyNotices(rgbaToGrey(rgba(4, 4, () => [0, 0, 0, 255])))).toEqual([]);
	});
});

describe('fitWithin(w, h, maxSide)', () => {
	it('limits the longer side and keeps the aspect ratio', () => {
		expect(fitWithin(2000, 1000, 500)).toEqual({ width: 500, height: 250, scaled: true });
		expect(fitWithin(300, 900, 450)).toEqual({ width: 150, height: 450, scaled: true });
	});
	it('leaves a picture that fits unchanged', () => {
		expect(fitWithin(100, 64, 512)).toEqual({ width: 100, height: 64, scaled: false });
	});
});

describe('padImage / roundUpTo', () => {
	it('roundUpTo(n, 32) is the smallest multiple of the output stride ≥ n', () => {
		expect([1, 32, 33, 170, 188].map((n) => roundUpTo(n, 32))).toEqual([32, 32, 64, 192, 192]);
	});
	it('pads with background (0) at the bottom and right, keeping every pixel in place', () => {
		const img = { data: Float32Array.from([1, 2, 3, 4, 5, 6]), width: 3, height: 2 };
		const p = padImage(img, 3, 4);
		expect(Array.from(p)).toEqual([1, 2, 3, 0, 4, 5, 6, 0, 0, 0, 0, 0]);
	});
});
