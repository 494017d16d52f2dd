/**
 * The making of our FCNs, end to end on a tiny net (`npm run train -- --quick`): the paper's
 * FC→conv surgery is exact ("fully connected layers can also be viewed as convolutions with kernels
 * that cover their entire input regions", §3.1), every stage's loss falls, a rerun resumes from its
 * checkpoints, a corrupt checkpoint is detected and skipped, and bad flags are refused.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { vgg16, vgg16Convolutional } from '$lib/fcn/nets';
import { buildModel } from '$lib/model/build';
import { convolutionalize, surgeryMaxAbsDiff } from '$lib/model/surgery';

const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const dir = mkdtempSync(join(tmpdir(), 'fcn-train-test-'));
const out = join(dir, 'weights');
const ckpt = join(dir, 'ckpt');
const train = (...args: string[]) =>
	spawnSync(tsx, ['scripts/train.ts', ...args], { encoding: 'utf8', timeout: 150_000 });

describe('surgery (convolutionalize) on a small random classifier', () => {
	beforeAll(async () => {
		await tf.setBackend('cpu');
	});
	it('reshapes fc6/fc7/fc8 so that the convolutional net gives the dense logits at 96×96, and a score map on larger inputs', () => {
		const opts = { width: 1 / 32, inputChannels: 1, classifierInput: 96, geometry: 'same' as const, classes: 10 };
		const dense = buildModel(vgg16(opts), { seed: 3 });
		const conv = buildModel(vgg16Convolutional(opts), { seed: 4 });
		const report = convolutionalize(dense, conv);
		expect(report.copied).toHaveLength(13);
		expect(report.reshaped.map((r) => r.name)).toEqual(['fc6', 'fc7', 'fc8']);
		expect(report.reshaped[0].to).toEqual([3, 3, 16, 128]);
		const x = tf.randomUniform([3, 96, 96, 1], 0, 1, 'float32', 9) as tf.Tensor4D;
		expect(surgeryMaxAbsDiff(dense, conv, x)).toBeLessThan(1e-4);
		// 160×160 → pool5 5×5 → an unpadded 3×3 fc6 gives a 3×3 map of 10 class scores
		const big = conv.predict(tf.zeros([1, 160, 160, 1])) as tf.Tensor;
		expect(big.shape).toEqual([1, 3, 3, 10]);
	});
});

describe('npm run train -- --quick', () => {
	let first: ReturnType<typeof train>;
	beforeAll(() => {
		first = train('--quick', '--out', out, '--checkpoints', ckpt);
	}, 160_000);

	it('trains every stage with a falling loss and an exact surgery, and writes loadable models with a manifest', () => {
		expect(first.status, first.stderr).toBe(0);
		const log = JSON.parse(readFileSync(join(out, 'training-log.json'), 'utf8'));
		for (const stage of ['classifier', 'fcn32s', 'fcn16s', 'fcn8s']) {
			const p = log.log[stage].probeLoss;
			expect(p.end, stage).toBeLessThan(p.start);
			expect(log.log[stage].val.length).toBe(log.log[stage].epochs);
		}
		expect(log.log.fcn32s.surgeryMaxAbsDiff).toBeLessThan(1e-4);
		expect(first.stdout).toMatch(/max \|dense − conv\| logit difference/);
		const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
		for (const stage of ['classifier', 'fcn32s', 'fcn16s', 'fcn8s']) {
			expect(existsSync(join(out, manifest.models[stage].path))).toBe(true);
			expect(Object.keys(manifest.models[stage].files)).toContain('model.json');
		}
		expect(manifest.models.fcn8s.eval.meanIU).toBeGreaterThanOrEqual(0);
	});

	it('resumes from its checkpoints instead of training again, skips a corrupt checkpoint, saying so, and retrains to the same weights (deterministic for a seed)', () => {
		const hashes = () =>
			JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).models.fcn8s.files as Record<string, string>;
		const before = hashes();
		const again = train('--quick', '--out', out, '--checkpoints', ckpt);
		expect(again.status, again.stderr).toBe(0);
		expect(again.stdout).not.toMatch(/epoch 1\/2 step/);
		const index = JSON.parse(readFileSync(join(ckpt, 'checkpoints.json'), 'utf8'));
		const last = index.checkpoints.find((c: { stage: string; epoch: number }) => c.stage === 'fcn8s' && c.epoch === 2);
		const p = join(ckpt, last.file);
		const bytes = readFileSync(p);
		bytes[bytes.length - 5] ^= 0xff;
		writeFileSync(p, bytes);
		const third = train('--quick', '--out', out, '--checkpoints', ckpt);
		expect(third.status, third.stderr).toBe(0);
		expect(third.stdout).toContain(`checkpoint ${last.file} is corrupt`);
		expect(third.stdout).toMatch(/fcn8s: resuming from fcn8s-epoch001/);
		expect(third.stdout).toMatch(/fcn8s +epoch 2\/2 step/);
		// epoch 2 of FCN-8s was trained again from epoch 1's checkpoint: bit-identical weights
		expect(hashes()).toEqual(before);
	}, 200_000);

	it('refuses an unknown flag with one clear line and exit code 2', () => {
		const bad = train('--bogus');
		expect(bad.status).toBe(2);
		expect(bad.stderr.trim().split('\n')).toHaveLength(1);
		expect(bad.stderr).toMatch(/unknown flag '--bogus'/);
		const badSeed = train('--seed', 'x');
		expect(badSeed.status).toBe(2);
	});
});
void execFileSync;
