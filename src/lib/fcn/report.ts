/** Plain-text rendering of an ArchReport (what `npm run arch` prints without --json). */
import type { ArchReport } from './analyze';

const HEAD = ['layer', 'type', 'kernel', 'stride', 'pad', 'output H×W×C', 'rf', 'jump', 'start', 'params', 'FLOPs'];
/** Columns aligned left (text) or right (numbers). */
const LEFT = [true, true, false, false, false, false, false, false, false, false, false];

/** An aligned table, one row per layer, then the crop offsets and the totals. */
export function formatArchTable(r: ArchReport): string {
	const rows = r.layers.map((l) => [
		l.name,
		l.type,
		l.kernel === null ? '' : String(l.kernel),
		l.stride === null ? '' : String(l.stride),
		l.padding === null ? '' : String(l.padding),
		l.out.join('×'),
		formatNumber(l.rf),
		formatNumber(l.jump),
		formatNumber(l.start),
		l.params ? groupDigits(l.params) : '',
		l.flops ? formatSI(l.flops) : ''
	]);
	const table = [HEAD, ...rows];
	const widths = HEAD.map((_, c) => Math.max(...table.map((row) => row[c].length)));
	const line = (row: string[]) =>
		row
			.map((cell, c) => (LEFT[c] ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
			.join('  ')
			.trimEnd();
	const out = [
		`${r.net} (${r.geometry} geometry), input ${r.input.join('×')}`,
		'',
		line(HEAD),
		line(widths.map((w) => '-'.repeat(w))),
		...rows.map(line),
		'',
		`crop offsets: ${r.crops.length ? r.crops.map((c) => `${c.name} ${c.offset}`).join(', ') : 'none'}`,
		`total: ${groupDigits(r.totals.params)} parameters, ${formatSI(r.totals.flops)}FLOPs (${groupDigits(r.totals.flops)})`,
		'rf, jump, start in input pixels (start: centre of unit 0); FLOPs = 2 × multiply-accumulates'
	];
	return out.join('\n');
}

/** Integers as is, fractions with up to 4 decimals. */
export function formatNumber(v: number): string {
	return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(4)));
}

/** 138357544 → '138,357,544' (or another `separator`: the pages use a thin space). */
export function groupDigits(v: number, separator = ','): string {
	return Math.round(v)
		.toString()
		.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

/** The largest SI prefix at most |v|: 30940528640 → [1e9, 'G']; below 1000, [1, '']. */
export function siPrefix(v: number): [scale: number, prefix: string] {
	const prefixes: [number, string][] = [
		[1e12, 'T'],
		[1e9, 'G'],
		[1e6, 'M'],
		[1e3, 'k']
	];
	return prefixes.find(([scale]) => Math.abs(v) >= scale) ?? [1, ''];
}

/** 30940528640 → '30.94 G'. */
export function formatSI(v: number): string {
	const [scale, prefix] = siPrefix(v);
	return scale === 1 ? `${v} ` : `${(v / scale).toFixed(2)} ${prefix}`;
}
