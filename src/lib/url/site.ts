/**
 * The query keys the site itself reads on every page, beside a lesson's own: presenter mode
 * (`?present=1&cell=3`, 1-based; `cell=last`), so that a teacher can share the exact slide.
 * `?backend=wasm` pins a TensorFlow.js backend (tests, links); the caller names the backends it knows.
 */
import { enumParam, intParam, parseValue } from './query';

export const PRESENT_KEY = 'present';
export const CELL_KEY = 'cell';
/** `cell=last`: the last cell of the page (used when stepping back into the previous lesson). */
export const LAST = 'last';

/** A requested cell: a 0-based index, or the last one. */
export type CellRequest = number | typeof LAST;

/** `cell`: 1-based; anything unreadable or below 1 is the first cell (the page clamps the top). */
const CELL = intParam({ label: 'cell', min: 1, max: 9999, default: 1 });

/**
 * Reads `?present=1&cell=N`: the cell asked for (0-based, not yet clamped to the page: it may still be
 * rendering its cells), or null when not presenting. `present` is on unless absent, `0` or `false`.
 * Garbage gives the first cell.
 */
export function presentFromQuery(q: URLSearchParams): CellRequest | null {
	const p = q.get(PRESENT_KEY);
	if (p === null || p === '0' || p === 'false') return null;
	const raw = q.get(CELL_KEY);
	if (raw === LAST) return LAST;
	return parseValue(CELL_KEY, CELL, raw).value - 1;
}

export const BACKEND_KEY = 'backend';
const NO_PIN = 'none';

/** `?backend=NAME` when NAME is one of `names` (any case): the pinned backend; anything else pins nothing. */
export function pinFromQuery<T extends string>(search: string | URLSearchParams, names: readonly T[]): T | null {
	const q = typeof search === 'string' ? new URLSearchParams(search) : search;
	const spec = enumParam<string>({ label: 'backend', values: [...names, NO_PIN], default: NO_PIN });
	const { value } = parseValue(BACKEND_KEY, spec, q.get(BACKEND_KEY));
	return value === NO_PIN ? null : (value as T);
}
