/**
 * Output sizes along one spatial axis (Dumoulin & Visin, "A guide to convolution arithmetic").
 * Every function throws a GeometryError naming `layer` instead of returning a size < 1 or NaN.
 */
import { GeometryError, checkInteger } from './errors';

/** The effective extent of a dilated kernel: d(k − 1) + 1. */
export function effectiveKernel(kernel: number, dilation = 1): number {
	return dilation * (kernel - 1) + 1;
}

/**
 * Convolution: o = ⌊(i + 2p − d(k − 1) − 1)/s⌋ + 1.
 * Throws when the (effective) kernel is larger than the padded input.
 */
export function convOutputSize(
	input: number,
	kernel: number,
	stride = 1,
	padding = 0,
	dilation = 1,
	layer = 'conv'
): number {
	checkArgs(layer, input, kernel, stride, padding);
	checkInteger(layer, 'dilation', dilation, 1);
	const ke = effectiveKernel(kernel, dilation);
	const padded = checkFits(layer, input, kernel, padding, ke);
	return Math.floor((padded - ke) / stride) + 1;
}

/** The padded input i + 2p; throws when the (effective, `ke`) kernel is larger than it. */
function checkFits(layer: string, input: number, kernel: number, padding: number, ke = kernel): number {
	const padded = input + 2 * padding;
	if (ke > padded) {
		const eff = ke !== kernel ? ` (dilated to ${ke})` : '';
		throw new GeometryError(
			layer,
			`kernel ${kernel}${eff} is larger than the padded input ${input} + 2·${padding} = ${padded}`
		);
	}
	return padded;
}

/**
 * Pooling. Floor mode is the convolution formula. Caffe rounds up, o = ⌈(i + 2p − k)/s⌉ + 1, and
 * then drops the last window if it would start beyond the input and its left padding,
 * (o − 1)s ≥ i + p: every window must start inside the image (or its left padding). Caffe applies
 * that rule only when p > 0; here it is applied always, which differs from Caffe only when k < s
 * and p = 0, where Caffe would pool an empty window.
 */
export function poolOutputSize(
	input: number,
	kernel: number,
	stride: number,
	padding = 0,
	ceil = false,
	layer = 'pool'
): number {
	if (!ceil) return convOutputSize(input, kernel, stride, padding, 1, layer);
	checkArgs(layer, input, kernel, stride, padding);
	const padded = checkFits(layer, input, kernel, padding);
	let o = Math.ceil((padded - kernel) / stride) + 1;
	if ((o - 1) * stride >= input + padding) o -= 1;
	return o;
}

/**
 * Transposed convolution: o′ = s(i′ − 1) + a + k − 2p, with 0 ≤ a < s the extra rows on one side
 * that pick among the input sizes a stride-s convolution maps to i′.
 */
export function deconvOutputSize(
	input: number,
	kernel: number,
	stride = 1,
	padding = 0,
	extra = 0,
	layer = 'deconv'
): number {
	checkArgs(layer, input, kernel, stride, padding);
	if (!Number.isInteger(extra) || extra < 0 || extra >= Math.max(stride, 1)) {
		throw new GeometryError(layer, `invalid extra size a: ${extra} (0 ≤ a < stride ${stride})`);
	}
	const o = stride * (input - 1) + extra + kernel - 2 * padding;
	if (o < 1) {
		throw new GeometryError(
			layer,
			`output size ${stride}·(${input} − 1) + ${extra} + ${kernel} − 2·${padding} = ${o} is < 1 (padding too large)`
		);
	}
	return o;
}

function checkArgs(layer: string, input: number, kernel: number, stride: number, padding: number) {
	checkInteger(layer, 'input size', input, 1);
	checkInteger(layer, 'kernel', kernel, 1);
	checkInteger(layer, 'stride', stride, 1);
	checkInteger(layer, 'padding', padding, 0);
}
