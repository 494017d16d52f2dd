/**
 * The URL state of /skip-fusion as typed specs ($lib/url), one set per cell (each cell reads and
 * writes its own keys of the one query):
 *
 *   size   16 … 640 px          the graphs' input side          (architecture cell)
 *   g      caffe | same         the geometry                    (architecture cell)
 *   net    32s | 16s | 8s       the alignment table's net       (architecture cell)
 *   scene  0 … 199              the held-out test scene         (live fusion cell)
 *   p4, p3 1 | 0                the pool4 / pool3 skips on      (live fusion and evaluation cells)
 *   show   argmax | 0 … 10      the score maps shown            (live fusion cell)
 *   zx, zy 0 … 1023             the zoom's centre (both or none) (live fusion cell)
 *   n      1 … 200              scenes scored                   (evaluation cell)
 *   cm     fcn32s | fcn16s | fcn8s  the confusion matrix's net  (evaluation cell)
 *
 * Pure (takes URLSearchParams); garbage gives the nearest valid value and a notice.
 */
import type { FcnVariant, Geometry } from '$lib/fcn';
import { boolParam, enumParam, intParam, parseQuery, parseValue, type StateOf, type UrlNotice } from '$lib/url';

const NO_UNKNOWN = { reportUnknown: false } as const;

export const ARCH_SPECS = {
	size: intParam({ label: 'input size', min: 16, max: 640, default: 224 }),
	g: enumParam({ label: 'geometry', values: ['caffe', 'same'] as const satisfies Geometry[], default: 'caffe' }),
	net: enumParam({ label: 'net', values: ['32s', '16s', '8s'] as const satisfies FcnVariant[], default: '8s' })
};

/** The skips switched on (shared by the live fusion and the evaluation cells). */
export const SKIP_SPECS = {
	p4: boolParam({ label: 'pool4 skip', default: true }),
	p3: boolParam({ label: 'pool3 skip', default: true })
};

export const FUSION_SPECS = {
	scene: intParam({ label: 'scene', min: 0, max: 199, default: 0 }),
	...SKIP_SPECS
};

/** `show`: a class's score maps (0 … 10) instead of the argmax labels. */
const SHOW_CLASS = intParam({ label: 'class', min: 0, max: 10, default: 0 });
/** `zx`, `zy`: the zoom's centre in input pixels. */
const ZOOM = intParam({ label: 'zoom centre', min: 0, max: 1023, default: 0 });

export const EVAL_SPECS = {
	n: intParam({ label: 'scene count', min: 1, max: 200, default: 200 }),
	cm: enumParam({ label: 'confusion matrix net', values: ['fcn32s', 'fcn16s', 'fcn8s'] as const, default: 'fcn8s' })
};

const messages = (ns: readonly UrlNotice[]) => ns.map((n) => n.message);

/** The architecture cell's state. */
export function archFromQuery(q: URLSearchParams): { values: StateOf<typeof ARCH_SPECS>; notices: string[] } {
	const { values, notices } = parseQuery(ARCH_SPECS, q, NO_UNKNOWN);
	return { values, notices: messages(notices) };
}

/** Which skips the URL switches on. */
export function skipsFromQuery(q: URLSearchParams): { pool4: boolean; pool3: boolean } {
	const { p4, p3 } = parseQuery(SKIP_SPECS, q, NO_UNKNOWN).values;
	return { pool4: p4, pool3: p3 };
}

export interface FusionQuery {
	scene: number;
	skips: { pool4: boolean; pool3: boolean };
	show: 'argmax' | number;
	zoom: { x: number; y: number } | null;
}

/** The live fusion cell's state. A garbled zoom centre is clamped without a notice. */
export function fusionFromQuery(q: URLSearchParams): { values: FusionQuery; notices: string[] } {
	const { values, notices } = parseQuery(FUSION_SPECS, q, NO_UNKNOWN);
	const raw = q.get('show');
	let show: FusionQuery['show'] = 'argmax';
	if (raw && raw !== 'argmax') {
		const c = parseValue('show', SHOW_CLASS, raw);
		show = c.value;
		if (c.notice) notices.push(c.notice);
	}
	const zx = q.get('zx');
	const zy = q.get('zy');
	const zoom =
		zx !== null && zy !== null ? { x: parseValue('zx', ZOOM, zx).value, y: parseValue('zy', ZOOM, zy).value } : null;
	return {
		values: { scene: values.scene, skips: { pool4: values.p4, pool3: values.p3 }, show, zoom },
		notices: messages(notices)
	};
}

/** The evaluation cell's state; one notice at most (the first). */
export function evalFromQuery(q: URLSearchParams): { values: StateOf<typeof EVAL_SPECS>; notice: string | null } {
	const { values, notices } = parseQuery(EVAL_SPECS, q, NO_UNKNOWN);
	return { values, notice: notices[0]?.message ?? null };
}
