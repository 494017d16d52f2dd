/** The live network's prediction; the answer is computed by the library from the trained net's definition. */
import { fcn, layerGeometry, trainedOptions } from '$lib/fcn';
import type { Prediction } from '$lib/predict';

/** How far apart neighbouring pool3 units of our FCN-8s are, in input pixels. */
export function pool3Jump(): Prediction {
	const jump = layerGeometry(fcn('8s', trainedOptions()), [256, 256]).get('pool3')!.field.jump;
	return {
		kind: 'number',
		question: `Our FCN-8s has three 2×2, stride-2 poolings before pool3. Select pool3 below and click one of its feature maps: how many input pixels apart are two neighbouring units?`,
		answer: jump,
		unit: 'px',
		explain: (g) =>
			Number(g) === 6
				? `You added the strides (2 + 2 + 2). They multiply: 2 × 2 × 2 = ${jump}.`
				: `Every pooling doubles the jump and the stride-1 convolutions keep it: 2 × 2 × 2 = ${jump}. The layer table below lists it for every layer.`,
		why: `pool3 is the finest map FCN-8s fuses: its scores, ${jump} pixels apart, are what give FCN-8s its name.`
	};
}
