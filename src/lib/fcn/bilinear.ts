/**
 * Bilinear upsampling kernels, as the reference implementation's `upsample_filt` (surgery.py):
 * for a kernel of size n, factor = ⌊(n + 1)/2⌋, centre = factor − 1 if n is odd else factor − 0.5,
 * w(y, x) = (1 − |x − centre|/factor)·(1 − |y − centre|/factor).
 */
import { checkInteger } from './errors';

/** A row-major single-channel grid. */
export interface Grid {
	data: Float32Array;
	width: number;
	height: number;
}

/** The kernel size for upsampling by `factor`: 2f − f mod 2 (4 for ×2, 5 for ×3, 64 for ×32). */
export function bilinearKernelSize(factor: number): number {
	checkInteger('', 'upsampling factor', factor, 1);
	return 2 * factor - (factor % 2);
}

/** The 1-D filter of size n: 1 − |x − centre|/factor. Its outer product with itself is upsampleFilt(n). */
export function bilinearFilter1d(size: number): Float32Array {
	checkInteger('', 'kernel size', size, 1);
	const factor = Math.floor((size + 1) / 2);
	const center = size % 2 === 1 ? factor - 1 : factor - 0.5;
	return Float32Array.from({ length: size }, (_, x) => 1 - Math.abs(x - center) / factor);
}

/** `upsample_filt(size)`: the size×size bilinear kernel. */
export function upsampleFilt(size: number): Grid {
	const f = bilinearFilter1d(size);
	const data = new Float32Array(size * size);
	for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) data[y * size + x] = f[y] * f[x];
	return { data, width: size, height: size };
}

/** The bilinear kernel that upsamples by `factor` (size 2f − f mod 2). */
export function bilinearKernel(factor: number): Grid {
	return upsampleFilt(bilinearKernelSize(factor));
}

/**
 * The full weights of a bilinear transposed convolution with `channels` in and out: each channel
 * upsampled to itself, zero across channels (the reference's `interp` surgery). Layout
 * [k, k, outChannels, inChannels], row-major: tf.conv2dTranspose's filter and
 * tf.layers.conv2dTranspose's kernel.
 */
export function bilinearDeconvKernel(
	kernel: number,
	channels: number
): { data: Float32Array; shape: [number, number, number, number] } {
	checkInteger('', 'channels', channels, 1);
	const f = upsampleFilt(kernel).data;
	const data = new Float32Array(kernel * kernel * channels * channels);
	for (let t = 0; t < kernel * kernel; t++) {
		for (let c = 0; c < channels; c++) data[(t * channels + c) * channels + c] = f[t];
	}
	return { data, shape: [kernel, kernel, channels, channels] };
}
