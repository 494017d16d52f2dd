/**
 * The deconvolution lesson's sliders: a transposed convolution parameterised by its OWN input, as
 * tf.conv2dTranspose and PyTorch's ConvTranspose2d take it. Input size i, kernel k, stride s and
 * padding p give o = s(i − 1) + k − 2p (a = 0: PyTorch's output_padding 0). Dumoulin & Visin ("A guide
 * to convolution arithmetic", §4) relate it to a direct convolution: kernel k, stride s, padding p on
 * an input of size o gives back ⌊(o + 2p − k)/s⌋ + 1 = i. Every size comes from the library
 * (deconvOutputSize, convOutputSize). The URL state is typed specs ($lib/url): parsing clamps and
 * reports, never throws.
 */
import { convOutputSize, deconvOutputSize, GeometryError } from '$lib/fcn';
import { clampInt, intParam, parseQuery, type UrlNotice } from '$lib/url';

export interface DeconvParams {
	/** Input size of the transposed convolution (= output size of the associated direct one). */
	i: number;
	k: number;
	s: number;
	p: number;
}

export const DECONV_LIMITS = {
	i: { min: 1, max: 6 },
	/** Up to FCN's ×8 layer: k = 16, s = 8. */
	k: { min: 1, max: 16 },
	s: { min: 1, max: 8 },
	/** 2p ≤ k − 1 (see maxPadding), so k − p − 1 ≥ 0 is a padding, not a crop. */
	p: { min: 0, max: 7 },
	seed: { min: 1, max: 999 }
} as const;

/** FCN's ×2 upsampling of a 4×4 map: k = 2s, p = s/2, so o = 2i = 8 (the default view). */
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
	/** i: the transposed convolution's input size (the slider). */
	inputSize: number;
	/** a: extra rows/columns at the bottom/right; 0 here (PyTorch's output_padding 0). */
	extra: number;
	/** o = s(i − 1) + k − 2p. */
	outputSize: number;
	/** The associated direct convolution (k, s, p) applied to o: ⌊(o + 2p − k)/s⌋ + 1, which is i again. */
	directOutput: number;
	/** (i − 1)s + 1: the input after zero insertion. */
	inserted: number;
	/** k − p − 1: padding on each side of the zero-inserted input. */
	border: number;
	/** inserted + 2·border. */
	padded: number;
}

/** The live FCN-32s cell's URL state: the held-out test `scene` (0–199, default 2). */
export const UPSAMPLING_SPECS = {
	scene: intParam({ label: 'scene', min: 0, max: 199, default: 2 })
};

/** The sizes of the construction, from the library's shape functions. Throws a GeometryError. */
export function deconvSizes({ i, k, s, p }: DeconvParams): DeconvSizes {
	const outputSize = deconvOutputSize(i, k, s, p, 0, 'transposed convolution');
	const directOutput = convOutputSize(outputSize, k, s, p, 1, 'direct convolution');
	const inserted = (i - 1) * s + 1;
	const border = k - p - 1;
	return { inputSize: i, extra: 0, outputSize, directOutput, inserted, border, padded: inserted + 2 * border };
}

/** The largest padding: 2p ≤ k − 1, so that o = (i − 1)s + 1 + (k − 1 − 2p) never crops the zero-inserted input. */
export function maxPadding(k: number): number {
	return Math.min(DECONV_LIMITS.p.max, Math.floor((k - 1) / 2));
}

/** Clamp a parameter set into the sliders' ranges and make it valid (2p ≤ k − 1). */
export function clampDeconv(raw: DeconvParams): DeconvParams {
	const k = clampInt(raw.k, L.k.min, L.k.max, DEFAULT_DECONV.k);
	const s = clampInt(raw.s, L.s.min, L.s.max, DEFAULT_DECONV.s);
	const p = clampInt(raw.p, L.p.min, maxPadding(k), 0);
	const i = clampInt(raw.i, L.i.min, L.i.max, DEFAULT_DECONV.i);
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
 * its slider's range, then p made a valid construction with k (2p ≤ k − 1). One notice
 * (a sentence) per value not used as written.
 */
export function deconvFromQuery(q: URLSearchParams): { value: DeconvQuery; notices: string[] } {
	const { values, notices } = parseQuery(DECONV_SPECS, q, { reportUnknown: false });
	const { seed, f, ...asked } = values;
	const params = clampDeconv(asked);
	const byKey = new Map<string, UrlNotice | string>(notices.map((n) => [n.key, n]));
	if (params.p !== asked.p) {
		const raw = q.get('p');
		const what = raw === null ? `p (default ${asked.p})` : `p=${raw.slice(0, 24)}`;
		byKey.set('p', `${what}: padding must be at most ⌊(k − 1)/2⌋ = ${maxPadding(params.k)}; using ${params.p}.`);
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
