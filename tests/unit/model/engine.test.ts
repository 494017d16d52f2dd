/**
 * When the live model cannot start, the reader is told what failed: the backend choice probes the
 * real model on every backend, so without care a missing or corrupt weight file would come out as
 * "no TensorFlow.js backend works in this browser". The weights do not depend on the backend, so a
 * weights failure must always reject with the WeightsError naming the file, and only a browser in
 * which no backend runs the (fine) model with a BackendError. Runs the real Engine with `fetch`
 * replaced by a fake weights folder.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { BackendError, Engine, WeightsError } from '$lib/model/engine';
import { fakeWeightsFolder, utf8 } from './fake-weights-folder.ts';

/** A weights folder `/w` holding an FCN-8s entry whose files can be replaced (null: 404). */
function weightsFolder(overrides: Record<string, Uint8Array | null> = {}, modelJson?: object) {
	const shard = Uint8Array.from({ length: 512 }, (_, i) => (i * 13) % 251);
	const files: Record<string, Uint8Array> = {
		'model.json': utf8(
			JSON.stringify(
				modelJson ?? {
					modelTopology: { class_name: 'Model', config: {} },
					weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: [] }]
				}
			)
		),
		'group1-shard1of1.bin': shard
	};
	return fakeWeightsFolder(files, overrides);
}

/** What `chooseBackend()` (no pin, nothing remembered: a real probe) rejects with. */
async function chooseBackendFailure(engine: Engine): Promise<Error> {
	const e = await engine.chooseBackend().then(
		(c) => new Error(`expected a failure, got ${c.backend}`),
		(err: unknown) => err
	);
	return e as Error;
}

afterEach(() => {
	vi.unstubAllGlobals();
	vi.restoreAllMocks();
});

describe('engine.chooseBackend() when the weights fail', () => {
	it('a missing manifest rejects with the WeightsError naming manifest.json, not with a backend error', async () => {
		const site = weightsFolder({ '/w/manifest.json': null });
		vi.stubGlobal('fetch', site.fetchFn);
		const engine = new Engine();
		engine.configure({ weightsUrl: '/w', source: 'trained' });
		const e = await chooseBackendFailure(engine);
		expect(e).toBeInstanceOf(WeightsError);
		expect(e).not.toBeInstanceOf(BackendError);
		expect((e as WeightsError).file).toBe('manifest.json');
		expect(e.message).toMatch(/manifest.*missing.*404/);
		expect(e.message).not.toMatch(/backend/i);
	});

	it('a corrupt shard rejects with the WeightsError naming that shard, and is fetched once, not once per backend', async () => {
		const bad = weightsFolder().files['group1-shard1of1.bin'].slice();
		bad[100] ^= 0xff;
		const site = weightsFolder({ '/w/fcn8s/group1-shard1of1.bin': bad });
		vi.stubGlobal('fetch', site.fetchFn);
		const engine = new Engine();
		engine.configure({ weightsUrl: '/w', source: 'trained' });
		const e = await chooseBackendFailure(engine);
		expect(e).toBeInstanceOf(WeightsError);
		expect((e as WeightsError).file).toBe('fcn8s/group1-shard1of1.bin');
		expect((e as WeightsError).kind).toBe('corrupt');
		expect(e.message).not.toMatch(/backend/i);
		expect(site.requested.filter((u) => u.endsWith('.bin'))).toHaveLength(1);
	});

	it('verified files that no backend can build into a model reject with the WeightsError naming model.json', async () => {
		// Checksums match, but model.json describes no valid model: every backend fails to build it.
		const site = weightsFolder(
			{},
			{
				modelTopology: { class_name: 'NoSuchModel', config: {} },
				weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: [] }]
			}
		);
		vi.stubGlobal('fetch', site.fetchFn);
		// A browser where only the cpu backend starts (Node has no WebGL, and the wasm binary is not served here).
		const setBackend = tf.engine().setBackend.bind(tf.engine());
		vi.spyOn(tf.engine(), 'setBackend').mockImplementation(async (name: string) => name === 'cpu' && setBackend(name));
		const engine = new Engine();
		engine.configure({ weightsUrl: '/w', source: 'trained' });
		const e = await chooseBackendFailure(engine);
		expect(e).toBeInstanceOf(WeightsError);
		expect((e as WeightsError).file).toBe('fcn8s/model.json');
		expect(e.message).toMatch(/could not be built/);
	});
});

describe('engine.chooseBackend() when the browser fails', () => {
	it('with fine weights and no backend that initialises, rejects with a BackendError naming every backend', async () => {
		const engine = new Engine();
		engine.configure({ source: 'random' }); // no files involved at all
		// Every backend fails to become ready (what a browser without WebGL, wasm or a working CPU path reports).
		vi.spyOn(tf.engine(), 'ready').mockRejectedValue(new Error('backend failed to initialise'));
		vi.spyOn(tf.engine(), 'setBackend').mockResolvedValue(false);
		const e = await chooseBackendFailure(engine);
		expect(e).toBeInstanceOf(BackendError);
		expect(e).not.toBeInstanceOf(WeightsError);
		expect(e.message).toMatch(/no TensorFlow\.js backend works in this browser/);
		const probes = (e as BackendError).probes;
		expect(probes.map((p) => p.backend).sort()).toEqual(['cpu', 'wasm', 'webgl', 'webgpu']);
		expect(probes.every((p) => p.ms === null && p.error)).toBe(true);
	});
});

describe('engine.start({ weightsUrl, source, pin, fallback }): the one way a cell starts the engine', () => {
	it("source 'auto' is 'trained' when the folder has a manifest, 'random' when it has none", async () => {
		vi.stubGlobal('fetch', weightsFolder().fetchFn);
		const engine = new Engine();
		expect((await engine.start({ weightsUrl: '/w', pin: 'cpu' })).source).toBe('trained');
		expect(engine.config).toMatchObject({ weightsUrl: '/w', source: 'trained' });
		expect((await engine.start({ weightsUrl: '/nowhere', pin: 'cpu' })).source).toBe('random');
		expect(engine.config.source).toBe('random');
	});

	it('corrupt weights: without fallback the WeightsError naming the file; with it, wasm then cpu (reason fallback)', async () => {
		const bad = weightsFolder().files['group1-shard1of1.bin'].slice();
		bad[7] ^= 0xff;
		vi.stubGlobal('fetch', weightsFolder({ '/w/fcn8s/group1-shard1of1.bin': bad }).fetchFn);
		const engine = new Engine();
		const e = await engine.start({ weightsUrl: '/w' }).then(
			() => null,
			(err: unknown) => err
		);
		expect(e).toBeInstanceOf(WeightsError);
		const started = await engine.start({ weightsUrl: '/w', fallback: true });
		expect(started.choice.reason).toBe('fallback');
		expect(['wasm', 'cpu']).toContain(started.choice.backend);
		expect(started.choice.backend).toBe(tf.getBackend());
	});

	it('reuse keeps a choice already made unless a pin asks for another', async () => {
		vi.stubGlobal('fetch', weightsFolder().fetchFn);
		const engine = new Engine();
		await engine.start({ weightsUrl: '/w', pin: 'cpu' });
		const again = await engine.start({ weightsUrl: '/w', reuse: true });
		expect(again.choice.reason).toBe('url');
		expect(again.choice.backend).toBe('cpu');
	});
});
