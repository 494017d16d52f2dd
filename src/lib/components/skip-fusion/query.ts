/**
 * URL query state for the skip-fusion lesson and the home page's demo: values clamped to valid
 * ranges with a notice for garbage; read and written with the site's readQuery / writeQuery.
 */

export { readQuery, writeQuery } from '$lib/components/shell/query';

/**
 * An integer query value clamped to [min, max]; `notice` says what was wrong (null when the value
 * was absent or valid).
 */
export function intParam(
	q: URLSearchParams,
	key: string,
	fallback: number,
	min: number,
	max: number
): { value: number; notice: string | null } {
	const raw = q.get(key);
	if (raw === null || raw === '') return { value: fallback, notice: null };
	const n = Number(raw);
	if (!Number.isFinite(n)) return { value: fallback, notice: `“${key}=${raw}” is not a number; using ${fallback}.` };
	const v = Math.min(max, Math.max(min, Math.round(n)));
	return { value: v, notice: v !== n ? `“${key}=${raw}” is outside ${min}–${max} (or not whole); using ${v}.` : null };
}

/** A keyword query value from `allowed`. */
export function enumParam<T extends string>(
	q: URLSearchParams,
	key: string,
	fallback: T,
	allowed: readonly T[]
): { value: T; notice: string | null } {
	const raw = q.get(key);
	if (raw === null || raw === '') return { value: fallback, notice: null };
	if ((allowed as readonly string[]).includes(raw)) return { value: raw as T, notice: null };
	return { value: fallback, notice: `“${key}=${raw}” is not one of ${allowed.join(', ')}; using ${fallback}.` };
}

/** A boolean switch: '0'/'off'/'false' is off, '1'/'on'/'true' is on. */
export function boolParam(
	q: URLSearchParams,
	key: string,
	fallback: boolean
): { value: boolean; notice: string | null } {
	const raw = q.get(key);
	if (raw === null || raw === '') return { value: fallback, notice: null };
	if (['0', 'off', 'false'].includes(raw)) return { value: false, notice: null };
	if (['1', 'on', 'true'].includes(raw)) return { value: true, notice: null };
	return { value: fallback, notice: `“${key}=${raw}” is not 0 or 1; using ${fallback ? 1 : 0}.` };
}
