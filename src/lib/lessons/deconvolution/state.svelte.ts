/**
 * The state the deconvolution lesson's cells share: the sliders i, k, s, p, the seed of the numbers
 * and the bilinear factor f (URL specs in ./params.ts). Read from the URL once in the browser, written
 * back on every change. The page makes one instance and hands it to its cells.
 */
import { readQuery, writeQuery } from '$lib/url/browser';
import { clampTo } from '$lib/url';
import {
	clampDeconv,
	DECONV_SPECS,
	DEFAULT_DECONV,
	DEFAULT_FACTOR,
	deconvError,
	deconvFromQuery,
	deconvSizes,
	type DeconvParams,
	type DeconvSizes
} from './params';

export class DeconvState {
	params = $state<DeconvParams>({ ...DEFAULT_DECONV });
	seed = $state(1);
	factor = $state(DEFAULT_FACTOR);
	notices = $state<string[]>([]);
	#ready = false;

	sizes = $derived.by((): { ok: true; value: DeconvSizes } | { ok: false; message: string } => {
		try {
			return { ok: true, value: deconvSizes(this.params) };
		} catch (e) {
			return { ok: false, message: deconvError(e) };
		}
	});

	/** Read the URL (call once, from onMount). */
	load(): void {
		const { value, notices } = deconvFromQuery(readQuery());
		this.params = value.params;
		this.seed = value.seed;
		this.factor = value.factor;
		this.notices = notices;
		this.#ready = true;
	}

	/** Change some of i, k, s, p (clamped to a valid construction). */
	set(patch: Partial<DeconvParams>): void {
		this.params = clampDeconv({ ...this.params, ...patch });
		this.save();
	}

	setSeed(seed: number): void {
		this.seed = clampTo(DECONV_SPECS.seed, seed);
		this.save();
	}

	setFactor(f: number): void {
		this.factor = clampTo(DECONV_SPECS.f, f);
		this.save();
	}

	save(): void {
		if (!this.#ready) return;
		const { i, k, s, p } = this.params;
		writeQuery({
			i,
			k,
			s,
			p,
			seed: this.seed === 1 ? null : this.seed,
			f: this.factor === DEFAULT_FACTOR ? null : this.factor
		});
	}
}
