/** The deconvolution lesson's predictions; every answer is computed by the library. */
import { deconvOutputSize, convOutputSize } from '$lib/fcn';
import type { Prediction } from '$lib/predict';
import { overlapSummary } from './overlap';
import { shiftOffsets } from '$lib/fcn';

/** The output size of a transposed convolution, parameterised by its own input (as tfjs takes it). */
export function transposedOutput(i = 4, k = 4, s = 2, p = 1): Prediction {
	const out = deconvOutputSize(i, k, s, p);
	/** What the ordinary convolution with the same numbers gives (null when its kernel does not fit). */
	let direct: number | null = null;
	try {
		direct = convOutputSize(i, k, s, p);
	} catch {
		direct = null;
	}
	return {
		kind: 'number',
		question: `A transposed convolution takes a ${i}×${i} input with kernel ${k}, stride ${s} and padding ${p} (as tf.conv2dTranspose and PyTorch's ConvTranspose2d take them). How large is its output?`,
		answer: out,
		explain: (g) =>
			Number(g) === direct
				? `${direct} is what the ordinary convolution with these numbers gives: it shrinks. The transposed one goes the other way: s·(i − 1) + k − 2p = ${s}·${i - 1} + ${k} − ${2 * p} = ${out}.`
				: `Zero insertion stretches ${i} inputs to s·(i − 1) + 1 = ${s * (i - 1) + 1}; the kernel then adds k − 1 − 2p = ${k - 1 - 2 * p}: ${out} in all.`,
		why: `Stride ${s} with k = 2s and p = s/2 is FCN's ×${s} upsampling: the output is exactly ${s} times the input.`
	};
}

/** Whether a 3×3 kernel at stride 2 spreads a constant input evenly (it does not: a checkerboard). */
export function checkerboard(k = 3, s = 2): Prediction {
	const { even } = overlapSummary(8, k, s);
	const answer = even ? 'flat' : 'grid';
	return {
		kind: 'choice',
		question: `Upsample a constant input ×${s} with a ${k}×${k} transposed convolution whose weights are all 1. Away from the borders, is the output flat?`,
		choices: [
			{ value: 'flat', label: 'yes, flat' },
			{ value: 'grid', label: 'no, a grid pattern' }
		],
		answer,
		explain: () =>
			even
				? `${s} divides ${k}, so every output pixel receives the same number of kernel taps.`
				: `${s} does not divide ${k}: some output pixels receive ${Math.ceil(k / s)} taps and their neighbours ${Math.floor(k / s)}, so a constant input comes out as a grid (the checkerboard artefact).`
	};
}

/** How many passes shift-and-stitch needs to remove a pool's stride f (both axes): f². */
export function stitchPasses(f = 2): Prediction {
	const answer = shiftOffsets(f).length;
	return {
		kind: 'number',
		question: `FCN-32s's last pool, pool5, has stride ${f}. How many passes of the layers above it does shift-and-stitch need to fill in every output position that stride skips?`,
		answer,
		explain: (g) =>
			Number(g) === f
				? `${f} shifts cover one axis; the shifts go along rows and columns independently, so ${f} × ${f} = ${answer}.`
				: `One pass per shift (dy, dx) with dy, dx ∈ {0, …, ${f - 1}}: ${f}² = ${answer}.`,
		why: `Removing all five pools of FCN-32s this way would take 32² = 1024 passes.`
	};
}
