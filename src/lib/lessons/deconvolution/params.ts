/**
 * The deconvolution lesson's sliders, as Dumoulin & Visin set the problem up ("A guide to
 * convolution arithmetic", §4): a direct convolution with input size i, kernel k, stride s and
 * padding p maps i to i′ = ⌊(i + 2p − k)/s⌋ + 1; its transposed convolution maps i′ back to
 * o′ = s(i′ − 1) + a + k − 2p = i, with a = (i + 2p − k) mod s. Every size comes from the library
 * (convOutputSize, deconvOutputSize). URL parsing clamps and reports, never throws.
 */
import { convOutputSize, deconvOutputSize, GeometryError } from '$lib/fcn';
import { clampInt, type Parsed } from '$lib/lessons/receptive-field/stack';

export interface DeconvParams {
	/** Input size of the direct convolution (= output size of the transposed one). */
	i: number;
	k: number;
	s: number;
	p: number;
}

export const DECONV_LIMITS = {
	i: { min: 1, max: 10 },
	k: { min: 1, max: 6 },
	s: { min: 1, max: 4 },
	/** p ≤ k − 1, so that k − p − 1 ≥ 0 is a padding (not a crop). */
	p: { min: 0, max: 5 },
	seed: { min: 1, max: 999 }
} as const;

/** FCN's ×2 upsampling with a 2×2 map: k = 2s, p = s/2 (the default view). */
export const DEFAULT_DECONV: DeconvParams = Object.freeze({ i: 4, k: 4, s: 2, p: 1 });

export interface DeconvSizes {
	/** i′: the transposed convolution's input size (the direct convolution's output). */
	inputSize: number;
	/** a = (i + 2p − k) mod s: extra rows/columns on the bottom/right. */
	extra: number;
	/** o′ = s(i′ − 1) + a + k − 2p. */
	outputSize: number;
	/** (i′ − 1)s + 1: the input after zero insertion. */
	inserted: number;
	/** k − p − 1: padding on each side of the zero-inserted input (a more at the bottom/right). */
	border: number;
	/** inserted + 2·border + a. */
	padded: number;
}

/** The sizes of the construction, from the library's shape functions. Throws a GeometryError. */
export function deconvSizes({ i, k, s, p }: DeconvParams): DeconvSizes {
	const inputSize = convOutputSize(i, k, s, p, 1, 'direct convolution');
	const extra = (i + 2 * p - k) % s;
	const outputSize = deconvOutputSize(inputSize, k, s, p, extra, 'transposed convolution');
	const inserted = (inputSize - 1) * s + 1;
	const border = k - p - 1;
	return { inputSize, extra, outputSize, inserted, border, padded: inserted + 2 * border + extra };
}

/** Clamp a parameter set into the sliders' ranges and make it valid (p ≤ k − 1, k ≤ i + 2p). */
export function clampDeconv(raw: DeconvParams): DeconvParams {
	const k = clampInt(raw.k, DECONV_LIMITS.k.min, DECONV_LIMITS.k.max, DEFAULT_DECONV.k);
	const s = clampInt(raw.s, DECONV_LIMITS.s.min, DECONV_LIMITS.s.max, DEFAULT_DECONV.s);
	const p = clampInt(raw.p, DECONV_LIMITS.p.min, Math.min(DECONV_LIMITS.p.max, k - 1), 0);
	// the direct convolution needs k ≤ i + 2p
	const i = clampInt(raw.i, Math.max(DECONV_LIMITS.i.min, k - 2 * p), DECONV_LIMITS.i.max, DEFAULT_DECONV.i);
	return { i, k, s, p };
}

/** Read i, k, s, p from the query (missing keys take the default view). */
export function deconvFromQuery(q: URLSearchParams): Parsed<DeconvParams> {
	const num = (key: keyof DeconvParams) => {
		const v = q.get(key);
		return v === null || v.trim() === '' ? DEFAULT_DECONV[key] : Number(v);
	};
	const raw = { i: num('i'), k: num('k'), s: num('s'), p: num('p') };
	const value = clampDeconv(raw);
	const notices: string[] = [];
	for (const key of ['i', 'k', 's', 'p'] as const) {
		if (value[key] !== raw[key])
			notices.push(`${key} = ${String(q.get(key)).slice(0, 12)} is not possible here; using ${value[key]}`);
	}
	return { value, notices };
}

/** A readable message for an impossible configuration. */
export function deconvError(e: unknown): string {
	if (e instanceof GeometryError) return e.message;
	return e instanceof Error ? e.message : String(e);
}
