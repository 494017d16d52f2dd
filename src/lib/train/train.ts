/**
 * The training step and the batches. SGD with momentum as in Caffe (and the paper, momentum 0.9):
 *   v ← μ·v − η·∇ℓ(θ),   θ ← θ + v
 * on the model's trainable weights only (the fixed bilinear upsamplings are not trainable).
 * Batches are drawn from a seeded generator, so a step's data depend only on (seed, stage, epoch, step).
 */
import * as tf from '@tensorflow/tfjs';
import { generateDigitSample, generateScene, type DigitSource } from '$lib/data/scenes';
import type { Range } from '$lib/data/split';
import type { Rng } from '$lib/data/prng';

/**
 * The optimiser state: SGD with momentum (the paper's, for the FCN stages) or Adam (the classifier
 * stage, trained from scratch here where the paper starts from ImageNet-trained VGG-16: plain SGD
 * left our 16-layer net at chance, loss ln 10, for hundreds of steps).
 */
export interface Sgd {
	kind: 'sgd' | 'adam';
	lr: number;
	momentum: number;
	vars: tf.Variable[];
	/** sgd: [velocity]; adam: [first moment, second moment] — per variable. */
	velocity: tf.Variable[];
	second: tf.Variable[];
	/** Steps taken (Adam's bias correction). */
	t: number;
	/** Per-variable learning-rate multiplier (Caffe's lr_mult; 1 by default). */
	lrMult: number[];
}

/** The tf.Variables behind a model's trainable weights, in the model's order. */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
	return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

export function makeSgd(model: tf.LayersModel, lr: number, momentum: number, kind: 'sgd' | 'adam' = 'sgd'): Sgd {
	const vars = trainableVariables(model);
	const velocity = vars.map((v) => tf.variable(tf.zerosLike(v), false));
	const second = kind === 'adam' ? vars.map((v) => tf.variable(tf.zerosLike(v), false)) : [];
	return { kind, lr, momentum, vars, velocity, second, t: 0, lrMult: vars.map(() => 1) };
}

/** Give the weights of the named layers a larger learning rate (the freshly added layers of a fine-tuned net). */
export function setLrMult(sgd: Sgd, model: tf.LayersModel, layers: readonly string[], mult: number): void {
	const names = new Set(
		model.trainableWeights
			.filter((w) => layers.some((l) => w.originalName.startsWith(`${l}/`)))
			.map((w) => (w.read() as tf.Variable).name)
	);
	sgd.vars.forEach((v, i) => (sgd.lrMult[i] = names.has(v.name) ? mult : 1));
}

export function disposeSgd(sgd: Sgd): void {
	for (const v of [...sgd.velocity, ...sgd.second]) v.dispose();
}

const BETA2 = 0.999;
const EPS = 1e-8;

/** One optimiser step on `lossFn`; returns the loss before the step. */
export async function sgdStep(sgd: Sgd, lossFn: () => tf.Scalar): Promise<number> {
	sgd.t++;
	const loss = tf.tidy(() => {
		const { value, grads } = tf.variableGrads(lossFn, sgd.vars);
		sgd.vars.forEach((v, i) => {
			const g = grads[v.name];
			if (!g) throw new Error(`sgdStep: no gradient for ${v.name}`);
			if (sgd.kind === 'sgd') {
				// v ← μv − ηg, θ ← θ + v
				const nv = tf.sub(tf.mul(sgd.velocity[i], sgd.momentum), tf.mul(g, sgd.lr * sgd.lrMult[i]));
				sgd.velocity[i].assign(nv);
				v.assign(tf.add(v, nv));
			} else {
				// Adam (β1 = momentum, β2 = 0.999) with bias correction
				const m = tf.add(tf.mul(sgd.velocity[i], sgd.momentum), tf.mul(g, 1 - sgd.momentum));
				const s2 = tf.add(tf.mul(sgd.second[i], BETA2), tf.mul(tf.square(g), 1 - BETA2));
				sgd.velocity[i].assign(m);
				sgd.second[i].assign(s2);
				const a = (sgd.lr * sgd.lrMult[i] * Math.sqrt(1 - BETA2 ** sgd.t)) / (1 - sgd.momentum ** sgd.t);
				v.assign(tf.sub(v, tf.div(tf.mul(m, a), tf.add(tf.sqrt(s2), EPS))));
			}
		});
		return value;
	});
	const value = (await loss.data())[0];
	loss.dispose();
	if (!Number.isFinite(value)) throw new Error(`sgdStep: the loss is ${value} (diverged); lower the learning rate`);
	return value;
}

/** Give every dropout layer a fresh mask seed (tfjs reuses a layer's seed on every call). */
export function reseedDropout(model: tf.LayersModel, seed: number): void {
	model.layers.forEach((l, i) => {
		if (l.getClassName() === 'Dropout') (l as unknown as { seed: number }).seed = (seed + i * 7919) >>> 0;
	});
}

export interface SceneBatch {
	/** [N, H, W, 1] intensities, row-major. */
	x: Float32Array;
	labels: Uint8Array[];
	n: number;
	height: number;
	width: number;
}

export function sceneBatch(
	source: DigitSource,
	ranges: readonly Range[],
	rng: Rng,
	n: number,
	height: number,
	width: number
): SceneBatch {
	const x = new Float32Array(n * height * width);
	const labels: Uint8Array[] = [];
	for (let i = 0; i < n; i++) {
		const s = generateScene(source, rng, { height, width, ranges });
		x.set(s.image, i * height * width);
		labels.push(s.label);
	}
	return { x, labels, n, height, width };
}

export interface DigitBatch {
	/** [N, S, S, 1] */
	x: Float32Array;
	digits: number[];
	n: number;
	size: number;
}

/** The classifier's curriculum: first large, centred, clean digits, then the full variety. */
export interface DigitAugment {
	minSize?: number;
	jitter?: number;
	maxScribbles?: number;
	noise?: number;
}
export const EASY_DIGITS: DigitAugment = { minSize: 60, jitter: 4, maxScribbles: 0, noise: 0 };
/** The classifier's digits after the curriculum: 40–80 px, shifted ±12 px, noisy, no scribbles. */
export const CLASSIFIER_DIGITS: DigitAugment = { maxScribbles: 0 };

export function digitBatch(
	source: DigitSource,
	ranges: readonly Range[],
	rng: Rng,
	n: number,
	size: number,
	augment: DigitAugment = {}
): DigitBatch {
	const x = new Float32Array(n * size * size);
	const digits: number[] = [];
	for (let i = 0; i < n; i++) {
		const s = generateDigitSample(source, rng, { size, ranges, ...augment });
		x.set(s.image, i * size * size);
		digits.push(s.digit);
	}
	return { x, digits, n, size };
}

/** One-hot [N, 10] for the classifier. */
export function oneHotDigits(digits: readonly number[], classes = 10): Float32Array {
	const out = new Float32Array(digits.length * classes);
	digits.forEach((d, i) => (out[i * classes + d] = 1));
	return out;
}

/**
 * Layer-sequential unit-variance initialisation (Mishkin & Matas, "All you need is a good init",
 * 2016): for each convolution / dense layer in order, rescale its kernel so that its output on a
 * batch of real inputs has unit standard deviation. Without batch normalisation (VGG-16 has none)
 * this lets the 16-layer net start learning at once; measured here: with He init alone the loss sat
 * at ln 10 for hundreds of steps. Layers named in `skip` are left alone.
 */
export function lsuvInit(model: tf.LayersModel, x: tf.Tensor4D, skip: readonly string[] = [], iterations = 3): void {
	const layers = model.layers.filter(
		(l) => (l.getClassName() === 'Conv2D' || l.getClassName() === 'Dense') && !skip.includes(l.name)
	);
	for (const layer of layers) {
		const probe = tf.model({ inputs: model.inputs, outputs: layer.output as tf.SymbolicTensor });
		for (let it = 0; it < iterations; it++) {
			const std = tf.tidy(() => {
				const y = probe.predict(x) as tf.Tensor;
				return Math.sqrt(tf.moments(y).variance.dataSync()[0]);
			});
			if (!(std > 1e-8) || Math.abs(std - 1) < 0.05) break;
			const [kernel, ...rest] = layer.getWeights();
			const scaled = tf.div(kernel, std);
			layer.setWeights([scaled, ...rest]);
			scaled.dispose();
		}
	}
}
