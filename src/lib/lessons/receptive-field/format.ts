/**
 * How the lessons print numbers: integers as is, other values with at most 3 decimals (−99.5,
 * 0.0625 → 0.063), a true minus sign, and big counts grouped (1 234 567).
 */
export function fmtNum(v: number, digits = 3): string {
	if (!Number.isFinite(v)) return String(v);
	const r = Number.isInteger(v) ? String(v) : String(Number(v.toFixed(digits)));
	return r.replace('-', '−');
}

/** Large counts with thin-space grouping: 1234567 → "1 234 567". */
export function fmtCount(v: number): string {
	return Math.round(v)
		.toString()
		.replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009');
}

/** A count in engineering units: 1.53 GFLOPs, 35.2 MFLOPs. */
export function fmtFlops(v: number): string {
	const units: [number, string][] = [
		[1e12, 'TFLOPs'],
		[1e9, 'GFLOPs'],
		[1e6, 'MFLOPs'],
		[1e3, 'kFLOPs']
	];
	for (const [scale, unit] of units) if (Math.abs(v) >= scale) return `${(v / scale).toPrecision(3)} ${unit}`;
	return `${v} FLOPs`;
}
