/**
 * The sub-pixel wasm Conv2DBackpropInput (wasm-deconv.ts) gives what the cpu backend's conv2dTranspose
 * gives, for FCN's upsampling shapes (k = 2s, 'same' / 'valid') and odd ones (k not a multiple of s).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initWasmNode } from '$lib/train/wasm-node';
import { registerWasmSubPixelDeconv, subPixelRuns } from '$lib/model/wasm-deconv';

const values = (seed: number, n: number) =>
	Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 12.9898 + i * 78.233) * 0.5);

async function deconv(
	backend: string,
	c: { n: number; h: number; w: number; ci: number; co: number; k: number; s: number; pad: 'same' | 'valid' }
) {
	await tf.setBackend(backend);
	return tf.tidy(() => {
		const x = tf.tensor4d(values(1, c.n * c.h * c.w * c.ci), [c.n, c.h, c.w, c.ci]);
		const f = tf.tensor4d(values(2, c.k * c.k * c.co * c.ci), [c.k, c.k, c.co, c.ci]);
		const outH = c.pad === 'same' ? c.h * c.s : (c.h - 1) * c.s + c.k;
		const outW = c.pad === 'same' ? c.w * c.s : (c.w - 1) * c.s + c.k;
		return tf.conv2dTranspose(x, f, [c.n, outH, outW, c.co], c.s, c.pad).dataSync() as Float32Array;
	});
}

beforeAll(async () => {
	await initWasmNode({ fastBackpropInput: false });
	expect(registerWasmSubPixelDeconv()).toBe(true);
});

describe('wasm conv2dTranspose through the sub-pixel convolution', () => {
	const cases = [
		{ n: 1, h: 8, w: 8, ci: 11, co: 11, k: 4, s: 2, pad: 'same' as const },
		{ n: 1, h: 4, w: 6, ci: 11, co: 11, k: 16, s: 8, pad: 'same' as const },
		{ n: 2, h: 5, w: 3, ci: 3, co: 4, k: 3, s: 2, pad: 'valid' as const },
		{ n: 1, h: 5, w: 7, ci: 2, co: 5, k: 5, s: 3, pad: 'same' as const },
		{ n: 1, h: 6, w: 6, ci: 4, co: 2, k: 4, s: 2, pad: 'valid' as const }
	];
	for (const c of cases)
		it(`k=${c.k} s=${c.s} ${c.pad} ${c.n}×${c.h}×${c.w}×${c.ci}→${c.co}: equal to the cpu backend`, async () => {
			const want = await deconv('cpu', c);
			const runs = subPixelRuns.count;
			const got = await deconv('wasm', c);
			expect(subPixelRuns.count).toBe(runs + 1); // the sub-pixel path ran, not the original kernel
			expect(got.length).toBe(want.length);
			let worst = 0;
			for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
			expect(worst).toBeLessThan(1e-4);
		});

	it('leaves no tensor behind', async () => {
		await tf.setBackend('wasm');
		const before = tf.memory().numTensors;
		const backend = tf.backend() as unknown as { numDataIds(): number };
		const ids = backend.numDataIds();
		await deconv('wasm', cases[1]);
		expect(tf.memory().numTensors).toBe(before);
		expect(backend.numDataIds()).toBe(ids);
	});
});
