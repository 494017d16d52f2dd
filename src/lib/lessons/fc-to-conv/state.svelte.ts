/**
 * The shared state of /fc-to-conv's cells, mirrored in the URL query (specs in ./query.ts).
 * Read once in the browser (`load()`, from onMount); every change is written back with a shallow
 * replaceState so a link reproduces the view.
 */
import { FC_DEFAULTS, parseFcState, type FcParams } from './query';
import { readQuery, writeQuery } from '$lib/url/browser';
import type { FlattenOrder } from '$lib/fcn/fcToConv';

export class FcState {
	order = $state<FlattenOrder>(FC_DEFAULTS.order);
	row = $state(FC_DEFAULTS.row);
	k = $state(FC_DEFAULTS.k);
	c = $state(FC_DEFAULTS.c);
	digit = $state(FC_DEFAULTS.digit);
	w = $state(FC_DEFAULTS.w);
	h = $state(FC_DEFAULTS.h);
	n = $state(FC_DEFAULTS.n);
	notices = $state<string[]>([]);
	/** True once the URL has been read (cells wait for it before their first live run). */
	loaded = $state(false);

	load(): void {
		const { state, notices } = parseFcState(readQuery());
		Object.assign(this, state);
		this.notices = notices;
		this.loaded = true;
	}

	/** Set some keys and write the whole state to the URL. */
	set(patch: Partial<FcParams>): void {
		Object.assign(this, patch);
		const n = this.k * this.k * this.c;
		if (this.row >= n) this.row = n - 1;
		writeQuery({
			order: this.order,
			row: this.row,
			k: this.k,
			c: this.c,
			digit: this.digit,
			w: this.w,
			h: this.h,
			n: this.n
		});
	}
}
