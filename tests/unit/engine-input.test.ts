/**
 * Pictures → the model's convention (grey in [0, 1], ink bright, as the MNIST digits it was trained on),
 * and the padding that lets the FCN take any size (the paper's point: "inputs of any size").
 */
import { describe, expect, it } from 'vitest';
import { fitWithin, padImage, rgbaToGrey, roundUpTo } from '../../src/lib/model/input.ts';

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

	it('weights colours by luma (green brighter than blue) and treats transparent pixels as background', () => {
		const img = rgba(3, 1, (x) => (x === 0 ? [0, 255, 0, 255] : x === 1 ? [0, 0, 255, 255] : [255, 255, 255, 0]));
		const { image, inverted } = rgbaToGrey(img);
		expect(inverted).toBe(false);
		expect(image.data[0]).toBeGreaterThan(image.data[1]);
		expect(image.data[2]).toBe(0);
	});

	it('rejects an empty image with a RangeError naming the size', () => {
		expect(() => rgbaToGrey({ data: new Uint8ClampedArray(0), width: 0, height: 3 })).toThrow(/invalid image: 0×3/);
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
