import { describe, expect, it } from 'vitest';
import { argmax, argmaxChannels, maxAbsDiff, softmax } from '$lib/fcn/scores';

describe('softmax(scores, classes)', () => {
	it('softmax([0, ln 3, 1, 1], 2) is [1/4, 3/4, 1/2, 1/2]: per position, summing to 1', () => {
		const p = softmax(new Float32Array([0, Math.log(3), 1, 1]), 2);
		[0.25, 0.75, 0.5, 0.5].forEach((v, i) => expect(p[i]).toBeCloseTo(v, 6));
	});
	it('softmax([1000, 0], 2) does not overflow', () => {
		expect(Array.from(softmax([1000, 0], 2))).toEqual([1, 0]);
	});
});

describe('argmax(v, from, len)', () => {
	it('argmax([1, 5, 5, 2]) is 1 (the first of ties)', () => expect(argmax([1, 5, 5, 2])).toBe(1));
	it('argmax(v, 2, 2) is relative to from', () => expect(argmax([9, 9, 1, 3], 2, 2)).toBe(1));
	it('argmaxChannels of a 2×1 map with 3 channels is the class per cell', () => {
		expect(Array.from(argmaxChannels({ data: [0, 2, 1, 7, 0, 0], width: 2, height: 1, channels: 3 }))).toEqual([1, 0]);
	});
});

describe('maxAbsDiff(a, b)', () => {
	it('maxAbsDiff([1, 2], [1.5, 0]) is 2', () => expect(maxAbsDiff([1, 2], [1.5, 0])).toBe(2));
	it('is Infinity when the lengths differ', () => expect(maxAbsDiff([1], [1, 2])).toBe(Infinity));
});
