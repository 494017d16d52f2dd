/**
 * The URL state of the skip-fusion lab ("Train the skip yourself"), as one spec in the shape of the
 * site's URL module ($lib/url): `?lab=8s&init=random&up=learned&lr=0.003&fk=s`.
 * Defaults are left out of the URL. Pure: the cell reads and writes it with the URL module.
 */
import type { LabConfig } from '$lib/live';
import { enumParam, floatParam, parseQuery, type StateOf } from '$lib/url';

export const LAB_QUERY = {
	/** Which skips the reader adds: pool4 (FCN-16s) or pool4 and pool3 (FCN-8s). */
	lab: enumParam({ label: 'skips', values: ['16s', '8s'] as const, default: '16s' }),
	/** The new score layers' initial weights. */
	init: enumParam({ label: 'initialisation', values: ['zero', 'random'] as const, default: 'zero' }),
	/** The ×2 upsampling(s): fixed bilinear or learned (from bilinear). */
	up: enumParam({ label: '×2 upsampling', values: ['bilinear', 'learned'] as const, default: 'bilinear' }),
	lr: floatParam({ label: 'learning rate', min: 0.0001, max: 0.3, default: 0.01, digits: 4 }),
	/** The final bilinear upsampling's kernel: 2s (the paper) or s (cells that do not overlap). */
	fk: enumParam({ label: 'final upsampling kernel', values: ['2s', 's'] as const, default: '2s' })
};

export type LabQuery = StateOf<typeof LAB_QUERY>;

/** The lab's state from the query: garbage clamped or defaulted, one sentence per value not used as written. */
export function labFromQuery(q: URLSearchParams): { values: LabQuery; notices: string[] } {
	const { values, notices } = parseQuery(LAB_QUERY, q, { reportUnknown: false });
	return { values, notices: notices.map((n) => n.message) };
}

export const LAB_DEFAULTS: LabQuery = {
	lab: LAB_QUERY.lab.default,
	init: LAB_QUERY.init.default,
	up: LAB_QUERY.up.default,
	lr: LAB_QUERY.lr.default,
	fk: LAB_QUERY.fk.default
};

/** The learning rates the cell offers (any in [min, max] is accepted from the URL). */
export const LAB_RATES: readonly number[] = [0.001, 0.003, 0.01, 0.03, 0.1];

/** The trainer's configuration for a URL state. */
export function labConfig(q: LabQuery): LabConfig {
	return { skips: q.lab === '8s' ? 'pool4+pool3' : 'pool4', init: q.init, up: q.up, lr: q.lr, finalKernel: q.fk };
}
