/**
 * A faster strided `Conv2DBackpropInput` (the forward pass of conv2dTranspose: FCN's upsampling
 * layers) for the wasm backend of TensorFlow.js 4.22. Its own kernel is a plain C++ loop: no XNNPACK,
 * no SIMD, no threads. Measured here (`npm run bench`, tf.profile), FCN-8s's three transposed
 * convolutions are about 7 % of its FLOPs and took about half of a 256² pass, on one thread
 * whatever the thread count, which alone capped the speed-up of threads.
 *
 * Sub-pixel form: with stride s and a K×K filter padded to M·s (M = ⌈K/s⌉), output pixel
 * R = q·s + a (before the crop by the forward pad `top`) only meets filter rows kh = a + s·m, so
 *   full[n, q·s+a, p·s+b, c] = Σ_{m,l,o} dy[n, q−m, p−l, o] · W[a+s·m, b+s·l, c, o]
 * which is ONE stride-1 convolution of dy with an M×M filter W'[i, j, o, (a·s+b)·C + c] =
 * W[a+s·(M−1−i), b+s·(M−1−j), c, o] and M−1 zero rows and columns of padding on each side,
 * followed by depth-to-space (block s) and a crop. XNNPACK's Conv2D does the work (SIMD, threads).
 * FCN-8s's 16×16 stride-8 upsampling at 256²: 26 ms with tfjs's kernel, ~2 ms this way (Node, wasm).
 * Anything else (NCHW, negative padding) goes to the original kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

const KERNEL = 'Conv2DBackpropInput';
const BACKEND = 'wasm';

interface WasmBackendLike {
	disposeData(dataId: object, force?: boolean): boolean;
	readSync(dataId: object): unknown;
	makeOutput(shape: number[], dtype: 'float32', memoryOffset?: number, values?: Float32Array): TensorInfo;
	typedArrayFromHeap(t: TensorInfo): Float32Array;
}

type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];

interface Args {
	inputs: { dy: TensorInfo; filter: TensorInfo };
	backend: WasmBackendLike;
	attrs: {
		strides: [number, number] | number;
		pad: 'valid' | 'same' | number | ExplicitPadding;
		dataFormat: 'NHWC' | 'NCHW';
		dimRoundingMode?: 'floor' | 'round' | 'ceil';
		inputShape: [number, number, number, number];
	};
}

function call(name: string, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap, backend: WasmBackendLike) {
	const kernel = tf.getKernel(name, BACKEND);
	if (kernel == null) throw new Error(`wasm-deconv: kernel '${name}' is not registered for wasm`);
	return kernel.kernelFunc({ inputs, attrs, backend: backend as unknown as tf.KernelBackend }) as TensorInfo;
}

/** W [K, K, C, O] (row-major) → the sub-pixel filter W' [M, M, O, s·s·C] for stride s (square). */
export function subPixelFilter(w: Float32Array, k: number, c: number, o: number, s: number): Float32Array {
	const m = Math.ceil(k / s);
	const out = new Float32Array(m * m * o * s * s * c);
	for (let i = 0; i < m; i++)
		for (let j = 0; j < m; j++)
			for (let a = 0; a < s; a++)
				for (let b = 0; b < s; b++) {
					const kh = a + s * (m - 1 - i);
					const kw = b + s * (m - 1 - j);
					if (kh >= k || kw >= k) continue; // the zero padding of the filter
					for (let ci = 0; ci < c; ci++)
						for (let oi = 0; oi < o; oi++)
							out[((i * m + j) * o + oi) * s * s * c + (a * s + b) * c + ci] = w[((kh * k + kw) * c + ci) * o + oi];
				}
	return out;
}

/**
 * full[:, top : top+outH, left : left+outW, :] as a new tensor: one contiguous copy per output row,
 * straight between views of the wasm heap (tfjs's wasm Slice took ~3.5 ms for FCN-8s's 256² output).
 */
function crop(full: TensorInfo, top: number, left: number, outH: number, outW: number, backend: WasmBackendLike) {
	const [n, fh, fw, c] = full.shape;
	const out = backend.makeOutput([n, outH, outW, c], 'float32');
	// views taken after the allocation (which may grow the heap and detach older views)
	const src = backend.typedArrayFromHeap(full);
	const dst = backend.typedArrayFromHeap(out);
	const row = outW * c;
	for (let b = 0; b < n; b++)
		for (let r = 0; r < outH; r++) {
			const from = ((b * fh + r + top) * fw + left) * c;
			dst.set(src.subarray(from, from + row), (b * outH + r) * row);
		}
	return out;
}

/** The strided NHWC case through XNNPACK; null where it does not apply (the original kernel runs). */
export function conv2DBackpropInputSubPixel(args: Args): TensorInfo | null {
	const { inputs, backend, attrs } = args;
	const { dy, filter } = inputs;
	if (attrs.dataFormat !== 'NHWC') return null;
	const [kh, kw, c, o] = filter.shape as [number, number, number, number];
	const info = tf.backend_util.computeConv2DInfo(
		attrs.inputShape,
		[kh, kw, c, o],
		attrs.strides,
		1,
		attrs.pad,
		attrs.dimRoundingMode,
		false,
		'channelsLast'
	);
	const s = info.strideHeight;
	const { top, left } = info.padInfo;
	if (s === 1 || s !== info.strideWidth || kh !== kw || top < 0 || left < 0) return null;
	const [n, h, w] = dy.shape as [number, number, number, number];
	if (h !== info.outHeight || w !== info.outWidth || dy.dtype !== 'float32') return null;
	const m = Math.ceil(kh / s);
	const [, outH, outW] = attrs.inputShape;
	if (top + outH > (h + m - 1) * s || left + outW > (w + m - 1) * s) return null;
	const temps: TensorInfo[] = [];
	try {
		const wv = backend.readSync(filter.dataId) as Float32Array;
		const wp = backend.makeOutput([m, m, o, s * s * c], 'float32', undefined, subPixelFilter(wv, kh, c, o, s));
		temps.push(wp);
		const pad: ExplicitPadding = [
			[0, 0],
			[m - 1, m - 1],
			[m - 1, m - 1],
			[0, 0]
		];
		const z = call(
			'Conv2D',
			{ x: dy, filter: wp },
			{ strides: [1, 1], pad, dataFormat: 'NHWC', dilations: [1, 1] } as unknown as NamedAttrMap,
			backend
		);
		temps.push(z);
		// depth-to-space (block s) as reshape + transpose + reshape: tfjs's wasm DepthToSpace is a plain
		// loop ~50× slower than its Transpose here
		const [, zh, zw] = z.shape;
		const z4 = call('Reshape', { x: z }, { shape: [n * zh, zw, s, s * c] }, backend);
		temps.push(z4);
		const zt = call('Transpose', { x: z4 }, { perm: [0, 2, 1, 3] }, backend);
		temps.push(zt);
		const full = call('Reshape', { x: zt }, { shape: [n, zh * s, zw * s, c] }, backend);
		temps.push(full);
		const out = crop(full, top, left, outH, outW, backend);
		subPixelRuns.count++;
		return out;
	} finally {
		for (const t of temps) backend.disposeData(t.dataId);
	}
}

/** How many transposed convolutions took the sub-pixel path (tests). */
export const subPixelRuns = { count: 0 };

let installed = false;

/**
 * Replace the wasm `Conv2DBackpropInput` by one that sends strided cases through the sub-pixel form
 * and everything else to the original kernel. Idempotent (in the page and in the probe worker).
 */
export function registerWasmSubPixelDeconv(): boolean {
	if (installed) return false;
	const base = tf.getKernel(KERNEL, BACKEND);
	if (base == null) return false;
	installed = true;
	const kernelFunc = ((args: Args) =>
		conv2DBackpropInputSubPixel(args) ??
		base.kernelFunc(args as unknown as Parameters<KernelFunc>[0])) as unknown as KernelFunc;
	tf.unregisterKernel(KERNEL, BACKEND);
	tf.registerKernel({ ...base, kernelFunc } as KernelConfig);
	return true;
}
