/**
 * Live skip fusion (src/lib/model/fusion.ts) computes the paper's sums with the model's own layers:
 *   fuse_pool4 = upscore2(score_fr) + score_pool4,  fuse_pool3 = upscore_pool4(fuse_pool4) + score_pool3
 * With every skip on, the layer-by-layer head IS the model's output; with a skip off, its term leaves
 * the sum (what a zero-initialised score layer gives, CVPR 2015 §4.2). Runs on the cpu backend with an
 * untrained model whose score layers are made non-zero.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '$lib/model/build';
import { networkOf } from '$lib/model/engine';
import {
	runFusion,
	checkAgainstPredict,
	skipSources,
	argmaxMap,
	type LoadedFcn,
	type FcnName
} from '$lib/model/fusion';
import { mulberry32 } from '$lib/data/prng';

function loaded(name: FcnName): LoadedFcn {
	const net = networkOf(name, null);
	const model = buildModel(net, { seed: 3 });
	// Give the zero-initialised skip scores real values, so switching them off changes something.
	for (const l of ['score_pool4', 'score_pool3']) {
		if (!net.layers.some((x) => x.name === l)) continue;
		const layer = model.getLayer(l);
		const ws = layer.getWeights().map((w, i) => tf.randomNormal(w.shape, 0, 0.5, 'float32', 11 + i));
		layer.setWeights(ws);
		tf.dispose(ws);
	}
	const trunk = tf.model({
		inputs: model.inputs,
		outputs: skipSources(name).map((l) => model.getLayer(l).output as tf.SymbolicTensor)
	});
	return { name, net, model, trunk, backend: tf.getBackend(), manifest: null };
}

function image(h: number, w: number) {
	const rng = mulberry32(5);
	return { data: Float32Array.from({ length: h * w }, () => (rng.next() < 0.2 ? 1 : 0)), width: w, height: h };
}

const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

beforeAll(async () => {
	await tf.setBackend('cpu');
});

describe('runFusion(fcn, image, { skips })', () => {
	it('with every skip on, the head summed layer by layer equals model.predict (FCN-8s, 70×90 input padded to 96×96)', async () => {
		const f = loaded('fcn8s');
		expect(await checkAgainstPredict(f, image(70, 90))).toBeLessThan(1e-4);
	});

	it('returns the stages at 1/32, 1/16, 1/8 and the prediction, cropped to the input’s extent', async () => {
		const f = loaded('fcn8s');
		const r = await runFusion(f, image(70, 90));
		const by = new Map(r.stages.map((s) => [s.name, s]));
		expect([...by.keys()]).toEqual([
			'score_fr',
			'upscore2',
			'score_pool4',
			'fuse_pool4',
			'upscore_pool4',
			'score_pool3',
			'fuse_pool3',
			'score'
		]);
		expect([by.get('score_fr')!.height, by.get('score_fr')!.width]).toEqual([Math.ceil(70 / 32), Math.ceil(90 / 32)]);
		expect([by.get('fuse_pool4')!.height, by.get('fuse_pool4')!.width]).toEqual([
			Math.ceil(70 / 16),
			Math.ceil(90 / 16)
		]);
		expect([by.get('fuse_pool3')!.height, by.get('fuse_pool3')!.width]).toEqual([Math.ceil(70 / 8), Math.ceil(90 / 8)]);
		expect([by.get('score')!.height, by.get('score')!.width]).toEqual([70, 90]);
		expect(r.labels).toEqual(argmaxMap(by.get('score')!));
	});

	it('a skip switched off leaves its sum equal to the upsampled coarse scores (fuse_pool4 = upscore2), and changes the output', async () => {
		const f = loaded('fcn16s');
		const on = await runFusion(f, image(64, 64));
		const off = await runFusion(f, image(64, 64), { skips: { pool4: false, pool3: true } });
		const get = (r: typeof on, n: string) => r.stages.find((s) => s.name === n)!.data;
		expect(maxAbsDiff(get(off, 'fuse_pool4'), get(off, 'upscore2'))).toBe(0);
		expect(maxAbsDiff(get(on, 'score'), get(off, 'score'))).toBeGreaterThan(1e-3);
	});

	it('leaks no tensor over repeated runs', async () => {
		const f = loaded('fcn8s');
		await runFusion(f, image(40, 40));
		const before = tf.memory().numTensors;
		for (let i = 0; i < 5; i++)
			await runFusion(f, image(40, 40), { skips: { pool4: i % 2 === 0, pool3: i % 3 === 0 } });
		await checkAgainstPredict(f, image(40, 40));
		expect(tf.memory().numTensors).toBe(before);
	});
});
