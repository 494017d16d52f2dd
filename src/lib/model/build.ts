/**
 * Build a runnable tf.LayersModel from a network definition (src/lib/fcn/network.ts).
 *
 * The model is made FROM the definition, layer by layer, and every tf layer carries the name of the
 * definition's layer, so the shapes, strides and receptive fields that the geometry library reports
 * are those of the model that runs. Only standard Keras layers are used (ZeroPadding2D, Conv2D,
 * MaxPooling2D, AveragePooling2D, Conv2DTranspose, Add, Cropping2D, Dropout, Flatten, Dense), so the
 * saved model loads with plain `tf.loadLayersModel` in the browser.
 */
import * as tf from '@tensorflow/tfjs';
import type { Layer, Network, ConvLayer, DeconvLayer } from '$lib/fcn/network';
import { bilinearDeconvKernel } from '$lib/fcn/bilinear';

export interface BuildOptions {
	/** Seed of the weight initialisers (He normal for convolutions and dense layers). */
	seed?: number;
	/**
	 * Crop offsets for the caffe geometry's Crop layers, by layer name ([top, left]); the geometry
	 * library derives them. Not needed for the `same` geometry, which has no crops.
	 */
	cropOffsets?: Record<string, [number, number]>;
	/** Spatial input size; null (the default) lets the model take any size, as an FCN should. */
	inputSize?: [number, number] | null;
}

/** The tf layer names that hold the weights of a definition's layer (same name, by construction). */
export function tfLayerName(layer: Layer): string {
	return layer.name;
}

/** Name of the ZeroPadding2D layer inserted before a conv with explicit padding. */
export function padLayerName(name: string): string {
	return `${name}_pad`;
}

/** Bilinear upsampling weights (the geometry library's `upsample_filt`) as a Conv2DTranspose kernel. */
export function bilinearDeconvWeights(kernel: number, channels: number): tf.Tensor4D {
	const { data, shape } = bilinearDeconvKernel(kernel, channels);
	return tf.tensor4d(data, shape);
}

function convPadding(l: ConvLayer): { same: boolean; explicit: number } {
	const effective = l.dilation * (l.kernel - 1) + 1;
	// 'same' in tfjs pads (k−1)/2 on each side when stride is 1 and k is odd: identical to explicit p.
	if (l.stride === 1 && effective % 2 === 1 && l.padding === (effective - 1) / 2) return { same: true, explicit: 0 };
	return { same: false, explicit: l.padding };
}

function deconvPadding(l: DeconvLayer): 'same' | 'valid' {
	if (l.padding === 0) return 'valid';
	// tfjs 'same' for a transposed conv gives o' = s·i', i.e. padding (k − s)/2 on each side.
	if ((l.kernel - l.stride) % 2 === 0 && l.padding === (l.kernel - l.stride) / 2) return 'same';
	throw new Error(
		`${l.name}: a transposed convolution with k=${l.kernel}, s=${l.stride}, p=${l.padding} has no tfjs equivalent`
	);
}

/** Build the tf model of a network definition. Weights are freshly initialised (seeded). */
export function buildModel(net: Network, opts: BuildOptions = {}): tf.LayersModel {
	const seed = opts.seed ?? 1;
	const tensors = new Map<string, tf.SymbolicTensor>();
	const get = (name: string) => {
		const t = tensors.get(name);
		if (!t) throw new Error(`${net.name}: layer input '${name}' is not defined before it is used`);
		return t;
	};
	let input: tf.SymbolicTensor | null = null;
	let n = 0;
	const init = () => tf.initializers.heNormal({ seed: seed + n++ });
	const deconvInits: { name: string; kernel: number; channels: number }[] = [];
	const zeroInits: string[] = [];

	for (const l of net.layers) {
		let out: tf.SymbolicTensor;
		switch (l.type) {
			case 'input': {
				const size = opts.inputSize !== undefined ? opts.inputSize : (net.fixedInput ?? null);
				out = tf.input({ shape: [size?.[0] ?? null, size?.[1] ?? null, l.channels], name: l.name });
				input = out;
				break;
			}
			case 'conv': {
				if (l.groups !== 1)
					throw new Error(`${l.name}: grouped convolutions (AlexNet) are geometry only; tfjs cannot run them`);
				const pad = convPadding(l);
				let x = get(l.input);
				if (pad.explicit > 0) {
					x = tf.layers
						.zeroPadding2d({ padding: pad.explicit, name: padLayerName(l.name) })
						.apply(x) as tf.SymbolicTensor;
				}
				out = tf.layers
					.conv2d({
						name: l.name,
						filters: l.filters,
						kernelSize: l.kernel,
						strides: l.stride,
						dilationRate: l.dilation,
						padding: pad.same ? 'same' : 'valid',
						useBias: l.bias,
						activation: l.activation,
						kernelInitializer: l.init === 'zeros' ? 'zeros' : init()
					})
					.apply(x) as tf.SymbolicTensor;
				if (l.init === 'zeros') zeroInits.push(l.name);
				break;
			}
			case 'pool': {
				if (l.ceil)
					throw new Error(
						`${l.name}: ceil-mode pooling (the caffe geometry) is geometry only; build the 'same' geometry to run it`
					);
				if (l.padding !== 0) throw new Error(`${l.name}: padded pooling is not supported by the model builder`);
				const cfg = { name: l.name, poolSize: l.kernel, strides: l.stride, padding: 'valid' as const };
				out = (l.mode === 'max' ? tf.layers.maxPooling2d(cfg) : tf.layers.averagePooling2d(cfg)).apply(
					get(l.input)
				) as tf.SymbolicTensor;
				break;
			}
			case 'deconv': {
				out = tf.layers
					.conv2dTranspose({
						name: l.name,
						filters: l.filters,
						kernelSize: l.kernel,
						strides: l.stride,
						padding: deconvPadding(l),
						useBias: l.bias,
						trainable: l.trainable
					})
					.apply(get(l.input)) as tf.SymbolicTensor;
				deconvInits.push({ name: l.name, kernel: l.kernel, channels: l.filters });
				break;
			}
			case 'crop': {
				const offset = opts.cropOffsets?.[l.name];
				if (!offset)
					throw new Error(
						`${l.name}: a Crop layer needs its offset (from the geometry library) and a fixed input size`
					);
				throw new Error(
					`${l.name}: Crop layers (the caffe geometry) are geometry only; build the 'same' geometry to run it`
				);
			}
			case 'sum':
				out = tf.layers.add({ name: l.name }).apply([get(l.inputs[0]), get(l.inputs[1])]) as tf.SymbolicTensor;
				break;
			case 'dropout':
				out = tf.layers.dropout({ name: l.name, rate: l.rate, seed }).apply(get(l.input)) as tf.SymbolicTensor;
				break;
			case 'lrn':
				throw new Error(`${l.name}: local response normalisation (AlexNet) is geometry only`);
			case 'resize':
			case 'scale':
				throw new Error(`${l.name}: ${l.type} layers come from imported graphs and are geometry only here`);
			case 'flatten':
				out = tf.layers.flatten({ name: l.name }).apply(get(l.input)) as tf.SymbolicTensor;
				break;
			case 'dense':
				out = tf.layers
					.dense({ name: l.name, units: l.units, activation: l.activation, kernelInitializer: init() })
					.apply(get(l.input)) as tf.SymbolicTensor;
				break;
		}
		tensors.set(l.name, out);
	}
	if (!input) throw new Error(`${net.name}: no input layer`);
	const model = tf.model({ inputs: input, outputs: get(net.output), name: net.name });
	for (const d of deconvInits) {
		const w = bilinearDeconvWeights(d.kernel, d.channels);
		model.getLayer(d.name).setWeights([w]);
		w.dispose();
	}
	return model;
}

/**
 * An FCN takes any input size. If a saved model fixed its input size, rebuild it from the definition
 * with a free input and copy the trained weights over, layer by layer (same names); the saved model
 * is disposed. A model whose input is already free is returned as it is.
 */
export function withFreeInputSize(model: tf.LayersModel, net: Network): tf.LayersModel {
	const shape = model.inputs[0].shape;
	if (shape[1] === null && shape[2] === null) return model;
	const free = buildModel(net, { inputSize: null });
	for (const l of free.layers) {
		const w = l.getWeights();
		if (w.length) l.setWeights(model.getLayer(l.name).getWeights());
		tf.dispose(w);
	}
	model.dispose();
	return free;
}

/**
 * The name of every definition layer that produces an activation worth showing (everything but
 * the input and geometry-neutral dropout), in order: the layers an activation-capturing model exposes.
 */
export function activationLayerNames(net: Network): string[] {
	return net.layers.filter((l) => l.type !== 'input' && l.type !== 'dropout').map((l) => l.name);
}

/**
 * One model with many outputs that shares the weights of `model`: the activation of every named
 * layer, in the order given (include the net's output layer to get the segmentation too). One
 * forward pass yields the segmentation and every activation; no truncated model is ever re-run.
 */
export function captureModel(model: tf.LayersModel, layerNames: string[]): tf.LayersModel {
	const unique = [...new Set(layerNames)];
	const outputs = unique.map((n) => model.getLayer(n).output as tf.SymbolicTensor);
	return tf.model({ inputs: model.inputs, outputs, name: `${model.name}_capture` });
}
