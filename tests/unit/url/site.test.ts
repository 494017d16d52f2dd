/** The site's own query keys (src/lib/url/site.ts): presenter mode (`?present=1&cell=3`, 1-based) and the backend pin. */
import { describe, expect, it } from 'vitest';
import { LAST, pinFromQuery, presentFromQuery } from '$lib/url';

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

describe('pinFromQuery(search, names): ?backend= pins one of the names the caller knows', () => {
	const names = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
	it('pins a known backend, in any case, and nothing for anything else', () => {
		expect(pinFromQuery('?backend=wasm', names)).toBe('wasm');
		expect(pinFromQuery(new URLSearchParams('backend=WebGL'), names)).toBe('webgl');
		expect(pinFromQuery('?backend=cuda', names)).toBeNull();
		expect(pinFromQuery('?backend=', names)).toBeNull();
		expect(pinFromQuery('?backend=none', names)).toBeNull();
		expect(pinFromQuery('', names)).toBeNull();
	});
});
