/**
 * Page state in the URL query, typed: a lesson declares its controls as parameter specs, parses the
 * query with {@link parseQuery} (garbage is clamped or replaced by the default, each with a notice for the
 * reader, never an exception) and writes the state back with {@link toQuery} (defaults omitted, keys it
 * does not own kept, so a link restores the view exactly and other parts of the page keep theirs).
 *
 * ```ts
 * const specs = {
 *   k: intParam({ label: 'kernel size', min: 1, max: 7, default: 3 }),
 *   s: intParam({ label: 'stride', min: 1, max: 4, default: 1 }),
 *   net: enumParam({ label: 'network', values: ['fcn32s', 'fcn16s', 'fcn8s'], default: 'fcn8s' }),
 *   grid: boolParam({ label: 'grid', default: true })
 * };
 * const { values, notices } = parseQuery(specs, page.url.searchParams);  // in the browser only
 * // ?k=-5&s=abc → values.k = 1, values.s = 1, two notices
 * const query = toQuery(specs, { ...values, k: 5 }, page.url.searchParams); // "k=5&…"
 * ```
 *
 * Pure: no DOM, no SvelteKit (the browser's read and write are in `$lib/url/browser`). Read the query in
 * the browser only (onMount / $effect) on prerendered pages.
 */

interface Common<T> {
	/** Words for the reader, used in notices ("kernel size"). */
	label: string;
	default: T;
}

export interface IntParam extends Common<number> {
	kind: 'int';
	min: number;
	max: number;
}

export interface FloatParam extends Common<number> {
	kind: 'float';
	min: number;
	max: number;
	/** Decimal places kept when written to the URL (default 3). */
	digits?: number;
}

export interface EnumParam<T extends string = string> extends Common<T> {
	kind: 'enum';
	values: readonly T[];
}

export interface BoolParam extends Common<boolean> {
	kind: 'bool';
}

/**
 * Free text with its own grammar (a layer name, `c3.1.1.1_p2.2.0`, `sum,4,7`): handed to the lesson as
 * written (or `default` when absent), never reported here; the lesson parses it and reports what it repairs.
 */
export interface TextParam extends Common<string | null> {
	kind: 'text';
}

export type ParamSpec = IntParam | FloatParam | EnumParam<string> | BoolParam | TextParam;
export type ParamSpecs = Record<string, ParamSpec>;

/** The value type a spec describes. */
export type ValueOf<P extends ParamSpec> =
	P extends EnumParam<infer T> ? T : P extends BoolParam ? boolean : P extends TextParam ? string | null : number;
/** The state object a set of specs describes. */
export type StateOf<S extends ParamSpecs> = { [K in keyof S]: ValueOf<S[K]> };

/** Why a query value was not used as written. */
export interface UrlNotice {
	/** The query key (`k`), or the unknown key itself. */
	key: string;
	/** The raw text from the URL. */
	raw: string;
	kind: 'clamped' | 'invalid' | 'unknown';
	/** A sentence for the reader: "k=-5: kernel size must be at least 1; using 1." */
	message: string;
}

export interface Parsed<S extends ParamSpecs> {
	values: StateOf<S>;
	notices: UrlNotice[];
}

/**
 * Query keys the site itself uses on every page (presenter mode, backend pin, shared-link anchors):
 * never reported as unknown.
 */
export const SITE_KEYS: readonly string[] = ['present', 'cell', 'backend']; // see ./site.ts

function checkRange(label: string, min: number, max: number, def: number): void {
	if (!(Number.isFinite(min) && Number.isFinite(max) && min <= max)) {
		throw new RangeError(`invalid range for ${label}: [${min}, ${max}]`);
	}
	if (!(def >= min && def <= max))
		throw new RangeError(`invalid default for ${label}: ${def} is outside [${min}, ${max}]`);
}

/** An integer in [min, max] (inclusive). */
export function intParam(p: { label: string; min: number; max: number; default: number }): IntParam {
	if (!Number.isInteger(p.min) || !Number.isInteger(p.max) || !Number.isInteger(p.default)) {
		throw new RangeError(`invalid integer parameter ${p.label}: bounds and default must be integers`);
	}
	checkRange(p.label, p.min, p.max, p.default);
	return { kind: 'int', ...p };
}

/** A finite number in [min, max]. */
export function floatParam(p: {
	label: string;
	min: number;
	max: number;
	default: number;
	digits?: number;
}): FloatParam {
	checkRange(p.label, p.min, p.max, p.default);
	return { kind: 'float', ...p };
}

/** One of a fixed list of words. */
export function enumParam<const T extends string>(p: {
	label: string;
	values: readonly T[];
	default: T;
}): EnumParam<T> {
	if (!p.values.includes(p.default)) throw new RangeError(`invalid default for ${p.label}: ${p.default}`);
	return { kind: 'enum', ...p };
}

/** On/off: `1`/`0` in the URL (also accepts true/false, yes/no, on/off). */
export function boolParam(p: { label: string; default: boolean }): BoolParam {
	return { kind: 'bool', ...p };
}

/** Text as written; `default` (usually null) when absent. */
export function textParam(p: { label: string; default?: string | null }): TextParam {
	return { kind: 'text', label: p.label, default: p.default ?? null };
}

/**
 * `v` rounded and clamped into [min, max]; NaN, ±Infinity and non-numbers give `fallback`. For values
 * that come from a control or a pointer rather than the URL text (which {@link parseValue} reads).
 */
export function clampInt(v: number, min: number, max: number, fallback: number): number {
	if (!Number.isFinite(v)) return fallback;
	return Math.min(max, Math.max(min, Math.round(v)));
}

/** {@link clampInt} into an integer spec's range, its default for garbage. */
export function clampTo(spec: IntParam, v: number): number {
	return clampInt(v, spec.min, spec.max, spec.default);
}

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

/** Longest raw value quoted back in a notice (a URL may carry anything). */
const QUOTE_MAX = 24;
function quote(raw: string): string {
	return raw.length > QUOTE_MAX ? `${raw.slice(0, QUOTE_MAX)}…` : raw;
}

/** Strict number syntax: what a person types (`3`, `-2`, `0.5`, `1e3`); not `''`, `0x10`, `Infinity`. */
function toNumber(raw: string): number | null {
	const s = raw.trim();
	if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return null;
	const n = Number(s);
	return Number.isFinite(n) ? n : null;
}

/** Formats a value as it is written in the URL. */
export function formatValue(spec: ParamSpec, value: number | string | boolean | null): string {
	switch (spec.kind) {
		case 'text':
			return value === null ? '' : String(value);
		case 'bool':
			return value ? '1' : '0';
		case 'float':
			return String(Number((value as number).toFixed(spec.digits ?? 3)));
		default:
			return String(value);
	}
}

/**
 * Reads one value. Returns the value to use and, when the raw text was not used as written, a notice.
 * `raw === null` (absent) gives the default with no notice.
 */
export function parseValue<P extends ParamSpec>(
	key: string,
	spec: P,
	raw: string | null
): { value: ValueOf<P>; notice?: UrlNotice } {
	type V = ValueOf<P>;
	if (raw === null) return { value: spec.default as V };
	const q = quote(raw);
	const invalid = (why: string): { value: V; notice: UrlNotice } => ({
		value: spec.default as V,
		notice: {
			key,
			raw,
			kind: 'invalid',
			message: `${key}=${q}: ${why}; using the default ${formatValue(spec, spec.default)}.`
		}
	});
	switch (spec.kind) {
		case 'int':
		case 'float': {
			const n = toNumber(raw);
			if (n === null) return invalid(`${spec.label} must be a number`);
			let v = spec.kind === 'int' ? Math.round(n) : n;
			let why = spec.kind === 'int' && v !== n ? `${spec.label} must be a whole number` : '';
			if (v < spec.min) {
				v = spec.min;
				why = `${spec.label} must be at least ${spec.min}`;
			} else if (v > spec.max) {
				v = spec.max;
				why = `${spec.label} must be at most ${spec.max}`;
			}
			if (!why) return { value: v as V };
			return {
				value: v as V,
				notice: { key, raw, kind: 'clamped', message: `${key}=${q}: ${why}; using ${formatValue(spec, v)}.` }
			};
		}
		case 'enum': {
			if (spec.values.includes(raw)) return { value: raw as V };
			const folded = spec.values.find((v) => v.toLowerCase() === raw.trim().toLowerCase());
			if (folded !== undefined) return { value: folded as V };
			return invalid(`${spec.label} must be one of ${spec.values.join(', ')}`);
		}
		case 'text':
			return { value: raw as V };
		case 'bool': {
			const s = raw.trim().toLowerCase();
			if (TRUE.has(s) || s === '') return { value: true as V };
			if (FALSE.has(s)) return { value: false as V };
			return invalid(`${spec.label} must be 1 or 0`);
		}
	}
}

export interface ParseOptions {
	/** Keys that belong to someone else on this page (never reported). {@link SITE_KEYS} are always allowed. */
	allow?: readonly string[];
	/** Report keys that are neither specs nor allowed (default true). */
	reportUnknown?: boolean;
}

/**
 * Reads every spec'd key from the query: values clamped to their ranges (garbage → default), one notice
 * per value not used as written, and one per unknown key. Never throws on URL content.
 * When a key is repeated, the first occurrence counts.
 */
export function parseQuery<S extends ParamSpecs>(
	specs: S,
	query: URLSearchParams | string,
	options: ParseOptions = {}
): Parsed<S> {
	const q = typeof query === 'string' ? new URLSearchParams(query) : query;
	const values = {} as StateOf<S>;
	const notices: UrlNotice[] = [];
	for (const key of Object.keys(specs) as (keyof S & string)[]) {
		const r = parseValue(key, specs[key], q.get(key));
		values[key] = r.value as StateOf<S>[typeof key];
		if (r.notice) notices.push(r.notice);
	}
	if (options.reportUnknown ?? true) {
		const allowed = new Set([...SITE_KEYS, ...(options.allow ?? []), ...Object.keys(specs)]);
		const seen = new Set<string>();
		for (const [key, raw] of q) {
			if (allowed.has(key) || seen.has(key)) continue;
			seen.add(key);
			notices.push({ key, raw, kind: 'unknown', message: `${quote(key)}: not a setting of this page; ignored.` });
		}
	}
	return { values, notices };
}

/**
 * Writes `values` into a copy of `base` (default: empty): each spec'd key is set, or removed when it
 * equals its default (short links); every other key of `base` is kept. Returns the query without `?`.
 */
export function toQuery<S extends ParamSpecs>(
	specs: S,
	values: Partial<StateOf<S>>,
	base?: URLSearchParams | string,
	options: { keepDefaults?: boolean } = {}
): string {
	const q = new URLSearchParams(base ?? '');
	for (const key of Object.keys(specs)) {
		if (!(key in values)) continue;
		const spec = specs[key];
		const v = values[key] as number | string | boolean | null;
		if (v === null || (!options.keepDefaults && v === spec.default)) q.delete(key);
		else q.set(key, formatValue(spec, v));
	}
	return q.toString();
}

/** `pathname` + `?query` (no `?` when empty) + `hash`: the href to hand to goto / replaceState. */
export function hrefWith(url: URL | Location, query: string): string {
	return `${url.pathname}${query ? `?${query}` : ''}${url.hash}`;
}
