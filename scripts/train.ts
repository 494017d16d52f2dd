/**
 * npm run train [-- --quick] [--seed N] [--out DIR] [--checkpoints DIR]
 *
 * Trains the classifier, does the FC→conv surgery, trains FCN-32s → 16s → 8s (wasm backend),
 * checkpointing every epoch into .train/ (a rerun resumes), then writes the models, manifest.json,
 * training-log.json and eval.json into static/weights (or --out). --quick: a tiny net and a few
 * steps into a temporary folder, in well under a minute.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initWasmNode } from '$lib/train/wasm-node';
import { loadMnist } from '$lib/data/mnist-node';
import { fullConfig, quickConfig, trainAll } from '$lib/train/pipeline';
import { evaluateRelease, evalTable, exportModels, manifestFor, writeEval, writeTrainingLog } from '$lib/train/release';
import { writeAtomic } from '$lib/train/io-node';

const USAGE = 'usage: npm run train [-- --quick] [--seed N] [--out DIR] [--checkpoints DIR]';

function parse(argv: string[]) {
	const o = { quick: false, seed: 1, out: '', checkpoints: '' };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const value = () => {
			const v = argv[++i];
			if (v === undefined || v.startsWith('--')) fail(`${a} needs a value`);
			return v;
		};
		if (a === '--quick') o.quick = true;
		else if (a === '--seed') {
			const v = value();
			o.seed = Number(v);
			if (!Number.isInteger(o.seed) || o.seed < 0) fail(`--seed needs a non-negative integer, got '${v}'`);
		} else if (a === '--out') o.out = value();
		else if (a === '--checkpoints') o.checkpoints = value();
		else if (a === '--help' || a === '-h') {
			console.log(USAGE);
			process.exit(0);
		} else fail(`unknown flag '${a}'`);
	}
	return o;
}

function fail(msg: string): never {
	console.error(`train: ${msg} (${USAGE})`);
	process.exit(2);
}

const args = parse(process.argv.slice(2));
const tty = process.stdout.isTTY === true;
const config = args.quick ? quickConfig(args.seed) : fullConfig(args.seed);
const tmp = args.quick && (!args.out || !args.checkpoints) ? mkdtempSync(join(tmpdir(), 'fcn-quick-')) : '';
const outDir = args.out || (args.quick ? join(tmp, 'weights') : 'static/weights');
const ckptDir = args.checkpoints || (args.quick ? join(tmp, 'checkpoints') : '.train');

const fmt = (s: number) =>
	s >= 3600
		? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
		: `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
let lastPlain = 0;
let lineOpen = false;
const log = (line: string) => {
	if (lineOpen) process.stdout.write('\n');
	lineOpen = false;
	console.log(line);
};

const t0 = Date.now();
await initWasmNode();
const source = loadMnist();
log(
	`train: ${args.quick ? 'QUICK ' : ''}seed ${config.seed}, width ${config.width}, checkpoints in ${ckptDir}, weights to ${outDir}`
);
const result = await trainAll(source, config, ckptDir, {
	log,
	progress: (p) => {
		const line = `${p.stage.padEnd(10)} epoch ${p.epoch}/${p.epochs} step ${String(p.step).padStart(3)}/${p.steps}  ${p.imagesPerSecond.toFixed(1)} images/s  loss ${p.loss.toFixed(4)}  ETA ${fmt(p.etaSeconds)}`;
		if (tty) {
			process.stdout.write(`\r${line}\x1b[K`);
			lineOpen = true;
		} else if (Date.now() - lastPlain > 15000 || p.step === p.steps) {
			console.log(line);
			lastPlain = Date.now();
		}
	}
});
const seconds = (Date.now() - t0) / 1000;
const entries = await exportModels(result.models, config, outDir);
const manifest = manifestFor(config, result.split, entries, Math.round(seconds));
writeTrainingLog(outDir, result.log);
writeAtomic(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 1));
const total = Object.values(entries).reduce((a, e) => a + e.bytes, 0);
log(`train: models written to ${outDir} (${(total / 1e6).toFixed(2)} MB), ${fmt(seconds)} in all`);
const scenes = args.quick ? 4 : undefined;
const ev = await evaluateRelease(source, result.models, config.classifierInput, {
	scenes,
	digits: args.quick ? 50 : undefined,
	classifierAugment: config.classifier.augment,
	onProgress: log
});
writeEval(outDir, manifest, ev, scenes ?? manifest.data.testScenes.count);
log(evalTable(ev));
log(`train: done; ${outDir}/manifest.json, training-log.json, eval.json`);
