/**
 * The whole making of our FCNs, as the paper does it (Node only: files, checkpoints):
 *   stage 0 `classifier`: VGG-16 in miniature (dense fc6/fc7/fc8) trained on single digits;
 *   surgery: fc6/fc7 reshaped into convolutions, checked against the dense logits;
 *   stage 1 `fcn32s`: the convolutionalised net + zero-initialised 11-class score_fr + fixed ×32 bilinear;
 *   stage 2 `fcn16s` from fcn32s (zero score_pool4, bilinear ×2 learned);
 *   stage 3 `fcn8s` from fcn16s (zero score_pool3).
 * A checkpoint after every epoch; a rerun resumes from the last good one.
 */
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { fcn, trainedOptions, vgg16, vgg16Convolutional, TRAINED, type NetOptions } from '$lib/fcn/nets';
import type { Network } from '$lib/fcn/network';
import { buildModel } from '$lib/model/build';
import { convolutionalize, surgeryMaxAbsDiff, transferShared } from '$lib/model/surgery';
import {
	EASY_DIGITS,
	CLASSIFIER_DIGITS,
	type DigitAugment,
	setLrMult,
	digitBatch,
	disposeSgd,
	makeSgd,
	oneHotDigits,
	reseedDropout,
	sceneBatch,
	sgdStep,
	type Sgd
} from '$lib/train/train';
import { oneHotTargets, pixelSoftmaxLossSum, softmaxLossMean, countLabelled } from '$lib/train/loss';
import { classifierAccuracy, evaluateSegmentation } from '$lib/train/evaluate';
import {
	readCheckpoint,
	readCheckpointIndex,
	sha256,
	writeCheckpoint,
	type CheckpointIndex,
	type CheckpointRecord,
	type LoadedCheckpoint
} from '$lib/train/io-node';
import { deriveSeed, mulberry32 } from '$lib/data/prng';
import { digitSplit, type Split } from '$lib/data/split';
import { SCENE_VERSION, type DigitSource } from '$lib/data/scenes';
import { sceneSet, type SceneSetSpec } from '$lib/data/testset';

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
	const meanPixels = batch * 96 * 96;
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

/** A stage's checkpoints are valid while its configuration and that of every earlier stage are unchanged. */
export function stageFingerprint(config: TrainConfig, stage: Stage): string {
	const upto = STAGES.slice(0, STAGES.indexOf(stage) + 1);
	const common = {
		seed: config.seed,
		width: config.width,
		classifierInput: config.classifierInput,
		valDigits: config.valDigits,
		probe: config.probe
	};
	// a stage's own epoch count is left out, so that a run can be extended by epochs and resume
	const parts = upto.map((s) => {
		const c =
			s === 'classifier'
				? { ...config.classifier }
				: { ...config.fcn, sides: config.sceneSides, val: config.valScenes, scenes: SCENE_VERSION };
		return s === stage ? { ...c, epochs: undefined } : c;
	});
	return sha256(JSON.stringify({ common, parts })).slice(0, 16);
}

function modelTensors(
	model: tf.LayersModel,
	sgd: Sgd | null
): { name: string; shape: number[]; values: Float32Array }[] {
	const out: { name: string; shape: number[]; values: Float32Array }[] = [];
	for (const layer of model.layers) {
		layer
			.getWeights()
			.forEach((w, i) =>
				out.push({ name: `${layer.name}/${i}`, shape: w.shape, values: w.dataSync() as Float32Array })
			);
	}
	sgd?.velocity.forEach((v, i) =>
		out.push({ name: `velocity/${i}`, shape: v.shape, values: v.dataSync() as Float32Array })
	);
	sgd?.second.forEach((v, i) =>
		out.push({ name: `second/${i}`, shape: v.shape, values: v.dataSync() as Float32Array })
	);
	return out;
}

function restoreModel(model: tf.LayersModel, ckpt: LoadedCheckpoint): void {
	for (const layer of model.layers) {
		const n = layer.getWeights().length;
		if (n === 0) continue;
		const ws: tf.Tensor[] = [];
		for (let i = 0; i < n; i++) {
			const t = ckpt.tensors.get(`${layer.name}/${i}`);
			if (!t) throw new Error(`checkpoint has no weights for ${layer.name}/${i}`);
			ws.push(tf.tensor(t.values, t.shape));
		}
		layer.setWeights(ws);
		ws.forEach((w) => w.dispose());
	}
}

function restoreVelocity(sgd: Sgd, ckpt: LoadedCheckpoint): void {
	const slots = [
		...sgd.velocity.map((v, i) => [v, `velocity/${i}`] as const),
		...sgd.second.map((v, i) => [v, `second/${i}`] as const)
	];
	slots.forEach(([v, name]) => {
		const t = ckpt.tensors.get(name);
		if (!t) throw new Error(`checkpoint has no ${name}`);
		const x = tf.tensor(t.values, t.shape);
		v.assign(x);
		x.dispose();
	});
}

/** The data a stage's step sees: a function of (seed, stage, epoch, step) only. */
function stepRng(config: TrainConfig, stage: Stage, epoch: number, step: number) {
	return mulberry32(deriveSeed(config.seed, STAGES.indexOf(stage), epoch, step));
}

interface Resume {
	/** The last good checkpoint of each stage (null when none). */
	last: Map<Stage, { record: CheckpointRecord; ckpt: LoadedCheckpoint } | null>;
}

/** Find, per stage, the newest checkpoint that verifies; corrupt ones are announced and dropped. */
function findResume(dir: string, index: CheckpointIndex, hooks: Hooks): Resume {
	const last = new Map<Stage, { record: CheckpointRecord; ckpt: LoadedCheckpoint } | null>();
	for (const stage of STAGES) {
		const records = index.checkpoints.filter((c) => c.stage === stage).sort((a, b) => b.epoch - a.epoch);
		let found: { record: CheckpointRecord; ckpt: LoadedCheckpoint } | null = null;
		for (const r of records) {
			const res = readCheckpoint(dir, r);
			if (res.ok) {
				found = { record: r, ckpt: res.ckpt };
				break;
			}
			hooks.log(`checkpoint ${r.file} is corrupt (${res.reason}), skipping`);
			index.checkpoints = index.checkpoints.filter((c) => c !== r);
		}
		last.set(stage, found);
	}
	return { last };
}

export interface TrainResult {
	models: Record<Stage, tf.LayersModel>;
	log: Record<Stage, StageLog>;
	config: TrainConfig;
	split: Split;
}

/** Train every stage (resuming from `ckptDir`); returns the four final models and the log. */
export async function trainAll(
	source: DigitSource,
	config: TrainConfig,
	ckptDir: string,
	hooks: Hooks
): Promise<TrainResult> {
	const split = digitSplit();
	const fp = 'per-stage';
	let index = readCheckpointIndex(ckptDir) ?? { config: fp, checkpoints: [] };
	const stale = index.checkpoints.filter((c) => c.config !== stageFingerprint(config, c.stage as Stage));
	if (stale.length) {
		hooks.log(
			`${stale.length} checkpoint(s) in ${ckptDir} belong to another configuration (${[...new Set(stale.map((c) => c.stage))].join(', ')}); not resuming from them`
		);
		index.checkpoints = index.checkpoints.filter((c) => !stale.includes(c));
	}
	const resume = findResume(ckptDir, index, hooks);

	const valScenes = sceneSet(source, split, config.valScenes);
	const valDigits = digitBatch(
		source,
		split.val,
		mulberry32(deriveSeed(config.seed, 99)),
		config.valDigits,
		config.classifierInput,
		config.classifier.augment ?? {}
	);
	const models = {} as Record<Stage, tf.LayersModel>;
	const log = {} as Record<Stage, StageLog>;

	// time estimate: images/s per stage, measured as we go
	const totalImages = (s: Stage) =>
		stageConfig(s, config).epochs * stageConfig(s, config).steps * stageConfig(s, config).batch;
	let speed = 0;

	for (let si = 0; si < STAGES.length; si++) {
		const stage = STAGES[si];
		const sc = stageConfig(stage, config);
		const net = stageNetwork(stage, config);
		const model = buildModel(net, { seed: deriveSeed(config.seed, 1000 + si) });
		const saved = resume.last.get(stage) ?? null;
		const probeRng = mulberry32(deriveSeed(config.seed, 500 + si));
		const classifier = stage === 'classifier';
		const probe = classifier
			? digitBatch(source, split.train, probeRng, config.probe, config.classifierInput)
			: sceneBatch(source, split.train, probeRng, config.probe, config.sceneSides[0], config.sceneSides[0]);
		const lossOn = (m: tf.LayersModel, training: boolean, b: typeof probe): tf.Scalar =>
			tf.tidy(() => {
				if ('digits' in b) {
					const x = tf.tensor4d(b.x, [b.n, b.size, b.size, 1]);
					const y = tf.tensor2d(oneHotDigits(b.digits), [b.n, 10]);
					return softmaxLossMean(m.apply(x, { training }) as tf.Tensor, y);
				}
				const x = tf.tensor4d(b.x, [b.n, b.height, b.width, 1]);
				const y = tf.tensor4d(oneHotTargets(b.labels, TRAINED.segClasses), [
					b.n,
					b.height,
					b.width,
					TRAINED.segClasses
				]);
				return pixelSoftmaxLossSum(m.apply(x, { training }) as tf.Tensor, y);
			});
		const probeLoss = (m: tf.LayersModel) => {
			const t = lossOn(m, false, probe);
			const v = t.dataSync()[0] / ('digits' in probe ? 1 : countLabelled(probe.labels));
			t.dispose();
			return v;
		};

		let startEpoch = 1;
		let stageLog: StageLog;
		const sgd = makeSgd(model, sc.lr, sc.momentum, sc.optimizer);
		if (sc.newLayerLrMult && stage !== 'classifier') {
			setLrMult(sgd, model, NEW_LAYERS[stage], sc.newLayerLrMult);
			hooks.log(
				`${stage}: ${sgd.lrMult.filter((m) => m !== 1).length} weight tensors of the new layers (${NEW_LAYERS[stage].join(', ')}) learn ×${sc.newLayerLrMult}`
			);
		}
		if (saved) {
			restoreModel(model, saved.ckpt);
			restoreVelocity(sgd, saved.ckpt);
			stageLog = (saved.ckpt.meta as { log: StageLog; t: number }).log;
			sgd.t = (saved.ckpt.meta as { t: number }).t ?? 0;
			startEpoch = saved.record.epoch + 1;
			if (startEpoch <= sc.epochs) hooks.log(`${stage}: resuming from ${saved.record.file}`);
		} else {
			if (stage !== 'classifier') {
				const prev = models[STAGES[si - 1]];
				if (stage === 'fcn32s') {
					// The surgery, checked: the convolutionalised classifier gives the dense logits.
					const convNet = buildModel(vgg16Convolutional(netOptions(config, TRAINED.digitClasses)));
					convolutionalize(prev, convNet);
					const x = tf.tensor4d(valDigits.x.subarray(0, 16 * config.classifierInput ** 2), [
						16,
						config.classifierInput,
						config.classifierInput,
						1
					]);
					const diff = surgeryMaxAbsDiff(prev, convNet, x);
					x.dispose();
					convNet.dispose();
					hooks.log(
						`surgery: fc6 [${prev.getLayer('fc6').getWeights()[0].shape}] → conv; max |dense − conv| logit difference at ${config.classifierInput}×${config.classifierInput}: ${diff.toExponential(2)}`
					);
					if (!(diff < 1e-4))
						throw new Error(`surgery: the convolutionalised classifier differs from the dense one by ${diff}`);
					const report = convolutionalize(prev, model);
					// the paper zero-initialises the class scoring layer
					const sf = model.getLayer('score_fr');
					const zeros = sf.getWeights().map((w) => tf.zerosLike(w));
					sf.setWeights(zeros);
					zeros.forEach((z) => z.dispose());
					hooks.log(
						`fcn32s: copied ${report.copied.length} conv layers, reshaped ${report.reshaped.map((r) => `${r.name} [${r.from}]→[${r.to}]`).join(', ')}; score_fr zero`
					);
					stageLog = newLog(sc);
					stageLog.surgeryMaxAbsDiff = diff;
				} else {
					const copied = transferShared(prev, model);
					hooks.log(`${stage}: initialised from ${STAGES[si - 1]} (${copied.length} layers copied)`);
					stageLog = newLog(sc);
				}
			} else {
				stageLog = newLog(sc);
			}
			stageLog.probeLoss.start = probeLoss(model);
		}

		for (let epoch = startEpoch; epoch <= sc.epochs; epoch++) {
			const t0 = Date.now();
			sgd.lr = epochLr(sc, epoch);
			let runLoss = 0;
			let runN = 0;
			for (let step = 0; step < sc.steps; step++) {
				const rng = stepRng(config, stage, epoch, step);
				reseedDropout(model, deriveSeed(config.seed, si, epoch, step, 77));
				let loss: number;
				if (classifier) {
					const b = digitBatch(
						source,
						split.train,
						rng,
						sc.batch,
						config.classifierInput,
						epoch <= (sc.easyEpochs ?? 0) ? EASY_DIGITS : (sc.augment ?? {})
					);
					loss = await sgdStep(sgd, () => lossOn(model, true, b));
				} else {
					const H = rng.pick(config.sceneSides);
					const W = rng.pick(config.sceneSides);
					const b = sceneBatch(source, split.train, rng, sc.batch, H, W);
					loss = (await sgdStep(sgd, () => lossOn(model, true, b))) / Math.max(1, countLabelled(b.labels));
				}
				runLoss += loss;
				runN++;
				const globalStep = (epoch - 1) * sc.steps + step + 1;
				if (globalStep % config.logEvery === 0) {
					stageLog.loss.push([globalStep, runLoss / runN]);
					runLoss = 0;
					runN = 0;
				}
				const elapsed = (Date.now() - t0) / 1000;
				const ips = ((step + 1) * sc.batch) / Math.max(elapsed, 1e-3);
				speed = ips;
				let remaining = (((sc.epochs - epoch) * sc.steps + (sc.steps - step - 1)) * sc.batch) / ips;
				for (let k = si + 1; k < STAGES.length; k++)
					remaining += totalImages(STAGES[k]) / (STAGES[k] === 'classifier' ? ips : Math.min(ips, speed));
				hooks.progress({
					stage,
					epoch,
					epochs: sc.epochs,
					step: step + 1,
					steps: sc.steps,
					imagesPerSecond: ips,
					loss,
					etaSeconds: remaining
				});
			}
			const seconds = (Date.now() - t0) / 1000;
			stageLog.imagesPerSecond.push((sc.steps * sc.batch) / seconds);
			let val: number;
			if (classifier) {
				val = await classifierAccuracy(model, valDigits.x, valDigits.digits, config.classifierInput);
			} else {
				val = (await evaluateSegmentation(model, valScenes, TRAINED.segClasses)).meanIU;
			}
			stageLog.val.push([epoch, val]);
			if (epoch === sc.epochs) stageLog.probeLoss.end = probeLoss(model);
			hooks.log(
				`${stage} epoch ${epoch}/${sc.epochs}: ${((sc.steps * sc.batch) / seconds).toFixed(1)} images/s, ${classifier ? 'val accuracy' : 'val mean IU'} ${val.toFixed(4)}` +
					(epoch === sc.epochs
						? `, probe loss ${stageLog.probeLoss.start.toFixed(4)} → ${stageLog.probeLoss.end!.toFixed(4)}`
						: '')
			);
			const rec = writeCheckpoint(
				ckptDir,
				index,
				stage,
				epoch,
				stageFingerprint(config, stage),
				{ log: stageLog, t: sgd.t },
				modelTensors(model, sgd)
			);
			void rec;
		}
		disposeSgd(sgd);
		models[stage] = model;
		log[stage] = stageLog;
	}
	return { models, log, config, split };
}

function newLog(sc: StageConfig): StageLog {
	return {
		loss: [],
		val: [],
		imagesPerSecond: [],
		probeLoss: { start: NaN, end: null },
		optimizer: sc.optimizer,
		lr: sc.lr,
		batch: sc.batch,
		epochs: sc.epochs,
		steps: sc.steps
	};
}

export { join };
