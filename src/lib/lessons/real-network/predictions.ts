/** The real-network lesson's prediction; the answer is the geometry library's, read from the graph. */
import type { ReadModel } from '$lib/fcn';
import type { Prediction } from '$lib/predict';

/** How wide one output pixel's receptive field is, against the input, for the model read from its graph. */
export function outputField(model: ReadModel): Prediction {
	const rf = model.output.rf;
	const width = model.input.size[1];
	const stride = model.bottleneckJump;
	const answer = rf > width ? 'wider' : rf > stride * 2 ? 'quarter' : 'bottleneck';
	return {
		kind: 'choice',
		question: `Its bottleneck units are ${stride} pixels apart, far coarser than its output. How wide is the receptive field of ONE output pixel, on a ${width}-pixel-wide input?`,
		choices: [
			{ value: 'bottleneck', label: `about ${stride} px (one bottleneck unit)` },
			{ value: 'quarter', label: `between ${stride * 2} px and the image's width` },
			{ value: 'wider', label: 'wider than the whole image' }
		],
		answer,
		explain: () =>
			`The geometry library, reading the graph, says ${rf} px. Each convolution after a stride widens the field by (k − 1) times the stride so far: at stride ${stride}, one 5×5 depthwise convolution alone adds ${4 * stride} pixels, and the decoder only adds to it.`,
		why: `${rf} px against a ${width}-pixel image: every output pixel can see the whole picture, yet its answer is placed to the pixel by the skips and the final transposed convolution.`
	};
}
