/** Reading CSS colours into [r, g, b]. */
import { describe, expect, it } from 'vitest';
import { hexRgb, parseColor } from '$lib/viz';

describe('parseColor(s) / hexRgb(hex)', () => {
	it.each([
		['#ff8000', [255, 128, 0]],
		[' #0F1419 ', [15, 20, 25]],
		['rgb(1, 2, 3)', [1, 2, 3]],
		['rgb(1 2 3)', [1, 2, 3]],
		['rgba(4, 5, 6, 0.5)', [4, 5, 6]],
		['red', null],
		['#fff', null]
	] as const)('parseColor(%j) is %j', (s, want) => {
		expect(parseColor(s)).toEqual(want);
	});
	it('hexRgb throws a RangeError for anything but #rrggbb', () => {
		expect(hexRgb('#000000')).toEqual([0, 0, 0]);
		expect(() => hexRgb('rgb(0, 0, 0)')).toThrow(RangeError);
	});
});
