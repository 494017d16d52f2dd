/**
 * The lessons' live checks, run through TensorFlow.js on the page's backend (or the exact cpu
 * backend when the page chose none): a construction of the library against tfjs's own op. Each
 * takes plain arrays and returns plain arrays and numbers; every tensor is disposed.
 */
import type { FlattenOrder } from '$lib/fcn/fcToConv';
import { engine } from '$lib/model/engine';

/**
 * A dense layer against the same numbers as a k×k convolution (fc-to-conv): `input` [k, k, c]
 * (HWC) is flattened in `order` (Caffe: channels first) and multiplied by `weights` [k·k·c, units]
 * plus `bias`; each of `kernels` ([k, k, c, units], HWIO) is convolved 'valid' over the input plus
 * `bias`. Returns the dense output and each convolution's output (units values each).
 */
export async function denseVsConv(
	input: Float32Array,
	shape: readonly [number, number, number],
	weights: Float32Array,
	bias: Float32Array,
	order: FlattenOrder,
	kernels: readonly Float32Array[]
): Promise<{ dense: Float32Array; convs: Float32Array[]; backend: string }> {
	const tf = await engine.checkBackend();
	const [k, , c] = shape;
	const u = bias.length;
	const outs = tf.tidy(() => {
		const x = tf.tensor4d(input, [1, k, k, c]);
		// The dense layer flattens x in `order` (Caffe: channels first) and multiplies.
		const flat =
			order === 'hwc' ? tf.reshape(x, [1, k * k * c]) : tf.reshape(tf.transpose(x, [0, 3, 1, 2]), [1, k * k * c]);
		const W = tf.tensor2d(weights, [k * k * c, u]);
		const b = tf.tensor1d(bias);
		const dense = tf.add(tf.matMul(flat, W), b);
		const conv = (kernel: Float32Array) => tf.add(tf.conv2d(x, tf.tensor4d(kernel, [k, k, c, u]), 1, 'valid'), b);
		return [dense, ...kernels.map(conv)];
	});
	try {
		const [dense, ...convs] = await Promise.all(outs.map((o) => o.data() as Promise<Float32Array>));
		return { dense, convs, backend: tf.getBackend() };
	} finally {
		tf.dispose(outs);
	}
}

/**
 * `tf.conv2dTranspose` of a single-channel n×n `input` with a k×k `kernel`, stride `stride` and
 * padding `padding`, to an outSize×outSize output (deconvolution: checked against the library's
 * literal zero insertion). Returns the output, row-major.
 */
export async function conv2dTranspose(
	input: Float32Array,
	n: number,
	kernel: Float32Array,
	k: number,
	outSize: number,
	stride: number,
	padding: number
): Promise<{ output: Float32Array; backend: string }> {
	const tf = await engine.checkBackend();
	const y = tf.tidy(() =>
		tf.conv2dTranspose(
			tf.tensor3d(input, [n, n, 1]),
			tf.tensor4d(kernel, [k, k, 1, 1]),
			[outSize, outSize, 1],
			stride,
			padding
		)
	);
	try {
		return { output: (await y.data()) as Float32Array, backend: tf.getBackend() };
	} finally {
		y.dispose();
	}
}
