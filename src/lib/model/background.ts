/**
 * A result first, the measurement after: on a first visit the page runs on the first backend that
 * works (wasm where it initialises), and the other backends are timed in a Web Worker beside the page
 * (probe-worker.ts: its own TensorFlow.js, so the page's models and runs are never touched), after the
 * first result, when the browser is idle. The engine then switches when it is idle (engine.ts).
 */
import { describeProbes, fastest, type BackendChoice, type BackendName, type ProbeResult } from '$lib/model/backend';
import type { StoredChoice } from '$lib/model/backend';
import type { Manifest, ModelName, VerifiedModel } from '$lib/model/weights';

/** What the page sends the probe worker. */
export interface ProbeRequest {
	model: ModelName;
	/** The verified files (copied to the worker), or null for the untrained definition. */
	verified: VerifiedModel | null;
	manifest: Manifest | null;
	/** Probe size (size×size). */
	size: number;
	/** Backends to time, in order; the first is the baseline the others' warm-up is cut against. */
	order: BackendName[];
	/** wasm thread counts to time beside each other (empty: none), at threadSize². */
	threads: number[];
	threadSize: number;
	/** The thread count the worker's wasm backend starts with (as the page's does). */
	startThreads: number;
}

/** What the probe worker answers. */
export interface ProbeAnswer {
	results: ProbeResult[];
	/** wasm at each requested thread count: median ms (null when it failed). */
	threads: { threads: number; ms: number | null }[];
	error?: string;
}

/** Whether this page can start the probe worker (a browser with module workers). */
export function canProbeInBackground(): boolean {
	return typeof window !== 'undefined' && typeof Worker !== 'undefined';
}

/** Time the backends of `req` in a worker; rejects after `timeoutMs` (the worker is ended either way). */
export function probeInWorker(req: ProbeRequest, timeoutMs = 120_000): Promise<ProbeAnswer> {
	const worker = new Worker(new URL('./probe-worker.ts', import.meta.url), { type: 'module', name: 'backend-probe' });
	let timer: ReturnType<typeof setTimeout> | undefined;
	return new Promise<ProbeAnswer>((ok, fail) => {
		timer = setTimeout(() => fail(new Error(`the background probe took over ${timeoutMs / 1000} s`)), timeoutMs);
		worker.onmessage = (e: MessageEvent<ProbeAnswer>) => (e.data.error ? fail(new Error(e.data.error)) : ok(e.data));
		worker.onerror = (e) => fail(new Error(e.message || 'the probe worker failed to start'));
		worker.postMessage(req);
	}).finally(() => {
		clearTimeout(timer);
		worker.terminate();
	});
}

/** Call `f` when the browser is idle (requestIdleCallback, at most `timeoutMs` later). */
export function whenIdle(f: () => void, timeoutMs = 2000): void {
	const w = globalThis as unknown as { requestIdleCallback?: (cb: () => void, o: { timeout: number }) => number };
	if (w.requestIdleCallback) w.requestIdleCallback(f, { timeout: timeoutMs });
	else setTimeout(f, 50);
}

/**
 * The request for a first visit on `current`: wasm (the baseline; cpu too when the page runs on cpu)
 * and the GPUs, at 128², and, when the page is cross-origin isolated on a machine with more than one
 * core, wasm at 1 thread and at every core.
 */
export function probeRequest(
	model: ModelName,
	current: BackendName,
	verified: VerifiedModel | null,
	manifest: Manifest | null,
	startThreads: number
): ProbeRequest {
	const cores = typeof navigator !== 'undefined' ? (navigator.hardwareConcurrency ?? 1) : 1;
	const isolated = typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated;
	const all: BackendName[] = current === 'cpu' ? ['cpu', 'wasm', 'webgl', 'webgpu'] : ['wasm', 'webgl', 'webgpu'];
	return {
		model,
		verified,
		manifest,
		size: 128,
		order: all.filter(pageCanStart),
		threads: isolated && cores > 1 ? [1, cores] : [],
		// the size the lessons run at; at 128² a pass is too short for a second thread to pay
		threadSize: 256,
		startThreads
	};
}

/**
 * Whether this page could start `b` at all (a capability, not a speed): a GPU backend the page cannot
 * get a context for is not worth timing in the worker, whose OffscreenCanvas may differ.
 */
export function pageCanStart(b: BackendName): boolean {
	if (b === 'webgpu') return typeof navigator !== 'undefined' && 'gpu' in navigator;
	if (b !== 'webgl') return true;
	if (typeof document === 'undefined') return false;
	const canvas = document.createElement('canvas');
	const gl = canvas.getContext('webgl2') ?? canvas.getContext('webgl');
	gl?.getExtension('WEBGL_lose_context')?.loseContext();
	return gl !== null;
}

/** The answer with every backend the request left out named unavailable (for the badge). */
export function withUnavailable(answer: ProbeAnswer, asked: readonly BackendName[]): ProbeAnswer {
	const missing = (['wasm', 'webgl', 'webgpu'] as BackendName[]).filter(
		(b) => !asked.includes(b) && !answer.results.some((r) => r.backend === b)
	);
	const none = missing.map((backend) => ({ backend, ms: null, error: 'unavailable in this page' }));
	return { ...answer, results: [...answer.results, ...none] };
}

/** A faster backend must beat the one in use by this factor to be switched to (worker vs page noise). */
export const SWITCH_FACTOR = 0.8;
/** More threads must beat one thread by this factor to be used. */
export const THREADS_FACTOR = 0.85;

/** What the page does with a background answer. */
export interface Decision {
	/** 'switch' to another backend, restart wasm with another thread count ('threads'), or 'keep'. */
	action: 'switch' | 'threads' | 'keep';
	/** The choice to adopt (its backend is the fastest measured). */
	choice: BackendChoice;
	/** What to remember for the next visit. */
	remember: StoredChoice;
	/** The wasm thread count measured best (null: not measured). */
	threads: number | null;
	/** The notice for the badge. */
	message: string;
}

/** Decide from a background answer while running `current` with `threadsNow` wasm threads (null: nothing worked). */
export function decide(answer: ProbeAnswer, current: BackendChoice, threadsNow: number): Decision | null {
	const best = fastest(answer.results);
	if (!best) return null;
	const [one, all] = answer.threads;
	const threads =
		one?.ms != null && all?.ms != null ? (all.ms < THREADS_FACTOR * one.ms ? all.threads : one.threads) : null;
	const timed =
		one?.ms != null && all?.ms != null
			? `; wasm at 256²: ${one.ms.toFixed(0)} ms on 1 thread, ${all.ms.toFixed(0)} ms on ${all.threads}`
			: '';
	const why = `${describeProbes(best, answer.results)}${timed}, measured in the background`;
	const remember: StoredChoice = { backend: best.backend, reason: 'measured', why };
	const choice: BackendChoice = { backend: best.backend, reason: 'measured', why, probes: answer.results };
	const mine = answer.results.find((p) => p.backend === current.backend)?.ms ?? null;
	if (best.backend !== current.backend && mine !== null && best.ms! < SWITCH_FACTOR * mine)
		return { action: 'switch', choice, remember, threads, message: `Switched to ${best.backend}: ${why}.` };
	if (best.backend === current.backend && current.backend === 'wasm' && threads !== null && threads !== threadsNow) {
		const message = `wasm now runs on ${threads} thread${threads > 1 ? 's' : ''} (at 256²: ${one.ms!.toFixed(0)} ms on 1, ${all.ms!.toFixed(0)} ms on ${all.threads}, measured in the background).`;
		return { action: 'threads', choice, remember, threads, message };
	}
	return { action: 'keep', choice: { ...choice, backend: current.backend }, remember, threads, message: why };
}
