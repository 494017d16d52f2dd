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
import { TRAINED, vgg16Convolutional } from '$lib/fcn/nets';
import {
	NEW_LAYERS,
	netOptions,
	STAGES,
	stageConfig,
	stageNetwork,
	epochLr,
	type Hooks,
	type Stage,
	type StageConfig,
	type StageLog,
	type TrainConfig
} from '$lib/train/config';
import { buildModel } from '$lib/model/build';
import { convolutionalize, surgeryMaxAbsDiff, transferShared } from '$lib/model/surgery';
import {
	EASY_DIGITS,
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
import { sceneSet } from '$lib/data/testset';

export * from '$lib/train/config';

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
	const index = readCheckpointIndex(ckptDir) ?? { config: fp, checkpoints: [] };
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
