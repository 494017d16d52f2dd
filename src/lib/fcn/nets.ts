/**
 * The networks of the paper as data: VGG-16 (dense classifier and its convolutionalised form),
 * FCN-32s / 16s / 8s, AlexNet and FCN-AlexNet, at full size or scaled by a width multiplier so
 * that the same definitions describe the small network that we train.
 *
 * Layer names follow the reference implementation (voc-fcn*s/net.py).
 */
import type { ConvLayer, Geometry, Layer, Network, PoolLayer, DeconvLayer, Activation } from './network';

export type NetName = 'vgg16' | 'fcn32s' | 'fcn16s' | 'fcn8s' | 'alexnet' | 'fcn-alexnet';
export const NET_NAMES: readonly NetName[] = ['vgg16', 'fcn32s', 'fcn16s', 'fcn8s', 'alexnet', 'fcn-alexnet'];
export type FcnVariant = '32s' | '16s' | '8s';

export interface NetOptions {
	/** Channel-width multiplier (1 = the paper's VGG-16). Every channel count is round(c·width), at least 1. */
	width?: number;
	/** Number of classes of the score layer (1000 for the ImageNet classifier, 21 for PASCAL VOC). */
	classes?: number;
	geometry?: Geometry;
	/** Channels of the input image (3 for RGB photographs, 1 for our digit scenes). */
	inputChannels?: number;
	/**
	 * The classifier's fixed input side (224 for VGG-16, 227 for AlexNet). It sets the size of the
	 * pool5 map that fc6 reads, and so fc6's kernel when fc6 becomes a convolution (224/32 = 7).
	 */
	classifierInput?: number;
}

/** Defaults of the paper: VGG-16 at full width, 224×224 RGB. */
const VGG_DEFAULTS = { width: 1, geometry: 'caffe' as Geometry, inputChannels: 3, classifierInput: 224 };

export const VGG16_BLOCKS: readonly (readonly number[])[] = [
	[64, 64],
	[128, 128],
	[256, 256, 256],
	[512, 512, 512],
	[512, 512, 512]
];

/** round(c·width), at least 1. */
export function scaleChannels(c: number, width: number): number {
	return Math.max(1, Math.round(c * width));
}

function conv(
	name: string,
	input: string,
	kernel: number,
	filters: number,
	opts: Partial<Omit<ConvLayer, 'type' | 'name' | 'input' | 'kernel' | 'filters'>> = {}
): ConvLayer {
	return {
		type: 'conv',
		name,
		input,
		kernel,
		filters,
		stride: opts.stride ?? 1,
		padding: opts.padding ?? 0,
		dilation: opts.dilation ?? 1,
		groups: opts.groups ?? 1,
		bias: opts.bias ?? true,
		activation: (opts.activation ?? 'relu') as Activation,
		...(opts.init ? { init: opts.init } : {})
	};
}

function pool(name: string, input: string, kernel: number, stride: number, ceil: boolean): PoolLayer {
	return { type: 'pool', name, input, mode: 'max', kernel, stride, padding: 0, ceil };
}

function deconv(
	name: string,
	input: string,
	factor: number,
	filters: number,
	geometry: Geometry,
	trainable: boolean,
	kernel = 2 * factor
): DeconvLayer {
	// caffe: kernel 2f, no padding, the excess removed by a Crop layer.
	// same:  kernel 2f, padding f/2, so o' = f(i'−1) + 2f − f = f·i' exactly.
	return {
		type: 'deconv',
		name,
		input,
		kernel,
		stride: factor,
		padding: geometry === 'caffe' ? 0 : factor / 2,
		filters,
		bias: false,
		init: 'bilinear',
		trainable
	};
}

/** The 13 convolutions and 5 poolings of VGG-16 (conv1_1 … pool5). */
function vggFeatures(o: Required<Omit<NetOptions, 'classes'>>, fullyConvolutional: boolean): Layer[] {
	const layers: Layer[] = [{ type: 'input', name: 'data', channels: o.inputChannels }];
	let prev = 'data';
	VGG16_BLOCKS.forEach((block, b) => {
		block.forEach((c, j) => {
			const name = `conv${b + 1}_${j + 1}`;
			// The reference FCN pads conv1_1 by 100 so that any input, however small, survives to fc6.
			const padding = fullyConvolutional && o.geometry === 'caffe' && name === 'conv1_1' ? 100 : 1;
			layers.push(conv(name, prev, 3, scaleChannels(c, o.width), { padding }));
			prev = name;
		});
		const name = `pool${b + 1}`;
		layers.push(pool(name, prev, 2, 2, o.geometry === 'caffe'));
		prev = name;
	});
	return layers;
}

function resolve(opts: NetOptions, defaults: typeof VGG_DEFAULTS) {
	return {
		width: opts.width ?? defaults.width,
		geometry: opts.geometry ?? defaults.geometry,
		inputChannels: opts.inputChannels ?? defaults.inputChannels,
		classifierInput: opts.classifierInput ?? defaults.classifierInput
	};
}

/** The side of VGG's pool5 map at the classifier's input size: 224 → 7. */
export function vggPool5Side(classifierInput: number): number {
	return Math.floor(classifierInput / 32);
}

/**
 * VGG-16 as the ImageNet classifier: conv1_1 … pool5, then flatten, dense fc6, fc7 (ReLU, dropout)
 * and fc8 (class scores, linear: the softmax belongs to the loss).
 */
export function vgg16(opts: NetOptions = {}): Network {
	const o = resolve(opts, VGG_DEFAULTS);
	const classes = opts.classes ?? 1000;
	const fc = scaleChannels(4096, o.width);
	const layers = vggFeatures(o, false);
	return classifier('vgg16', o, [...layers, ...denseHead(fc, classes)]);
}

/** An ImageNet-style classifier's head: flatten pool5, dense fc6 and fc7 (ReLU, dropout), fc8 (linear). */
function denseHead(fc: number, classes: number): Layer[] {
	return [
		{ type: 'flatten', name: 'flatten', input: 'pool5' },
		{ type: 'dense', name: 'fc6', input: 'flatten', units: fc, activation: 'relu' },
		{ type: 'dropout', name: 'drop6', input: 'fc6', rate: 0.5 },
		{ type: 'dense', name: 'fc7', input: 'drop6', units: fc, activation: 'relu' },
		{ type: 'dropout', name: 'drop7', input: 'fc7', rate: 0.5 },
		{ type: 'dense', name: 'fc8', input: 'drop7', units: classes, activation: 'linear' }
	];
}

/** A classifier network: its layers end at fc8 and it takes only its fixed, square input. */
function classifier(name: string, o: ReturnType<typeof resolve>, layers: Layer[]): Network {
	return { name, geometry: o.geometry, layers, output: 'fc8', fixedInput: [o.classifierInput, o.classifierInput] };
}

/**
 * VGG-16 convolutionalised (the paper's §3.1): fc6, fc7, fc8 become k×k, 1×1, 1×1 convolutions
 * (k = 7 at 224) holding the same numbers, reshaped. fc6 is unpadded, so at the classifier's input
 * size the output is 1×1 and equals the dense logits; a larger input gives a map of class scores.
 */
export function vgg16Convolutional(opts: NetOptions = {}): Network {
	const o = resolve(opts, VGG_DEFAULTS);
	const classes = opts.classes ?? 1000;
	const fc = scaleChannels(4096, o.width);
	const k = vggPool5Side(o.classifierInput);
	const layers = vggFeatures({ ...o, geometry: o.geometry }, false);
	layers.push(
		conv('fc6', 'pool5', k, fc),
		{ type: 'dropout', name: 'drop6', input: 'fc6', rate: 0.5 },
		conv('fc7', 'drop6', 1, fc),
		{ type: 'dropout', name: 'drop7', input: 'fc7', rate: 0.5 },
		conv('fc8', 'drop7', 1, classes, { activation: 'linear' })
	);
	return { name: 'vgg16-conv', geometry: o.geometry, layers, output: 'fc8' };
}

/**
 * FCN-32s, FCN-16s and FCN-8s on VGG-16 (the paper's §4.2, Fig. 3).
 *
 * 32s: score_fr → upscore (×32, fixed bilinear).
 * 16s: score_fr → upscore2 (×2, bilinear init, learned) + score_pool4 (zero init) → upscore16 (×16).
 *  8s: … fuse_pool4 → upscore_pool4 (×2) + score_pool3 (zero init) → upscore8 (×8).
 * In the caffe geometry Crop layers align each skip and the output with the data.
 */
export function fcn(variant: FcnVariant, opts: NetOptions = {}): Network {
	const o = resolve(opts, VGG_DEFAULTS);
	const classes = opts.classes ?? 21;
	const fc = scaleChannels(4096, o.width);
	const k = vggPool5Side(o.classifierInput);
	if (o.geometry === 'same' && k % 2 === 0) {
		throw new Error(
			`fcn${variant}: the 'same' geometry needs an odd fc6 kernel, but the classifier input ${o.classifierInput} gives ${k}×${k}`
		);
	}
	const caffe = o.geometry === 'caffe';
	const layers = vggFeatures(o, true);
	layers.push(
		conv('fc6', 'pool5', k, fc, { padding: caffe ? 0 : (k - 1) / 2 }),
		{ type: 'dropout', name: 'drop6', input: 'fc6', rate: 0.5 },
		conv('fc7', 'drop6', 1, fc),
		{ type: 'dropout', name: 'drop7', input: 'fc7', rate: 0.5 },
		conv('score_fr', 'drop7', 1, classes, { activation: 'linear' })
	);
	const name = `fcn${variant}`;
	if (variant === '32s') {
		layers.push(deconv('upscore', 'score_fr', 32, classes, o.geometry, false));
		return finish(name, o.geometry, layers, 'upscore');
	}
	skip(layers, o.geometry, classes, 'score_fr', 'upscore2', 'pool4');
	if (variant === '16s') {
		layers.push(deconv('upscore16', 'fuse_pool4', 16, classes, o.geometry, false));
		return finish(name, o.geometry, layers, 'upscore16');
	}
	skip(layers, o.geometry, classes, 'fuse_pool4', 'upscore_pool4', 'pool3');
	layers.push(deconv('upscore8', 'fuse_pool3', 8, classes, o.geometry, false));
	return finish(name, o.geometry, layers, 'upscore8');
}

/**
 * One skip: `from` upsampled ×2 (`up`, bilinear init), plus `pool` scored by a zero-initialised 1×1
 * convolution (`score_<pool>`, cropped to `up` as `score_<pool>c` in the caffe geometry), summed into
 * `fuse_<pool>`.
 */
function skip(layers: Layer[], geometry: Geometry, classes: number, from: string, up: string, pool: string): void {
	let score = `score_${pool}`;
	layers.push(
		deconv(up, from, 2, classes, geometry, true),
		conv(score, pool, 1, classes, { activation: 'linear', init: 'zeros' })
	);
	if (geometry === 'caffe') {
		layers.push({ type: 'crop', name: `${score}c`, input: score, reference: up });
		score = `${score}c`;
	}
	layers.push({ type: 'sum', name: `fuse_${pool}`, inputs: [up, score] });
}

/** In the caffe geometry the final upsampling overshoots and is cropped to the data ('score'). */
function finish(name: string, geometry: Geometry, layers: Layer[], last: string): Network {
	if (geometry === 'caffe') {
		layers.push({ type: 'crop', name: 'score', input: last, reference: 'data' });
		return { name, geometry, layers, output: 'score' };
	}
	return { name, geometry, layers, output: last };
}

const ALEX_DEFAULTS = { width: 1, geometry: 'caffe' as Geometry, inputChannels: 3, classifierInput: 227 };

/** AlexNet's five convolutions as in Caffe's bvlc_alexnet (grouped conv2, conv4, conv5; LRN after pool1, pool2). */
function alexFeatures(o: ReturnType<typeof resolve>, fullyConvolutional: boolean): Layer[] {
	if (o.geometry !== 'caffe') {
		throw new Error(
			`alexnet: only the 'caffe' geometry is defined (fc6 is an even 6×6 kernel and conv1 an 11×11 at stride 4)`
		);
	}
	const c = (n: number) => scaleChannels(n, o.width);
	return [
		{ type: 'input', name: 'data', channels: o.inputChannels },
		conv('conv1', 'data', 11, c(96), { stride: 4, padding: fullyConvolutional ? 100 : 0 }),
		pool('pool1', 'conv1', 3, 2, true),
		{ type: 'lrn', name: 'norm1', input: 'pool1', size: 5 },
		conv('conv2', 'norm1', 5, c(256), { padding: 2, groups: 2 }),
		pool('pool2', 'conv2', 3, 2, true),
		{ type: 'lrn', name: 'norm2', input: 'pool2', size: 5 },
		conv('conv3', 'norm2', 3, c(384), { padding: 1 }),
		conv('conv4', 'conv3', 3, c(384), { padding: 1, groups: 2 }),
		conv('conv5', 'conv4', 3, c(256), { padding: 1, groups: 2 }),
		pool('pool5', 'conv5', 3, 2, true)
	];
}

/** AlexNet, the ImageNet classifier (227×227 input, pool5 6×6×256, dense fc6, fc7, fc8). */
export function alexnet(opts: NetOptions = {}): Network {
	const o = resolve(opts, ALEX_DEFAULTS);
	const fc = scaleChannels(4096, o.width);
	return classifier('alexnet', o, [...alexFeatures(o, false), ...denseHead(fc, opts.classes ?? 1000)]);
}

/** FCN-AlexNet (voc-fcn-alexnet): conv1 padded by 100, fc6 a 6×6 convolution, one ×32 upsampling (kernel 63). */
export function fcnAlexnet(opts: NetOptions = {}): Network {
	const o = resolve(opts, ALEX_DEFAULTS);
	const classes = opts.classes ?? 21;
	const fc = scaleChannels(4096, o.width);
	const layers = alexFeatures(o, true);
	layers.push(
		conv('fc6', 'pool5', 6, fc),
		{ type: 'dropout', name: 'drop6', input: 'fc6', rate: 0.5 },
		conv('fc7', 'drop6', 1, fc),
		{ type: 'dropout', name: 'drop7', input: 'fc7', rate: 0.5 },
		conv('score_fr', 'drop7', 1, classes, { activation: 'linear' }),
		deconv('upscore', 'score_fr', 32, classes, 'caffe', false, 63)
	);
	return finish('fcn-alexnet', 'caffe', layers, 'upscore');
}

/** Any of the paper's networks by name, as `npm run arch -- --net NAME` takes it. */
export function networkByName(name: NetName, opts: NetOptions = {}): Network {
	switch (name) {
		case 'vgg16':
			return vgg16(opts);
		case 'fcn32s':
			return fcn('32s', opts);
		case 'fcn16s':
			return fcn('16s', opts);
		case 'fcn8s':
			return fcn('8s', opts);
		case 'alexnet':
			return alexnet(opts);
		case 'fcn-alexnet':
			return fcnAlexnet(opts);
	}
}

/**
 * The small network that we train (see static/weights/manifest.json): VGG-16's topology at a
 * fraction of its width, one grey input channel, 10 digit classes for the classifier and
 * 11 classes (background + 10 digits) for the FCNs, in the `same` geometry, classifier input 96
 * so that pool5 is 3×3 and fc6 becomes a real 3×3 convolution.
 */
export const TRAINED = {
	width: 0.125,
	inputChannels: 1,
	classifierInput: 96,
	digitClasses: 10,
	segClasses: 11,
	geometry: 'same' as Geometry
} as const;

export function trainedOptions(overrides: Partial<NetOptions> = {}): NetOptions {
	return {
		width: TRAINED.width,
		inputChannels: TRAINED.inputChannels,
		classifierInput: TRAINED.classifierInput,
		geometry: TRAINED.geometry,
		...overrides
	};
}
