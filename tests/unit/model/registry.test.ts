/**
 * The engine's ONE registry of every tfjs model on the page (src/lib/model/registry.ts): a backend
 * switch, a lost GPU and a reconfiguration reach every model in it (the engine's FCNs, the
 * skip-fusion trunks, the receptive-field probe nets, anything registered), dispose them, and each is
 * rebuilt on the new backend the next time it is used, in place, with no tensor leaked. tfjs cpu and
 * wasm in Node stand in for the browser's backends; `engine.gpuLost` is what the WebGL / WebGPU
 * watcher calls.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useNodeWasmFiles } from './node-wasm-files';
import { CAPTURE, engine } from '$lib/model/engine';
import { loadFcn, runFusion } from '$lib/model/fusion';
import { probeFieldGradient } from '$lib/model/probe-field';
import { fcn, trainedOptions } from '$lib/fcn';
import { probeNetwork } from '$lib/lessons/receptive-field/probe';
import { initWasmNode } from '$lib/train/wasm-node';
import type { ModelSpec } from '$lib/model/registry';

const S = 64;
const image = { data: new Float32Array(S * S).fill(0.5), width: S, height: S };
const probeNet = probeNetwork(fcn('32s', trainedOptions({ width: 0.125, classes: 11 })), 'pool2');

/** A small model of our own, registered like any cell's. */
const tiny: ModelSpec<{ model: tf.LayersModel; builds: number }> = {
	build: async (t) => {
		const model = t.sequential({ layers: [t.layers.dense({ units: 3, inputShape: [4] })] });
		return { model, builds: (builds += 1) };
	},
	parts: (v) => [v.model]
};
let builds = 0;

/** Load every kind of model the page holds; returns the holders' objects. */
async function loadEverything() {
	await engine.loadModel('fcn32s');
	const fusion = await loadFcn('fcn16s');
	await probeFieldGradient('pool2', probeNet, S, S, { y: 2, x: 2 });
	const own = await engine.models.get('test/tiny', tiny);
	return { fusion, own };
}

beforeAll(async () => {
	await engine.ready();
	useNodeWasmFiles();
	await initWasmNode();
	await tf.setBackend('cpu');
	await engine.start({ weightsUrl: '/no-weights', source: 'random', pin: 'cpu' });
}, 60_000);

describe('engine.models: one registry, every model on the page', () => {
	it('holds the engine FCNs, the skip-fusion trunks, the probe nets and any registered model', async () => {
		await loadEverything();
		expect(engine.models.liveKeys().sort()).toEqual(
			['engine/fcn32s', 'fusion/fcn16s@/no-weights@random', 'receptive-field/probe/pool2', 'test/tiny'].sort()
		);
	}, 60_000);

	it('a lost GPU disposes every model (numTensors back to the empty page), moves to a fallback and rebuilds each in place on next use', async () => {
		const { fusion, own } = await loadEverything();
		const loaded = tf.memory().numTensors;
		const before = { model: fusion.model, trunk: fusion.trunk, tiny: own.model };
		const notices: string[] = [];
		const off = engine.subscribe((e) => notices.push(e.type));
		await engine.gpuLost('webgl');
		off();
		expect(notices).toContain('recovered');
		expect(engine.choice?.reason).toBe('recovered');
		expect(engine.models.liveKeys()).toEqual([]);
		expect(() => engine.network('fcn32s')).toThrow(/not loaded/);
		const empty = tf.memory().numTensors;
		expect(empty).toBeLessThan(loaded);

		// every holder keeps its object; its models are rebuilt on the backend now active
		await engine.loadModel('fcn32s');
		expect(await engine.models.fresh(fusion)).toBe(fusion);
		expect(fusion.model).not.toBe(before.model);
		expect(fusion.trunk).not.toBe(before.trunk);
		expect(fusion.backend).toBe(tf.getBackend());
		expect((await engine.models.fresh(own)).model).not.toBe(before.tiny);
		await probeFieldGradient('pool2', probeNet, S, S, { y: 2, x: 2 });
		expect(engine.models.liveKeys()).toHaveLength(4);
		expect(tf.memory().numTensors).toBe(loaded);
		const r = await runFusion(fusion, image);
		expect(r.labels.length).toBe(S * S);
		expect(tf.memory().numTensors).toBe(loaded);
	}, 120_000);

	it('a backend switch reaches every model: each is rebuilt on the new backend when next used', async () => {
		await engine.setBackend('cpu');
		const { fusion, own } = await loadEverything();
		const loaded = tf.memory().numTensors;
		await engine.setBackend('wasm');
		expect(engine.models.liveKeys()).toEqual([]);
		await loadEverything();
		await engine.models.fresh(fusion);
		expect(fusion.backend).toBe('wasm');
		expect((await engine.models.fresh(own)).model.getWeights()[0].dataId).toBeDefined();
		expect(await runFusion(fusion, image)).toMatchObject({ width: S, height: S });
		await engine.setBackend('cpu');
		expect(engine.models.liveKeys()).toEqual([]);
		await loadEverything();
		expect(tf.memory().numTensors).toBe(loaded);
	}, 120_000);

	it('engine.configure with other weights disposes every model and the activations lazy runs kept', async () => {
		engine.configure({ capture: { ...CAPTURE, cpu: 'keep' } });
		await loadEverything();
		await engine.run('fcn32s', image, { layers: ['pool1'], lazy: 'cell' });
		const empty = tf.memory().numTensors;
		engine.configure({ weightsUrl: '/other-weights' });
		expect(engine.models.liveKeys()).toEqual([]);
		expect(tf.memory().numTensors).toBeLessThan(empty);
		engine.configure({ weightsUrl: '/no-weights', capture: CAPTURE });
	}, 60_000);
});
