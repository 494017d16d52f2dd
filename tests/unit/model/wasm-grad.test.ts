/**
 * The wasm Conv2DBackpropFilter kernel (src/lib/model/wasm-grad.ts): learning by backpropagation
 * (the paper, §3: "learning … by backpropagation"; FCN's in-network upsampling layers are trained
 * the same way, §3.3) needs ∂loss/∂W for every convolution and transposed convolution. The wasm
 * kernel must give the cpu backend's gradient, and leak neither tensors nor wasm memory. The same
 * holds for the XNNPACK stride-1 `Conv2DBackpropInput` (∂loss/∂x) that initWasmNode() installs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initWasmNode } from '$lib/train/wasm-node';
import { registerWasmConv2DBackpropFilter } from '$lib/model/wasm-grad';
import { registerWasmFastConv2DBackpropInput } from '$lib/train/wasm-backprop-input';

type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];

/** mulberry32: a small seeded PRNG so that every "random" shape is reproducible. */
function rng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
const int = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const values = (r: () => number, n: number) => Float32Array.from({ length: n }, () => r() * 2 - 1);

interface Case {
	transpose: boolean;
	batch: number;
	inH: number;
	inW: number;
	inC: number;
	outC: number;
	k: number;
	stride: number;
	pad: Pad;
	rounding?: 'floor' | 'round' | 'ceil';
}

/** ∂(Σ R ⊙ conv(X, W))/∂W on the given backend, R a fixed random weighting (a generic dy). */
async function filterGradient(
	backend: string,
	c: Case,
	seed: number
): Promise<{ grad: Float32Array; shape: number[] }> {
	await tf.setBackend(backend);
	const r = rng(seed);
	return tf.tidy(() => {
		if (!c.transpose) {
			const x = tf.tensor4d(values(r, c.batch * c.inH * c.inW * c.inC), [c.batch, c.inH, c.inW, c.inC]);
			const w = tf.tensor4d(values(r, c.k * c.k * c.inC * c.outC), [c.k, c.k, c.inC, c.outC]);
			const conv = (w: tf.Tensor4D) => tf.conv2d(x, w, c.stride, c.pad as 'same', 'NHWC', 1, c.rounding);
			const outShape = conv(w).shape;
			const weight = tf.tensor(
				values(
					r,
					outShape.reduce((a, b) => a * b, 1)
				),
				outShape
			);
			const g = tf.grad((w: tf.Tensor) => tf.sum(tf.mul(conv(w as tf.Tensor4D), weight)))(w);
			return { grad: g.dataSync() as Float32Array, shape: g.shape };
		}
		// conv2dTranspose: x [N, h, w, inC] is upsampled by `stride` with a k×k filter [k, k, outC, inC].
		const x = tf.tensor4d(values(r, c.batch * c.inH * c.inW * c.inC), [c.batch, c.inH, c.inW, c.inC]);
		const w = tf.tensor4d(values(r, c.k * c.k * c.outC * c.inC), [c.k, c.k, c.outC, c.inC]);
		const outShape: [number, number, number, number] = [c.batch, c.inH * c.stride, c.inW * c.stride, c.outC];
		const weight = tf.tensor(
			values(
				r,
				outShape.reduce((a, b) => a * b, 1)
			),
			outShape
		);
		const up = (w: tf.Tensor4D) => tf.conv2dTranspose(x, w, outShape, c.stride, c.pad as 'same');
		const g = tf.grad((w: tf.Tensor) => tf.sum(tf.mul(up(w as tf.Tensor4D), weight)))(w);
		return { grad: g.dataSync() as Float32Array, shape: g.shape };
	});
}

/** ∂(Σ R ⊙ conv(X, W))/∂X on the given backend. */
async function inputGradient(backend: string, c: Case, seed: number): Promise<{ grad: Float32Array; shape: number[] }> {
	await tf.setBackend(backend);
	const r = rng(seed);
	return tf.tidy(() => {
		const x = tf.tensor4d(values(r, c.batch * c.inH * c.inW * c.inC), [c.batch, c.inH, c.inW, c.inC]);
		const w = tf.tensor4d(values(r, c.k * c.k * c.inC * c.outC), [c.k, c.k, c.inC, c.outC]);
		const conv = (x: tf.Tensor4D) => tf.conv2d(x, w, c.stride, c.pad as 'same');
		const outShape = conv(x).shape;
		const weight = tf.tensor(
			values(
				r,
				outShape.reduce((a, b) => a * b, 1)
			),
			outShape
		);
		const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(conv(x as tf.Tensor4D), weight)))(x);
		return { grad: g.dataSync() as Float32Array, shape: g.shape };
	});
}

/** max |a − b| relative to the largest |b| (float32 sums of many products differ in the last bits). */
function relativeError(a: Float32Array, b: Float32Array): number {
	let diff = 0;
	let scale = 0;
	for (let i = 0; i < b.length; i++) {
		diff = Math.max(diff, Math.abs(a[i] - b[i]));
		scale = Math.max(scale, Math.abs(b[i]));
	}
	return diff / Math.max(scale, 1e-12);
}

function describeCase(c: Case): string {
	const pad = typeof c.pad === 'object' ? `explicit ${JSON.stringify(c.pad.slice(1, 3))}` : String(c.pad);
	return `${c.transpose ? 'conv2dTranspose' : 'conv2d'} ${c.k}×${c.k}/s${c.stride} pad ${pad} x[${c.batch},${c.inH},${c.inW},${c.inC}] → ${c.outC}`;
}

/** Random conv2d cases covering strides 1, 2 × padding same/valid/explicit × kernels 1, 3, 7. */
function convCases(seed: number): Case[] {
	const r = rng(seed);
	const cases: Case[] = [];
	for (const k of [1, 3, 7])
		for (const stride of [1, 2])
			for (const padKind of ['same', 'valid', 'explicit'] as const) {
				const inH = int(r, k + 1, k + 9);
				const inW = int(r, k + 1, k + 9);
				const pad: Pad =
					padKind === 'explicit'
						? [
								[0, 0],
								[int(r, 0, k), int(r, 0, k)],
								[int(r, 0, k), int(r, 0, k)],
								[0, 0]
							]
						: padKind;
				cases.push({
					transpose: false,
					batch: int(r, 2, 3),
					inH,
					inW,
					inC: int(r, 1, 16),
					outC: int(r, 1, 16),
					k,
					stride,
					pad
				});
			}
	// A numeric pad with a dimension-rounding mode (the kernel's `dimRoundingMode` attribute).
	cases.push({
		transpose: false,
		batch: 2,
		inH: 10,
		inW: 9,
		inC: 3,
		outC: 5,
		k: 3,
		stride: 2,
		pad: 1,
		rounding: 'ceil'
	});
	return cases;
}

/** The FCN upsampling filters: 4×4/s2 (×2), 16×16/s8 (×8), 64×64/s32 (×32); 'same' and 'valid' geometry. */
function transposeCases(seed: number): Case[] {
	const r = rng(seed);
	const cases: Case[] = [];
	for (const [k, stride] of [
		[4, 2],
		[16, 8],
		[64, 32]
	])
		for (const pad of ['same', 'valid'] as const) {
			const small = k >= 64 ? 2 : 3;
			// With 'valid' geometry an output of in·s pixels needs k = s (out = (in − 1)·s + k).
			if (pad === 'valid' && k !== stride) {
				cases.push({
					transpose: true,
					batch: 2,
					inH: int(r, 1, small),
					inW: int(r, 1, small),
					inC: int(r, 1, 11),
					outC: int(r, 1, 11),
					k: stride,
					stride,
					pad
				});
				continue;
			}
			cases.push({
				transpose: true,
				batch: int(r, 2, 3),
				inH: int(r, 1, small),
				inW: int(r, 1, small),
				inC: int(r, 1, 11),
				outC: int(r, 1, 11),
				k,
				stride,
				pad
			});
		}
	return cases;
}

beforeAll(async () => {
	await initWasmNode();
});

describe('wasm Conv2DBackpropFilter', () => {
	it('registerWasmConv2DBackpropFilter() is idempotent and initWasmNode() leaves the wasm backend active', async () => {
		expect(registerWasmConv2DBackpropFilter()).toBe(false);
		expect(registerWasmFastConv2DBackpropInput()).toBe(false);
		expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
		await tf.setBackend('wasm');
		expect(tf.getBackend()).toBe('wasm');
	});

	for (const c of convCases(2015)) {
		it(`∂loss/∂W on wasm equals the cpu backend's within 1e-4: ${describeCase(c)}`, async () => {
			const cpu = await filterGradient('cpu', c, 7);
			const wasm = await filterGradient('wasm', c, 7);
			expect(wasm.shape).toEqual(cpu.shape);
			expect(relativeError(wasm.grad, cpu.grad)).toBeLessThan(1e-4);
		});
	}

	for (const c of transposeCases(32)) {
		it(`∂loss/∂W of an upsampling layer on wasm equals the cpu backend's within 1e-4: ${describeCase(c)}`, async () => {
			const cpu = await filterGradient('cpu', c, 11);
			const wasm = await filterGradient('wasm', c, 11);
			expect(wasm.shape).toEqual(cpu.shape);
			expect(relativeError(wasm.grad, cpu.grad)).toBeLessThan(1e-4);
		});
	}

	for (const c of convCases(1411)) {
		it(`∂loss/∂x on wasm equals the cpu backend's within 1e-4: ${describeCase(c)}`, async () => {
			const cpu = await inputGradient('cpu', c, 5);
			const wasm = await inputGradient('wasm', c, 5);
			expect(wasm.shape).toEqual(cpu.shape);
			expect(relativeError(wasm.grad, cpu.grad)).toBeLessThan(1e-4);
		});
	}

	it('rejects NCHW with a clear message', async () => {
		await tf.setBackend('wasm');
		const x = tf.zeros([1, 2, 4, 4]);
		const dy = tf.zeros([1, 3, 4, 4]);
		const attrs = { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [1, 1, 2, 3] };
		expect(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as unknown as tf.NamedAttrMap)).toThrow(
			/NHWC/
		);
		tf.dispose([x, dy]);
	});

	it('50 optimizer.minimize steps of a small conv net keep the tensor count and the wasm heap flat, and the loss falls', async () => {
		await tf.setBackend('wasm');
		const backend = tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array }; numDataIds(): number };
		const r = rng(3);
		const x = tf.tensor4d(values(r, 4 * 16 * 16 * 1), [4, 16, 16, 1]);
		const target = tf.tensor4d(values(r, 4 * 16 * 16 * 2), [4, 16, 16, 2]);
		const w1 = tf.variable(tf.tensor4d(values(r, 3 * 3 * 1 * 8), [3, 3, 1, 8]).mul(0.3));
		const w2 = tf.variable(tf.tensor4d(values(r, 3 * 3 * 8 * 8), [3, 3, 8, 8]).mul(0.1));
		const up = tf.variable(tf.tensor4d(values(r, 4 * 4 * 2 * 8), [4, 4, 2, 8]).mul(0.1));
		const opt = tf.train.momentum(0.01, 0.9);
		const loss = () =>
			tf.tidy(() => {
				const h1 = tf.relu(tf.conv2d(x, w1 as tf.Tensor4D, 1, 'same'));
				const h2 = tf.relu(tf.conv2d(h1, w2 as tf.Tensor4D, 2, 'same')); // 8×8
				const y = tf.conv2dTranspose(h2, up as tf.Tensor4D, [4, 16, 16, 2], 2, 'same'); // back to 16×16
				return tf.mean(tf.squaredDifference(y, target)) as tf.Scalar;
			});
		const step = () => {
			const l = opt.minimize(loss, true)!;
			const v = l.dataSync()[0];
			l.dispose();
			return v;
		};
		const first = step(); // warm-up: optimizer slots, heap growth
		step();
		const tensors = tf.memory().numTensors;
		const dataIds = backend.numDataIds();
		const heap = backend.wasm.HEAPU8.length;
		let last = first;
		for (let i = 0; i < 50; i++) last = step();
		expect(tf.memory().numTensors).toBe(tensors);
		expect(backend.numDataIds()).toBe(dataIds);
		expect(backend.wasm.HEAPU8.length).toBe(heap);
		expect(last).toBeLessThan(first);
		tf.dispose([x, target, w1, w2, up]);
		opt.dispose();
	});
});
