/**
 * The effective receptive field of one unit, measured: the gradient of the unit's activation (one
 * channel, or the sum over channels) with respect to the input, by `tf.grad` through the live model.
 */
import type * as TF from '@tensorflow/tfjs';
import { padToMultiple, type GreyImage } from '$lib/fcn/padding';
import type { Tf } from '$lib/model/tf';
import type { EffectiveField, Unit } from '$lib/model/types';

/**
 * |∂ unit / ∂ input| at the input's size (the reverse pass through the layers up to `unit.layer`),
 * and the area of pixels above `threshold`·max. Every tensor is disposed before this resolves.
 */
export async function effectiveField(
	tf: Tf,
	model: TF.LayersModel,
	image: GreyImage,
	unit: Unit,
	threshold = 0.01
): Promise<EffectiveField> {
	const { width: W, height: H } = image;
	const { data: padded, height: Hp, width: Wp } = padToMultiple(image);
	const upTo = tf.model({ inputs: model.inputs, outputs: model.getLayer(unit.layer).output as TF.SymbolicTensor });
	const g = tf.tidy(() => {
		const x = tf.tensor4d(padded, [1, Hp, Wp, 1]);
		const f = (inp: TF.Tensor) => {
			const a = upTo.apply(inp) as TF.Tensor4D;
			const c = a.shape[3];
			const ch = unit.channel;
			const cell = a.slice([0, unit.y, unit.x, ch ?? 0], [1, 1, 1, ch === undefined ? c : 1]);
			return cell.sum();
		};
		return tf.grad(f)(x).slice([0, 0, 0, 0], [1, H, W, 1]).abs();
	});
	let data: Float32Array;
	try {
		data = (await g.data()) as Float32Array;
	} finally {
		g.dispose();
	}
	let max = 0;
	for (const v of data) if (v > max) max = v;
	let area = 0;
	if (max > 0) for (const v of data) if (v > threshold * max) area++;
	return { data, width: W, height: H, area, threshold, max };
}
