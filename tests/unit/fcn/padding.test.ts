import { describe, expect, it } from 'vitest';
import { PAD_MULTIPLE, padImage, padToMultiple, roundUpTo } from '$lib/fcn/padding';

describe('padToMultiple(img, 32)', () => {
	it('pads a 40×70 image to 64×96 with background at the bottom and right', () => {
		const data = Float32Array.from({ length: 40 * 70 }, (_, i) => i + 1);
		const p = padToMultiple({ data, width: 70, height: 40 });
		expect([p.height, p.width, PAD_MULTIPLE]).toEqual([64, 96, 32]);
		expect(p.data[0]).toBe(1);
		expect(p.data[96 + 69]).toBe(70 + 70);
		expect(p.data[96 + 70]).toBe(0);
		expect(p.data[40 * 96]).toBe(0);
	});
	it('returns the image’s own array when it needs no padding', () => {
		const data = new Float32Array(32 * 64);
		expect(padToMultiple({ data, width: 64, height: 32 }).data).toBe(data);
	});
	it('roundUpTo(0, 32) is 32 and padImage refuses a smaller target', () => {
		expect(roundUpTo(0, 32)).toBe(32);
		expect(() => padImage({ data: new Float32Array(4), width: 2, height: 2 }, 1, 2)).toThrow(RangeError);
	});
});
