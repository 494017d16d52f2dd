/**
 * The deconvolution lesson's sliders and URL state (src/lib/lessons/deconvolution/params.ts); what each
 * garbage value becomes is in tests/unit/url/garbage.test.ts.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { convOutputSize } from '$lib/fcn';
import {
	clampDeconv,
	DECONV_LIMITS,
	deconvFromQuery,
	deconvSizes,
	DEFAULT_DECONV,
	maxPadding
} from '$lib/lessons/deconvolution/params';

const paramsArb = fc
	.record({
		i: fc.integer({ min: -5, max: 20 }),
		k: fc.integer({ min: -2, max: 20 }),
		s: fc.integer({ min: 0, max: 10 }),
		p: fc.integer({ min: -1, max: 12 })
	})
	.map(clampDeconv);

describe('the sliders: a transposed convolution by its own input (tf.conv2dTranspose, ConvTranspose2d)', () => {
	it('deconvSizes: o = s(i − 1) + k − 2p, and the associated direct convolution maps o back to i', () => {
		fc.assert(
			fc.property(paramsArb, (q) => {
				const z = deconvSizes(q);
				expect(z.inputSize).toBe(q.i);
				expect(z.outputSize).toBe(q.s * (q.i - 1) + q.k - 2 * q.p);
				expect(z.directOutput).toBe(q.i);
				expect(convOutputSize(z.outputSize, q.k, q.s, q.p)).toBe(q.i);
				expect(z.extra).toBe(0);
				expect(z.padded - q.k + 1).toBe(z.outputSize);
			})
		);
	});

	it("the issue's cases: 4,4,2,1 → 8 (the default view); 5,3,2,1 → 9; 3,16,8,4 → 24", () => {
		const z = deconvSizes(DEFAULT_DECONV);
		expect([z.inputSize, z.outputSize, z.extra, z.border]).toEqual([4, 8, 0, 2]);
		expect(deconvSizes({ i: 5, k: 3, s: 2, p: 1 }).outputSize).toBe(9);
		expect(deconvSizes({ i: 3, k: 16, s: 8, p: 4 }).outputSize).toBe(24);
		for (const q of [DEFAULT_DECONV, { i: 5, k: 3, s: 2, p: 1 }, { i: 3, k: 16, s: 8, p: 4 }])
			expect(clampDeconv(q)).toEqual(q);
	});

	it('clampDeconv always gives a construction the library accepts (2p ≤ k − 1)', () => {
		fc.assert(
			fc.property(paramsArb, (q) => {
				expect(2 * q.p).toBeLessThanOrEqual(q.k - 1);
				expect(q.p).toBeLessThanOrEqual(maxPadding(q.k));
				expect(q.i).toBeLessThanOrEqual(DECONV_LIMITS.i.max);
				expect(q.k).toBeLessThanOrEqual(DECONV_LIMITS.k.max);
				expect(q.s).toBeLessThanOrEqual(DECONV_LIMITS.s.max);
				expect(() => deconvSizes(q)).not.toThrow();
			})
		);
	});

	it('deconvFromQuery clamps garbage and says what it changed', () => {
		const r = deconvFromQuery(new URLSearchParams('i=abc&k=99&s=2&p=-3'));
		expect(r.value.params).toEqual(clampDeconv({ i: NaN, k: 99, s: 2, p: -3 }));
		expect(r.value.params).toEqual({ i: 4, k: 16, s: 2, p: 0 });
		expect(r.notices.length).toBe(3);
		expect(deconvFromQuery(new URLSearchParams('')).notices).toEqual([]);
	});

	it('clampDeconv makes a valid construction also of NaN (garbage falls back to the defaults)', () => {
		for (const raw of [
			{ i: NaN, k: 16, s: 8, p: 7 },
			{ i: 1, k: NaN, s: NaN, p: NaN },
			{ i: Infinity, k: -Infinity, s: 2, p: 1 }
		])
			expect(() => deconvSizes(clampDeconv(raw))).not.toThrow();
	});
});
