import { describe, expect, it } from 'vitest';
import { checkVerdict, fmtCount, fmtFlops, fmtNum } from '$lib/viz/format';

describe('how the lessons print numbers', () => {
	it('fmtNum keeps integers, rounds fractions to 3 decimals and uses a true minus', () => {
		expect(fmtNum(404)).toBe('404');
		expect(fmtNum(-99.5)).toBe('−99.5');
		expect(fmtNum(1 / 3)).toBe('0.333');
		expect(fmtNum(0.0625, 2)).toBe('0.06');
	});
	it('fmtCount groups thousands with thin spaces; fmtFlops picks the unit', () => {
		expect(fmtCount(138357544)).toBe('138\u2009357\u2009544');
		expect(fmtFlops(1.44e8)).toBe('144 MFLOPs');
		expect(fmtFlops(7.05e9)).toBe('7.05 GFLOPs');
		expect(fmtFlops(12)).toBe('12 FLOPs');
	});
	it('checkVerdict passes a difference below 1e-5 and fails a larger one or a shape mismatch', () => {
		expect(checkVerdict(3e-7).ok).toBe(true);
		expect(checkVerdict(2e-5).ok).toBe(false);
		expect(checkVerdict(Infinity)).toEqual({ ok: false, text: 'shapes differ' });
	});
});
