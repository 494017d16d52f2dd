/**
 * Engine.run(): ONE forward pass gives the segmentation and every layer's activation, for an input
 * of any size (padded to a multiple of 32 and cropped back), without leaking a tensor; the effective
 * receptive field (gradient w.r.t. the input) lies inside the theoretical one (a unit depends only on
 * its receptive field, the paper's §3). Runs the real FCN-8s definition (random weights) on tfjs cpu.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { CAPTURE, CAPTURE_TRIALS, Engine, PAD_MULTIPLE } from '$lib/model/engine';
import { analyze, seenInterval } from '$lib/fcn/index';

const H = 40;
const W = 70;
const Hp = Math.ceil(H / PAD_MULTIPLE) * PAD_MULTIPLE;
const Wp = Math.ceil(W / PAD_MULTIPLE) * PAD_MULTIPLE;
const image = (() => {
	const data = new Float32Array(H * W);
	for (let y = 0; y < H; y++)
		for (let x = 0; x < W; x++) data[y * W + x] = (x - 20) ** 2 + (y - 20) ** 2 < 100 || Math.abs(x - 50) < 3 ? 1 : 0;
	return { data, width: W, height: H };
})();

const engine = new Engine();
beforeAll(async () => {
	// capture: the lazy tests check the keep-on-backend path (what wasm takes) here on cpu
	engine.configure({ source: 'random', capture: { ...CAPTURE, cpu: 'keep' } });
	await engine.chooseBackend({ pin: 'cpu' });
	await engine.loadModel('fcn8s');
}, 60_000);

describe('engine.run(fcn8s, image of any size)', () => {
	it('returns a segmentation of the input size whose labels are the argmax of the scores', async () => {
		const r = await engine.run('fcn8s', image);
		expect([r.width, r.height, r.classes]).toEqual([W, H, 11]);
		expect(r.labels.length).toBe(W * H);
		for (const p of [0, 123, 1500, W * H - 1]) {
			const s = Array.from(r.scores.subarray(p * 11, p * 11 + 11));
			expect(r.labels[p]).toBe(s.indexOf(Math.max(...s)));
			const probs = r.probabilities.subarray(p * 11, p * 11 + 11);
			expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
		}
	});

	it('returns every layer, each cropped to the ⌈H·h/Hp⌉ × ⌈W·w/Wp⌉ units that cover the input (h, w from the geometry library)', async () => {
		const r = await engine.run('fcn8s', image, { layers: 'all' });
		const rows = analyze(engine.network('fcn8s'), [Hp, Wp]).layers.filter((l) => l.name in r.activations);
		expect(rows.length).toBe(Object.keys(r.activations).length);
		for (const row of rows) {
			const a = r.activations[row.name];
			expect([a.height, a.width, a.channels], row.name).toEqual([
				Math.ceil((H * row.out[0]) / Hp),
				Math.ceil((W * row.out[1]) / Wp),
				row.out[2]
			]);
		}
	});

	it('captures in one pass the very values a model truncated at that layer computes', async () => {
		const r = await engine.run('fcn8s', image, { layers: ['pool3', 'score_pool4'] });
		const { buildModel } = await import('$lib/model/build');
		const model = buildModel(engine.network('fcn8s'), { seed: 1 }); // same seed → same weights as the engine's
		const padded = new Float32Array(Hp * Wp);
		for (let y = 0; y < H; y++) padded.set(image.data.subarray(y * W, (y + 1) * W), y * Wp);
		for (const name of ['pool3', 'score_pool4']) {
			const a = r.activations[name];
			const truncated = tf.model({ inputs: model.inputs, outputs: model.getLayer(name).output as tf.SymbolicTensor });
			const want = tf.tidy(() =>
				(truncated.predict(tf.tensor4d(padded, [1, Hp, Wp, 1])) as tf.Tensor4D).slice(
					[0, 0, 0, 0],
					[1, a.height, a.width, a.channels]
				)
			);
			const w = want.dataSync();
			want.dispose();
			let maxDiff = 0;
			for (let i = 0; i < w.length; i++) maxDiff = Math.max(maxDiff, Math.abs(w[i] - a.data[i]));
			expect(maxDiff, name).toBeLessThan(1e-5);
		}
		model.dispose();
	});

	it('leaves tf.memory() numTensors and numBytes unchanged over 25 runs', async () => {
		await engine.run('fcn8s', image, { layers: 'all' });
		const before = tf.memory();
		for (let i = 0; i < 25; i++) await engine.run('fcn8s', image, { layers: i % 2 ? 'all' : ['conv1_1'] });
		await engine.predict('fcn8s', image);
		const after = tf.memory();
		expect(after.numTensors).toBe(before.numTensors);
		expect(after.numBytes).toBe(before.numBytes);
	});
});

describe('engine.run(…, { lazy }): maps stay on the backend until shown', () => {
	it("gives the same maps as a run that reads everything back, plus each layer's channel mean, and the same segmentation", async () => {
		const eager = await engine.run('fcn8s', image, { layers: 'all' });
		const lazy = await engine.run('fcn8s', image, { layers: 'all', lazy: 'test' });
		expect(Array.from(lazy.labels)).toEqual(Array.from(eager.labels));
		for (const [name, e] of Object.entries(eager.activations)) {
			const l = lazy.activations[name];
			expect([l.height, l.width, l.channels], name).toEqual([e.height, e.width, e.channels]);
			const mean = new Float32Array(e.width * e.height);
			for (let p = 0; p < mean.length; p++) {
				let s = 0;
				for (let c = 0; c < e.channels; c++) s += e.data[p * e.channels + c];
				mean[p] = s / e.channels;
			}
			expect(maxAbsDiff(l.mean!, mean), `${name} mean`).toBeLessThan(1e-4);
			// read() (asynchronous, what a page uses) and data (synchronous) give the same values
			expect(maxAbsDiff(await l.read(), e.data), name).toBe(0);
			expect(maxAbsDiff(l.data, e.data), name).toBe(0);
			expect(await e.read()).toBe(e.data);
		}
		lazy.release();
	});

	it('keeps the maps (and only them) until release(); reading a released map throws; releaseActivations(slot) frees a whole slot', async () => {
		const base = tf.memory().numTensors;
		const r = await engine.run('fcn8s', image, { layers: ['pool3', 'pool4'], lazy: 'slot-a' });
		expect(tf.memory().numTensors).toBe(base + 2);
		r.release();
		r.release(); // idempotent
		expect(tf.memory().numTensors).toBe(base);
		expect(() => r.activations.pool3.data).toThrow(/released/);
		await expect(r.activations.pool4.read()).rejects.toThrow(/released/);
		await engine.run('fcn8s', image, { layers: ['pool3'], lazy: 'slot-b' });
		await engine.run('fcn8s', image, { layers: ['pool3'], lazy: 'slot-b' });
		const a = await engine.run('fcn8s', image, { layers: ['pool3'], lazy: 'slot-a' });
		expect(tf.memory().numTensors).toBe(base + 3);
		engine.releaseActivations('slot-b');
		expect(tf.memory().numTensors).toBe(base + 1);
		expect(a.activations.pool3.data.length).toBeGreaterThan(0);
		a.release();
		expect(tf.memory().numTensors).toBe(base);
	});

	it("where reading everything back is faster (config.capture 'read': cpu by default), a lazy run does that: same maps and thumbnails, nothing kept", async () => {
		const keeping = await engine.run('fcn8s', image, { layers: 'all', lazy: 'keep' });
		const before = engine.config.capture;
		engine.configure({ capture: { ...before, cpu: 'read' } });
		try {
			const base = tf.memory().numTensors;
			const r = await engine.run('fcn8s', image, { layers: 'all', lazy: 'keep' });
			expect(tf.memory().numTensors).toBe(base);
			for (const [name, k] of Object.entries(keeping.activations)) {
				const a = r.activations[name];
				expect(maxAbsDiff(a.data, k.data), name).toBe(0);
				expect(await a.read()).toBe(a.data);
				expect(maxAbsDiff(a.mean!, k.mean!), `${name} mean`).toBeLessThan(1e-5);
			}
			r.release(); // nothing to free
			expect(tf.memory().numTensors).toBe(base);
			expect((await engine.run('fcn8s', image, { layers: ['pool3'] })).activations.pool3.mean).toBeUndefined();
		} finally {
			engine.configure({ capture: before });
			keeping.release();
		}
	});

	it("a 'measure' backend times both captures on its first lazy runs (a warm-up, then alternating) and settles on the faster; every run gives the same maps", async () => {
		const before = engine.config.capture;
		const fresh = new Engine();
		fresh.configure({ source: 'random', capture: { ...before, cpu: 'measure' } });
		await fresh.chooseBackend({ pin: 'cpu' });
		await fresh.loadModel('fcn8s');
		const reference = await engine.run('fcn8s', image, { layers: ['pool3', 'score_fr'] });
		const base = tf.memory().numTensors;
		// runs that capture no layer (the home page's demo) neither keep anything nor count as trials
		(await fresh.run('fcn8s', image, { lazy: 'm' })).release();
		expect(tf.memory().numTensors).toBe(base);
		const runs = 1 + 2 * CAPTURE_TRIALS;
		for (let i = 0; i < runs; i++) {
			expect(fresh.captureModeOf('cpu'), `before run ${i}`).toBeNull();
			const r = await fresh.run('fcn8s', image, { layers: ['pool3', 'score_fr'], lazy: 'm' });
			// keep (runs 0, 2, 4) holds the two maps until release; read holds nothing
			expect(tf.memory().numTensors - base, `run ${i}`).toBe(i % 2 === 0 ? 2 : 0);
			for (const l of ['pool3', 'score_fr']) {
				expect(maxAbsDiff(await r.activations[l].read(), reference.activations[l].data), `${l}, run ${i}`).toBe(0);
				expect(r.activations[l].mean!.length).toBe(r.activations[l].width * r.activations[l].height);
			}
			r.release();
		}
		const chosen = fresh.captureModeOf('cpu');
		expect(['keep', 'read']).toContain(chosen);
		const r = await fresh.run('fcn8s', image, { layers: ['pool3'], lazy: 'm' });
		expect(tf.memory().numTensors - base).toBe(chosen === 'keep' ? 1 : 0);
		r.release();
		expect(fresh.captureModeOf('wasm')).toBe('keep');
		expect(tf.memory().numTensors).toBe(base);
	});
});

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
	expect(a.length).toBe(b.length);
	let m = 0;
	for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
	return m;
}

describe('engine.effectiveField(fcn8s, image, unit)', () => {
	it('is non-zero only inside the theoretical receptive field (seenInterval), and leaks no tensor', async () => {
		const unit = { layer: 'conv2_2', y: 6, x: 8 };
		const before = tf.memory().numTensors;
		const f = await engine.effectiveField('fcn8s', image, unit);
		expect(tf.memory().numTensors).toBe(before);
		expect(f.max).toBeGreaterThan(0);
		const ys = seenInterval(engine.network('fcn8s'), unit.layer, unit.y)!;
		const xs = seenInterval(engine.network('fcn8s'), unit.layer, unit.x)!;
		for (let y = 0; y < H; y++)
			for (let x = 0; x < W; x++) {
				const inside = y >= ys[0] && y <= ys[1] && x >= xs[0] && x <= xs[1];
				if (!inside) expect(f.data[y * W + x], `(${y}, ${x})`).toBe(0);
			}
		expect(f.area).toBeGreaterThan(0);
		expect(f.area).toBeLessThanOrEqual((ys[1] - ys[0] + 1) * (xs[1] - xs[0] + 1));
	});
});
