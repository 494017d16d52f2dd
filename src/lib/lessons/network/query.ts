/**
 * The URL state of /network (the live trained FCN, layer by layer) as typed specs ($lib/url):
 *
 *   net      fcn8s | fcn16s | fcn32s   the model
 *   weights  trained | random          random: the engine path without trained weights
 *   scale    channel | layer           feature maps scaled per channel or per layer
 *   sample   0 … | none                 the held-out test scene (clamped to the set's size later), none: a drawing
 *   layer    a layer name               checked against the network by the session
 *   unit     c,y,x | sum,y,x            the chosen unit of that layer
 *   tour     1 … | 0                    the guided tour's step shown (0 or absent: closed)
 *
 * Pure (takes URLSearchParams). The page shows no notices: garbage silently takes the default or the
 * nearest valid value.
 */
import { enumParam, intParam, parseQuery, parseValue, textParam } from '$lib/url';

export const NETWORK_SPECS = {
	net: enumParam({ label: 'net', values: ['fcn8s', 'fcn16s', 'fcn32s'] as const, default: 'fcn8s' }),
	weights: enumParam({ label: 'weights', values: ['trained', 'random'] as const, default: 'trained' }),
	scale: enumParam({ label: 'scaling', values: ['channel', 'layer'] as const, default: 'channel' }),
	layer: textParam({ label: 'layer' }),
	unit: textParam({ label: 'unit' }),
	tour: intParam({ label: 'tour', min: 0, max: 20, default: 0 })
};

/** `sample`: a test scene's index (the page clamps it to the scenes it has). */
const SAMPLE = intParam({ label: 'sample', min: 0, max: 9999, default: 0 });
/** `sample=none`: no test scene (the reader draws). */
export const NO_SAMPLE = 'none';

/** A unit of a layer: channel `undefined` is the sum over channels. */
export interface UnitRef {
	layer: string;
	y: number;
	x: number;
	channel?: number;
}

/** `c,y,x` or `sum,y,x` of `layer` (non-negative integers); null for anything else. */
export function parseUnit(v: string | null, layer: string | null): UnitRef | null {
	if (!v || !layer) return null;
	const [c, y, x] = v.split(',');
	const n = [y, x].map(Number);
	if (!n.every((k) => Number.isInteger(k) && k >= 0)) return null;
	const ch = c === 'sum' ? undefined : Number(c);
	if (ch !== undefined && !(Number.isInteger(ch) && ch >= 0)) return null;
	return { layer, y: n[0], x: n[1], channel: ch };
}

/** How `unit` is written: `c,y,x`, or `sum,y,x` for the sum over channels. */
export function formatUnit(u: UnitRef): string {
	return `${u.channel ?? 'sum'},${u.y},${u.x}`;
}

export interface NetworkQuery {
	net: (typeof NETWORK_SPECS.net.values)[number];
	random: boolean;
	scale: 'channel' | 'layer';
	sample: number | null;
	layer: string | null;
	unit: UnitRef | null;
	/** The tour's step, 1-based (0: closed); the page clamps it to its steps. */
	tour: number;
}

export function networkFromQuery(q: URLSearchParams): NetworkQuery {
	const { values } = parseQuery(NETWORK_SPECS, q, { reportUnknown: false });
	const raw = q.get('sample');
	return {
		net: values.net,
		random: values.weights === 'random',
		scale: values.scale,
		sample: raw === NO_SAMPLE ? null : parseValue('sample', SAMPLE, raw).value,
		layer: values.layer,
		unit: parseUnit(values.unit, values.layer),
		tour: values.tour
	};
}
