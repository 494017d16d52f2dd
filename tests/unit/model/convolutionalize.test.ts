/**
 * convolutionalizeClassifier() on small classifiers (fast, cpu backend): the paper's §3.1 surgery on any
 * Keras-style classifier (convolutions → Flatten → Dense layers), the flattening order that the
 * reshape must respect, and the clear refusals for models that are not such a classifier.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '$lib/model/build';
import { layerGeometry, vgg16, vgg16Convolutional } from '$lib/fcn/index';
import {
	NotAClassifierError,
	checkVgg16,
	compareHeads,
	convolutionalizeClassifier,
	denseKernelToConv,
	planClassifier
} from '$lib/model/convolutionalize';

beforeAll(async () => {
	await tf.setBackend('cpu');
	await tf.ready();
});

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
	let m = 0;
	for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
	return m;
};

/** A small VGG-16 (width 1/16, 64×64 input → pool5 2×2×32) with a 5-class head. */
const small = () => vgg16({ geometry: 'same', width: 1 / 16, classifierInput: 64, classes: 5 });

describe('convolutionalizeClassifier(model)', () => {
	it('gives the dense logits at the classifier input size (max |Δ| < 1e-4) and a map on larger inputs', async () => {
		const dense = buildModel(small(), { seed: 3 });
		const { model: conv } = convolutionalizeClassifier(dense);
		const x = tf.randomUniform([2, 64, 64, 3], 0, 1, 'float32', 1);
		const a = dense.predict(x) as tf.Tensor;
		const b = conv.predict(x) as tf.Tensor;
		expect(b.shape).toEqual([2, 1, 1, 5]);
		expect(maxAbsDiff(await a.data(), await b.data())).toBeLessThan(1e-4);
		const big = tf.randomUniform([1, 96, 160, 3], 0, 1, 'float32', 2);
		const m = conv.predict(big) as tf.Tensor;
		const expected = layerGeometry(
			vgg16Convolutional({ geometry: 'same', width: 1 / 16, classifierInput: 64, classes: 5 }),
			[96, 160]
		).get('fc8')!.out;
		expect(m.shape).toEqual([1, ...expected]);
		tf.dispose([x, a, b, big, m]);
		dense.dispose();
	});

	it("denseKernelToConv(kernel, [h, w, c], 'hwc') is a pure reshape: row (y·w + x)·c + ch becomes tap (y, x, ch)", async () => {
		const [h, w, c, u] = [2, 3, 4, 5];
		const k = tf.range(0, h * w * c * u).reshape([h * w * c, u]) as tf.Tensor2D;
		const t = denseKernelToConv(k, [h, w, c], 'hwc');
		const kd = await k.data();
		const td = await t.data();
		for (let y = 0; y < h; y++)
			for (let x = 0; x < w; x++)
				for (let ch = 0; ch < c; ch++)
					for (let o = 0; o < u; o++) {
						expect(td[((y * w + x) * c + ch) * u + o]).toBe(kd[((y * w + x) * c + ch) * u + o]);
					}
		tf.dispose([k, t]);
	});

	it("denseKernelToConv(kernel, [h, w, c], 'chw') reads row (ch·h + y)·w + x as tap (y, x, ch), as Caffe flattens", async () => {
		const [h, w, c, u] = [2, 3, 4, 5];
		const k = tf.range(0, h * w * c * u).reshape([h * w * c, u]) as tf.Tensor2D;
		const t = denseKernelToConv(k, [h, w, c], 'chw');
		const kd = await k.data();
		const td = await t.data();
		for (let y = 0; y < h; y++)
			for (let x = 0; x < w; x++)
				for (let ch = 0; ch < c; ch++)
					for (let o = 0; o < u; o++) {
						expect(td[((y * w + x) * c + ch) * u + o]).toBe(kd[((ch * h + y) * w + x) * u + o]);
					}
		tf.dispose([k, t]);
	});

	it("reading a channels-last (Keras) classifier's fc6 rows in Caffe's channels-first order gives different logits", async () => {
		const dense = buildModel(small(), { seed: 6 });
		const { model: right } = convolutionalizeClassifier(dense, { order: 'hwc' });
		const { model: wrong } = convolutionalizeClassifier(dense, { order: 'chw' });
		const x = tf.randomUniform([1, 64, 64, 3], 0, 1, 'float32', 9);
		const a = await (dense.predict(x) as tf.Tensor).data();
		const r = await (right.predict(x) as tf.Tensor).data();
		const w = await (wrong.predict(x) as tf.Tensor).data();
		expect(maxAbsDiff(a, r)).toBeLessThan(1e-4);
		expect(maxAbsDiff(a, w)).toBeGreaterThan(1e-3);
		dense.dispose();
	});

	it('planClassifier() refuses a model without a dense head, naming what is missing', () => {
		const x = tf.input({ shape: [32, 32, 3] });
		const y = tf.layers.conv2d({ filters: 4, kernelSize: 3 }).apply(x) as tf.SymbolicTensor;
		const model = tf.model({ inputs: x, outputs: y });
		expect(() => planClassifier(model)).toThrow(NotAClassifierError);
		expect(() => planClassifier(model)).toThrow(/no Flatten/);
	});

	it('checkVgg16() refuses a VGG-shaped net with other widths, naming the first convolution that differs', () => {
		const dense = buildModel(small(), { seed: 1 });
		const plan = planClassifier(dense);
		expect(() => checkVgg16(plan)).toThrow(NotAClassifierError);
		expect(() => checkVgg16(plan)).toThrow(
			/convolution 1 \('conv1_1'\) is 3×3 with 4 filters, VGG-16's is 3×3 with 64/
		);
		dense.dispose();
	});

	it('planClassifier() refuses a branching model', () => {
		const x = tf.input({ shape: [8, 8, 1] });
		const a = tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same' }).apply(x) as tf.SymbolicTensor;
		const b = tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same' }).apply(x) as tf.SymbolicTensor;
		const s = tf.layers.add().apply([a, b]) as tf.SymbolicTensor;
		const f = tf.layers.flatten().apply(s) as tf.SymbolicTensor;
		const d = tf.layers.dense({ units: 3 }).apply(f) as tf.SymbolicTensor;
		expect(() => planClassifier(tf.model({ inputs: x, outputs: d }))).toThrow(/not a simple chain|not a convolution/);
	});
});

describe('compareHeads(dense, conv, images)', () => {
	it('frees the dense prediction when the convolutional one fails (no tensor left behind on the error path)', async () => {
		const dense = tf.sequential({
			layers: [tf.layers.flatten({ inputShape: [4, 4, 1] }), tf.layers.dense({ units: 3 })]
		});
		const broken = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [4, 4, 2], filters: 3, kernelSize: 4 })] });
		const x = tf.zeros([1, 4, 4, 1]) as tf.Tensor4D;
		const before = tf.memory().numTensors;
		await expect(compareHeads(dense, broken, x)).rejects.toThrow();
		expect(tf.memory().numTensors).toBe(before);
		tf.dispose([x]);
		dense.dispose();
		broken.dispose();
	});
});
