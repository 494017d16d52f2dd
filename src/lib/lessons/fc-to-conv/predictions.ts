/** The FC → conv lesson's predictions; every answer is computed by the library. */
import type { NetOptions } from '$lib/fcn';
import type { Prediction } from '$lib/predict';
import { headOf, scoreMapSize } from './head';

/** The score map of the convolutionalised classifier on an input twice its training size. */
export function scoreMapAt(opts: NetOptions, trainedInput: number, size = 2 * trainedInput): Prediction {
	const [h] = scoreMapSize(opts, size, size);
	const naive = Math.round(size / trainedInput);
	return {
		kind: 'number',
		question: `Our classifier was trained on ${trainedInput}×${trainedInput} digits and gives one answer there. Convolutionalised, it reads a ${size}×${size} image: how many answers per side does its score map have?`,
		answer: h,
		explain: (g) =>
			Number(g) === naive
				? `${naive} would be one answer per ${trainedInput}-pixel tile. But the windows overlap: the map moves one unit per network stride, not per window, so there are more answers than tiles.`
				: `Count positions, not tiles: the classifier's window slides by the network's stride (32 px here), and fits ${h} times along each side of a ${size}-pixel image.`,
		why: `Neighbouring answers share most of their window: one pass computes the shared parts once.`
	};
}

/** Whether fc6 has more, the same or fewer weights as a convolution. */
export function fc6Weights(opts: NetOptions = {}): Prediction {
	const fc6 = headOf(opts).rows[0];
	const dense = fc6.dense[0] * fc6.dense[1];
	const conv = fc6.conv.reduce((a, b) => a * b, 1);
	const answer = conv === dense ? 'same' : conv > dense ? 'more' : 'fewer';
	return {
		kind: 'choice',
		question: `VGG-16's fc6 is a ${fc6.dense[0]}×${fc6.dense[1]} matrix. Written as a convolution, does it have more weights, the same number, or fewer?`,
		choices: [
			{ value: 'more', label: 'more' },
			{ value: 'same', label: 'the same' },
			{ value: 'fewer', label: 'fewer' }
		],
		answer,
		explain: () =>
			`The kernel is the matrix, reshaped: ${conv.toLocaleString('en')} weights either way. Nothing is added or retrained; only the order in which they are read changes.`
	};
}
