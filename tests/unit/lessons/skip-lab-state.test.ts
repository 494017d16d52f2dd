/**
 * The skip lab's state (src/lib/lessons/skip-fusion/lab.svelte.ts) over a fake trainer: Train takes
 * steps and re-measures the mean IU, Pause really stops the loop, Reset and a new setting return to
 * step 0 with the new configuration, a backend change and leaving the page free the trainer.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Scene } from '$lib/data/scenes';

const scene = (label: number[]): Scene => ({
	width: label.length,
	height: 1,
	image: new Float32Array(label.length),
	label: Uint8Array.from(label),
	digits: []
});
const VAL = [scene([0, 1, 2, 255]), scene([2, 2, 0, 1])];

class FakeLab {
	steps = 0;
	stale = false;
	disposed = false;
	classes = 3;
	trainCount = 4;
	valCount = VAL.length;
	resets: unknown[] = [];
	async train(maxSteps: number): Promise<number[]> {
		await Promise.resolve();
		const k = Math.min(maxSteps, 3);
		this.steps += k;
		return Array.from({ length: k }, () => 1 / (1 + this.steps));
	}
	/** Right from step 1 on (all background at step 0); FCN-32s: all background. */
	async validate(acc: (l: Uint8Array, p: Uint8Array, i: number) => void, opts: { fcn32s?: boolean } = {}) {
		VAL.forEach((v, i) =>
			acc(
				v.label,
				opts.fcn32s || this.steps === 0 ? new Uint8Array(v.label.length) : v.label.map((c) => (c === 255 ? 0 : c)),
				i
			)
		);
	}
	reset(c: unknown) {
		this.resets.push(c);
		this.steps = 0;
	}
	dispose() {
		this.disposed = true;
	}
}

let lab: FakeLab;
let backendListener: (() => void) | null = null;
vi.mock('$lib/live', () => ({
	createSkipLab: async () => lab,
	evaluateFcns: async () => {},
	onBackendChange: (fn: () => void) => {
		backendListener = fn;
		return () => (backendListener = null);
	}
}));
vi.mock('$lib/data/lab-scenes', () => ({ labScenes: () => ({ train: [], val: VAL, trainPool: [] }) }));

const { SkipLabState } = await import('$lib/lessons/skip-fusion/lab.svelte');
const { labConfig, LAB_DEFAULTS } = await import('$lib/lessons/skip-fusion/lab-query');

const load = async () => ({ scenes: {} as never, fcns: { fcn32s: {} as never } });
const tick = () => new Promise((r) => setTimeout(r, 5));

beforeEach(() => {
	lab = new FakeLab();
});

describe('SkipLabState', () => {
	it('Train measures FCN-32s and step 0, takes steps and re-measures the mean IU; Pause stops the loop', async () => {
		const s = new SkipLabState(load, { everyMs: 0 });
		await s.train();
		expect(s.fcn32s).not.toBeNull();
		expect(s.curve[0]).toMatchObject({ steps: 0, meanIU: s.fcn32s });
		while (s.steps < 12) await tick();
		expect(s.status).toBe('training');
		expect(s.meanIU!).toBeGreaterThan(s.fcn32s! + 10);
		expect(s.reached).not.toBeNull();
		expect(s.losses.length).toBe(s.steps);
		await s.pause();
		expect(s.looping).toBe(false);
		const n = lab.steps;
		for (let i = 0; i < 5; i++) await tick();
		expect(lab.steps).toBe(n);
		expect(s.steps).toBe(n);
		await s.destroy();
	});

	it('Reset and a new setting return to step 0 with the configuration of the URL state', async () => {
		const s = new SkipLabState(load, { everyMs: 0 });
		await s.train();
		while (s.steps < 6) await tick();
		await s.reset();
		expect(s.steps).toBe(0);
		expect(s.losses).toEqual([]);
		expect(s.curve).toHaveLength(1);
		expect(s.meanIU).toBe(s.fcn32s);
		expect(s.status).toBe('ready');
		await s.configure({ init: 'random', lab: '8s' });
		expect(lab.resets.at(-1)).toEqual(labConfig({ ...LAB_DEFAULTS, init: 'random', lab: '8s' }));
		await s.destroy();
	});

	it('a backend change stops training and frees the trainer; Train starts again', async () => {
		const s = new SkipLabState(load, { everyMs: 0 });
		await s.train();
		while (s.steps < 3) await tick();
		lab.stale = true;
		backendListener!();
		while (s.looping) await tick();
		await tick();
		expect(lab.disposed).toBe(true);
		expect(s.status).toBe('idle');
		expect(s.message).toMatch(/backend/);
		const old = lab;
		lab = new FakeLab();
		await s.train();
		expect(s.status).toBe('training');
		expect(old).not.toBe(lab);
		await s.destroy();
		expect(lab.disposed).toBe(true);
	});
});

describe('labConfig', () => {
	it('maps the URL state to the trainer', () => {
		expect(labConfig(LAB_DEFAULTS)).toEqual({
			skips: 'pool4',
			init: 'zero',
			up: 'bilinear',
			lr: 0.01,
			finalKernel: '2s'
		});
		expect(labConfig({ lab: '8s', init: 'random', up: 'learned', lr: 0.003, fk: 's' }).skips).toBe('pool4+pool3');
	});
});
