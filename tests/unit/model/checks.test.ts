/**
 * The lessons' live checks as model functions (src/lib/model/checks.ts): plain arrays in, plain
 * arrays out, computed by tfjs's own ops, and no tensor left behind.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { conv2dTranspose, denseVsConv } from '$lib/model/checks';
import { engine } from '$lib/model/engine';
import { denseToConvKernel, maxAbsDiff, transposedConv2d } from '$lib/fcn';
import { mulberry32 } from '$lib/data/prng';

const random = (n: number, seed: number) => {
	const r = mulberry32(seed);
	return Float32Array.from({ length: n }, () => r.uniform(-1, 1));
};

beforeAll(async () => {
	await engine.ready();
	await tf.setBackend('cpu');
});

describe('denseVsConv(input, [k, k, c], weights, bias, order, kernels)', () => {
	const [k, c, u] = [3, 2, 4];
	const input = random(k * k * c, 1);
	const weights = random(k * k * c * u, 2);
	const bias = random(u, 3);

	it('the kernel reshaped in the dense layer’s flatten order gives the dense output (hwc and chw)', async () => {
		for (const order of ['hwc', 'chw'] as const) {
			const kernel = denseToConvKernel(weights, [k, k, c], u, order);
			const r = await denseVsConv(input, [k, k, c], weights, bias, order, [kernel]);
			expect(r.dense).toHaveLength(u);
			expect(r.convs[0]).toHaveLength(u);
			expect(maxAbsDiff(r.dense, r.convs[0]), order).toBeLessThan(1e-5);
		}
	});

	it('a chw dense layer read with the hwc kernel differs (the lesson’s wrong reshape)', async () => {
		const naive = denseToConvKernel(weights, [k, k, c], u, 'hwc');
		const r = await denseVsConv(input, [k, k, c], weights, bias, 'chw', [naive]);
		expect(maxAbsDiff(r.dense, r.convs[0])).toBeGreaterThan(1e-3);
	});

	it('leaves tf.memory().numTensors unchanged', async () => {
		const before = tf.memory().numTensors;
		for (let i = 0; i < 5; i++) await denseVsConv(input, [k, k, c], weights, bias, 'hwc', [weights, weights]);
		expect(tf.memory().numTensors).toBe(before);
	});
});

describe('conv2dTranspose(x, n, w, k, out, stride, padding)', () => {
	it('equals the library’s zero-insertion construction (k=4, s=2, p=1: 5 → 10)', async () => {
		const n = 5;
		const x = random(n * n, 4);
		const w = random(16, 5);
		const ours = transposedConv2d(
			{ data: x, width: n, height: n },
			{ data: w, width: 4, height: 4 },
			{ stride: 2, padding: 1, extra: 0 }
		).output;
		const r = await conv2dTranspose(x, n, w, 4, ours.width, 2, 1);
		expect(r.backend).toBe('cpu');
		expect(maxAbsDiff(r.output, ours.data)).toBeLessThan(1e-5);
	});

	it('leaves tf.memory().numTensors unchanged', async () => {
		const before = tf.memory().numTensors;
		for (let i = 0; i < 5; i++) await conv2dTranspose(random(9, i), 3, random(9, 9), 3, 5, 2, 1);
		expect(tf.memory().numTensors).toBe(before);
	});
});
