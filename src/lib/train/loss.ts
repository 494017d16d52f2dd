/**
 * The losses. FCN: per-pixel multinomial logistic loss (softmax cross-entropy) SUMMED over the
 * pixels of every image of the batch — the paper's unnormalised loss — with void pixels
 * contributing nothing (their one-hot row is all zero). Classifier: softmax cross-entropy averaged
 * over the batch, as for an ImageNet classifier.
 */
import * as tf from '@tensorflow/tfjs';

export const VOID_LABEL = 255;

/**
 * One-hot targets for a batch of label maps (each H·W, row-major), void → all-zero row, so that
 * ℓ = −Σ_pixels Σ_c t_c log softmax(s)_c ignores void pixels exactly.
 */
export function oneHotTargets(labels: readonly Uint8Array[], classes: number, ignore = VOID_LABEL): Float32Array {
	const n = labels.reduce((a, l) => a + l.length, 0);
	const out = new Float32Array(n * classes);
	let q = 0;
	for (const l of labels) {
		for (let i = 0; i < l.length; i++, q++) {
			const c = l[i];
			if (c === ignore) continue;
			if (c >= classes)
				throw new Error(`oneHotTargets: label ${c} is not a class (0 … ${classes - 1}) nor void (${ignore})`);
			out[q * classes + c] = 1;
		}
	}
	return out;
}

/** ℓ(x; θ) = −Σ_ij log p(y_ij | x) over all non-void pixels of all images (the paper's §3). */
export function pixelSoftmaxLossSum(scores: tf.Tensor, targets: tf.Tensor): tf.Scalar {
	return tf.tidy(() => tf.neg(tf.sum(tf.mul(targets, tf.logSoftmax(scores)))) as tf.Scalar);
}

/** Mean softmax cross-entropy of class scores [N, C] against one-hot targets [N, C]. */
export function softmaxLossMean(scores: tf.Tensor, targets: tf.Tensor): tf.Scalar {
	return tf.tidy(() => tf.div(tf.neg(tf.sum(tf.mul(targets, tf.logSoftmax(scores)))), scores.shape[0]) as tf.Scalar);
}

/** Number of pixels that count in the loss (not void). */
export function countLabelled(labels: readonly Uint8Array[], ignore = VOID_LABEL): number {
	let n = 0;
	for (const l of labels) for (let i = 0; i < l.length; i++) if (l[i] !== ignore) n++;
	return n;
}
