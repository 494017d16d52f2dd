/**
 * The skip-fusion lab's two pieces of arithmetic: the fixed bilinear upsampling as matrices, and
 * the per-pixel softmax loss with its gradient written out.
 */
import * as tf from '@tensorflow/tfjs';
import { bilinearDeconvKernel, bilinearFilter1d } from '$lib/fcn/bilinear';

/**
 * The 1-D transposed convolution of a bilinear ×`s` upsampling with kernel `k` (2s, the paper's;
 * or s, a narrow one whose cells do not overlap) and tfjs 'same' padding (k − s)/2, as a matrix
 * [n·s, n]: out[o] = Σ_i U[o, i] in[i]. The 2-D kernel is the outer product of two such filters,
 * so the fixed upsampling is two matmuls (cheap, and differentiable on every backend, unlike the
 * wasm backend's strided transposed convolution, which loops over the whole kernel).
 */
export function upsampleMatrix(n: number, s: number, k = 2 * s): Float32Array {
	if ((k - s) % 2 !== 0) throw new RangeError(`upsampleMatrix: kernel ${k} and stride ${s} need an even k − s`);
	const f = bilinearFilter1d(k);
	const p = (k - s) / 2;
	const u = new Float32Array(n * s * n);
	for (let o = 0; o < n * s; o++) {
		for (let i = 0; i < n; i++) {
			const t = o + p - i * s;
			if (t >= 0 && t < k) u[o * n + i] = f[t];
		}
	}
	return u;
}

export function bilinear(kernel: number, channels: number): tf.Tensor4D {
	const { data, shape } = bilinearDeconvKernel(kernel, channels);
	return tf.tensor4d(data, shape);
}

/**
 * ℓ = −(1/count) Σ_pixels Σ_c t_c log softmax(y)_c over the non-void pixels (void rows of `targets`
 * are zero), with its gradient (softmax(y)·[non-void] − t)/count written out: one softmax, no
 * logSoftmax backward (slow on wasm).
 */
export function pixelLoss(scores: tf.Tensor4D, targets: tf.Tensor, count: number): tf.Scalar {
	// The targets go in as an input (and into `save`): the forward pass's intermediates are gone by
	// the time the gradient runs.
	const loss = (y: tf.Tensor, t: tf.Tensor, save: tf.GradSaveFunc) => {
		const p = tf.softmax(y);
		save([p, t]);
		const value = tf.div(tf.neg(tf.sum(tf.mul(t, tf.log(tf.maximum(p, 1e-30))))), count) as tf.Scalar;
		const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
			const [q, tt] = saved;
			const g = tf.div(tf.sub(tf.mul(q, tf.sum(tt, -1, true)), tt), count);
			return [tf.mul(dy, g), tf.zerosLike(tt)];
		};
		return { value, gradFunc };
	};
	const f = tf.customGrad(loss as unknown as Parameters<typeof tf.customGrad>[0]);
	return (f as unknown as (y: tf.Tensor, t: tf.Tensor) => tf.Scalar)(scores, targets);
}
