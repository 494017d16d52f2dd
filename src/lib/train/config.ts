/**
 * The training's configuration: the stages, their hyper-parameters (the full run and the quick one
 * the tests use), the per-stage log and the progress hooks (Node only, with pipeline.ts).
 */
import { fcn, trainedOptions, vgg16, TRAINED, type NetOptions } from '$lib/fcn/nets';
import type { Network } from '$lib/fcn/network';
import type { SceneSetSpec } from '$lib/data/testset';
import { CLASSIFIER_DIGITS, type DigitAugment } from '$lib/train/train';

export const STAGES = ['classifier', 'fcn32s', 'fcn16s', 'fcn8s'] as const;
export type Stage = (typeof STAGES)[number];

/** The layers each stage adds to the net it starts from. */
export const NEW_LAYERS: Record<Exclude<Stage, 'classifier'>, string[]> = {
	fcn32s: ['score_fr'],
	fcn16s: ['score_pool4', 'upscore2'],
	fcn8s: ['score_pool3', 'upscore_pool4']
};

export interface StageConfig {
	optimizer: 'sgd' | 'adam';
	/** The layers new in a stage (score_fr; the skips' score and ×2 layers) learn this many times faster. */
	newLayerLrMult?: number;
	/** Classifier: the first `easyEpochs` epochs see large, centred, clean digits. */
	easyEpochs?: number;
	/** Classifier: how its single digits are drawn after the easy epochs (and for validation). */
	augment?: DigitAugment;
	epochs: number;
	steps: number;
	batch: number;
	/** The learning rate as applied (for the FCNs: baseLr / pixels per batch, the loss being a sum). */
	lr: number;
	/** Step decay: from epoch `from` on, the learning rate is `lr × mult` (the last entry that applies wins). */
	lrDecay?: { from: number; mult: number }[];
	momentum: number;
}

/** The learning rate of `epoch` (1-based) under the stage's step decay. */
export function epochLr(sc: StageConfig, epoch: number): number {
	let mult = 1;
	for (const d of sc.lrDecay ?? []) if (epoch >= d.from) mult = d.mult;
	return sc.lr * mult;
}

export interface TrainConfig {
	seed: number;
	width: number;
	classifierInput: number;
	/** Training scene sides (each batch draws its height and width from these). */
	sceneSides: number[];
	classifier: StageConfig;
	fcn: StageConfig & { baseLr: number };
	/** Loss logged every `logEvery` steps. */
	logEvery: number;
	valDigits: number;
	valScenes: SceneSetSpec;
	/** Batch size of the fixed probe on which "the loss falls" is measured at each stage's start and end. */
	probe: number;
}

/**
 * The full run (≈ 50 min on 2 cores, wasm). The classifier gets 40 epochs of single digits (40–80 px,
 * shifted, noisy, no scribbles: those are the scenes' clutter, for the FCN stages to learn) with the
 * learning rate cut ×1/3 twice; each FCN stage ends with two epochs at a third of the rate.
 */
export function fullConfig(seed = 1): TrainConfig {
	const batch = 16;
	const sides = [96];
	const baseLr = 0.02;
	return {
		seed,
		width: TRAINED.width,
		classifierInput: TRAINED.classifierInput,
		sceneSides: sides,
		classifier: {
			optimizer: 'adam',
			easyEpochs: 2,
			augment: CLASSIFIER_DIGITS,
			epochs: 40,
			steps: 100,
			batch,
			lr: 3e-4,
			lrDecay: [
				{ from: 28, mult: 1 / 3 },
				{ from: 35, mult: 1 / 9 }
			],
			momentum: 0.9
		},
		fcn: {
			optimizer: 'adam',
			epochs: 8,
			steps: 100,
			batch,
			baseLr,
			lr: 3e-4,
			lrDecay: [{ from: 7, mult: 1 / 3 }],
			newLayerLrMult: 10,
			momentum: 0.9
		},
		logEvery: 10,
		valDigits: 500,
		valScenes: { split: 'val', seed: 7, count: 40, minSide: 128, maxSide: 160 },
		probe: 8
	};
}

/** `--quick`: a tiny net, a few steps, well under a minute (the CI check of the whole pipeline). */
export function quickConfig(seed = 1): TrainConfig {
	const batch = 4;
	const baseLr = 0.02;
	return {
		seed,
		width: 1 / 32,
		classifierInput: TRAINED.classifierInput,
		sceneSides: [64],
		classifier: { optimizer: 'adam', easyEpochs: 1, epochs: 2, steps: 6, batch: 8, lr: 1e-3, momentum: 0.9 },
		fcn: { optimizer: 'adam', epochs: 2, steps: 4, batch, baseLr, lr: 3e-4, newLayerLrMult: 10, momentum: 0.9 },
		logEvery: 2,
		valDigits: 40,
		valScenes: { split: 'val', seed: 7, count: 3, minSide: 64, maxSide: 96 },
		probe: 4
	};
}

export function netOptions(config: TrainConfig, classes: number): NetOptions {
	return trainedOptions({ width: config.width, classifierInput: config.classifierInput, classes });
}

export function stageNetwork(stage: Stage, config: TrainConfig): Network {
	if (stage === 'classifier') return vgg16(netOptions(config, TRAINED.digitClasses));
	return fcn(stage.slice(3) as '32s' | '16s' | '8s', netOptions(config, TRAINED.segClasses));
}

export function stageConfig(stage: Stage, config: TrainConfig): StageConfig {
	return stage === 'classifier' ? config.classifier : config.fcn;
}

export interface StageLog {
	/** [global step, loss] every logEvery steps (FCN: per labelled pixel, i.e. the sum / pixels). */
	loss: [number, number][];
	/** Per epoch: [epoch, value] — validation accuracy (classifier) or validation mean IU (FCNs). */
	val: [number, number][];
	imagesPerSecond: number[];
	/** The loss on a fixed probe batch (inference mode) before and after the stage. */
	probeLoss: { start: number; end: number | null };
	surgeryMaxAbsDiff?: number;
	optimizer: 'sgd' | 'adam';
	lr: number;
	batch: number;
	epochs: number;
	steps: number;
}

export interface Hooks {
	log: (line: string) => void;
	progress: (p: {
		stage: Stage;
		epoch: number;
		epochs: number;
		step: number;
		steps: number;
		imagesPerSecond: number;
		loss: number;
		etaSeconds: number;
	}) => void;
}
