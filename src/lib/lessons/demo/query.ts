/**
 * The home page demo's URL state as typed specs ($lib/url): `net` (fcn8s | fcn32s) and `scene`
 * (0–199, the held-out test scene). Pure; garbage gives the default or the nearest value and a notice.
 */
import { enumParam, intParam, parseQuery, type StateOf } from '$lib/url';

export const DEMO_SPECS = {
	net: enumParam({ label: 'net', values: ['fcn8s', 'fcn32s'] as const, default: 'fcn8s' }),
	scene: intParam({ label: 'scene', min: 0, max: 199, default: 0 })
};

export type DemoNet = StateOf<typeof DEMO_SPECS>['net'];

export function demoFromQuery(q: URLSearchParams): { values: StateOf<typeof DEMO_SPECS>; notices: string[] } {
	const { values, notices } = parseQuery(DEMO_SPECS, q, { reportUnknown: false });
	return { values, notices: notices.map((n) => n.message) };
}
