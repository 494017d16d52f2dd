/**
 * Scoring trained models on held-out data: classifier accuracy on single digits, and for the FCNs
 * the paper's §5 metrics (pixel accuracy, mean accuracy, mean IU, frequency-weighted IU) from the
 * confusion matrix over all non-void pixels of a set of scenes (src/lib/fcn/metrics.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { accumulateConfusion, emptyConfusion, segmentationScores, type SegmentationScores } from '$lib/fcn/metrics';
import type { Scene } from '$lib/data/scenes';
import { segment } from '$lib/train/segment';

export interface SegmentationEval {
	pixelAcc: number;
	meanAcc: number;
	meanIU: number;
	fwIU: number;
	perClassIU: number[];
	scenes: number;
	/** Pixels scored (void excluded). */
	pixels: number;
}

export function toEval(s: SegmentationScores, scenes: number, pixels: number): SegmentationEval {
	return {
		pixelAcc: s.pixelAcc,
		meanAcc: s.meanAcc,
		meanIU: s.meanIU,
		fwIU: s.fwIU,
		perClassIU: s.perClassIU,
		scenes,
		pixels
	};
}

export async function evaluateSegmentation(
	model: tf.LayersModel,
	scenes: readonly Scene[],
	classes = 11
): Promise<SegmentationEval> {
	const conf = emptyConfusion(classes);
	for (const s of scenes) {
		const pred = await segment(model, s.image, s.height, s.width);
		accumulateConfusion(conf, s.label, pred);
	}
	let pixels = 0;
	for (const v of conf.counts) pixels += v;
	return toEval(segmentationScores(conf), scenes.length, pixels);
}

/** Fraction of images [N, S, S, 1] whose argmax class equals the digit. */
export async function classifierAccuracy(
	model: tf.LayersModel,
	images: Float32Array,
	digits: readonly number[],
	size: number,
	batch = 64
): Promise<number> {
	let correct = 0;
	const n = digits.length;
	for (let i = 0; i < n; i += batch) {
		const m = Math.min(batch, n - i);
		const pred = tf.tidy(() => {
			const x = tf.tensor4d(images.subarray(i * size * size, (i + m) * size * size), [m, size, size, 1]);
			return tf.argMax(model.predict(x) as tf.Tensor2D, -1);
		});
		const p = await pred.data();
		pred.dispose();
		for (let k = 0; k < m; k++) if (p[k] === digits[i + k]) correct++;
	}
	return correct / n;
}
