/** The receptive-field lesson's predictions; every answer is computed by the library's field rules. */
import { INPUT_FIELD, convField, layerGeometry, vgg16 } from '$lib/fcn';
import type { Prediction } from '$lib/predict';

/** A 2×2 pool at stride 2, then a 3×3 convolution: the conv's receptive field (the composition rule). */
export function nextLayerRf(): Prediction {
	const pool = convField(INPUT_FIELD, 2, 2);
	const conv = convField(pool, 3, 1);
	const added = pool.rf + 3 - 1;
	return {
		kind: 'number',
		question: `A 2×2 pooling with stride 2 sees ${pool.rf} pixels, and its units are ${pool.jump} pixels apart. Stack a 3×3 convolution (stride 1) on it: how many input pixels wide is the receptive field of the convolution's units?`,
		answer: conv.rf,
		unit: 'px',
		explain: (g) =>
			Number(g) === added
				? `You added the kernels (${pool.rf} + 3 − 1 = ${added}), as if the pooled units were pixels. They are ${pool.jump} pixels apart, so the rule multiplies the new kernel's extra taps by the jump: ${pool.rf} + (3 − 1)·${pool.jump} = ${conv.rf}.`
				: `The rule: rf = rf_prev + (k − 1)·jump_prev = ${pool.rf} + (3 − 1)·${pool.jump} = ${conv.rf}. Each extra tap of the new kernel reaches one jump further.`,
		why: `Receptive fields grow by (k − 1) times the jump, and the jump multiplies by the stride, which is why a few poolings make fields large.`
	};
}

/** VGG-16's pool4: how far apart its units are (the jump). */
export function pool4Jump(): Prediction {
	const geometry = layerGeometry(vgg16(), [224, 224]);
	const jump = geometry.get('pool4')!.field.jump;
	const pools = 4;
	return {
		kind: 'number',
		question: `VGG-16 has thirteen 3×3 convolutions with stride 1 and a 2×2, stride-2 pooling after each block. How many input pixels apart are two neighbouring units of pool4, the fourth pooling?`,
		answer: jump,
		unit: 'px',
		explain: (g) =>
			Number(g) === 2 * pools
				? `You added the strides (${pools} × 2 = ${2 * pools}). Strides compose by multiplication: each pooling doubles the jump, 2^${pools} = ${jump}.`
				: `Stride-1 convolutions leave the jump alone; each stride-2 pooling doubles it: 2·2·2·2 = ${jump}.`,
		why: `That is the jump the FCN-16s skip reads its scores at; pool5, one pooling later, is at ${jump * 2}.`
	};
}
