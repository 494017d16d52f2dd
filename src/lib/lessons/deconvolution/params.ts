/**
 * The deconvolution lesson's sliders, as Dumoulin & Visin set the problem up ("A guide to
 * convolution arithmetic", §4): a direct convolution with input size i, kernel k, stride s and
 * padding p maps i to i′ = ⌊(i + 2p − k)/s⌋ + 1; its transposed convolution maps i′ back to
 * o′ = s(i′ − 1) + a + k − 2p = i, with a = (i + 2p − k) mod s. Every size comes from the library
 * (convOutputSize, deconvOutputSize). The URL state is typed specs ($lib/url): parsing clamps and
 * reports, never throws.
 */
import { convOutputSize, deconvOutputSize, GeometryError } from '$lib/fcn';
import { clampInt, intParam, parseQuery, type UrlNotice } from '$lib/url';

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

/** The bilinear cell's upsampling factor f. */
export const FACTOR_LIMITS = { min: 2, max: 32 } as const;
export const DEFAULT_FACTOR = 4;

const L = DECONV_LIMITS;
/**
 * The page's URL state: `i`, `k`, `s`, `p` (each in its slider's range; {@link deconvFromQuery} then
 * makes the set a valid construction), `seed` of the numbers, `f` the bilinear factor.
 */
export const DECONV_SPECS = {
	i: intParam({ label: 'input size', ...L.i, default: DEFAULT_DECONV.i }),
	k: intParam({ label: 'kernel size', ...L.k, default: DEFAULT_DECONV.k }),
	s: intParam({ label: 'stride', ...L.s, default: DEFAULT_DECONV.s }),
	p: intParam({ label: 'padding', ...L.p, default: DEFAULT_DECONV.p }),
	seed: intParam({ label: 'seed', ...L.seed, default: 1 }),
	f: intParam({ label: 'upsampling factor', ...FACTOR_LIMITS, default: DEFAULT_FACTOR })
};

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

/** The live FCN-32s cell's URL state: the held-out test `scene` (0–199, default 2). */
export const UPSAMPLING_SPECS = {
	scene: intParam({ label: 'scene', min: 0, max: 199, default: 2 })
};

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
	const k = clampInt(raw.k, L.k.min, L.k.max, DEFAULT_DECONV.k);
	const s = clampInt(raw.s, L.s.min, L.s.max, DEFAULT_DECONV.s);
	const p = clampInt(raw.p, L.p.min, Math.min(L.p.max, k - 1), 0);
	// the direct convolution needs k ≤ i + 2p (also when i is garbage and falls back to its default)
	const iMin = Math.max(L.i.min, k - 2 * p);
	const i = Math.max(iMin, clampInt(raw.i, iMin, L.i.max, DEFAULT_DECONV.i));
	return { i, k, s, p };
}

/** The page's whole URL state. */
export interface DeconvQuery {
	params: DeconvParams;
	seed: number;
	factor: number;
}

/**
 * Read the page's state from the query (missing keys take the default view): each value clamped into
 * its slider's range, then i and p made a valid construction with k (p ≤ k − 1, i ≥ k − 2p). One notice
 * (a sentence) per value not used as written.
 */
export function deconvFromQuery(q: URLSearchParams): { value: DeconvQuery; notices: string[] } {
	const { values, notices } = parseQuery(DECONV_SPECS, q, { reportUnknown: false });
	const { seed, f, ...asked } = values;
	const params = clampDeconv(asked);
	const byKey = new Map<string, UrlNotice | string>(notices.map((n) => [n.key, n]));
	const why = {
		p: `padding must be at most k − 1 = ${params.k - 1}`,
		i: `input size must be at least k − 2p = ${params.k - 2 * params.p}`
	};
	for (const key of ['p', 'i'] as const) {
		if (params[key] === asked[key]) continue;
		const raw = q.get(key);
		const what = raw === null ? `${key} (default ${asked[key]})` : `${key}=${raw.slice(0, 24)}`;
		byKey.set(key, `${what}: ${why[key]}; using ${params[key]}.`);
	}
	const order = ['i', 'k', 's', 'p', 'seed', 'f'];
	const sorted = [...byKey.entries()].sort(([a], [b]) => order.indexOf(a) - order.indexOf(b));
	return {
		value: { params, seed, factor: f },
		notices: sorted.map(([, n]) => (typeof n === 'string' ? n : n.message))
	};
}

/** A readable message for an impossible configuration. */
export function deconvError(e: unknown): string {
	if (e instanceof GeometryError) return e.message;
	return e instanceof Error ? e.message : String(e);
}
