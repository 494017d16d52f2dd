/**
 * The toy dense layer of the index-map cell: a k×k×C map flattened and multiplied by a
 * (k·k·C)×units matrix, with seeded weights so a link reproduces the picture. Pure.
 */
import { mulberry32 } from '$lib/data/prng';

/** Output units of the toy layer (rows of the drawn matrix). */
export const TOY_UNITS = 4;

export interface Toy {
	shape: [number, number, number];
	units: number;
	/** Row-major [k·k·C, units]: the dense kernel as tfjs stores it. */
	weights: Float32Array;
	bias: Float32Array;
	/** The k×k×C input map, row-major HWC. */
	input: Float32Array;
}

/** Seeded values in [−1, 1). */
function values(seed: number, n: number): Float32Array {
	const r = mulberry32(seed);
	return Float32Array.from({ length: n }, () => 2 * r.next() - 1);
}

export function toyLayer(k: number, c: number, seed = 2015): Toy {
	const n = k * k * c;
	return {
		shape: [k, k, c],
		units: TOY_UNITS,
		weights: values(seed, n * TOY_UNITS),
		bias: values(seed + 1, TOY_UNITS),
		input: values(seed + 2, n)
	};
}
