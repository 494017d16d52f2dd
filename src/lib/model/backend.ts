/**
 * Choosing a TensorFlow.js backend by measuring, not by name: software WebGL can be 20× slower
 * than wasm, a real GPU 20× faster. Pure decision logic plus the localStorage / URL plumbing;
 * the engine (engine.ts) supplies the actual probe.
 */

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
/** Probe order (also the preference order among equally fast backends). */
export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export function isBackendName(s: unknown): s is BackendName {
	return typeof s === 'string' && (BACKEND_NAMES as readonly string[]).includes(s);
}

/**
 * How the current backend was chosen. 'first': a first visit runs on the first backend that works
 * while the others are measured in the background (then 'measured').
 */
export type ChoiceReason = 'url' | 'user' | 'remembered' | 'first' | 'measured' | 'fallback' | 'recovered';

/** The outcome of probing one backend: median ms of a short run of the real model, or why it failed. */
export interface ProbeResult {
	backend: BackendName;
	ms: number | null;
	error?: string;
}

export interface BackendChoice {
	backend: BackendName;
	reason: ChoiceReason;
	/** A sentence for the badge: why this backend. */
	why: string;
	/** Every probe run for this choice (empty when the choice was pinned or remembered). */
	probes: ProbeResult[];
}

/** The fastest backend that worked; ties keep probe order. Null when none worked. */
export function fastest(probes: readonly ProbeResult[]): ProbeResult | null {
	let best: ProbeResult | null = null;
	for (const p of probes) if (p.ms !== null && (best === null || p.ms < best.ms!)) best = p;
	return best;
}

/** The sentence the badge shows for a choice made by measurement. */
export function describeProbes(best: ProbeResult, probes: readonly ProbeResult[]): string {
	const others = probes
		.filter((p) => p !== best)
		.map((p) => (p.ms === null ? `${p.backend} unavailable` : `${p.backend} ${p.ms.toFixed(0)} ms`));
	return `fastest in a probe of the model: ${best.ms!.toFixed(0)} ms${others.length ? ` (${others.join(', ')})` : ''}`;
}

export const STORAGE_KEY = 'fcn-explorer.backend';

/** What is remembered between visits. */
export interface StoredChoice {
	backend: BackendName;
	reason: 'user' | 'measured';
	why: string;
}

/** Read the remembered choice (null when absent, unreadable or unknown). */
export function readStoredChoice(storage: Pick<Storage, 'getItem'> | null | undefined): StoredChoice | null {
	try {
		const raw = storage?.getItem(STORAGE_KEY);
		if (!raw) return null;
		const v = JSON.parse(raw) as StoredChoice;
		return isBackendName(v?.backend) ? v : null;
	} catch {
		return null;
	}
}

export function writeStoredChoice(storage: Pick<Storage, 'setItem'> | null | undefined, c: StoredChoice): void {
	try {
		storage?.setItem(STORAGE_KEY, JSON.stringify(c));
	} catch {
		/* private mode: nothing to remember */
	}
}

/** The median of a list (NaN for an empty one). */
export function median(xs: readonly number[]): number {
	if (!xs.length) return NaN;
	const s = [...xs].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
