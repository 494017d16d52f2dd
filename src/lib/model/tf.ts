/**
 * TensorFlow.js, loaded on demand: nothing here touches tfjs at import time. `@tensorflow/tfjs` and
 * its wasm / webgpu backends are dynamically imported by `loadTf()`, so a page pays for them only
 * when a live cell asks. The wasm binaries are served by the site itself (Vite `?url` assets), never
 * from a CDN. Also the one place where verified weight bytes become a tf.LayersModel.
 */
import type * as TF from '@tensorflow/tfjs';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendName } from '$lib/model/backend';
import { WeightsError, type VerifiedModel } from '$lib/model/weights';

export type Tf = typeof TF;

/** Where the engine goes when the chosen backend fails or its GPU is lost: in this order. */
export const FALLBACK_ORDER: readonly BackendName[] = ['wasm', 'cpu'];

let tfPromise: Promise<Tf> | null = null;
let wasmModule: typeof import('@tensorflow/tfjs-backend-wasm') | null = null;

/** Where the measured wasm thread count is remembered between visits (written by the engine). */
export const THREADS_KEY = 'fcn-explorer.wasm-threads';

/**
 * How many threads the wasm backend starts with. Threads exist only in a cross-origin isolated page
 * (src/lib/isolation.ts); elsewhere tfjs runs its single-threaded SIMD build whatever this says.
 * Without a measurement, 1: a first visit starts at once on tfjs's plain SIMD build (the threaded
 * build pre-starts 8 pthread workers, which a first result does not wait for); the background
 * measurement (background.ts) then times 1 thread against every core in a worker and, where more
 * threads pay, restarts wasm with them between runs and remembers the count for later visits.
 * `setWasmThreads` (the benchmark) wins over both.
 */
export const DEFAULT_WASM_THREADS = 1;
let threadsOverride: number | null = null;
/** The count last handed to tfjs's setThreadsCount. */
let requestedThreads = DEFAULT_WASM_THREADS;

/** The thread count remembered by a measurement on this browser (null: none). */
export function rememberedThreads(storage: Pick<Storage, 'getItem'> | null | undefined): number | null {
	try {
		const n = Number(storage?.getItem(THREADS_KEY));
		return Number.isInteger(n) && n >= 1 && n <= 64 ? n : null;
	} catch {
		return null;
	}
}

/** Start the wasm backend with `n` threads (before `loadTf`; the benchmark's one-page-per-count runs). */
export function setWasmThreads(n: number | null): void {
	threadsOverride = n;
	// tfjs may be loaded already; the count still applies if the wasm backend has not started
	requestThreads(startThreads());
}

function requestThreads(n: number): void {
	requestedThreads = n;
	wasmModule?.setThreadsCount(n);
}

/** The thread count the wasm backend starts with on this page. */
export function startThreads(): number {
	if (threadsOverride !== null) return threadsOverride;
	const storage = typeof localStorage !== 'undefined' ? localStorage : null;
	return rememberedThreads(storage) ?? DEFAULT_WASM_THREADS;
}

/** Threads the running wasm backend really uses (1 when the page is not isolated; null before it starts). */
export function wasmThreads(): number | null {
	try {
		return wasmModule?.getThreadsCount() ?? null;
	} catch {
		return null;
	}
}

/**
 * Load TensorFlow.js and register the wasm backend (and webgpu when `navigator.gpu` exists).
 * Idempotent. The wasm binaries come from this site.
 */
export function loadTf(): Promise<Tf> {
	tfPromise ??= (async () => {
		const tf = await import('@tensorflow/tfjs');
		const wasm = await import('@tensorflow/tfjs-backend-wasm');
		wasmModule = wasm;
		wasm.setWasmPaths({
			'tfjs-backend-wasm.wasm': wasmUrl,
			'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
			'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl
		});
		requestThreads(startThreads());
		uncapThreads(tf);
		// FCN's upsampling through XNNPACK instead of tfjs's plain loop (wasm-deconv.ts)
		(await import('$lib/model/wasm-deconv')).registerWasmSubPixelDeconv();
		if (typeof navigator !== 'undefined' && 'gpu' in navigator) {
			try {
				await import('@tensorflow/tfjs-backend-webgpu');
			} catch {
				/* webgpu unavailable: the probe skips it */
			}
		}
		return tf;
	})();
	return tfPromise;
}

/**
 * tfjs-backend-wasm 4.22 caps its XNNPACK thread pool at navigator.hardwareConcurrency / 2 (its
 * backend.cc assumes two hardware threads per core: `num_cores = emscripten_num_logical_cores() / 2`,
 * read once when the module starts, and every thread count is capped to it). On a machine reporting 2
 * logical cores that is ONE thread whatever `setThreadsCount` says, which is why an earlier test saw
 * "no gain from threads on 2 cores". So the wasm backend's factory is wrapped: while the module starts,
 * `navigator.hardwareConcurrency` reads at least twice the requested count (an own property on this
 * page's navigator, removed again right after), so the measured count is the count that runs. The
 * threaded module pre-starts 8 pthread workers (tfjs's PTHREAD_POOL_SIZE) whatever the count, so one
 * thread runs the plain SIMD build instead.
 */
let threadedBuild: boolean | undefined;

function uncapThreads(tf: Tf): void {
	const factory = tf.findBackendFactory('wasm');
	if (!factory || typeof navigator === 'undefined') return;
	tf.removeBackend('wasm');
	tf.registerBackend(
		'wasm',
		async () => {
			// One thread: tfjs's plain SIMD build, not the threaded one at one thread (which still starts 8
			// pthread workers, the cost of a first visit in an isolated page).
			threadedBuild ??= Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
			tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', threadedBuild && requestedThreads > 1);
			const want = 2 * Math.max(1, requestedThreads);
			const real = navigator.hardwareConcurrency ?? 1;
			if (want <= real) return factory();
			Object.defineProperty(navigator, 'hardwareConcurrency', { value: want, configurable: true });
			try {
				return await factory();
			} finally {
				delete (navigator as { hardwareConcurrency?: number }).hardwareConcurrency;
			}
		},
		2
	);
}

/**
 * Start the wasm backend afresh with `n` threads (a new Emscripten module: the thread count is fixed
 * when the module starts) and make it the active backend. Every tensor of the old wasm backend is
 * gone: dispose the models first. False when it does not initialise.
 */
export async function restartWasm(tf: Tf, n: number): Promise<boolean> {
	const factory = tf.findBackendFactory('wasm');
	if (!factory || !wasmModule) return false;
	tf.removeBackend('wasm');
	requestThreads(n);
	tf.registerBackend('wasm', factory, 2);
	try {
		const ok = await tf.setBackend('wasm');
		if (ok) await tf.ready();
		return ok;
	} catch {
		return false;
	}
}

let buildPromise: Promise<typeof import('$lib/model/build')> | null = null;

/**
 * The model-building module (it imports tfjs), loaded once. Memoised because every dynamic import
 * of a bundled chunk goes through Vite's preload helper (DOM queries, URL parsing) on each call,
 * and `run` needs it on every inference.
 */
export function loadBuild(): Promise<typeof import('$lib/model/build')> {
	return (buildPromise ??= import('$lib/model/build'));
}

/**
 * A tf.LayersModel from a model's verified files (`tf.io.fromMemory`: nothing is fetched again).
 * A topology tfjs cannot build throws a WeightsError naming the model's model.json.
 */
export async function layersModelFrom(tf: Tf, verified: VerifiedModel): Promise<TF.LayersModel> {
	try {
		return await tf.loadLayersModel(
			tf.io.fromMemory({
				modelTopology: verified.modelJson.modelTopology as TF.io.ModelArtifacts['modelTopology'],
				weightSpecs: verified.modelJson.weightsManifest.flatMap((g) => g.weights) as TF.io.WeightsManifestEntry[],
				weightData: verified.weightData
			})
		);
	} catch (e) {
		throw new WeightsError(
			`${verified.name}/model.json`,
			`${verified.name} could not be built from its files: ${(e as Error).message}`,
			'invalid'
		);
	}
}
