/**
 * Bench of the skip-fusion lab ("Train the skip yourself", src/lib/model/skip-lab.ts) on the wasm
 * backend in Node, as the page runs it: the shipped FCN-32s (static/weights/fcn32s), its frozen
 * trunk's features cached once, then the new score layer(s) trained on the lab's training scenes
 * (src/lib/data/lab-scenes.ts) with the validation mean IU (fcn/metrics) re-measured every
 * `--every` seconds. Prints the curve (seconds, steps, loss, mean IU), training steps/s and the time
 * for the mean IU to rise 10 points above FCN-32s's.
 *
 *   npx tsx scripts/bench-lab.ts [--skips pool4|pool4+pool3] [--init zero|random] [--up bilinear|learned]
 *                                [--lr 0.01] [--final 2s|s] [--seconds 60] [--every 3] [--cpu]
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { emptyConfusion, accumulateConfusion, segmentationScores } from '$lib/fcn/metrics';
import { labScenes } from '$lib/data/lab-scenes';
import { testScenesFrom, type TestDigitsIndex } from '$lib/data/test-digits';
import { withFreeInputSize } from '$lib/model/build';
import { networkOf } from '$lib/model/network-of';
import { SkipLab, type LabConfig } from '$lib/model/skip-lab';
import type { Manifest } from '$lib/model/weights';
import { loadModelNode } from '$lib/train/io-node';
import { initWasmNode } from '$lib/train/wasm-node';

function arg(name: string, fallback: string): string {
	const i = process.argv.indexOf(`--${name}`);
	return i < 0 ? fallback : (process.argv[i + 1] ?? fallback);
}
const config: LabConfig = {
	skips: arg('skips', 'pool4') as LabConfig['skips'],
	init: arg('init', 'zero') as LabConfig['init'],
	up: arg('up', 'bilinear') as LabConfig['up'],
	lr: Number(arg('lr', '0.01')),
	finalKernel: arg('final', '2s') as LabConfig['finalKernel']
};
const SECONDS = Number(arg('seconds', '60'));
const EVERY = Number(arg('every', '3'));

if (process.argv.includes('--cpu')) await tf.setBackend('cpu');
else await initWasmNode();
const manifest = JSON.parse(readFileSync('static/weights/manifest.json', 'utf8')) as Manifest;
const model = withFreeInputSize(await loadModelNode('static/weights/fcn32s'), networkOf('fcn32s', manifest));
const index = JSON.parse(readFileSync('static/data/test-digits.json', 'utf8')) as TestDigitsIndex;
const set = testScenesFrom(index, new Uint8Array(readFileSync('static/data/test-digits.bin')));
const scenes = labScenes(set);

let t0 = performance.now();
const lab = new SkipLab(model, scenes.train, scenes.val, config);
const cacheMs = performance.now() - t0;

async function meanIU(fcn32s = false): Promise<number> {
	const conf = emptyConfusion(lab.classes);
	await lab.validate((l, p) => accumulateConfusion(conf, l, p), { fcn32s });
	return 100 * segmentationScores(conf).meanIU;
}

t0 = performance.now();
const base = await meanIU(true);
const valMs = performance.now() - t0;
const start = await meanIU();
console.log(
	`bench-lab: ${tf.getBackend()}, ${JSON.stringify(config)}; ${lab.trainCount} training scenes 128², ${lab.valCount} validation scenes (test scenes 0 … ${lab.valCount - 1}); trunk features cached in ${(cacheMs / 1000).toFixed(1)} s; one validation ${valMs.toFixed(0)} ms`
);
console.log(`FCN-32s (shipped) validation mean IU ${base.toFixed(1)} %; the lab at step 0: ${start.toFixed(1)} %`);
console.log('   s  steps    loss  mean IU');
let trainMs = 0;
let reached: number | null = null;
let last = 0;
const loss: number[] = [];
t0 = performance.now();
let nextEval = EVERY * 1000;
while (performance.now() - t0 < SECONDS * 1000) {
	const a = performance.now();
	loss.push(...(await lab.train(1000, 100)));
	trainMs += performance.now() - a;
	if (performance.now() - t0 >= nextEval) {
		nextEval += EVERY * 1000;
		last = await meanIU();
		const s = (performance.now() - t0) / 1000;
		const recent = loss.slice(-20);
		const l = recent.reduce((x, y) => x + y, 0) / recent.length;
		console.log(
			`${s.toFixed(1).padStart(5)} ${String(lab.steps).padStart(6)} ${l.toFixed(4)} ${last.toFixed(1).padStart(7)}`
		);
		if (reached === null && last >= base + 10) reached = s;
	}
}
console.log(
	`training: ${lab.steps} steps in ${(trainMs / 1000).toFixed(1)} s of training = ${((1000 * lab.steps) / trainMs).toFixed(1)} steps/s (batch ${lab.config.batch})`
);
console.log(
	reached === null
		? `mean IU did not reach FCN-32s + 10 points (${(base + 10).toFixed(1)} %) within ${SECONDS} s (last ${last.toFixed(1)} %)`
		: `mean IU reached FCN-32s + 10 points (${(base + 10).toFixed(1)} %) after ${reached.toFixed(1)} s (target: 60 s)`
);
const before = tf.memory().numTensors;
lab.dispose();
console.log(
	`tensors: ${before} with the lab, ${tf.memory().numTensors} after dispose (the model's own weights remain)`
);
