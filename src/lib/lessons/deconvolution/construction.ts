/**
 * The steppable zero-insertion construction: the library's transposedConv2d gives the arrays
 * (zero-inserted, padded, flipped kernel, output); this module labels the cells of the padded
 * array (an input value, an inserted zero, or border padding) and lists, for every output cell in
 * reading order, the window of the padded array it reads and the non-zero products it sums.
 */
import { transposedConv2d, type Grid, type TransposedSteps } from '$lib/fcn';
import { mulberry32 } from '$lib/data/prng';
import type { DeconvParams, DeconvSizes } from './params';

export type CellKind = 'input' | 'inserted' | 'pad';

export interface Construction {
	steps: TransposedSteps;
	/** Kind of every cell of `steps.padded`, row-major. */
	kinds: CellKind[];
	/** For padded cells holding an input value: the input's (row, column); else null. */
	source: ({ r: number; c: number } | null)[];
}

/**
 * Run the construction for input `x` (i×i) and kernel `w` (k×k). The padded array is the
 * zero-inserted input with k − p − 1 cells of border on each side (a more at the bottom/right; a = 0 here).
 */
export function construct(x: Grid, w: Grid, params: DeconvParams, sizes: DeconvSizes): Construction {
	const steps = transposedConv2d(x, w, { stride: params.s, padding: params.p, extra: sizes.extra });
	const { padded } = steps;
	const kinds: CellKind[] = [];
	const source: ({ r: number; c: number } | null)[] = [];
	for (let r = 0; r < padded.height; r++) {
		for (let c = 0; c < padded.width; c++) {
			const ry = r - sizes.border;
			const cx = c - sizes.border;
			const inside = ry >= 0 && cx >= 0 && ry < sizes.inserted && cx < sizes.inserted;
			if (inside && ry % params.s === 0 && cx % params.s === 0) {
				kinds.push('input');
				source.push({ r: ry / params.s, c: cx / params.s });
			} else {
				kinds.push(inside ? 'inserted' : 'pad');
				source.push(null);
			}
		}
	}
	return { steps, kinds, source };
}

export interface Term {
	/** Position in the padded array. */
	r: number;
	c: number;
	value: number;
	weight: number;
}

/** The window of output cell `index` (reading order) and its non-zero products. */
export function frame(con: Construction, index: number): { y: number; x: number; terms: Term[]; sum: number } {
	const { padded, flipped, output } = con.steps;
	const y = Math.floor(index / output.width);
	const x = index % output.width;
	const terms: Term[] = [];
	for (let u = 0; u < flipped.height; u++) {
		for (let t = 0; t < flipped.width; t++) {
			const value = padded.data[(y + u) * padded.width + x + t];
			const weight = flipped.data[u * flipped.width + t];
			if (value !== 0 && weight !== 0) terms.push({ r: y + u, c: x + t, value, weight });
		}
	}
	return { y, x, terms, sum: output.data[index] };
}

/** Small integers for readable cells: a seeded grid of values in [lo, hi]. */
export function integerGrid(height: number, width: number, seed: number, lo: number, hi: number): Grid {
	const rng = mulberry32(seed);
	const data = Float32Array.from({ length: height * width }, () => rng.int(lo, hi));
	return { data, width, height };
}

/** Uniform floats in [−1, 1) (for the check against TensorFlow.js). */
export function randomGrid(height: number, width: number, seed: number): Grid {
	const rng = mulberry32(seed);
	const data = Float32Array.from({ length: height * width }, () => rng.uniform(-1, 1));
	return { data, width, height };
}

/** Nearest-neighbour upsampling by an integer factor: each pixel becomes an f×f block. */
export function nearestUpsample(x: Grid, f: number): Grid {
	const width = x.width * f;
	const height = x.height * f;
	const data = new Float32Array(width * height);
	for (let y = 0; y < height; y++) {
		const sy = Math.floor(y / f) * x.width;
		for (let z = 0; z < width; z++) data[y * width + z] = x.data[sy + Math.floor(z / f)];
	}
	return { data, width, height };
}
