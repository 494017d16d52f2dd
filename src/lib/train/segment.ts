/**
 * Running an FCN on an image of any size, in Node (`npm run eval`, the training's validation). The
 * trained nets (the 'same' geometry) map an input whose sides are multiples of 32 to scores of
 * exactly the same size; any other size is padded with background (0) at the bottom and right up to
 * the next multiple of 32 (fcn/padding.ts: the browser engine's padding), run, and the scores cropped
 * back to H×W — never resized, so no silent distortion.
 */
import * as tf from '@tensorflow/tfjs';
import { PAD_MULTIPLE, padToMultiple } from '$lib/fcn/padding';

/** [1, H', W', 1] input tensor: the image at the top-left, background 0 elsewhere. */
export function paddedInput(image: Float32Array, H: number, W: number, stride = PAD_MULTIPLE): tf.Tensor4D {
	if (!Number.isInteger(H) || !Number.isInteger(W) || H < 1 || W < 1)
		throw new Error(`segment: bad image size ${H}×${W}`);
	if (image.length !== H * W)
		throw new Error(`segment: the image has ${image.length} values, not ${H}×${W} = ${H * W}`);
	const p = padToMultiple({ data: image, height: H, width: W }, stride);
	return tf.tensor4d(p.data, [1, p.height, p.width, 1]);
}

/** Class scores [1, H, W, classes] of `model` on an H×W image (padded and cropped back). */
export function segmentScores(model: tf.LayersModel, image: Float32Array, H: number, W: number): tf.Tensor4D {
	return tf.tidy(() => {
		const x = paddedInput(image, H, W);
		const y = model.predict(x) as tf.Tensor4D;
		if (y.shape[1] === H && y.shape[2] === W) return y;
		return tf.slice(y, [0, 0, 0, 0], [1, H, W, y.shape[3]]);
	});
}

/** The per-pixel argmax labels (row-major H·W). */
export async function segment(model: tf.LayersModel, image: Float32Array, H: number, W: number): Promise<Uint8Array> {
	const labels = tf.tidy(() => tf.argMax(segmentScores(model, image, H, W), -1));
	const data = await labels.data();
	labels.dispose();
	return Uint8Array.from(data);
}
