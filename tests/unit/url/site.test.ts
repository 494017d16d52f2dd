/** The site's own query keys (src/lib/url/site.ts): presenter mode, `?present=1&cell=3` (1-based). */
import { describe, expect, it } from 'vitest';
import { LAST, presentFromQuery } from '$lib/url';

describe('presentFromQuery(query): the cell asked for (0-based), or null when not presenting', () => {
	const rows: [query: string, expected: number | typeof LAST | null][] = [
		['', null],
		['cell=3', null],
		['present=0&cell=3', null],
		['present=false', null],
		['present=1', 0],
		['present=1&cell=3', 2],
		['present=1&cell=last', LAST],
		['present=yes&cell=-40', 0],
		['present=maybe&cell=abc', 0],
		['present=1&cell=', 0],
		['present=1&cell=1e9', 9998],
		['present=&cell=2', 1]
	];
	for (const [query, expected] of rows) {
		it(`?${query} → ${String(expected)}`, () => expect(presentFromQuery(new URLSearchParams(query))).toBe(expected));
	}
});
