/**
 * The filter gradient of a 2-D convolution (`Conv2DBackpropFilter`) for the wasm backend of
 * TensorFlow.js 4.22, which ships without it. Without this kernel `tf.grad` / `optimizer.minimize`
 * cannot train any conv2d or conv2dTranspose layer on wasm.
 *
 * Strategy: the filter gradient is itself a convolution, so XNNPACK (the wasm Conv2D) does the work.
 *   dW[kh, kw, ci, co] = Σ_{n,y,x} X[n, y·s + kh − pTop, x·s + kw − pLeft, ci] · dY[n, y, x, co]
 * which is conv2d(input = Xᵀ [ci, H, W, n], filter = dYᵀ [H', W', n, co], dilation = s, stride 1,
 * padding pTop/pLeft) giving [ci, K, K, co], transposed to [K, K, ci, co]. Only wasm kernel functions
 * are called (Transpose, Slice, Conv2D), on TensorInfos, and every intermediate is released with
 * `backend.disposeData`, so the engine's tensor count and the wasm heap stay flat.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

const KERNEL = 'Conv2DBackpropFilter';
const BACKEND = 'wasm';

/** The slice of the wasm backend that these kernels touch. */
export interface WasmBackendLike {
	disposeData(dataId: object, force?: boolean): boolean;
}

export type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];

/** tfjs's explicit NHWC padding: none on batch and channels, top/bottom on rows, left/right on columns. */
export function explicitPadding(top: number, bottom: number, left: number, right: number): ExplicitPadding {
	return [
		[0, 0],
		[top, bottom],
		[left, right],
		[0, 0]
	];
}

/** The geometry of a channels-last conv2d (dilation 1), as tfjs computes it. */
export function nhwcConvInfo(
	xShape: [number, number, number, number],
	filterShape: [number, number, number, number],
	attrs: Conv2DGradAttrs
) {
	const { strides, pad, dimRoundingMode } = attrs;
	return tf.backend_util.computeConv2DInfo(
		xShape,
		filterShape,
		strides,
		1,
		pad,
		dimRoundingMode,
		false,
		'channelsLast'
	);
}

/** The attributes the conv2d gradient kernels share. */
export interface Conv2DGradAttrs {
	strides: [number, number] | number;
	pad: 'valid' | 'same' | number | ExplicitPadding;
	dataFormat: 'NHWC' | 'NCHW';
	dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export interface Conv2DBackpropFilterAttrs extends Conv2DGradAttrs {
	filterShape: [number, number, number, number];
}

/**
 * Calls a registered wasm kernel directly (no engine bookkeeping, no tape): TensorInfo in, TensorInfo
 * out. `who` names the caller in errors.
 */
export function callWasmKernel(
	name: string,
	inputs: Record<string, TensorInfo>,
	attrs: NamedAttrMap,
	backend: WasmBackendLike,
	who = 'wasm-grad'
): TensorInfo {
	const kernel = tf.getKernel(name, BACKEND);
	if (kernel == null) throw new Error(`${who}: kernel '${name}' is not registered for wasm`);
	const out = kernel.kernelFunc({ inputs, attrs, backend: backend as unknown as tf.KernelBackend });
	if (Array.isArray(out)) throw new Error(`${who}: kernel '${name}' returned several outputs`);
	return out;
}
const call = callWasmKernel;

/**
 * dW for x [N, H, W, Ci] and dy [N, H', W', Co] (NHWC, dilation 1), same semantics as the cpu
 * backend's `conv2DBackpropFilter` (rows/cols of x outside the padded input contribute 0).
 */
export function conv2DBackpropFilterWasm(args: {
	inputs: { x: TensorInfo; dy: TensorInfo };
	backend: WasmBackendLike;
	attrs: Conv2DBackpropFilterAttrs;
}): TensorInfo {
	const { inputs, backend, attrs } = args;
	const { x, dy } = inputs;
	const { dataFormat, filterShape } = attrs;
	if (dataFormat !== 'NHWC') {
		throw new Error(`wasm Conv2DBackpropFilter supports dataFormat 'NHWC' only, got '${dataFormat}'`);
	}
	const info = nhwcConvInfo(x.shape as [number, number, number, number], filterShape, attrs);
	const { batchSize, inHeight, inWidth, inChannels, outChannels, outHeight, outWidth } = info;
	const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw } = info;
	const { top, left } = info.padInfo;
	// tfjs-core's Conv2D gradient drops `dimRoundingMode`, so with pad = number and 'ceil'/'round' dy
	// can be larger than the geometry computed here; like the cpu backend, its extra rows/cols are ignored.
	if (dy.shape[0] !== batchSize || dy.shape[1] < outHeight || dy.shape[2] < outWidth || dy.shape[3] !== outChannels) {
		throw new Error(
			`wasm Conv2DBackpropFilter: dy shape [${dy.shape}] does not fit [${batchSize},${outHeight},${outWidth},${outChannels}]`
		);
	}
	const temps: TensorInfo[] = [];
	const keep = (t: TensorInfo) => (temps.push(t), t);
	try {
		// Rows of x that any tap can reach: r = kh' + y·s − top ≤ (kh−1) + (outHeight−1)·sh − top.
		// Padding at the far side makes the conv output exactly kh × kw; when it would be negative,
		// the unreachable tail of x is sliced away instead.
		let padBottom = kh - 1 + (outHeight - 1) * sh - top - (inHeight - 1);
		let padRight = kw - 1 + (outWidth - 1) * sw - left - (inWidth - 1);
		const useH = Math.min(inHeight, inHeight + padBottom);
		const useW = Math.min(inWidth, inWidth + padRight);
		padBottom = Math.max(0, padBottom);
		padRight = Math.max(0, padRight);
		let dyIn: TensorInfo = dy;
		if (dy.shape[1] > outHeight || dy.shape[2] > outWidth) {
			dyIn = keep(
				call('Slice', { x: dy }, { begin: [0, 0, 0, 0], size: [batchSize, outHeight, outWidth, outChannels] }, backend)
			);
		}
		let xIn: TensorInfo = x;
		if (useH < inHeight || useW < inWidth) {
			xIn = keep(call('Slice', { x }, { begin: [0, 0, 0, 0], size: [batchSize, useH, useW, inChannels] }, backend));
		}
		// Xᵀ: [Ci, H, W, N] — batch = input channel, channels = images.
		const xT = keep(call('Transpose', { x: xIn }, { perm: [3, 1, 2, 0] }, backend));
		// dYᵀ: [H', W', N, Co] — a filter with "input channels" = images.
		const dyT = keep(call('Transpose', { x: dyIn }, { perm: [1, 2, 0, 3] }, backend));
		// The engine-level pad contract: explicit [[0,0],[top,bottom],[left,right],[0,0]].
		const convPad = explicitPadding(top, padBottom, left, padRight);
		const g = keep(
			call(
				'Conv2D',
				{ x: xT, filter: dyT },
				{
					strides: [1, 1],
					pad: convPad,
					dataFormat: 'NHWC',
					dilations: [sh, sw],
					dimRoundingMode: 'floor'
				} as unknown as NamedAttrMap,
				backend
			)
		);
		if (g.shape[1] !== kh || g.shape[2] !== kw) {
			throw new Error(`wasm Conv2DBackpropFilter: internal conv gave [${g.shape}], expected ${kh}×${kw}`);
		}
		// [Ci, K, K, Co] → [K, K, Ci, Co]
		return call('Transpose', { x: g }, { perm: [1, 2, 0, 3] }, backend);
	} finally {
		for (const t of temps) backend.disposeData(t.dataId);
	}
}

export const conv2DBackpropFilterWasmConfig: KernelConfig = {
	kernelName: KERNEL,
	backendName: BACKEND,
	kernelFunc: conv2DBackpropFilterWasm as unknown as KernelFunc
};

/**
 * Registers the wasm `Conv2DBackpropFilter` kernel with `tf.registerKernel`. Idempotent: returns
 * false when a kernel of that name is already registered for wasm (ours or a future official one).
 */
export function registerWasmConv2DBackpropFilter(): boolean {
	if (tf.getKernel(KERNEL, BACKEND) != null) return false;
	tf.registerKernel(conv2DBackpropFilterWasmConfig);
	return true;
}
