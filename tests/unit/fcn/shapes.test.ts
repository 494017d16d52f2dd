/**
 * Output sizes of one layer (src/lib/fcn/shapes.ts): Dumoulin & Visin's convolution arithmetic for
 * convolution, pooling and transposed convolution.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { convOutputSize, deconvOutputSize, GeometryError, poolOutputSize } from '$lib/fcn';

describe('convOutputSize, poolOutputSize, deconvOutputSize: one layer’s output size', () => {
	it('convOutputSize(i, k, s, p, d) = ⌊(i + 2p − d(k − 1) − 1)/s⌋ + 1 (VGG conv3×3 pad 1 keeps the size)', () => {
		expect(convOutputSize(224, 3, 1, 1)).toBe(224);
		expect(convOutputSize(227, 11, 4, 0)).toBe(55);
		expect(convOutputSize(7, 3, 1, 0, 2)).toBe(3);
	});
	it('poolOutputSize rounds up in Caffe mode and down otherwise', () => {
		expect(poolOutputSize(175, 2, 2, 0, false)).toBe(87);
		expect(poolOutputSize(175, 2, 2, 0, true)).toBe(88);
		expect(poolOutputSize(55, 3, 2, 0, true)).toBe(27);
	});
	it("poolOutputSize drops a last window that would start beyond the input and its padding (Caffe's rule)", () => {
		// i = 4, p = 1: ⌈(4 + 2 − 2)/2⌉ + 1 = 3; the last window starts at 2·2 = 4 < i + p = 5: kept
		expect(poolOutputSize(4, 2, 2, 1, true)).toBe(3);
		// i = 3, p = 1: ⌈(3 + 2 − 2)/2⌉ + 1 = 3, window 2 starts at 4 ≥ 3 + 1: dropped
		expect(poolOutputSize(3, 2, 2, 1, true)).toBe(2);
	});
	it('deconvOutputSize(i′, k, s, p, a) = s(i′ − 1) + a + k − 2p', () => {
		expect(deconvOutputSize(16, 4, 2)).toBe(34);
		expect(deconvOutputSize(70, 16, 8)).toBe(568);
		expect(deconvOutputSize(3, 4, 2, 1)).toBe(6);
	});
	it('a stride-s convolution followed by the transposed convolution with the same k, s, p restores i whenever s divides i + 2p − k', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 7 }),
				fc.integer({ min: 1, max: 4 }),
				fc.integer({ min: 0, max: 3 }),
				fc.integer({ min: 1, max: 40 }),
				(k, s, p, n) => {
					const i = k - 2 * p + s * n; // so that s divides i + 2p − k
					fc.pre(i >= 1);
					const o = convOutputSize(i, k, s, p);
					expect(deconvOutputSize(o, k, s, p)).toBe(i);
				}
			)
		);
	});
	it('impossible configurations throw a GeometryError naming the layer, never NaN', () => {
		expect(() => convOutputSize(2, 5, 1, 1, 1, 'conv9')).toThrow(
			/^conv9: kernel 5 is larger than the padded input 2 \+ 2·1 = 4/
		);
		expect(() => poolOutputSize(1, 2, 2, 0, true, 'pool5')).toThrow(GeometryError);
		expect(() => deconvOutputSize(1, 2, 1, 1, 0, 'up')).toThrow(/^up: output size/);
		expect(() => convOutputSize(10, 3, 0, 0, 1, 'c')).toThrow(/^c: invalid stride: 0/);
		expect(() => convOutputSize(Number.NaN, 3, 1, 0, 1, 'c')).toThrow(/^c: invalid input size/);
	});
});
