/**
 * The paper's §3.1 surgery: "fully connected layers can also be viewed as convolutions with kernels
 * that cover their entire input regions". The dense fc6 of the classifier, reading the flattened
 * pool5 map (k×k×C, flattened in tfjs Flatten's channels-last order h, w, c), is RESHAPED — not
 * retrained — into a k×k convolution [k, k, C, units]; fc7 (and fc8) into 1×1 convolutions.
 * The convolutionalised classifier reproduces the dense logits at the classifier's input size and
 * yields a map of class scores on larger inputs.
 */
import * as tf from '@tensorflow/tfjs';
import type { FlattenOrder } from '$lib/fcn/fcToConv';

function layerNames(model: tf.LayersModel): Set<string> {
	return new Set(model.layers.map((l) => l.name));
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
	return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** The pool5 map the dense fc6 reads: [k, k, C] (from the classifier's fixed input). */
export function pool5Shape(classifier: tf.LayersModel): [number, number, number] {
	const s = classifier.getLayer('pool5').outputShape as number[];
	if (s.length !== 4 || s[1] == null || s[2] == null) {
		throw new Error(`surgery: the classifier's pool5 must have a fixed spatial size, got [${s}]`);
	}
	return [s[1], s[2], s[3]];
}

/**
 * The dense kernel [kh·kw·C, units] of a layer that read a flattened kh×kw×C map, as the
 * [kh, kw, C, units] kernel of the equivalent convolution. For `hwc` this is a pure reshape (the
 * same numbers in the same order); for `chw` the rows are permuted first. The caller disposes.
 */
export function denseKernelToConv(
	kernel: tf.Tensor2D,
	[kh, kw, c]: [number, number, number],
	order: FlattenOrder = 'hwc'
): tf.Tensor4D {
	const [rows, units] = kernel.shape;
	if (rows !== kh * kw * c) {
		throw new RangeError(
			`denseKernelToConv: the kernel has ${rows} rows, but a ${kh}×${kw}×${c} map flattens to ${kh * kw * c}`
		);
	}
	if (order === 'hwc') return tf.reshape(kernel, [kh, kw, c, units]);
	return tf.tidy(() => tf.transpose(tf.reshape(kernel, [c, kh, kw, units]), [1, 2, 0, 3]));
}

export interface SurgeryReport {
	/** Layers whose weights were copied unchanged (the 13 convolutions). */
	copied: string[];
	/** Layers whose dense weights were reshaped into convolution kernels, with the shapes. */
	reshaped: { name: string; from: number[]; to: number[] }[];
}

/**
 * Copy the classifier's weights into a fully convolutional net `target` (vgg16Convolutional or an
 * FCN): the convolutions as they are, fc6 [k·k·C, u] → [k, k, C, u], fc7 [u, u] → [1, 1, u, u], and
 * fc8 → [1, 1, u, classes] when the target has an fc8 (the convolutionalised classifier; an FCN has
 * a fresh score_fr instead). Throws when a shape does not fit.
 */
export function convolutionalize(classifier: tf.LayersModel, target: tf.LayersModel): SurgeryReport {
	const targetNames = layerNames(target);
	const report: SurgeryReport = { copied: [], reshaped: [] };
	for (const layer of classifier.layers) {
		const name = layer.name;
		if (!targetNames.has(name) || layer.getWeights().length === 0) continue;
		const src = layer.getWeights();
		const dst = target.getLayer(name);
		const dstShapes = dst.getWeights().map((w) => w.shape as number[]);
		if (layer.getClassName() === 'Dense') {
			const [kernel, bias] = src;
			const units = kernel.shape[1] as number;
			const [kh, kw, c] = name === 'fc6' ? pool5Shape(classifier) : [1, 1, kernel.shape[0] as number];
			const to = [kh, kw, c, units];
			if (!sameShape(to, dstShapes[0])) {
				throw new Error(`surgery: ${name} reshapes to [${to}] but the target's kernel is [${dstShapes[0]}]`);
			}
			// channels-last flatten: row index (h·k + w)·C + c  ==  row-major [k, k, C] index → a pure reshape
			const reshaped = denseKernelToConv(kernel as tf.Tensor2D, [kh, kw, c], 'hwc');
			dst.setWeights([reshaped, bias]);
			reshaped.dispose();
			report.reshaped.push({ name, from: kernel.shape, to });
		} else {
			src.forEach((w, i) => {
				if (!sameShape(w.shape, dstShapes[i]))
					throw new Error(`surgery: ${name} weight ${i} is [${w.shape}] but the target's is [${dstShapes[i]}]`);
			});
			dst.setWeights(src);
			report.copied.push(name);
		}
	}
	return report;
}

/**
 * The surgery is exact: the largest |dense logit − convolutional logit| over a batch of
 * classifier-sized images (inference mode, no dropout). The convolutional net must output [N, 1, 1, classes].
 */
export function surgeryMaxAbsDiff(
	classifier: tf.LayersModel,
	convolutional: tf.LayersModel,
	images: tf.Tensor4D
): number {
	return tf.tidy(() => {
		const dense = classifier.predict(images) as tf.Tensor2D;
		const conv = convolutional.predict(images) as tf.Tensor4D;
		if (conv.shape[1] !== 1 || conv.shape[2] !== 1) {
			throw new Error(
				`surgery: at the classifier's input size the convolutional net should give 1×1 scores, got ${conv.shape[1]}×${conv.shape[2]}`
			);
		}
		return tf.max(tf.abs(tf.sub(dense, tf.reshape(conv, dense.shape)))).dataSync()[0];
	});
}

/**
 * FCN-16s from FCN-32s, FCN-8s from FCN-16s: copy every layer that both nets have (same name, same
 * shapes); the new layers keep their initialisation (zero score_pool4 / score_pool3, bilinear ×2).
 * Returns the names copied.
 */
export function transferShared(from: tf.LayersModel, to: tf.LayersModel): string[] {
	const names = layerNames(from);
	const copied: string[] = [];
	for (const layer of to.layers) {
		if (!names.has(layer.name) || layer.getWeights().length === 0) continue;
		const src = from.getLayer(layer.name).getWeights();
		const dst = layer.getWeights();
		if (src.length !== dst.length || src.some((w, i) => !sameShape(w.shape, dst[i].shape))) continue;
		layer.setWeights(src);
		copied.push(layer.name);
	}
	return copied;
}
