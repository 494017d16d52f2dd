/**
 * URL query state for the skip-fusion lesson and the home page's demo: read once in the browser
 * (never while prerendering), clamped to valid ranges with a notice for garbage, written back with
 * SvelteKit's shallow `replaceState` (merged with the other keys on the page).
 */
import { browser } from '$app/environment';
import { replaceState } from '$app/navigation';
import { page } from '$app/state';

export function readQuery(): URLSearchParams {
	return browser ? new URLSearchParams(window.location.search) : new URLSearchParams();
}

/** Set (or, with null, delete) keys of the current URL without navigating. */
export function writeQuery(values: Record<string, string | number | null>): void {
	if (!browser) return;
	const url = new URL(window.location.href);
	for (const [key, v] of Object.entries(values)) {
		if (v === null) url.searchParams.delete(key);
		else url.searchParams.set(key, String(v));
	}
	if (url.search === window.location.search) return;
	try {
		replaceState(url, page.state);
	} catch {
		history.replaceState(history.state, '', url);
	}
}

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
export function boolParam(q: URLSearchParams, key: string, fallback: boolean): { value: boolean; notice: string | null } {
	const raw = q.get(key);
	if (raw === null || raw === '') return { value: fallback, notice: null };
	if (['0', 'off', 'false'].includes(raw)) return { value: false, notice: null };
	if (['1', 'on', 'true'].includes(raw)) return { value: true, notice: null };
	return { value: fallback, notice: `“${key}=${raw}” is not 0 or 1; using ${fallback ? 1 : 0}.` };
}
