/**
 * convolutionalizeClassifier() on a full-size VGG-16 (138M parameters, random weights, built in memory from
 * the library's definition): the paper's §3.1 — "the fully connected layers can also be viewed as
 * convolutions with kernels that cover their entire input regions" — fc6 (25088×4096) becomes a
 * 7×7×512×4096 convolution, fc7 and fc8 1×1 convolutions, the weights are the same numbers, and at
 * the classifier's input size (224×224) the convolutionalised net gives the dense net's logits.
 *
 * Heavy (about 550 MB of weights; ~30 s of CPU on wasm): one 224×224 forward pass per model.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initWasmNode } from '$lib/train/wasm-node';
import { buildModel } from '$lib/model/build';
import { analyze, layerGeometry, vgg16, vgg16Convolutional } from '$lib/fcn/index';
import { checkVgg16, convolutionalizeClassifier } from '$lib/model/convolutionalize';

describe('convolutionalizeClassifier(VGG-16) at full size', () => {
	// The caffe geometry's ceil-mode pooling cannot run in tfjs; at 224 it gives the same sizes
	// as the 'same' geometry (224 → 112 → 56 → 28 → 14 → 7), which is Keras's VGG-16.
	const def = vgg16({ geometry: 'same' });
	let dense: tf.LayersModel;
	let conv: tf.LayersModel;
	let buffersBefore = 0;
	let buffersAfter = 0;
	let plan: ReturnType<typeof convolutionalizeClassifier>['plan'];

	beforeAll(async () => {
		await initWasmNode();
		const t0 = performance.now();
		dense = buildModel(def);
		buffersBefore = tf.memory().numDataBuffers;
		const r = convolutionalizeClassifier(dense);
		conv = r.model;
		plan = r.plan;
		buffersAfter = tf.memory().numDataBuffers;
		console.log(
			`built and convolutionalised VGG-16 (${dense.countParams()} parameters) in ${((performance.now() - t0) / 1000).toFixed(1)} s`
		);
	}, 300_000);

	afterAll(() => {
		dense?.dispose();
	});

	it('the model is VGG-16 as the library defines it (parameter count from analyze())', () => {
		expect(dense.countParams()).toBe(analyze(def, [224, 224]).totals.params);
		expect(() => checkVgg16(plan)).not.toThrow();
	});

	it('fc6, fc7, fc8 become 7×7, 1×1, 1×1 convolutions of the same sizes (25088×4096 → 7×7×512×4096)', () => {
		const convDef = analyze(vgg16Convolutional({ geometry: 'same' }), [224, 224]);
		const denseDef = analyze(def, [224, 224]);
		const flatten = denseDef.layers.find((l) => l.name === 'flatten')!;
		for (const { plan: p } of plan.head) {
			const row = convDef.layers.find((l) => l.name === p.name)!;
			expect(p.conv[0]).toBe(row.kernel);
			expect(p.conv[3]).toBe(row.out[2]);
			expect(p.params).toBe(row.params);
			expect(p.params).toBe(denseDef.layers.find((l) => l.name === p.name)!.params);
			expect(p.dense[0]).toBe(p.conv[0] * p.conv[1] * p.conv[2]);
		}
		expect(plan.head[0].plan.dense[0]).toBe(flatten.out[2]);
	});

	it('the convolutions hold the dense weights themselves: no new data buffer is allocated', () => {
		expect(buffersAfter - buffersBefore).toBe(0);
		const w = conv.getLayer('fc6_conv').getWeights()[0] as unknown as { dataId: object };
		const d = dense.getLayer('fc6').getWeights()[0] as unknown as { dataId: object };
		expect(w.dataId).toBe(d.dataId);
	});

	it('at 224×224 the convolutionalised net gives a 1×1×1000 map equal to the dense logits (max |Δ| ≤ 1e-4 · max |logit|)', async () => {
		const x = tf.randomUniform([1, 224, 224, 3], 0, 255, 'float32', 7);
		const t0 = performance.now();
		const a = dense.predict(x) as tf.Tensor;
		const b = conv.predict(x) as tf.Tensor;
		const [ad, bd] = await Promise.all([a.data(), b.data()]);
		expect(b.shape).toEqual([1, 1, 1, 1000]);
		let diff = 0;
		let mag = 0;
		for (let i = 0; i < ad.length; i++) {
			diff = Math.max(diff, Math.abs(ad[i] - bd[i]));
			mag = Math.max(mag, Math.abs(ad[i]));
		}
		console.log(
			`max |dense − conv| = ${diff.toExponential(2)} (max |logit| ${mag.toFixed(3)}), two passes in ${((performance.now() - t0) / 1000).toFixed(1)} s`
		);
		expect(mag).toBeGreaterThan(0);
		expect(diff).toBeLessThanOrEqual(1e-4 * Math.max(1, mag));
		tf.dispose([x, a, b]);
	}, 300_000);

	it('a larger input gives a map of class scores whose size is the library formula', () => {
		const net = vgg16Convolutional({ geometry: 'same' });
		for (const [h, w] of [
			[256, 320],
			[500, 375]
		] as const) {
			const shape = conv.computeOutputShape([1, h, w, 3]) as number[];
			const fc8 = layerGeometry(net, [h, w]).get('fc8')!.out;
			expect(shape).toEqual([1, fc8[0], fc8[1], fc8[2]]);
		}
	});
});
