import { groupDigits, siPrefix } from '$lib/fcn/report';

/**
 * How the pages print numbers for the reader (pure, no DOM). Numbers: integers as is, other values with at most 3 decimals (−99.5,
 * 0.0625 → 0.063), a true minus sign, and big counts grouped (1 234 567).
 */
export function fmtNum(v: number, digits = 3): string {
	if (!Number.isFinite(v)) return String(v);
	const r = Number.isInteger(v) ? String(v) : String(Number(v.toFixed(digits)));
	return r.replace('-', '−');
}

/** Large counts with thin-space grouping: 1234567 → "1 234 567". */
export function fmtCount(v: number): string {
	return groupDigits(v, '\u2009');
}

/** A count in engineering units: 1.53 GFLOPs, 35.2 MFLOPs. */
export function fmtFlops(v: number): string {
	const [scale, prefix] = siPrefix(v);
	return scale === 1 ? `${v} FLOPs` : `${(v / scale).toPrecision(3)} ${prefix}FLOPs`;
}

/** The float32 tolerance of the lessons' live identity checks (1e-5, as the issue asks). */
export const TOLERANCE = 1e-5;

/**
 * The verdict of a live identity check: a max-abs difference against {@link TOLERANCE}, with the
 * number written for the reader ("0", "3.81e-7", or "shapes differ" for a non-finite difference).
 */
export function checkVerdict(diff: number, tolerance = TOLERANCE): { ok: boolean; text: string } {
	const ok = Number.isFinite(diff) && diff < tolerance;
	const text = !Number.isFinite(diff) ? 'shapes differ' : diff === 0 ? '0' : diff.toExponential(2);
	return { ok, text };
}
