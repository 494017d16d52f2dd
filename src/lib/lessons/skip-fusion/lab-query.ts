/**
 * The URL state of the skip-fusion lab ("Train the skip yourself"), as one spec in the shape of the
 * site's URL-state module (kind, label, default, values / min, max): `?lab=8s&init=random&up=learned&lr=0.003&fk=s`.
 * Defaults are left out of the URL. Pure: the cell reads and writes it with the URL module.
 */
import type { LabConfig } from '$lib/live';

export const LAB_QUERY = {
	/** Which skips the reader adds: pool4 (FCN-16s) or pool4 and pool3 (FCN-8s). */
	lab: { kind: 'enum', label: 'skips', values: ['16s', '8s'] as const, default: '16s' },
	/** The new score layers' initial weights. */
	init: { kind: 'enum', label: 'initialisation', values: ['zero', 'random'] as const, default: 'zero' },
	/** The ×2 upsampling(s): fixed bilinear or learned (from bilinear). */
	up: { kind: 'enum', label: '×2 upsampling', values: ['bilinear', 'learned'] as const, default: 'bilinear' },
	lr: { kind: 'float', label: 'learning rate', min: 0.0001, max: 0.3, default: 0.01, digits: 4 },
	/** The final bilinear upsampling's kernel: 2s (the paper) or s (cells that do not overlap). */
	fk: { kind: 'enum', label: 'final upsampling kernel', values: ['2s', 's'] as const, default: '2s' }
} as const;

export interface LabQuery {
	lab: (typeof LAB_QUERY.lab.values)[number];
	init: (typeof LAB_QUERY.init.values)[number];
	up: (typeof LAB_QUERY.up.values)[number];
	lr: number;
	fk: (typeof LAB_QUERY.fk.values)[number];
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
