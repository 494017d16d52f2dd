/**
 * The shipped weights (static/weights): what the manifest promises is what the files hold. Every
 * file matches its recorded sha256, the four models load with tf.loadLayersModel's layers format,
 * everything fits in 20 MB, and the shipped FCN-8s reproduces its recorded mean IU (the paper's §5
 * metric) on the held-out test scenes — re-evaluated on the recorded subset to stay fast.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initWasmNode } from '$lib/train/wasm-node';
import { loadMnist } from '$lib/data/mnist-node';
import { digitSplit, splitForManifest } from '$lib/data/split';
import { sceneSet, TEST_SCENES } from '$lib/data/testset';
import { loadModelNode } from '$lib/train/io-node';
import { evaluateSegmentation } from '$lib/train/evaluate';
import { segment } from '$lib/train/segment';
import { readManifest, verifyManifestFiles, TEST_SUBSET } from '$lib/train/release';

const DIR = 'static/weights';
const manifest = readManifest(DIR);

function folderBytes(dir: string): number {
	return readdirSync(dir).reduce((a, f) => {
		const p = join(dir, f);
		return a + (statSync(p).isDirectory() ? folderBytes(p) : statSync(p).size);
	}, 0);
}

describe('static/weights/manifest.json', () => {
	it('records the input convention, the 11 classes, the void label and the exact data split', () => {
		expect(manifest.input).toMatchObject({ channels: 1, range: [0, 1], ink: 1 });
		expect(manifest.classes).toEqual(['background', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
		expect(manifest.ignoreLabel).toBe(255);
		expect(manifest.data.split).toEqual(splitForManifest(digitSplit()));
		expect(manifest.data.testScenes).toEqual(TEST_SCENES);
	});

	it('lists every file of every model with a sha256 that matches the file', () => {
		for (const stage of ['classifier', 'fcn32s', 'fcn16s', 'fcn8s'] as const) {
			const files = Object.keys(manifest.models[stage].files);
			expect(files).toContain('model.json');
			const onDisk = readdirSync(join(DIR, stage)).sort();
			expect(onDisk).toEqual([...files].sort());
			const json = JSON.parse(readFileSync(join(DIR, stage, 'model.json'), 'utf8'));
			expect(json.format).toBe('layers-model');
			expect(json.weightsManifest.flatMap((g: { paths: string[] }) => g.paths).sort()).toEqual(
				files.filter((f) => f !== 'model.json').sort()
			);
		}
		expect(verifyManifestFiles(DIR, manifest)).toEqual([]);
	});

	it('ships at most 20 MB in all', () => {
		expect(folderBytes(DIR)).toBeLessThanOrEqual(20 * 1024 * 1024);
	});
});

describe('the shipped FCN-8s', () => {
	let fcn8s: tf.LayersModel;
	beforeAll(async () => {
		await initWasmNode();
		fcn8s = await loadModelNode(join(DIR, 'fcn8s'));
	});

	it('reaches its recorded mean IU (± 0.01) on the recorded subset of the held-out test scenes', async () => {
		const recorded = (manifest.models.fcn8s.eval as { subset: { scenes: number; meanIU: number } }).subset;
		expect(recorded.scenes).toBe(TEST_SUBSET);
		const scenes = sceneSet(loadMnist(), digitSplit(), TEST_SCENES, recorded.scenes);
		const ev = await evaluateSegmentation(fcn8s, scenes);
		expect(Math.abs(ev.meanIU - recorded.meanIU)).toBeLessThanOrEqual(0.01);
	});

	it('takes any H×W: sides that are not multiples of 32 are padded and the labels cropped back to H×W', async () => {
		const scene = sceneSet(loadMnist(), digitSplit(), TEST_SCENES, 1)[0];
		expect(scene.height % 32 !== 0 || scene.width % 32 !== 0).toBe(true);
		const labels = await segment(fcn8s, scene.image, scene.height, scene.width);
		expect(labels).toHaveLength(scene.height * scene.width);
		expect(Math.max(...labels)).toBeLessThan(11);
		await expect(segment(fcn8s, scene.image, scene.height + 1, scene.width)).rejects.toThrow(/not/);
	});
});
