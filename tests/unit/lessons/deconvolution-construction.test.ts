import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { transposedConv2dScatter } from '$lib/fcn';
import { clampDeconv, deconvSizes } from '$lib/lessons/deconvolution/params';
import { construct, frame, integerGrid, maxAbsDiff, nearestUpsample } from '$lib/lessons/deconvolution/construction';
import { overlapSummary } from '$lib/lessons/deconvolution/overlap';

const paramsArb = fc
	.record({
		i: fc.integer({ min: -5, max: 20 }),
		k: fc.integer({ min: -2, max: 9 }),
		s: fc.integer({ min: 0, max: 6 }),
		p: fc.integer({ min: -1, max: 8 })
	})
	.map(clampDeconv);

describe('the steppable construction', () => {
	it('labels exactly i′² padded cells as inputs, and each holds its input value', () => {
		fc.assert(
			fc.property(paramsArb, fc.integer({ min: 1, max: 50 }), (q, seed) => {
				const z = deconvSizes(q);
				const x = integerGrid(z.inputSize, z.inputSize, seed, 1, 4);
				const w = integerGrid(q.k, q.k, seed + 1, 1, 3);
				const con = construct(x, w, q, z);
				const inputs = con.kinds.flatMap((k, j) => (k === 'input' ? [j] : []));
				expect(inputs.length).toBe(z.inputSize ** 2);
				for (const j of inputs) {
					const src = con.source[j]!;
					expect(con.steps.padded.data[j]).toBe(x.data[src.r * z.inputSize + src.c]);
				}
				for (let j = 0; j < con.kinds.length; j++)
					if (con.kinds[j] !== 'input') expect(con.steps.padded.data[j]).toBe(0);
			})
		);
	});

	it('every frame’s products sum to the output cell, which equals the direct scatter definition', () => {
		const q = { i: 5, k: 3, s: 2, p: 1 };
		const z = deconvSizes(q);
		const x = integerGrid(z.inputSize, z.inputSize, 3, 1, 4);
		const w = integerGrid(3, 3, 4, 1, 3);
		const con = construct(x, w, q, z);
		const direct = transposedConv2dScatter(x, w, { stride: 2, padding: 1, extra: z.extra });
		expect(maxAbsDiff(con.steps.output.data, direct.data)).toBe(0);
		for (let n = 0; n < con.steps.output.data.length; n++) {
			const f = frame(con, n);
			expect(f.terms.reduce((a, t) => a + t.value * t.weight, 0)).toBe(f.sum);
		}
	});
});

describe('overlap and checkerboards (Odena et al. 2016)', () => {
	it('interior counts are even exactly when s divides k (FCN’s k = 2s is even)', () => {
		for (let k = 1; k <= 6; k++) {
			for (let s = 1; s <= 4; s++) {
				const o = overlapSummary(8, k, s);
				expect(o.even).toBe(k % s === 0);
				if (o.even) expect(o.min).toBe(k / s);
				else expect([o.min, o.max]).toEqual([Math.floor(k / s), Math.ceil(k / s)]);
			}
		}
	});
});

describe('helpers', () => {
	it('nearestUpsample(x, f) repeats every pixel in an f×f block', () => {
		const x = { data: Float32Array.from([1, 2, 3, 4]), width: 2, height: 2 };
		const y = nearestUpsample(x, 3);
		expect([y.width, y.height]).toEqual([6, 6]);
		expect(y.data[0]).toBe(1);
		expect(y.data[5]).toBe(2);
		expect(y.data[6 * 5 + 5]).toBe(4);
	});
});

describe('the paper’s upsampling layers, read from the definitions', () => {
	it('upsamplingLayers: every final upsampling is fixed bilinear, every ×2 is learned, and k = 2s (caffe geometry)', async () => {
		const { upsamplingLayers } = await import('$lib/lessons/deconvolution/layers');
		const rows = upsamplingLayers();
		expect(rows.map((r) => `${r.net}/${r.name}`)).toEqual([
			'fcn32s/upscore',
			'fcn16s/upscore2',
			'fcn16s/upscore16',
			'fcn8s/upscore2',
			'fcn8s/upscore_pool4',
			'fcn8s/upscore8'
		]);
		for (const r of rows) {
			expect(r.kernel).toBe(2 * r.stride);
			expect(r.trainable).toBe(r.stride === 2);
			expect(r.init).toBe('bilinear');
		}
	});
});
