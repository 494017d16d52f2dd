import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { fcn, layerGeometry, trainedOptions } from '$lib/fcn';
import { buildModel } from '$lib/model/build';
import { flopsUpTo, patchCost, patchPlan } from '$lib/lessons/receptive-field/patchwise';

const net = fcn('8s', trainedOptions());

describe('whole image = patches (paper §3.1: the receptive fields are the mini-batch)', () => {
	it('patchPlan picks a unit whose field is inside the image and a grid-aligned patch that holds it', () => {
		for (const layer of ['pool3', 'conv4_3', 'pool4']) {
			const p = patchPlan(net, layer, 128)!;
			const J = layerGeometry(net, [128, 128], layer).get(layer)!.field.jump;
			expect(p.field[0]).toBeGreaterThanOrEqual(p.offset);
			expect(p.field[1]).toBeLessThan(p.offset + p.size);
			expect(p.offset % J).toBe(0);
			expect(p.size % J).toBe(0);
			expect(p.offset + p.size).toBeLessThanOrEqual(128);
		}
		expect(patchPlan(net, 'fc7', 128)).toBeNull(); // 276 px do not fit in 128
	});

	it('the network on the patch alone gives the unit the same value as on the whole image (random weights)', async () => {
		await tf.setBackend('cpu');
		const p = patchPlan(net, 'pool3', 64)!;
		const model = buildModel(net, { seed: 3 });
		const upTo = tf.model({ inputs: model.inputs, outputs: model.getLayer('pool3').output as tf.SymbolicTensor });
		const img = tf.randomUniform([1, 64, 64, 1], 0, 1, 'float32', 5);
		const whole = upTo.predict(img) as tf.Tensor4D;
		const patch = upTo.predict(img.slice([0, p.offset, p.offset, 0], [1, p.size, p.size, 1])) as tf.Tensor4D;
		const a = whole.slice([0, p.unit, p.unit, 0], [1, 1, 1, -1]);
		const b = patch.slice([0, p.patchUnit, p.patchUnit, 0], [1, 1, 1, -1]);
		const diff = a.sub(b).abs().max().dataSync()[0];
		expect(diff).toBeLessThan(1e-5);
		expect(a.abs().max().dataSync()[0]).toBeGreaterThan(0);
		tf.dispose([img, whole, patch, a, b]);
		model.dispose();
	});

	it('the whole map costs fewer FLOPs than its units computed patch by patch, and costs grow with the input', () => {
		const p = patchPlan(net, 'pool4', 128)!;
		const c = patchCost(net, p, 128);
		expect(c.ratio).toBeGreaterThan(1);
		expect(c.whole).toBe(flopsUpTo(net, 'pool4', 128));
		expect(flopsUpTo(net, 'pool4', 64)).toBeLessThan(c.whole);
	});
});
