/**
 * The state the deconvolution lesson's cells share: the sliders i, k, s, p, the seed of the numbers
 * and the bilinear factor f. Read from the URL once in the browser, written back on every change.
 * The page makes one instance and hands it to its cells.
 */
import { readQuery, writeQuery } from '$lib/components/shell/query';
import { clampInt } from '$lib/lessons/receptive-field/stack';
import {
	clampDeconv,
	DECONV_LIMITS,
	DEFAULT_DECONV,
	deconvError,
	deconvFromQuery,
	deconvSizes,
	type DeconvParams,
	type DeconvSizes
} from '$lib/lessons/deconvolution/params';

export const FACTOR_LIMITS = { min: 2, max: 32 } as const;
export const DEFAULT_FACTOR = 4;

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
		const q = readQuery();
		const parsed = deconvFromQuery(q);
		const notices = [...parsed.notices];
		this.params = parsed.value;
		const seed = q.get('seed');
		if (seed !== null) {
			this.seed = clampInt(Number(seed), DECONV_LIMITS.seed.min, DECONV_LIMITS.seed.max, 1);
			if (String(this.seed) !== seed) notices.push(`seed = ${seed.slice(0, 12)} is not possible; using ${this.seed}`);
		}
		const f = q.get('f');
		if (f !== null) {
			this.factor = clampInt(Number(f), FACTOR_LIMITS.min, FACTOR_LIMITS.max, DEFAULT_FACTOR);
			if (String(this.factor) !== f) notices.push(`f = ${f.slice(0, 12)} is not possible; using ${this.factor}`);
		}
		this.notices = notices;
		this.#ready = true;
	}

	/** Change some of i, k, s, p (clamped to a valid construction). */
	set(patch: Partial<DeconvParams>): void {
		this.params = clampDeconv({ ...this.params, ...patch });
		this.save();
	}

	setSeed(seed: number): void {
		this.seed = clampInt(seed, DECONV_LIMITS.seed.min, DECONV_LIMITS.seed.max, 1);
		this.save();
	}

	setFactor(f: number): void {
		this.factor = clampInt(f, FACTOR_LIMITS.min, FACTOR_LIMITS.max, DEFAULT_FACTOR);
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
