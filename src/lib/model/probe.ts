/**
 * The backend probe: time the real model on every backend that initialises (a warm-up run, then the
 * median of 3 at size×size). A backend whose warm-up takes more than 20× the best so far is not
 * timed further. Runs in the page (`engine.probe`, the benchmark) or in a worker beside it
 * (probe-worker.ts: the first visit's background measurement).
 */
import { BACKEND_NAMES, fastest, median, type BackendName, type ProbeResult } from '$lib/model/backend';
import { WeightsError } from '$lib/model/weights';

/** What the probe asks of the engine. */
export interface ProbeDeps {
	/** Make `b` the active backend; false when it does not initialise. */
	use(b: BackendName): Promise<boolean>;
	/** Load the model on the active backend. */
	load(): Promise<unknown>;
	/** One bare predict of a size×size zero image, awaited to the last byte. */
	predict(size: number): Promise<number>;
	/** Free every model before the next backend (models live on one backend). */
	unload(): void;
}

/** The probe's order: the exact CPU backends first, then the GPUs. */
export const PROBE_ORDER: readonly BackendName[] = ['wasm', 'cpu', 'webgl', 'webgpu'];

/**
 * Probe every backend. If the model then runs on no backend and a backend failed because the
 * verified files could not be built into a model (a WeightsError), that error is thrown: the files,
 * not the browser, are at fault.
 */
export async function probeBackends(
	deps: ProbeDeps,
	size = 128,
	order: readonly BackendName[] = PROBE_ORDER
): Promise<ProbeResult[]> {
	const results: ProbeResult[] = [];
	let weightsError: WeightsError | null = null;
	for (const b of order.filter((o) => BACKEND_NAMES.includes(o))) {
		if (!(await deps.use(b))) {
			results.push({ backend: b, ms: null, error: 'does not initialise' });
			continue;
		}
		try {
			await deps.load();
			const t0 = performance.now();
			await deps.predict(size);
			const warm = performance.now() - t0;
			const best = fastest(results)?.ms ?? Infinity;
			const times = [warm];
			if (warm < 20 * best) {
				times.length = 0;
				for (let i = 0; i < 3; i++) {
					const t = performance.now();
					await deps.predict(size);
					times.push(performance.now() - t);
				}
			}
			results.push({ backend: b, ms: median(times) });
		} catch (e) {
			if (e instanceof WeightsError) weightsError ??= e;
			results.push({ backend: b, ms: null, error: (e as Error).message });
		}
		deps.unload();
	}
	if (weightsError && !fastest(results)) throw weightsError;
	return results;
}
