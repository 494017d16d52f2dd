/**
 * Shift-and-stitch = filter rarefaction (src/lib/model/shift-stitch.ts), on a small FCN-32s with
 * random weights on the cpu backend: the interleaved f² passes equal the one dilated pass, shift
 * (0, 0) is the model's own score_fr, and no tensor is left behind.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useNodeWasmFiles } from './node-wasm-files';
import { buildModel } from '$lib/model/build';
import { buildStitch, loadStitch, shiftAndStitch } from '$lib/model/shift-stitch';
import { engine } from '$lib/model/engine';
import { initWasmNode } from '$lib/train/wasm-node';
import { fcn, maxAbsDiff, trainedOptions } from '$lib/fcn';
import { mulberry32 } from '$lib/data/prng';

beforeAll(async () => {
	await engine.ready();
	useNodeWasmFiles();
	await initWasmNode();
	await tf.setBackend('cpu');
}, 60_000);

describe('shiftAndStitch (FCN §3.2) on a random small FCN-32s, pool5 (f = 2)', () => {
	it('stitched == dilated within 1e-5, shift (0, 0) is score_fr, numTensors does not grow', async () => {
		const net = fcn('32s', trainedOptions({ width: 0.0625, classes: 5 }));
		const model = buildModel(net, { seed: 3 });
		const s = buildStitch(tf, model, net);
		expect(s.f).toBe(2);
		const r = mulberry32(7);
		const image = { data: Float32Array.from({ length: 64 * 64 }, () => r.uniform(0, 1)), width: 64, height: 64 };
		await shiftAndStitch(s, image); // warm-up: kernels, layer state
		const before = tf.memory().numTensors;
		const out = await shiftAndStitch(s, image);
		expect(tf.memory().numTensors).toBe(before);
		// conv5_3 is 4×4 at 64 px; pool5 at stride 1 gives 3×3, as does the interleave of 2×2, 2×1, 1×2, 1×1
		expect([out.height, out.width, out.channels, out.passes]).toEqual([3, 3, 5, 4]);
		expect([out.coarseHeight, out.coarseWidth]).toEqual([2, 2]);
		expect(Math.max(...out.dilated.map(Math.abs))).toBeGreaterThan(0);
		expect(out.maxAbsDiff).toBeLessThan(1e-5);
		expect(maxAbsDiff(out.stitched, out.dilated)).toBe(out.maxAbsDiff);
		const score = tf.model({ inputs: model.inputs, outputs: model.getLayer('score_fr').output as tf.SymbolicTensor });
		const t = score.predict(tf.tensor4d(image.data, [1, 64, 64, 1])) as tf.Tensor;
		expect(maxAbsDiff(await t.data(), out.coarse)).toBeLessThan(1e-5);
		t.dispose();
		// the stitched map holds the coarse one at the even positions
		for (let c = 0; c < 5; c++) expect(out.stitched[c]).toBe(out.coarse[c]);
		s.dilated.dispose();
		model.dispose();
	}, 60_000);
});

describe('loadStitch: held in the engine’s registry', () => {
	it('is registered, and a backend switch reaches it: rebuilt in place on wasm, still stitched == dilated', async () => {
		await engine.start({ weightsUrl: '/no-weights', source: 'random', pin: 'cpu' });
		const s = await loadStitch('fcn32s');
		const key = 'stitch/fcn32s@/no-weights@random';
		expect(engine.models.liveKeys()).toContain(key);
		const image = { data: new Float32Array(64 * 64).fill(0.5), width: 64, height: 64 };
		const onCpu = await shiftAndStitch(s, image);
		expect(onCpu.backend).toBe('cpu');
		const before = s.dilated;
		await engine.setBackend('wasm');
		expect(engine.models.liveKeys()).not.toContain(key);
		const onWasm = await shiftAndStitch(s, image);
		expect(onWasm.backend).toBe('wasm');
		expect(s.dilated).not.toBe(before);
		expect(onWasm.maxAbsDiff).toBeLessThan(1e-5);
		expect(engine.models.liveKeys()).toContain(key);
		await engine.setBackend('cpu');
	}, 120_000);
});
