/**
 * A faster `Conv2DBackpropInput` (the input gradient of conv2d, and the forward pass of
 * conv2dTranspose) for the wasm backend of TensorFlow.js 4.22, whose own kernel is a plain C++ loop
 * that took ~2/3 of a VGG training step here. For stride 1 the input gradient is a convolution of dy
 * with the spatially flipped filter, in/out channels swapped, and "full" padding:
 *   dx[n, r, c, ci] = Σ_{kh,kw,co} dy[n, r + top − kh, c + left − kw, co] · W[kh, kw, ci, co]
 *                   = conv2d(dy, W[K−1−kh, K−1−kw, co, ci], pad top' = K−1−top, left' = K−1−left)
 * so XNNPACK's Conv2D does it. Other strides go to the original wasm kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import {
	callWasmKernel,
	explicitPadding,
	nhwcConvInfo,
	type Conv2DGradAttrs,
	type ExplicitPadding,
	type WasmBackendLike
} from '$lib/model/wasm-grad';

const KERNEL = 'Conv2DBackpropInput';
const BACKEND = 'wasm';

export interface Conv2DBackpropInputAttrs extends Conv2DGradAttrs {
	inputShape: [number, number, number, number];
}

type Args = {
	inputs: { dy: TensorInfo; filter: TensorInfo };
	backend: WasmBackendLike;
	attrs: Conv2DBackpropInputAttrs;
};

const call = (name: string, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap, backend: WasmBackendLike) =>
	callWasmKernel(name, inputs, attrs, backend, 'wasm-backprop-input');

/** Stride-1 NHWC input gradient through XNNPACK; returns null where it does not apply. */
export function conv2DBackpropInputStride1(args: Args): TensorInfo | null {
	const { inputs, backend, attrs } = args;
	const { dy, filter } = inputs;
	const { dataFormat, inputShape } = attrs;
	if (dataFormat !== 'NHWC') return null;
	const info = nhwcConvInfo(inputShape, filter.shape as [number, number, number, number], attrs);
	if (info.strideHeight !== 1 || info.strideWidth !== 1) return null;
	const { batchSize, inHeight, inWidth, outHeight, outWidth, filterHeight: kh, filterWidth: kw } = info;
	if (dy.shape[1] !== outHeight || dy.shape[2] !== outWidth) return null;
	const top = kh - 1 - info.padInfo.top;
	const left = kw - 1 - info.padInfo.left;
	if (top < 0 || left < 0) return null; // padding wider than the filter: leave it to the original kernel
	// Output rows = outHeight + top + bottom − kh + 1 = inHeight.
	const bottom = inHeight - outHeight + kh - 1 - top;
	const right = inWidth - outWidth + kw - 1 - left;
	if (bottom < 0 || right < 0) return null;
	const temps: TensorInfo[] = [];
	try {
		const flipped = call('Reverse', { x: filter }, { dims: [0, 1] }, backend);
		temps.push(flipped);
		const wT = call('Transpose', { x: flipped }, { perm: [0, 1, 3, 2] }, backend);
		temps.push(wT);
		const convPad: ExplicitPadding = explicitPadding(top, bottom, left, right);
		const dx = call(
			'Conv2D',
			{ x: dy, filter: wT },
			{ strides: [1, 1], pad: convPad, dataFormat: 'NHWC', dilations: [1, 1] } as unknown as NamedAttrMap,
			backend
		);
		if (
			dx.shape[0] !== batchSize ||
			dx.shape[1] !== inHeight ||
			dx.shape[2] !== inWidth ||
			dx.shape[3] !== info.inChannels
		) {
			backend.disposeData(dx.dataId);
			throw new Error(`wasm Conv2DBackpropInput: internal conv gave [${dx.shape}], expected [${inputShape}]`);
		}
		return dx;
	} finally {
		for (const t of temps) backend.disposeData(t.dataId);
	}
}

let original: KernelConfig | null = null;

/**
 * Replaces the wasm `Conv2DBackpropInput` by one that sends stride-1 cases through XNNPACK and
 * everything else to the original kernel. Idempotent; returns false if already installed.
 */
export function registerWasmFastConv2DBackpropInput(): boolean {
	if (original != null) return false;
	const base = tf.getKernel(KERNEL, BACKEND);
	if (base == null)
		throw new Error(
			`registerWasmFastConv2DBackpropInput: no wasm '${KERNEL}' kernel to wrap (import '@tensorflow/tfjs-backend-wasm' first)`
		);
	original = base;
	const kernelFunc = ((args: Args) =>
		conv2DBackpropInputStride1(args) ??
		base.kernelFunc(args as unknown as Parameters<KernelFunc>[0])) as unknown as KernelFunc;
	tf.unregisterKernel(KERNEL, BACKEND);
	tf.registerKernel({
		kernelName: KERNEL,
		backendName: BACKEND,
		setupFunc: base.setupFunc,
		disposeFunc: base.disposeFunc,
		kernelFunc
	});
	return true;
}
