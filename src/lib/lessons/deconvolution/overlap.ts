/**
 * Overlap of a transposed convolution (after Odena, Dumoulin & Olah, "Deconvolution and
 * Checkerboard Artifacts", Distill 2016): how many kernel taps land on each output unit, from the
 * library's overlapCount1d, and whether the counts are even away from the borders.
 */
import { overlapCount1d } from '$lib/fcn';

export interface OverlapSummary {
	/** Taps per output unit along one axis (the 2-D count is the product of two of these). */
	counts: Int32Array;
	/** Output units every tap of whose kernel window has an input: y + p ∈ [k − 1, s(i − 1)]. */
	interior: [number, number] | null;
	/** Smallest and largest count inside the interior. */
	min: number;
	max: number;
	/** True when every interior unit receives the same number of taps. */
	even: boolean;
}

export function overlapSummary(inputSize: number, kernel: number, stride: number, padding = 0): OverlapSummary {
	const counts = overlapCount1d(inputSize, kernel, { stride, padding });
	const lo = Math.max(0, kernel - 1 - padding);
	const hi = Math.min(counts.length - 1, stride * (inputSize - 1) - padding);
	if (lo > hi) return { counts, interior: null, min: NaN, max: NaN, even: false };
	let min = Infinity;
	let max = -Infinity;
	for (let y = lo; y <= hi; y++) {
		min = Math.min(min, counts[y]);
		max = Math.max(max, counts[y]);
	}
	return { counts, interior: [lo, hi], min, max, even: min === max };
}
