/**
 * Shareable page state (src/lib/url/query.ts). Issue 7: "every control on every page is in the URL query;
 * opening the link restores the view exactly" and "URL garbage (k=-5, s=abc, i=1e9, unknown keys) → values
 * clamped to their ranges with a notice, never a crash".
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	boolParam,
	enumParam,
	floatParam,
	intParam,
	parseQuery,
	SITE_KEYS,
	toQuery,
	type StateOf
} from '$lib/url/query';

const specs = {
	i: intParam({ label: 'input size', min: 1, max: 12, default: 4 }),
	k: intParam({ label: 'kernel size', min: 1, max: 7, default: 3 }),
	s: intParam({ label: 'stride', min: 1, max: 4, default: 2 }),
	a: floatParam({ label: 'opacity', min: 0, max: 1, default: 0.5, digits: 2 }),
	net: enumParam({ label: 'network', values: ['fcn32s', 'fcn16s', 'fcn8s'], default: 'fcn8s' }),
	grid: boolParam({ label: 'grid', default: true })
};

describe('parseQuery', () => {
	it('returns the defaults, without notices, for an empty query', () => {
		const { values, notices } = parseQuery(specs, '');
		expect(values).toEqual({ i: 4, k: 3, s: 2, a: 0.5, net: 'fcn8s', grid: true });
		expect(notices).toEqual([]);
	});

	it('clamps k=-5, s=abc, i=1e9 and reports zzz=1, one notice each', () => {
		const { values, notices } = parseQuery(specs, '?k=-5&s=abc&i=1e9&zzz=1');
		expect(values.k).toBe(specs.k.min);
		expect(values.s).toBe(specs.s.default);
		expect(values.i).toBe(specs.i.max);
		expect(notices.map((n) => [n.key, n.kind])).toEqual([
			['i', 'clamped'],
			['k', 'clamped'],
			['s', 'invalid'],
			['zzz', 'unknown']
		]);
		expect(notices[1].message).toContain(`at least ${specs.k.min}`);
		expect(notices[2].message).toContain('must be a number');
	});

	it('never throws and always yields in-range values, whatever the query text', () => {
		fc.assert(
			fc.property(fc.string({ maxLength: 200 }), (text) => {
				const { values } = parseQuery(specs, text);
				for (const key of ['i', 'k', 's'] as const) {
					expect(Number.isInteger(values[key])).toBe(true);
					expect(values[key]).toBeGreaterThanOrEqual(specs[key].min);
					expect(values[key]).toBeLessThanOrEqual(specs[key].max);
				}
				expect(values.a >= 0 && values.a <= 1).toBe(true);
				expect(specs.net.values).toContain(values.net);
				expect(typeof values.grid).toBe('boolean');
			})
		);
	});

	it('rejects number syntax a person would not type (Infinity, NaN, hex, empty)', () => {
		for (const raw of ['Infinity', 'NaN', '0x10', '', ' ', '1e400']) {
			const { values, notices } = parseQuery(specs, new URLSearchParams({ k: raw }));
			expect(values.k, raw).toBe(specs.k.default);
			expect(notices[0]?.kind, raw).toBe('invalid');
		}
	});

	it('rounds a fractional integer parameter and says so', () => {
		const { values, notices } = parseQuery(specs, 'k=2.6');
		expect(values.k).toBe(3);
		expect(notices[0].kind).toBe('clamped');
	});

	it('accepts enum words case-insensitively and reports others', () => {
		expect(parseQuery(specs, 'net=FCN16s').values.net).toBe('fcn16s');
		const bad = parseQuery(specs, 'net=fcn4s');
		expect(bad.values.net).toBe(specs.net.default);
		expect(bad.notices[0].message).toContain('fcn32s, fcn16s, fcn8s');
	});

	it("does not report the site's own keys or keys the page allows", () => {
		const query = SITE_KEYS.map((k) => `${k}=1`).join('&') + '&mine=2';
		expect(parseQuery(specs, query, { allow: ['mine'] }).notices).toEqual([]);
	});

	it('quotes at most a short piece of a long garbage value', () => {
		const { notices } = parseQuery(specs, new URLSearchParams({ k: 'x'.repeat(5000) }));
		expect(notices[0].message.length).toBeLessThan(200);
	});
});

describe('toQuery', () => {
	it('round-trips any valid state: parse(toQuery(state)) = state', () => {
		const state = fc.record({
			i: fc.integer({ min: 1, max: 12 }),
			k: fc.integer({ min: 1, max: 7 }),
			s: fc.integer({ min: 1, max: 4 }),
			a: fc.integer({ min: 0, max: 100 }).map((n) => n / 100),
			net: fc.constantFrom('fcn32s', 'fcn16s', 'fcn8s' as const),
			grid: fc.boolean()
		});
		fc.assert(
			fc.property(state, (v) => {
				const parsed = parseQuery(specs, toQuery(specs, v as StateOf<typeof specs>));
				expect(parsed.values).toEqual(v);
				expect(parsed.notices).toEqual([]);
			})
		);
	});

	it('omits defaults (short links) and keeps keys it does not own', () => {
		const q = toQuery(specs, { k: 3, s: 4 }, 'present=1&cell=2&k=5');
		expect(new URLSearchParams(q).get('k')).toBeNull();
		expect(new URLSearchParams(q).get('s')).toBe('4');
		expect(new URLSearchParams(q).get('present')).toBe('1');
		expect(new URLSearchParams(q).get('cell')).toBe('2');
	});
});

describe('parameter specs', () => {
	it('refuse a default outside their range (a programming error, caught at definition)', () => {
		expect(() => intParam({ label: 'k', min: 1, max: 3, default: 5 })).toThrow(RangeError);
		expect(() => enumParam({ label: 'n', values: ['a', 'b'], default: 'c' as 'a' })).toThrow(RangeError);
	});
});
