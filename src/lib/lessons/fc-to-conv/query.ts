/**
 * The URL state of /fc-to-conv, parsed with clamping: garbage gives the nearest valid value and a
 * notice, never an error. Pure (takes URLSearchParams).
 *
 *   order  hwc | chw       how the toy dense layer's input was flattened (index map cell)
 *   row    0 … n−1         the selected dense weight row (input index) of the toy layer
 *   k      2 … 4           the toy map's side (k×k)
 *   c      1 … 6           the toy map's channels
 *   digit  0 … 999         which held-out test digit goes through the classifier (taken modulo the count)
 *   w, h   96 … 512        the larger input of the convolutionalised classifier
 *   n      1 … 6           digits written across that input
 */
import type { FlattenOrder } from '$lib/fcn/fcToConv';

export interface FcState {
	order: FlattenOrder;
	row: number;
	k: number;
	c: number;
	digit: number;
	w: number;
	h: number;
	n: number;
}

export const FC_DEFAULTS: FcState = { order: 'hwc', row: 5, k: 3, c: 4, digit: 0, w: 320, h: 128, n: 3 };

export const FC_LIMITS = {
	k: [2, 4],
	c: [1, 6],
	digit: [0, 999],
	w: [96, 512],
	h: [96, 512],
	n: [1, 6]
} as const;

/** An integer query value clamped to [min, max]; a notice when the value had to be changed. */
export function intParam(
	q: URLSearchParams,
	key: string,
	fallback: number,
	min: number,
	max: number,
	notices: string[]
): number {
	const raw = q.get(key);
	if (raw === null) return fallback;
	const v = Number(raw);
	if (raw.trim() === '' || !Number.isFinite(v)) {
		notices.push(`${key}=${raw} is not a number, using ${fallback}`);
		return fallback;
	}
	const c = Math.min(max, Math.max(min, Math.round(v)));
	if (c !== v) notices.push(`${key}=${raw} is outside ${min}…${max} or not whole, using ${c}`);
	return c;
}

/** Parse the page's state from a query. */
export function parseFcState(q: URLSearchParams): { state: FcState; notices: string[] } {
	const notices: string[] = [];
	const d = FC_DEFAULTS;
	const rawOrder = q.get('order');
	let order: FlattenOrder = d.order;
	if (rawOrder === 'hwc' || rawOrder === 'chw') order = rawOrder;
	else if (rawOrder !== null) notices.push(`order=${rawOrder} is not hwc or chw, using ${d.order}`);
	const k = intParam(q, 'k', d.k, ...FC_LIMITS.k, notices);
	const c = intParam(q, 'c', d.c, ...FC_LIMITS.c, notices);
	const row = intParam(q, 'row', Math.min(d.row, k * k * c - 1), 0, k * k * c - 1, notices);
	const digit = intParam(q, 'digit', d.digit, ...FC_LIMITS.digit, notices);
	const w = intParam(q, 'w', d.w, ...FC_LIMITS.w, notices);
	const h = intParam(q, 'h', d.h, ...FC_LIMITS.h, notices);
	const n = intParam(q, 'n', d.n, ...FC_LIMITS.n, notices);
	return { state: { order, row, k, c, digit, w, h, n }, notices };
}
