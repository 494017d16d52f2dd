/**
 * Convolutionalisation of a loaded classifier (the paper's §3.1), for a model that arrives as a
 * tf.LayersModel — the reader's own Keras VGG-16 on /fc-to-conv, or a VGG-16 built in memory by a
 * test. "Decapitate" the net just before its Flatten, and turn each Dense layer after it into a
 * convolution holding the same numbers, reshaped: the first into a k×k convolution over the whole
 * pool5 map (k×k×C×units), the others into 1×1 convolutions (1×1×units_in×units).
 *
 * The convolutional part of the classifier is reused as is (the very same layer objects, so its
 * weights are shared, not copied); the new convolutions get the dense kernels through a reshape,
 * which in TensorFlow.js shares the data too: convolutionalising a 138M-parameter VGG-16 costs
 * no second copy of its weights.
 *
 * Our own trained classifier goes through surgery.ts (the training pipeline's surgery, which also
 * holds `denseKernelToConv`, the reshape both use); this file is for models whose layers are only
 * known once loaded.
 */
import * as tf from '@tensorflow/tfjs';
import { VGG16_BLOCKS, TRAINED, trainedOptions, vgg16Convolutional } from '$lib/fcn/nets';
import { buildModel } from '$lib/model/build';
import { convolutionalize as surgery, denseKernelToConv, type SurgeryReport } from '$lib/model/surgery';
import type { FlattenOrder } from '$lib/fcn/fcToConv';

/**
 * How a classifier flattened its last feature map before the first dense layer (the library's
 * fcToConv.ts): `hwc` channels-last (Keras/TensorFlow, our models), `chw` Caffe's channels-first.
 */
export type { FlattenOrder };
/** The one place a dense kernel becomes a convolution kernel (surgery.ts), re-exported for the lesson. */
export { denseKernelToConv };

/** A model that is not the classifier this function expects; the message says what differs. */
export class NotAClassifierError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'NotAClassifierError';
	}
}

/** One dense layer of the head and the convolution it becomes. */
export interface HeadLayerPlan {
	name: string;
	/** [rows, units] of the dense kernel. */
	dense: [number, number];
	/** [k, k, C, units] of the convolution's kernel. */
	conv: [number, number, number, number];
	activation: string;
	params: number;
}

/** What convolutionalise found in the classifier. */
export interface ClassifierPlan {
	/** The layers before Flatten (input excluded), in order. */
	features: tf.layers.Layer[];
	/** The map the Flatten read: [h, w, C] (pool5: 7×7×512 in VGG-16 at 224). */
	pool5: [number, number, number];
	/** The dense layers after Flatten, in order (dropout skipped). */
	head: { layer: tf.layers.Layer; plan: HeadLayerPlan }[];
	/** The classifier's fixed input [H, W, C]. */
	input: [number, number, number];
}

const FEATURE_CLASSES = new Set([
	'Conv2D',
	'MaxPooling2D',
	'AveragePooling2D',
	'ZeroPadding2D',
	'Dropout',
	'Activation',
	'ReLU'
]);

/**
 * Read a classifier's structure: a chain input → convolutions/poolings → Flatten → Dense (+ Dropout)
 * layers. Throws NotAClassifierError naming the first layer that does not fit.
 */
export function planClassifier(model: tf.LayersModel): ClassifierPlan {
	const layers = model.layers;
	const inShape = model.inputs[0]?.shape;
	if (model.inputs.length !== 1 || model.outputs.length !== 1 || !inShape || inShape.length !== 4) {
		throw new NotAClassifierError(
			'the model must have one image input [batch, height, width, channels] and one output'
		);
	}
	const [, H, W, C] = inShape;
	if (H == null || W == null || C == null) {
		throw new NotAClassifierError('the model has no fixed input size, so it is not a classifier with a dense head');
	}
	const features: tf.layers.Layer[] = [];
	const head: ClassifierPlan['head'] = [];
	let pool5: [number, number, number] | null = null;
	let rows = 0;
	let chained: tf.layers.Layer | null = null;
	for (const layer of layers) {
		const cls = layer.getClassName();
		if (chained !== null) {
			const inbound = layer.inboundNodes[0]?.inboundLayers ?? [];
			if (inbound.length !== 1 || inbound[0] !== chained) {
				throw new NotAClassifierError(
					`layer '${layer.name}' is not a simple chain (branches or merges are not supported)`
				);
			}
		}
		chained = layer;
		if (cls === 'InputLayer') continue;
		if (pool5 === null) {
			if (cls === 'Flatten') {
				const s = layer.inputSpec?.[0]?.shape ?? (layer.input as tf.SymbolicTensor).shape;
				const [, h, w, c] = s;
				if (h == null || w == null || c == null)
					throw new NotAClassifierError(`'${layer.name}' reads a map of unknown size`);
				pool5 = [h, w, c];
				rows = h * w * c;
				continue;
			}
			if (!FEATURE_CLASSES.has(cls)) {
				throw new NotAClassifierError(
					`layer '${layer.name}' (${cls}) is not a convolution or pooling before the Flatten`
				);
			}
			features.push(layer);
			continue;
		}
		if (cls === 'Dropout') continue;
		if (cls !== 'Dense') {
			throw new NotAClassifierError(`layer '${layer.name}' (${cls}) comes after the Flatten but is not a Dense layer`);
		}
		const cfg = layer.getConfig();
		const units = cfg.units as number;
		const activation = String(cfg.activation ?? 'linear');
		const k: [number, number] = head.length === 0 ? [pool5[0], pool5[1]] : [1, 1];
		const cin = head.length === 0 ? pool5[2] : rows;
		head.push({
			layer,
			plan: {
				name: layer.name,
				dense: [rows, units],
				conv: [k[0], k[1], cin, units],
				activation,
				params: rows * units + (cfg.useBias === false ? 0 : units)
			}
		});
		rows = units;
	}
	if (pool5 === null)
		throw new NotAClassifierError('the model has no Flatten layer: there is no dense head to convolutionalise');
	if (head.length === 0) throw new NotAClassifierError('the model has no Dense layer after its Flatten');
	return { features, pool5, head, input: [H, W, C] };
}

/**
 * Check that a classifier is VGG-16 (13 3×3 convolutions in blocks of 2-2-3-3-3 with 64…512
 * channels, 5 poolings, 3 dense layers). Throws NotAClassifierError saying what differs.
 */
export function checkVgg16(plan: ClassifierPlan): void {
	const convs = plan.features.filter((l) => l.getClassName() === 'Conv2D');
	const pools = plan.features.filter((l) => l.getClassName().endsWith('Pooling2D'));
	const expected = VGG16_BLOCKS.flat();
	if (convs.length !== expected.length || pools.length !== VGG16_BLOCKS.length || plan.head.length !== 3) {
		throw new NotAClassifierError(
			`this is not a VGG-16: it has ${convs.length} convolutions, ${pools.length} poolings and ${plan.head.length} dense layers (VGG-16 has ${expected.length}, ${VGG16_BLOCKS.length} and 3)`
		);
	}
	convs.forEach((l, i) => {
		const cfg = l.getConfig();
		const k = cfg.kernelSize as number[];
		if (cfg.filters !== expected[i] || k[0] !== 3 || k[1] !== 3) {
			throw new NotAClassifierError(
				`this is not a VGG-16: convolution ${i + 1} ('${l.name}') is ${k.join('×')} with ${cfg.filters} filters, VGG-16's is 3×3 with ${expected[i]}`
			);
		}
	});
}

/**
 * Make a new initializer that hands out `t` (reshaped): the convolution's variable then shares the
 * dense kernel's data instead of allocating and overwriting a fresh one.
 */
function fromTensor(t: tf.Tensor): ReturnType<typeof tf.initializers.zeros> {
	const init = tf.initializers.zeros();
	init.apply = (shape: number[]) => tf.reshape(t, shape);
	return init;
}

export interface ConvolutionalizeOptions {
	/** How the classifier flattened pool5 (default 'hwc', Keras). 'chw' reads the rows as Caffe does. */
	order?: FlattenOrder;
	/** Name of the new model. */
	name?: string;
}

/**
 * The convolutionalised classifier: same feature layers (shared), each Dense layer as a
 * convolution (k×k for the first, 1×1 after), same activations. Takes inputs of any size ≥ the
 * classifier's; at the classifier's input size its output is 1×1×classes and equals the dense
 * logits. The returned model shares every weight with `model`: dispose only one of them.
 */
export function convolutionalizeClassifier(
	model: tf.LayersModel,
	opts: ConvolutionalizeOptions = {}
): { model: tf.LayersModel; plan: ClassifierPlan } {
	const plan = planClassifier(model);
	const order = opts.order ?? 'hwc';
	const input = tf.input({ shape: [null, null, plan.input[2]], name: `${model.name}_fcn_input` });
	let x: tf.SymbolicTensor = input;
	for (const layer of plan.features) x = layer.apply(x) as tf.SymbolicTensor;
	for (const { layer, plan: p } of plan.head) {
		const [kernel, bias] = layer.getWeights();
		const convKernel = denseKernelToConv(kernel as tf.Tensor2D, [p.conv[0], p.conv[1], p.conv[2]], order);
		const conv = tf.layers.conv2d({
			name: `${p.name}_conv`,
			filters: p.conv[3],
			kernelSize: [p.conv[0], p.conv[1]],
			padding: 'valid',
			activation: p.activation as 'relu',
			useBias: bias !== undefined,
			kernelInitializer: fromTensor(convKernel),
			...(bias ? { biasInitializer: fromTensor(bias) } : {})
		});
		x = conv.apply(x) as tf.SymbolicTensor;
		convKernel.dispose();
	}
	const fcn = tf.model({ inputs: input, outputs: x, name: opts.name ?? `${model.name}_convolutional` });
	return { model: fcn, plan };
}

/**
 * Keras's VGG-16 preprocessing ("caffe" mode): RGB in 0…255 → BGR, minus the ImageNet mean
 * [103.939, 116.779, 123.68]. `rgb` is [H, W, 3] (or [1, H, W, 3]) in 0…255.
 */
export const IMAGENET_BGR_MEAN: readonly [number, number, number] = [103.939, 116.779, 123.68];
export function vggPreprocess(rgb: tf.Tensor): tf.Tensor4D {
	return tf.tidy(() => {
		const x = rgb.rank === 3 ? tf.expandDims(rgb, 0) : rgb;
		const bgr = tf.reverse(x.toFloat(), -1);
		return tf.sub(bgr, tf.tensor1d([...IMAGENET_BGR_MEAN])) as tf.Tensor4D;
	});
}

// ---------------------------------------------------------------------------------------------
// Live helpers for /fc-to-conv. Every function returns plain arrays and disposes its tensors.

/**
 * Our trained digit classifier convolutionalised by the training pipeline's surgery (surgery.ts):
 * the library's vgg16Convolutional at the classifier's width, its weights copied / reshaped from
 * the dense classifier. The caller disposes the returned model.
 */
export function trainedClassifierFcn(
	classifier: tf.LayersModel,
	width: number = TRAINED.width
): { model: tf.LayersModel; report: SurgeryReport } {
	const net = vgg16Convolutional(trainedOptions({ width, classes: TRAINED.digitClasses }));
	const model = buildModel(net, { seed: 1 });
	const report = surgery(classifier, model);
	return { model, report };
}

/** Dense and convolutionalised logits of one batch of classifier-sized images, and their largest difference. */
export async function compareHeads(
	dense: tf.LayersModel,
	conv: tf.LayersModel,
	images: tf.Tensor4D
): Promise<{ dense: Float32Array; conv: Float32Array; maxAbsDiff: number; convShape: number[] }> {
	const a = dense.predict(images) as tf.Tensor;
	let b: tf.Tensor | null = null;
	try {
		b = conv.predict(images) as tf.Tensor;
		const [ad, bd] = await Promise.all([a.data(), b.data()]);
		let m = 0;
		for (let i = 0; i < ad.length; i++) m = Math.max(m, Math.abs(ad[i] - bd[i]));
		if (ad.length !== bd.length)
			throw new Error(`compareHeads: ${ad.length} dense logits but ${bd.length} convolutional scores`);
		return { dense: ad as Float32Array, conv: bd as Float32Array, maxAbsDiff: m, convShape: b.shape };
	} finally {
		// also when the second prediction throws (e.g. out of memory on a huge input)
		a.dispose();
		b?.dispose();
	}
}

/** The class-score map of a convolutionalised classifier: [h, w, classes] row-major, as plain data. */
export async function scoreMap(
	conv: tf.LayersModel,
	images: tf.Tensor4D
): Promise<{ scores: Float32Array; height: number; width: number; classes: number }> {
	const y = conv.predict(images) as tf.Tensor4D;
	try {
		const [, height, width, classes] = y.shape;
		return { scores: (await y.data()) as Float32Array, height, width, classes };
	} finally {
		y.dispose();
	}
}

/**
 * A Keras model saved in the TensorFlow.js layers format, read from files the reader picked
 * (model.json + its weight shards). Nothing leaves the machine: the files are read locally
 * (tf.io.browserFiles). Throws NotAClassifierError with a plain message when the files are not
 * such a model.
 */
export async function loadModelFromFiles(files: readonly File[]): Promise<tf.LayersModel> {
	const json = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
	if (json.length !== 1) {
		throw new NotAClassifierError(
			json.length === 0
				? 'pick the model.json file together with its weight files (group1-shard…bin)'
				: `pick exactly one .json file (got ${json.map((f) => f.name).join(', ')})`
		);
	}
	let topology: { modelTopology?: unknown; weightsManifest?: { paths: string[] }[]; format?: string };
	try {
		topology = JSON.parse(await json[0].text());
	} catch {
		throw new NotAClassifierError(`${json[0].name} is not valid JSON`);
	}
	if (!topology.modelTopology || !Array.isArray(topology.weightsManifest)) {
		throw new NotAClassifierError(
			topology.format === 'graph-model'
				? `${json[0].name} is a TensorFlow.js graph model; convert the Keras model with --output_format tfjs_layers_model`
				: `${json[0].name} is not a TensorFlow.js layers model (no modelTopology / weightsManifest)`
		);
	}
	const needed = topology.weightsManifest.flatMap((g) => g.paths.map((p) => p.split('/').pop()!));
	const have = new Set(files.map((f) => f.name));
	const missing = needed.filter((p) => !have.has(p));
	if (missing.length) {
		throw new NotAClassifierError(
			`the weight file${missing.length > 1 ? 's' : ''} ${missing.slice(0, 4).join(', ')}${missing.length > 4 ? ', …' : ''} ${missing.length > 1 ? 'are' : 'is'} missing: pick them together with ${json[0].name}`
		);
	}
	const shards = needed.map((p) => files.find((f) => f.name === p)!);
	return tf.loadLayersModel(tf.io.browserFiles([json[0], ...shards]));
}

export { isOutOfMemory } from '$lib/model/oom';
