/**
 * Class scores, row-major with the classes fastest ([..., classes]): the softmax over classes, the
 * argmax, and the largest difference between two score arrays (the checks the lessons show).
 */

/** softmax over the last axis of a row-major [..., classes] array (numerically stable), as a new array. */
export function softmax(scores: ArrayLike<number>, classes: number): Float32Array {
	const out = new Float32Array(scores.length);
	for (let o = 0; o < scores.length; o += classes) {
		let m = -Infinity;
		for (let k = 0; k < classes; k++) m = Math.max(m, scores[o + k]);
		let z = 0;
		for (let k = 0; k < classes; k++) z += out[o + k] = Math.exp(scores[o + k] - m);
		for (let k = 0; k < classes; k++) out[o + k] /= z;
	}
	return out;
}

/** Index of the largest of `v[from … from+len)`, relative to `from` (the first one on ties). */
export function argmax(v: ArrayLike<number>, from = 0, len = v.length - from): number {
	let best = 0;
	for (let i = 1; i < len; i++) if (v[from + i] > v[from + best]) best = i;
	return best;
}

/** argmax over the channels at every cell of an HWC map: the class each cell predicts, h·w. */
export function argmaxChannels(m: {
	data: ArrayLike<number>;
	width: number;
	height: number;
	channels: number;
}): Uint8Array {
	const n = m.width * m.height;
	const out = new Uint8Array(n);
	for (let q = 0; q < n; q++) out[q] = argmax(m.data, q * m.channels, m.channels);
	return out;
}

/** max |a − b| over two arrays of equal length (Infinity when the lengths differ: they cannot match). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
	if (a.length !== b.length) return Infinity;
	let m = 0;
	for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
	return m;
}
