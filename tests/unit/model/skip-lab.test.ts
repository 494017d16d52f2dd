/**
 * The skip-fusion lab's trainer (src/lib/model/skip-lab.ts): the FCN-32s head it measures against
 * is the model's own, the fixed upsampling is the bilinear transposed convolution, training lowers
 * the loss, and a whole run (200 steps, validation, dispose) leaks no tensor.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { bilinearDeconvKernel } from '$lib/fcn/bilinear';
import { padToMultiple } from '$lib/fcn/padding';
import { mulberry32 } from '$lib/data/prng';
import { buildModel } from '$lib/model/build';
import { networkOf } from '$lib/model/network-of';
import { SkipLab, upsampleMatrix, type LabConfig, type LabScene } from '$lib/model/skip-lab';

function scene(seed: number, width: number, height: number): LabScene {
	const r = mulberry32(seed);
	const image = Float32Array.from({ length: width * height }, () => (r.next() < 0.2 ? 1 : 0));
	// Class from the ink and the column (learnable from the features), a little void.
	const label = Uint8Array.from(image, (v, q) => (r.next() < 0.05 ? 255 : v ? 1 + ((q % width) * 10) / width : 0));
	return { image, label: label.map((c) => Math.floor(c)), width, height };
}

let model: tf.LayersModel;
const train = [1, 2, 3, 4].map((s) => scene(s, 32, 32));
const val = [scene(9, 70, 50), scene(10, 40, 33)];

beforeAll(async () => {
	await tf.setBackend('cpu');
	model = buildModel(networkOf('fcn32s'), { seed: 3 });
});

describe('upsampleMatrix', () => {
	it('is the bilinear transposed convolution (kernel 2s or s, stride s, same) along one axis', () => {
		for (const [s, k] of [
			[2, 4],
			[8, 16],
			[16, 32],
			[32, 64],
			[16, 16],
			[8, 8]
		]) {
			const n = 3;
			const x = tf.tensor4d(
				Float32Array.from({ length: n * n }, (_, i) => Math.sin(i + 1)),
				[1, n, n, 1]
			);
			const { data, shape } = bilinearDeconvKernel(k, 1);
			const want = tf.conv2dTranspose(x, tf.tensor4d(data, shape), [1, n * s, n * s, 1], s, 'same');
			const u = tf.tensor2d(upsampleMatrix(n, s, k), [n * s, n]);
			const got = tf.matMul(tf.matMul(u, x.reshape([n, n])), u.transpose());
			const diff = tf.max(tf.abs(tf.sub(got, want.reshape([n * s, n * s])))).dataSync()[0];
			expect(diff).toBeLessThan(1e-5);
			tf.dispose([x, want, u, got]);
		}
	});
});

describe('SkipLab', () => {
	it("scores the validation scenes with FCN-32s's own head exactly as the model predicts", async () => {
		const lab = new SkipLab(model, train, val, { skips: 'pool4', init: 'zero', up: 'bilinear', lr: 0.01 });
		const got: Uint8Array[] = [];
		await lab.validate((_, p) => got.push(p), { fcn32s: true });
		val.forEach((v, i) => {
			const { data, height, width } = padToMultiple({ data: v.image, width: v.width, height: v.height });
			const want = tf.tidy(() => {
				const y = model.predict(tf.tensor4d(data, [1, height, width, 1])) as tf.Tensor4D;
				return y.slice([0, 0, 0, 0], [1, v.height, v.width, y.shape[3]]).argMax(-1);
			});
			const w = want.dataSync();
			want.dispose();
			let same = 0;
			for (let q = 0; q < w.length; q++) if (w[q] === got[i][q]) same++;
			// float rounding may flip an exact tie, nothing more
			expect(same / w.length).toBeGreaterThan(0.999);
		});
		lab.dispose();
	});

	const configs: LabConfig[] = [
		{ skips: 'pool4', init: 'zero', up: 'bilinear', lr: 0.01, batch: 2 },
		{ skips: 'pool4+pool3', init: 'random', up: 'learned', lr: 0.01, batch: 2, finalKernel: 's' }
	];
	for (const config of configs) {
		it(`trains ${JSON.stringify(config)} for 200 steps: the loss falls and no tensor leaks (nor on reset)`, async () => {
			const before = tf.memory().numTensors;
			const lab = new SkipLab(model, train, val, config);
			const first = await lab.train(10, Infinity);
			const during = tf.memory().numTensors;
			const losses = [...first];
			while (lab.steps < 200) losses.push(...(await lab.train(200 - lab.steps, Infinity)));
			await lab.validate(() => {});
			expect(lab.steps).toBe(200);
			expect(losses.every(Number.isFinite)).toBe(true);
			const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
			expect(mean(losses.slice(-20))).toBeLessThan(mean(losses.slice(0, 10)));
			// Steps and validation add nothing (the upsampling matrices are made on first use, before `during`
			// for training; validation may add its sizes' matrices, counted below).
			expect(tf.memory().numTensors - during).toBeLessThanOrEqual(4);
			const held = tf.memory().numTensors;
			lab.reset({ init: config.init === 'zero' ? 'random' : 'zero' });
			expect(lab.steps).toBe(0);
			await lab.train(5, Infinity);
			expect(tf.memory().numTensors).toBe(held);
			lab.dispose();
			expect(tf.memory().numTensors).toBe(before);
			lab.dispose();
			expect(tf.memory().numTensors).toBe(before);
		}, 120_000);
	}

	it('refuses training scenes of different sizes and use after dispose', async () => {
		expect(() => new SkipLab(model, [scene(1, 32, 32), scene(2, 32, 64)], val, configs[0])).toThrow(/one size/);
		const lab = new SkipLab(model, train, val, configs[0]);
		lab.dispose();
		await expect(lab.train(1, 1)).rejects.toThrow(/dispose/);
	});
});
