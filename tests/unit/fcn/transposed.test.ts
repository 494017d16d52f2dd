/**
 * The paper (§3.3): "upsampling with factor f is convolution with a fractional input stride of 1/f
 * … backwards convolution (sometimes called deconvolution)". Our transposed convolution is done
 * literally as zero insertion + padding + convolution with the flipped kernel; these tests check it
 * against TensorFlow.js's conv2dTranspose and against the direct scatter definition.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
	deconvOutputSize,
	overlapCount1d,
	overlapCount2d,
	transposedConv1d,
	transposedConv1dScatter,
	transposedConv2d,
	transposedConv2dMulti,
	transposedConv2dScatter,
	zeroInsert,
	type Grid
} from '$lib/fcn';

/** A small seeded generator (mulberry32) so failures reproduce. */
function rng(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
	};
}
const grid = (h: number, w: number, r: () => number): Grid => ({
	data: Float32Array.from({ length: h * w }, r),
	width: w,
	height: h
});

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
	expect(a.length).toBe(b.length);
	let m = 0;
	for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
	return m;
}

beforeAll(async () => {
	await tf.setBackend('cpu');
});

describe('transposedConv2d (zero insertion + padding k − p − 1 + flipped-kernel convolution)', () => {
	it('equals tf.conv2dTranspose on random inputs for every k ≤ 7, s ≤ 4, p < k, 0 ≤ a < s', () => {
		const r = rng(7);
		let cases = 0;
		for (let k = 1; k <= 7; k++) {
			for (let s = 1; s <= 4; s++) {
				for (let p = 0; p < k; p++) {
					for (let a = 0; a < s; a++) {
						const [ih, iw] = [3, 4];
						const oh = s * (ih - 1) + a + k - 2 * p;
						const ow = s * (iw - 1) + a + k - 2 * p;
						if (oh < 1 || ow < 1) continue;
						const x = grid(ih, iw, r);
						const w = grid(k, k, r);
						const ours = transposedConv2d(x, w, { stride: s, padding: p, extra: a }).output;
						expect([ours.height, ours.width]).toEqual([oh, ow]);
						const theirs = tf.tidy(() =>
							tf
								.conv2dTranspose(tf.tensor3d(x.data, [ih, iw, 1]), tf.tensor4d(w.data, [k, k, 1, 1]), [oh, ow, 1], s, p)
								.dataSync()
						);
						expect(maxAbsDiff(ours.data, theirs), `k=${k} s=${s} p=${p} a=${a}`).toBeLessThan(1e-5);
						cases++;
					}
				}
			}
		}
		expect(cases).toBeGreaterThan(200);
	});

	it('multi-channel by channel loops equals tf.conv2dTranspose with a [k, k, out, in] filter', () => {
		const r = rng(11);
		const [ih, iw, ci, co, k, s, p] = [4, 3, 3, 2, 4, 2, 1];
		const x = { data: Float32Array.from({ length: ih * iw * ci }, r), height: ih, width: iw, channels: ci };
		const w = {
			data: Float32Array.from({ length: k * k * co * ci }, r),
			shape: [k, k, co, ci] as [number, number, number, number]
		};
		const ours = transposedConv2dMulti(x, w, { stride: s, padding: p });
		const oh = deconvOutputSize(ih, k, s, p);
		const ow = deconvOutputSize(iw, k, s, p);
		const theirs = tf.tidy(() =>
			tf.conv2dTranspose(tf.tensor3d(x.data, [ih, iw, ci]), tf.tensor4d(w.data, w.shape), [oh, ow, co], s, p).dataSync()
		);
		expect([ours.height, ours.width, ours.channels]).toEqual([oh, ow, co]);
		expect(maxAbsDiff(ours.data, theirs)).toBeLessThan(1e-5);
	});

	it('returns the intermediate arrays: s − 1 zeros between inputs, then k − p − 1 zeros each side', () => {
		const x: Grid = { data: Float32Array.from([1, 2, 3, 4]), width: 2, height: 2 };
		const w: Grid = { data: new Float32Array(9).fill(1), width: 3, height: 3 };
		const { inserted, padded, flipped } = transposedConv2d(x, w, { stride: 3, padding: 1 });
		expect([inserted.height, inserted.width]).toEqual([4, 4]);
		expect(Array.from(inserted.data)).toEqual([1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 4]);
		// pad k − p − 1 = 1 on each side
		expect([padded.height, padded.width]).toEqual([6, 6]);
		expect(padded.data[1 * 6 + 1]).toBe(1);
		expect(padded.data[4 * 6 + 4]).toBe(4);
		expect(flipped.data).toHaveLength(9);
	});

	it('equals the scatter definition out[s·i + t − p] += x[i]·w[t] (2-D and 1-D)', () => {
		const r = rng(3);
		for (const [k, s, p] of [
			[4, 2, 1],
			[3, 2, 0],
			[5, 3, 2],
			[16, 8, 4],
			[2, 4, 0]
		]) {
			const x = grid(3, 5, r);
			const w = grid(k, k, r);
			const lit = transposedConv2d(x, w, { stride: s, padding: p }).output;
			const sc = transposedConv2dScatter(x, w, { stride: s, padding: p });
			expect(maxAbsDiff(lit.data, sc.data)).toBeLessThan(1e-5);
			const x1 = Float32Array.from({ length: 5 }, r);
			const w1 = Float32Array.from({ length: k }, r);
			const l1 = transposedConv1d(x1, w1, { stride: s, padding: p, extra: s - 1 });
			expect(l1.output).toHaveLength(deconvOutputSize(5, k, s, p, s - 1));
			expect(l1.inserted).toHaveLength(4 * s + 1);
			expect(
				maxAbsDiff(l1.output, transposedConv1dScatter(x1, w1, { stride: s, padding: p, extra: s - 1 }))
			).toBeLessThan(1e-5);
		}
	});

	it('zeroInsert keeps every input value at s·i and zero elsewhere', () => {
		const z = zeroInsert({ data: Float32Array.from([5, 6, 7]), width: 3, height: 1 }, 1, 2);
		expect(Array.from(z.data)).toEqual([5, 0, 6, 0, 7]);
	});

	it('rejects a configuration whose output would be empty, naming the problem', () => {
		const x = grid(1, 1, rng(1));
		expect(() => transposedConv2d(x, grid(2, 2, rng(2)), { stride: 1, padding: 1 })).toThrow(/output size .* < 1/);
	});
});

describe('overlapCount (how many kernel taps reach each output pixel)', () => {
	it('is even (k/s everywhere inside) when s divides k: no checkerboard', () => {
		const c = overlapCount1d(6, 4, { stride: 2, padding: 1 });
		expect(Array.from(c.slice(1, -1)).every((v) => v === 2)).toBe(true);
	});
	it('alternates between ⌊k/s⌋ and ⌈k/s⌉ when s does not divide k (k=3, s=2): the checkerboard', () => {
		const inside = Array.from(overlapCount1d(6, 3, { stride: 2, padding: 0 }).slice(1, -1));
		expect(new Set(inside)).toEqual(new Set([1, 2]));
		inside.slice(1).forEach((v, i) => expect(v).not.toBe(inside[i]));
		const g = overlapCount2d(4, 4, 3, { stride: 2 });
		expect(new Set(g.data)).toEqual(new Set([1, 2, 4]));
	});
	it('without padding, the counts add up to i′·k: every tap lands exactly once', () => {
		const c = overlapCount1d(5, 7, { stride: 3 });
		expect(c.reduce((a, b) => a + b, 0)).toBe(5 * 7);
	});
});
