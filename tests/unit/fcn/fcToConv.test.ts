/**
 * FC → conv (§3.1): "fully connected layers can also be viewed as convolutions with kernels that
 * cover their entire input regions". Which dense row becomes which kernel tap, in both orders.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { denseRowToTap, denseToConvKernel, flattenPermutation, tapToDenseRow, type Shape } from '$lib/fcn';

const shapeArb = fc.tuple(
	fc.integer({ min: 1, max: 5 }),
	fc.integer({ min: 1, max: 5 }),
	fc.integer({ min: 1, max: 4 })
) as fc.Arbitrary<Shape>;

describe('denseToConvKernel, flattenPermutation, denseRowToTap: the FC → conv index map', () => {
	it('VGG-16 fc6 (7×7×512, channels-last): row 0 is tap (0, 0, 0), row 511 is (0, 0, 511), row 512 is (0, 1, 0)', () => {
		const s: Shape = [7, 7, 512];
		expect(denseRowToTap(0, s)).toEqual({ row: 0, col: 0, channel: 0 });
		expect(denseRowToTap(511, s)).toEqual({ row: 0, col: 0, channel: 511 });
		expect(denseRowToTap(512, s)).toEqual({ row: 0, col: 1, channel: 0 });
		expect(denseRowToTap(25087, s)).toEqual({ row: 6, col: 6, channel: 511 });
	});
	it("in Caffe's CHW order row 1 is tap (0, 1, 0) and row 49 is (0, 0, 1)", () => {
		const s: Shape = [7, 7, 512];
		expect(denseRowToTap(1, s, 'chw')).toEqual({ row: 0, col: 1, channel: 0 });
		expect(denseRowToTap(49, s, 'chw')).toEqual({ row: 0, col: 0, channel: 1 });
	});
	it('tapToDenseRow inverts denseRowToTap in both orders', () => {
		fc.assert(
			fc.property(shapeArb, fc.constantFrom('hwc' as const, 'chw' as const), fc.nat(), (s, order, seed) => {
				const i = seed % (s[0] * s[1] * s[2]);
				expect(tapToDenseRow(denseRowToTap(i, s, order), s, order)).toBe(i);
			})
		);
	});
	it('flattenPermutation is a permutation that turns a CHW-flattened map into the HWC one', () => {
		fc.assert(
			fc.property(shapeArb, ([H, W, C]) => {
				const perm = flattenPermutation([H, W, C], 'chw', 'hwc');
				expect([...perm].sort((a, b) => a - b)).toEqual([...Array(H * W * C).keys()]);
				// a map whose value encodes its own position, flattened both ways
				const val = (r: number, c: number, ch: number) => r * 100 + c * 10 + ch;
				const chw: number[] = [];
				const hwc: number[] = [];
				for (let ch = 0; ch < C; ch++) for (let r = 0; r < H; r++) for (let c = 0; c < W; c++) chw.push(val(r, c, ch));
				for (let r = 0; r < H; r++) for (let c = 0; c < W; c++) for (let ch = 0; ch < C; ch++) hwc.push(val(r, c, ch));
				expect(Array.from(perm, (p) => chw[p])).toEqual(hwc);
			})
		);
	});
	it('denseToConvKernel gives the same outputs: Σ_taps kernel·x equals the dense layer on the flattened map', () => {
		fc.assert(
			fc.property(
				shapeArb,
				fc.integer({ min: 1, max: 3 }),
				fc.constantFrom('hwc' as const, 'chw' as const),
				([H, W, C], units, order) => {
					const n = H * W * C;
					const w = Float32Array.from({ length: n * units }, (_, i) => Math.sin(i + 1));
					const x = Float32Array.from({ length: n }, (_, i) => Math.cos(3 * i)); // HWC map
					const flat =
						order === 'hwc' ? x : Float32Array.from(flattenPermutation([H, W, C], 'hwc', 'chw'), (p) => x[p]);
					const kernel = denseToConvKernel(w, [H, W, C], units, order);
					for (let u = 0; u < units; u++) {
						let dense = 0;
						let conv = 0;
						for (let i = 0; i < n; i++) dense += flat[i] * w[i * units + u];
						for (let i = 0; i < n; i++) conv += x[i] * kernel[i * units + u];
						expect(conv).toBeCloseTo(dense, 4);
					}
				}
			)
		);
	});
	it('rejects weights of the wrong size and rows out of range', () => {
		expect(() => denseToConvKernel(new Float32Array(10), [2, 2, 2], 2)).toThrow(/10 values, not 8×2/);
		expect(() => denseRowToTap(8, [2, 2, 2])).toThrow(/outside 0 … 7/);
	});
});
