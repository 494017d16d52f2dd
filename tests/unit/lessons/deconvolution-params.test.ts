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
	DEFAULT_DECONV
} from '$lib/lessons/deconvolution/params';

const paramsArb = fc
	.record({
		i: fc.integer({ min: -5, max: 20 }),
		k: fc.integer({ min: -2, max: 9 }),
		s: fc.integer({ min: 0, max: 6 }),
		p: fc.integer({ min: -1, max: 8 })
	})
	.map(clampDeconv);

describe('the sliders (Dumoulin & Visin §4: the transposed convolution of a convolution)', () => {
	it('deconvSizes: the transposed convolution maps i′ back to the direct convolution’s input i', () => {
		fc.assert(
			fc.property(paramsArb, (q) => {
				const z = deconvSizes(q);
				expect(z.inputSize).toBe(convOutputSize(q.i, q.k, q.s, q.p));
				expect(z.outputSize).toBe(q.i);
				expect(z.extra).toBe((q.i + 2 * q.p - q.k) % q.s);
				expect(z.padded - q.k + 1).toBe(z.outputSize);
			})
		);
	});

	it('the default view /deconvolution?i=4&k=4&s=2&p=1 upsamples 2 → 4 (FCN’s k = 2s)', () => {
		const z = deconvSizes(DEFAULT_DECONV);
		expect([z.inputSize, z.outputSize, z.extra, z.border]).toEqual([2, 4, 0, 2]);
	});

	it('clampDeconv always gives a construction the library accepts (p ≤ k − 1, k ≤ i + 2p)', () => {
		fc.assert(
			fc.property(paramsArb, (q) => {
				expect(q.p).toBeLessThanOrEqual(q.k - 1);
				expect(q.k).toBeLessThanOrEqual(q.i + 2 * q.p);
				expect(q.i).toBeLessThanOrEqual(DECONV_LIMITS.i.max);
				expect(() => deconvSizes(q)).not.toThrow();
			})
		);
	});

	it('deconvFromQuery clamps garbage and says what it changed', () => {
		const r = deconvFromQuery(new URLSearchParams('i=abc&k=99&s=2&p=-3'));
		expect(r.value.params).toEqual(clampDeconv({ i: NaN, k: 99, s: 2, p: -3 }));
		expect(r.value.params).toEqual({ i: 6, k: 6, s: 2, p: 0 });
		expect(r.notices.length).toBe(3);
		expect(deconvFromQuery(new URLSearchParams('')).notices).toEqual([]);
	});

	it('clampDeconv makes a valid construction also of NaN (garbage falls back, then meets k ≤ i + 2p)', () => {
		for (const raw of [
			{ i: NaN, k: 6, s: 2, p: 0 },
			{ i: 1, k: NaN, s: NaN, p: NaN },
			{ i: Infinity, k: -Infinity, s: 2, p: 1 }
		])
			expect(() => deconvSizes(clampDeconv(raw))).not.toThrow();
	});
});
