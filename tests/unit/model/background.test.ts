/**
 * A result first, the measurement after (issue 13): a first visit runs on the first backend that works,
 * and the background measurement's answer decides whether to switch backend, restart wasm with more
 * threads, or keep what runs.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { BackendChoice } from '$lib/model/backend';
import { decide, probeRequest, withUnavailable, type ProbeAnswer } from '$lib/model/background';
import { Engine } from '$lib/model/engine';

const first: BackendChoice = { backend: 'wasm', reason: 'first', why: 'first', probes: [] };
const answer = (over: Partial<ProbeAnswer> = {}): ProbeAnswer => ({
	results: [
		{ backend: 'wasm', ms: 100 },
		{ backend: 'webgl', ms: 2000 },
		{ backend: 'webgpu', ms: null, error: 'does not initialise' }
	],
	threads: [],
	...over
});

afterEach(() => vi.restoreAllMocks());

describe('decide(answer, current, threadsNow)', () => {
	it('keeps wasm when it is the fastest, and remembers it as measured', () => {
		const d = decide(answer(), first, 1)!;
		expect(d.action).toBe('keep');
		expect(d.choice.backend).toBe('wasm');
		expect(d.remember).toMatchObject({ backend: 'wasm', reason: 'measured' });
		expect(d.remember.why).toMatch(/webgl 2000 ms/);
	});

	it('switches to a GPU that beats the backend in use by more than 20 %', () => {
		const fast = answer({
			results: [
				{ backend: 'wasm', ms: 100 },
				{ backend: 'webgl', ms: 20 }
			]
		});
		const d = decide(fast, first, 1)!;
		expect(d.action).toBe('switch');
		expect(d.choice.backend).toBe('webgl');
		expect(d.message).toMatch(/Switched to webgl/);
		const close = answer({
			results: [
				{ backend: 'wasm', ms: 100 },
				{ backend: 'webgl', ms: 90 }
			]
		});
		expect(decide(close, first, 1)!.action).toBe('keep');
	});

	it('uses all cores only when they beat one thread by 15 %', () => {
		const pays = answer({
			threads: [
				{ threads: 1, ms: 100 },
				{ threads: 4, ms: 60 }
			]
		});
		expect(decide(pays, first, 1)).toMatchObject({ action: 'threads', threads: 4 });
		expect(decide(pays, first, 4)).toMatchObject({ action: 'keep', threads: 4 });
		const not = answer({
			threads: [
				{ threads: 1, ms: 100 },
				{ threads: 2, ms: 95 }
			]
		});
		expect(decide(not, first, 1)).toMatchObject({ action: 'keep', threads: 1 });
		expect(decide(not, first, 2)).toMatchObject({ action: 'threads', threads: 1 });
	});

	it('null when nothing ran in the worker', () => {
		expect(decide(answer({ results: [{ backend: 'wasm', ms: null }] }), first, 1)).toBeNull();
	});
});

describe('probeRequest and withUnavailable', () => {
	it('times wasm first (the baseline), cpu only when the page runs on it, no GPU the page cannot start', () => {
		// Node: no document (no WebGL context) and no navigator.gpu, as a blocklisted GPU looks to a page
		expect(probeRequest('fcn8s', 'wasm', null, null, 1).order).toEqual(['wasm']);
		expect(probeRequest('fcn8s', 'cpu', null, null, 1).order).toEqual(['cpu', 'wasm']);
		vi.stubGlobal('navigator', { gpu: {}, hardwareConcurrency: 2 });
		expect(probeRequest('fcn8s', 'wasm', null, null, 1).order).toEqual(['wasm', 'webgpu']);
		vi.unstubAllGlobals();
	});

	it('names the backends left out unavailable, for the badge', () => {
		const a = withUnavailable({ results: [{ backend: 'wasm', ms: 10 }], threads: [] }, ['wasm']);
		expect(a.results.map((r) => [r.backend, r.ms])).toEqual([
			['wasm', 10],
			['webgl', null],
			['webgpu', null]
		]);
	});
});

describe('engine.chooseBackend() on a first visit', () => {
	it('runs on the first of wasm, cpu that works at once (reason first), without probing the GPUs', async () => {
		const setBackend = tf.engine().setBackend.bind(tf.engine());
		const asked: string[] = [];
		vi.spyOn(tf.engine(), 'setBackend').mockImplementation(async (name: string) => {
			asked.push(name);
			return name === 'cpu' && setBackend(name);
		});
		const engine = new Engine();
		engine.configure({ source: 'random' });
		const c = await engine.chooseBackend();
		expect(c).toMatchObject({ backend: 'cpu', reason: 'first' });
		expect(c.why).toMatch(/measured in the background/);
		expect(asked).not.toContain('webgl');
		expect(asked).not.toContain('webgpu');
	});
});

describe('a background switch waits for the runs in flight', () => {
	class Probed extends Engine {
		adopt(c: BackendChoice) {
			return this.switchWhenIdle(c, `Switched to ${c.backend}.`);
		}
	}

	it('switches only once no run is in flight, and says so', async () => {
		const setBackend = tf.engine().setBackend.bind(tf.engine());
		vi.spyOn(tf.engine(), 'setBackend').mockImplementation(async (name: string) => name === 'cpu' && setBackend(name));
		const engine = new Probed();
		engine.configure({ source: 'random' });
		await engine.chooseBackend();
		const order: string[] = [];
		engine.subscribe((e) => e.type === 'switched' && order.push('switched'));
		const image = { data: new Float32Array(32 * 32), width: 32, height: 32 };
		const run = engine.run('fcn8s', image).then(() => order.push('run'));
		const switched = engine.adopt({ backend: 'cpu', reason: 'measured', why: 'test', probes: [] });
		expect(await switched).toBe(true);
		await run;
		expect(order).toEqual(['run', 'switched']);
		expect(engine.choice).toMatchObject({ backend: 'cpu', reason: 'measured' });
		// runs after the switch work
		expect((await engine.run('fcn8s', image)).labels).toHaveLength(32 * 32);
	});
});
