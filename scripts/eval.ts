/**
 * npm run eval [-- --weights DIR] [--scenes N]
 *
 * Loads the shipped models, checks their files against the manifest's sha256, and evaluates the
 * classifier (accuracy on test digits) and FCN-32s / 16s / 8s (pixel acc., mean acc., mean IU,
 * f.w. IU, IU per class) on the held-out test scenes; prints a table laid out like the paper's
 * Table 2 and writes eval.json and the manifest's eval fields.
 */
import { initWasmNode } from '$lib/train/wasm-node';
import { loadMnist } from '$lib/data/mnist-node';
import {
	evaluateRelease,
	evalTable,
	loadReleaseModels,
	readManifest,
	verifyManifestFiles,
	writeEval
} from '$lib/train/release';

const USAGE = 'usage: npm run eval [-- --weights DIR] [--scenes N]';
function fail(msg: string): never {
	console.error(`eval: ${msg} (${USAGE})`);
	process.exit(2);
}
let dir = 'static/weights';
let scenes: number | undefined;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
	const a = argv[i];
	if (a === '--weights') {
		dir = argv[++i] ?? fail('--weights needs a folder');
	} else if (a === '--scenes') {
		const v = argv[++i];
		scenes = Number(v);
		if (!Number.isInteger(scenes) || scenes < 1) fail(`--scenes needs a positive integer, got '${v}'`);
	} else if (a === '--help' || a === '-h') {
		console.log(USAGE);
		process.exit(0);
	} else fail(`unknown flag '${a}'`);
}

await initWasmNode();
let manifest;
try {
	manifest = readManifest(dir);
} catch (e) {
	console.error(`eval: ${(e as Error).message}`);
	process.exit(1);
}
const bad = verifyManifestFiles(dir, manifest);
if (bad.length) {
	console.error(`eval: these files do not match the manifest's sha256: ${bad.join(', ')}`);
	process.exit(1);
}
const models = await loadReleaseModels(dir, manifest);
const count = Math.min(scenes ?? manifest.data.testScenes.count, manifest.data.testScenes.count);
const t0 = Date.now();
const ev = await evaluateRelease(loadMnist(), models, manifest.data.classifierTest.size, {
	scenes: count,
	classifierAugment: manifest.data.classifierTest.augment ?? {},
	onProgress: (m) => console.log(m)
});
console.log(
	`\nHeld-out test scenes: ${count} (seed ${manifest.data.testScenes.seed}), ${((Date.now() - t0) / 1000).toFixed(1)} s\n`
);
console.log(evalTable(ev));
if (scenes === undefined) {
	writeEval(dir, manifest, ev, count);
	console.log(`\neval: wrote ${dir}/eval.json and the manifest's eval fields`);
} else {
	console.log('\neval: a subset was evaluated; eval.json and the manifest are left as they are');
}
