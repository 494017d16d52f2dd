import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { fcn, layerGeometry, seenInterval, trainedOptions } from '$lib/fcn';
import { probeLayers, probeNetwork, supportMismatch } from '$lib/lessons/receptive-field/probe';
import { buildProbe, probeGradient } from '$lib/model/probe-gradient';

const net = fcn('8s', trainedOptions());

describe('the probe network (equal positive weights, linear, average pooling)', () => {
	it('probeLayers lists the trunk conv/pool layers, not the skip scores', () => {
		const names = probeLayers(net);
		expect(names).toContain('pool3');
		expect(names).toContain('fc7');
		expect(names).not.toContain('score_pool4');
	});

	it('probeNetwork keeps the geometry: same shapes and fields as the network at every kept layer', () => {
		const probe = probeNetwork(net, 'pool4');
		const a = layerGeometry(net, [96, 96], 'pool4');
		const b = layerGeometry(probe, [96, 96]);
		for (const [name, g] of b) {
			expect(g.out.slice(0, 2)).toEqual(a.get(name)!.out.slice(0, 2));
			expect(g.field).toEqual(a.get(name)!.field);
		}
		expect(probe.layers.every((l) => l.type !== 'pool' || l.mode === 'avg')).toBe(true);
	});

	it.each(['cpu', 'wasm'])(
		'the gradient of a unit is non-zero exactly on its theoretical receptive field (mismatch 0), at the border and inside (%s)',
		async (backend) => {
			await tf.setBackend(backend);
			const S = 64;
			for (const layer of ['conv2_1', 'pool3']) {
				const probe = probeNetwork(net, layer);
				const model = buildProbe(tf, probe);
				const out = layerGeometry(probe, [S, S]).get(layer)!.out;
				for (const unit of [
					{ y: 0, x: 0 },
					{ y: Math.floor(out[0] / 2), x: out[1] - 1 }
				]) {
					const before = tf.memory().numTensors;
					const g = await probeGradient(tf, model, S, S, unit);
					expect(tf.memory().numTensors).toBe(before);
					const clip = (iv: [number, number]): [number, number] => [Math.max(0, iv[0]), Math.min(S - 1, iv[1])];
					const box = { ys: clip(seenInterval(probe, layer, unit.y)!), xs: clip(seenInterval(probe, layer, unit.x)!) };
					const m = supportMismatch(g, S, S, box);
					expect(m.mismatch).toBe(0);
					expect(m.support).toBeGreaterThan(0);
				}
				model.dispose();
			}
		}
	);
});
