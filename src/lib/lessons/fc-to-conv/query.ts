/**
 * The URL state of /fc-to-conv as typed specs ($lib/url): garbage gives the nearest valid value and a
 * notice, never an error. Pure (takes URLSearchParams).
 *
 *   order  hwc | chw       how the toy dense layer's input was flattened (index map cell)
 *   row    0 … k·k·c − 1   the selected dense weight row (input index) of the toy layer
 *   k      2 … 4           the toy map's side (k×k)
 *   c      1 … 6           the toy map's channels
 *   digit  0 … 999         which held-out test digit goes through the classifier (taken modulo the count)
 *   w, h   96 … 512        the larger input of the convolutionalised classifier
 *   n      1 … 6           digits written across that input
 */
import type { FlattenOrder } from '$lib/fcn/fcToConv';
import { enumParam, intParam, parseQuery, parseValue, type StateOf } from '$lib/url';

export const FC_SPECS = {
	order: enumParam({
		label: 'flattening order',
		values: ['hwc', 'chw'] as const satisfies FlattenOrder[],
		default: 'hwc'
	}),
	k: intParam({ label: 'map side', min: 2, max: 4, default: 3 }),
	c: intParam({ label: 'channels', min: 1, max: 6, default: 4 }),
	digit: intParam({ label: 'test digit', min: 0, max: 999, default: 0 }),
	w: intParam({ label: 'input width', min: 96, max: 512, default: 320 }),
	h: intParam({ label: 'input height', min: 96, max: 512, default: 128 }),
	n: intParam({ label: 'digits across', min: 1, max: 6, default: 3 })
};

/** The page's whole state: the specs' values and the dense row. */
export type FcParams = StateOf<typeof FC_SPECS> & { row: number };

/** The dense row's spec for a k×k×c map: 0 … k·k·c − 1, default 5 (or the last row). */
export function rowSpec(k: number, c: number) {
	const last = k * k * c - 1;
	return intParam({ label: 'dense row', min: 0, max: last, default: Math.min(5, last) });
}

export const FC_DEFAULTS: FcParams = { ...parseQuery(FC_SPECS, '').values, row: 5 };

/** Parse the page's state from a query; one notice (a sentence) per value not used as written. */
export function parseFcState(q: URLSearchParams): { state: FcParams; notices: string[] } {
	const { values, notices } = parseQuery(FC_SPECS, q, { reportUnknown: false });
	const row = parseValue('row', rowSpec(values.k, values.c), q.get('row'));
	const all = row.notice ? [...notices, row.notice] : notices;
	const order = ['order', 'k', 'c', 'row', 'digit', 'w', 'h', 'n'];
	all.sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key));
	return { state: { ...values, row: row.value }, notices: all.map((x) => x.message) };
}
