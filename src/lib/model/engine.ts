/**
 * The live-inference engine of the explorer: TensorFlow.js loaded on demand, a backend chosen by
 * measuring, trained weights loaded with progress and verified, and one forward pass that yields
 * the segmentation and every layer's activation.
 *
 * Nothing here touches tfjs at import time: `@tensorflow/tfjs` and its wasm / webgpu backends are
 * dynamically imported by `loadTf()`, so a page pays for them only when a live cell asks. The wasm
 * binaries are served by the site itself (Vite `?url` assets), never from a CDN.
 *
 * OWNERSHIP: every function returns plain JavaScript data (typed arrays, numbers); no tf.Tensor
 * ever leaves the engine, and every tensor it creates is disposed before it returns. The caller
 * owns the returned arrays and nothing else. The engine owns its tf.LayersModels (one per model
 * name, rebuilt from the cached verified bytes when the backend changes).
 *
 * Usage:
 * ```ts
 * import { engine } from '$lib/model/engine';
 * await engine.chooseBackend();                  // probe or pinned (?backend=wasm)
 * await engine.loadModel('fcn8s', { onProgress }); // verified against manifest sha256
 * const r = await engine.run('fcn8s', { data, width, height }, { layers: ['pool3'] });
 * r.labels; r.probabilities; r.activations.pool3;   // plain arrays, yours
 * ```
 */
import type * as TF from '@tensorflow/tfjs';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { fcn, trainedOptions, vgg16, TRAINED } from '../fcn/nets';
import type { Network } from '../fcn/network';
import { channelMean } from '../fcn/hwc';
import {
	BACKEND_NAMES,
	describeProbes,
	fastest,
	median,
	readStoredChoice,
	writeStoredChoice,
	type BackendChoice,
	type BackendName,
	type ProbeResult
} from './backend';
import { padImage, roundUpTo, type GreyImage } from './input';
import {
	fetchManifest,
	fetchVerifiedModel,
	WeightsError,
	type LoadProgress,
	type Manifest,
	type ModelName,
	type VerifiedModel
} from './weights';

export type { BackendName, BackendChoice, ProbeResult } from './backend';
export type { ModelName, Manifest, LoadProgress } from './weights';
export { WeightsError } from './weights';
export type { GreyImage } from './input';

type Tf = typeof TF;

/** A layer's activation, cropped to the part that covers the input: row-major HWC. */
export interface FeatureMap {
	name: string;
	/**
	 * Row-major HWC values. After a `lazy` run they are read from the backend on first access and
	 * kept; see {@link RunOptions.lazy}. That first access is a synchronous read: fine on wasm and
	 * cpu, a pipeline stall on WebGL, and unreliable on WebGPU, so await `read()` first.
	 */
	readonly data: Float32Array;
	/** The same values, read from the backend asynchronously (once) if a lazy run left them there. */
	read(): Promise<Float32Array>;
	width: number;
	height: number;
	channels: number;
	/** The mean over channels, row-major h×w: the layer's thumbnail, always read back with a lazy run. */
	mean?: Float32Array;
}

/** The result of one forward pass. All arrays are the caller's. */
export interface RunResult {
	/** The input's size (the segmentation's size). */
	width: number;
	height: number;
	/** Number of classes (channels of the score map). */
	classes: number;
	/** Per pixel, the most probable class (argmax), row-major, length width·height. */
	labels: Uint8Array;
	/** Per pixel, the class scores (logits of the output layer), row-major HWC, length width·height·classes. */
	scores: Float32Array;
	/** Per pixel, the softmax over classes, row-major HWC (computed from `scores` on first access). */
	readonly probabilities: Float32Array;
	/** The requested layers' activations, by layer name (cropped to the input's extent). */
	activations: Record<string, FeatureMap>;
	/** Wall time of the pass, from input upload to the last byte read back, in ms. */
	ms: number;
	backend: BackendName;
	/** Dispose the activations a lazy run keeps on the backend (no-op otherwise; idempotent). */
	release(): void;
}

export interface RunOptions {
	/**
	 * Layers whose activations to return (definition names, e.g. 'conv1_1', 'pool3', 'score_fr').
	 * Default: none (segmentation only). `'all'`: every layer of `activationLayerNames(net)`.
	 */
	layers?: string[] | 'all';
	/**
	 * Keep the activations on the backend and read each layer back only when its `data` is first
	 * used, reading eagerly just the segmentation and every layer's channel mean (`FeatureMap.mean`).
	 * A page shows one layer's maps at a time, and copying every layer back costs more than the pass
	 * itself (measured by `npm run bench`: the "read all" column). A lazy result's activations stay
	 * readable until `result.release()`, `engine.releaseActivations(slot)` or the model is unloaded;
	 * reading a released one throws. `true` uses the slot 'default'; a string names the slot (one per
	 * live cell, released together when the cell goes). Where reading everything back at once is
	 * faster (`config.capture`: cpu, and GPUs where measured so) a lazy run does that instead, with
	 * the same result: every `FeatureMap.mean` set, nothing kept, `release()` a no-op. Default false: everything is read
	 * back (no `mean`) and every tensor disposed before `run` resolves.
	 */
	lazy?: boolean | string;
}

/** Where weights come from: the trained files, or (development only) the untrained definition. */
export type WeightsSource = 'trained' | 'random';

export interface EngineConfig {
	/** URL of the weights folder (holding manifest.json), e.g. `${base}/weights`. */
	weightsUrl: string;
	/**
	 * 'random' builds the model from its definition with seeded random weights, for development
	 * before the trained weights exist. Pages must say so loudly when it is used.
	 */
	source: WeightsSource;
	/** How a `lazy` run captures the maps on each backend. Default {@link CAPTURE}. */
	capture: Readonly<Record<BackendName, CaptureMode>>;
}

/**
 * How a lazy run captures every layer: `keep` the maps on the backend and read back only the
 * segmentation and one flat tensor of every layer's channel mean (the thumbnails); `read`
 * everything back at once and compute the thumbnails in JavaScript; or `measure`: time both on the
 * first lazy runs and keep the faster (see {@link Engine.captureModeOf}).
 */
export type CaptureMode = 'keep' | 'read' | 'measure';

/**
 * The capture of lazy runs per backend, from `npm run bench` (2 cores, headless Chromium, no GPU;
 * "capture" against "read all", × a bare predict). wasm keeps: 1.12× against 1.17× at 128², 1.06×
 * against 1.14× at 512². cpu reads, its tensors living in JavaScript already: 1.00–1.01× against
 * 1.07–1.09×. The GPU backends measure, because the answer depends on the GPU: under SwiftShader's
 * WebGPU the 27 channel-mean kernels cost 1.95× and reading everything 1.01×, while a real GPU runs
 * such kernels in microseconds and pays instead to copy every map back (≈ 50 MB at 512²).
 */
export const CAPTURE: Readonly<Record<BackendName, CaptureMode>> = {
	wasm: 'keep',
	cpu: 'read',
	webgl: 'measure',
	webgpu: 'measure'
};

/** Lazy runs timed per capture mode before a `measure` backend settles (after one warm-up run). */
export const CAPTURE_TRIALS = 2;

/** A notice for the reader (e.g. the WebGL context was lost and the engine recovered). */
export interface EngineEvent {
	type: 'backend' | 'recovered' | 'model';
	message: string;
}

/** The unit whose effective receptive field is measured: row y, column x of layer `layer`. */
export interface Unit {
	layer: string;
	y: number;
	x: number;
	/** One channel, or undefined for the sum over all channels. */
	channel?: number;
}

/** |∂ unit / ∂ input| over the input, plus its total and where it is non-negligible. */
export interface EffectiveField {
	/** Row-major, input size, ≥ 0. */
	data: Float32Array;
	width: number;
	height: number;
	/** Pixels whose gradient magnitude exceeds `threshold`·max (the effective area, in px²). */
	area: number;
	threshold: number;
	max: number;
}

/** Softmax over the last axis of a row-major [..., classes] array (numerically stable). */
export function softmaxLastAxis(scores: Float32Array, classes: number): Float32Array {
	const out = new Float32Array(scores.length);
	for (let o = 0; o < scores.length; o += classes) {
		let m = -Infinity;
		for (let k = 0; k < classes; k++) m = Math.max(m, scores[o + k]);
		let z = 0;
		for (let k = 0; k < classes; k++) z += out[o + k] = Math.exp(scores[o + k] - m);
		for (let k = 0; k < classes; k++) out[o + k] /= z;
	}
	return out;
}

/**
 * No TensorFlow.js backend could run the model, although its weights loaded and verified: the
 * browser is the problem, not the files. `probes` says what each backend did.
 */
export class BackendError extends Error {
	constructor(readonly probes: readonly ProbeResult[]) {
		super(
			`no TensorFlow.js backend works in this browser (${probes.map((p) => `${p.backend}: ${p.error ?? 'failed'}`).join('; ')})`
		);
		this.name = 'BackendError';
	}
}

/** Default output stride that an FCN input is padded to (pool5: 2⁵). */
export const PAD_MULTIPLE = 32;

interface Loaded {
	verified: VerifiedModel | null;
	net: Network;
	model: TF.LayersModel;
	captures: Map<string, TF.LayersModel>;
	backend: BackendName;
}

let tfPromise: Promise<Tf> | null = null;

/**
 * Load TensorFlow.js and register the wasm backend (and webgpu when `navigator.gpu` exists).
 * Idempotent. The wasm binaries come from this site.
 */
export function loadTf(): Promise<Tf> {
	tfPromise ??= (async () => {
		const tf = await import('@tensorflow/tfjs');
		const wasm = await import('@tensorflow/tfjs-backend-wasm');
		wasm.setWasmPaths({
			'tfjs-backend-wasm.wasm': wasmUrl,
			'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
			'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl
		});
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

let buildPromise: Promise<typeof import('./build')> | null = null;

/**
 * The model-building module (it imports tfjs), loaded once. Memoised because every dynamic import
 * of a bundled chunk goes through Vite's preload helper (DOM queries, URL parsing) on each call,
 * and `run` needs it on every inference.
 */
function loadBuild(): Promise<typeof import('./build')> {
	return (buildPromise ??= import('./build'));
}

/** The network definition of a trained model (width and classes from the manifest when known). */
export function networkOf(name: ModelName, manifest?: Manifest | null): Network {
	const entry = manifest?.models[name];
	const width = entry?.width ?? TRAINED.width;
	if (name === 'classifier') return vgg16(trainedOptions({ width, classes: entry?.classes ?? TRAINED.digitClasses }));
	const classes = entry?.classes ?? manifest?.classes.length ?? TRAINED.segClasses;
	const variant = name.slice(3) as '32s' | '16s' | '8s';
	return fcn(variant, trainedOptions({ width, classes }));
}

export class Engine {
	config: EngineConfig = { weightsUrl: 'weights', source: 'trained', capture: CAPTURE };
	#choice: BackendChoice | null = null;
	#manifest: Manifest | null = null;
	#models = new Map<ModelName, Loaded>();
	#verified = new Map<ModelName, VerifiedModel>();
	#listeners = new Set<(e: EngineEvent) => void>();
	#lastMs: number | null = null;
	#unhookContextLost: (() => void) | null = null;

	/** Change where weights come from (call before loading models). */
	configure(c: Partial<EngineConfig>): void {
		const changed =
			(c.weightsUrl && c.weightsUrl !== this.config.weightsUrl) || (c.source && c.source !== this.config.source);
		this.config = { ...this.config, ...c };
		if (changed) {
			this.#manifest = null;
			this.#verified.clear();
			for (const name of [...this.#models.keys()]) this.#disposeModel(name);
		}
	}

	/** The current backend choice (null until chooseBackend resolves). */
	get choice(): BackendChoice | null {
		return this.#choice;
	}

	/** Median wall time of the last run, ms (null before any run). */
	get lastMs(): number | null {
		return this.#lastMs;
	}

	/** The manifest, once loaded. */
	get manifest(): Manifest | null {
		return this.#manifest;
	}

	/** Subscribe to notices; returns the unsubscribe function. */
	subscribe(fn: (e: EngineEvent) => void): () => void {
		this.#listeners.add(fn);
		return () => this.#listeners.delete(fn);
	}

	#emit(e: EngineEvent) {
		for (const fn of this.#listeners) fn(e);
	}

	/**
	 * Choose the backend. `pin` (from `?backend=`) wins; then a remembered choice from
	 * localStorage; otherwise every backend that initialises is probed with a short timed run of
	 * the real model (FCN-8s at 128×128, median of 3 after a warm-up) and the fastest is kept and
	 * remembered. `force` re-probes.
	 *
	 * Failures are named for what failed: missing or corrupt weights reject with the WeightsError
	 * naming the file (the probe fetches and verifies them before it touches any backend), and only
	 * when the weights are fine and no backend runs the model does it reject with a BackendError.
	 * `onProgress` reports the weights' download when the probe has to fetch them.
	 */
	async chooseBackend(
		opts: {
			pin?: BackendName | null;
			force?: boolean;
			probeModel?: ModelName;
			onProgress?: (p: LoadProgress) => void;
		} = {}
	): Promise<BackendChoice> {
		const tf = await this.#tf();
		const storage = typeof localStorage !== 'undefined' ? localStorage : null;
		if (opts.pin) {
			if (await this.#use(tf, opts.pin)) {
				return this.#set({
					backend: opts.pin,
					reason: 'url',
					why: `pinned by the page address (?backend=${opts.pin})`,
					probes: []
				});
			}
		}
		const stored = opts.force ? null : readStoredChoice(storage);
		if (stored && (await this.#use(tf, stored.backend))) {
			return this.#set({
				backend: stored.backend,
				reason: 'remembered',
				why: `${stored.why} (remembered)`,
				probes: []
			});
		}
		const probes = await this.probe(opts.probeModel ?? 'fcn8s', 128, opts.onProgress);
		const best = fastest(probes);
		if (!best) throw new BackendError(probes);
		await this.#use(tf, best.backend);
		const why = describeProbes(best, probes);
		writeStoredChoice(storage, { backend: best.backend, reason: 'measured', why });
		return this.#set({ backend: best.backend, reason: 'measured', why, probes });
	}

	/** Switch to `backend` because the reader chose it in the menu (remembered). */
	async setBackend(backend: BackendName): Promise<BackendChoice> {
		const tf = await this.#tf();
		if (!(await this.#use(tf, backend))) throw new Error(`the ${backend} backend does not work in this browser`);
		const why = 'chosen by you';
		writeStoredChoice(typeof localStorage !== 'undefined' ? localStorage : null, { backend, reason: 'user', why });
		return this.#set({ backend, reason: 'user', why, probes: [] });
	}

	/**
	 * Time the real model on every backend that initialises: a warm-up run, then the median of
	 * 3 at 128×128. A backend whose warm-up takes more than 20× the best so far is not timed further.
	 * Leaves the backend that was active before (if any) active again.
	 *
	 * The weights do not depend on the backend, so they are fetched and verified once, before any
	 * backend is tried: a missing or corrupt file rejects with its WeightsError. If the model then
	 * runs on no backend and a backend failed because the verified files could not be built into a
	 * model (a WeightsError too), that error is thrown: the files, not the browser, are at fault.
	 */
	async probe(
		modelName: ModelName = 'fcn8s',
		size = 128,
		onProgress?: (p: LoadProgress) => void
	): Promise<ProbeResult[]> {
		const tf = await this.#tf();
		const before = this.#choice?.backend ?? null;
		await this.#verifiedModel(modelName, onProgress);
		const results: ProbeResult[] = [];
		let weightsError: WeightsError | null = null;
		const order: BackendName[] = ['wasm', 'cpu', 'webgl', 'webgpu'].filter((b) =>
			BACKEND_NAMES.includes(b as BackendName)
		) as BackendName[];
		const image: GreyImage = { data: new Float32Array(size * size), width: size, height: size };
		for (const b of order) {
			if (!(await this.#use(tf, b))) {
				results.push({ backend: b, ms: null, error: 'does not initialise' });
				continue;
			}
			try {
				await this.loadModel(modelName);
				const t0 = performance.now();
				await this.predict(modelName, image);
				const warm = performance.now() - t0;
				const best = fastest(results)?.ms ?? Infinity;
				const times = [warm];
				if (warm < 20 * best) {
					times.length = 0;
					for (let i = 0; i < 3; i++) {
						const t = performance.now();
						await this.predict(modelName, image);
						times.push(performance.now() - t);
					}
				}
				results.push({ backend: b, ms: median(times) });
			} catch (e) {
				if (e instanceof WeightsError) weightsError ??= e;
				results.push({ backend: b, ms: null, error: (e as Error).message });
			}
			// Models live on one backend: free them before the next probe.
			for (const name of [...this.#models.keys()]) this.#disposeModel(name);
		}
		if (before) await this.#use(tf, before);
		if (weightsError && !fastest(results)) throw weightsError;
		return results;
	}

	#set(c: BackendChoice): BackendChoice {
		this.#choice = c;
		this.#emit({ type: 'backend', message: `${c.backend}: ${c.why}` });
		return c;
	}

	/** Make `b` the active backend; false when it does not initialise. Rebuilds loaded models. */
	async #use(tf: Tf, b: BackendName): Promise<boolean> {
		if (b === 'webgpu' && !(typeof navigator !== 'undefined' && 'gpu' in navigator)) return false;
		let ok = false;
		try {
			ok = tf.getBackend() === b || (await tf.setBackend(b));
			if (ok) await tf.ready();
		} catch {
			ok = false;
		}
		if (!ok) return false;
		// Models hold their weights on the backend they were made on: rebuild on the new one.
		for (const [name, m] of [...this.#models]) if (m.backend !== b) this.#disposeModel(name);
		this.#hookContextLost(tf, b);
		return true;
	}

	/**
	 * On the loss of the GPU under the active backend (a lost WebGL context, a lost WebGPU device:
	 * a driver reset, the tab's GPU process gone), move to wasm or cpu and tell the reader.
	 */
	#hookContextLost(tf: Tf, b: BackendName) {
		this.#unhookContextLost?.();
		this.#unhookContextLost = null;
		if (b === 'webgpu') {
			const device = (tf.backend() as unknown as { device?: { lost?: Promise<{ message?: string }> } }).device;
			if (!device?.lost) return;
			let hooked = true;
			void device.lost.then(() => {
				if (hooked && this.#choice?.backend === 'webgpu') void this.#recover(tf, 'webgpu');
			});
			this.#unhookContextLost = () => (hooked = false);
			return;
		}
		if (b !== 'webgl') return;
		const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGL2RenderingContext } }).gpgpu?.gl;
		const canvas = gl?.canvas as HTMLCanvasElement | OffscreenCanvas | undefined;
		if (!canvas) return;
		const onLost = () => void this.#recover(tf, 'webgl');
		canvas.addEventListener('webglcontextlost', onLost as EventListener);
		this.#unhookContextLost = () => canvas.removeEventListener('webglcontextlost', onLost as EventListener);
	}

	/** Set while the engine moves off a lost GPU: runs and loads wait for it (no op may start mid-switch). */
	#recovering: Promise<void> | null = null;

	/** TensorFlow.js, once no backend switch after a GPU loss is under way. */
	async #tf(): Promise<Tf> {
		const tf = await loadTf();
		while (this.#recovering) await this.#recovering;
		return tf;
	}

	#recover(tf: Tf, lost: 'webgl' | 'webgpu'): Promise<void> {
		this.#recovering ??= this.#moveOffGpu(tf, lost)
			.catch(() => {
				/* nowhere left to go: the next run reports it */
			})
			.finally(() => (this.#recovering = null));
		return this.#recovering;
	}

	async #moveOffGpu(tf: Tf, lost: 'webgl' | 'webgpu') {
		this.#unhookContextLost?.();
		this.#unhookContextLost = null;
		for (const name of [...this.#models.keys()]) this.#disposeModel(name, true);
		try {
			tf.removeBackend(lost);
		} catch {
			/* already gone */
		}
		const what = lost === 'webgl' ? 'The GPU (WebGL) context' : 'The GPU (WebGPU) device';
		for (const b of ['wasm', 'cpu'] as BackendName[]) {
			if (await this.#use(tf, b)) {
				const why = `the ${lost === 'webgl' ? 'WebGL context' : 'WebGPU device'} was lost; recovered on ${b}`;
				this.#set({ backend: b, reason: 'recovered', why, probes: [] });
				this.#emit({
					type: 'recovered',
					message: `${what} was lost; the engine moved to ${b} and reloaded the model.`
				});
				return;
			}
		}
	}

	/** Per slot, the activations that lazy runs keep on the backend until released. */
	#held = new Map<string, Set<TF.Tensor>>();

	/** Dispose the kept activations of one slot (or of every slot). */
	#releaseHeld(slot: string | null = null, lost = false) {
		for (const [k, held] of [...this.#held]) {
			if (slot !== null && k !== slot) continue;
			this.#held.delete(k);
			try {
				for (const t of held) if (!t.isDisposed) t.dispose();
			} catch (e) {
				if (!lost) throw e;
			}
		}
	}

	/** Dispose every activation that lazy runs of `slot` still keep (a live cell going away). */
	releaseActivations(slot: string): void {
		this.#releaseHeld(slot);
	}

	#disposeModel(name: ModelName, lost = false) {
		const m = this.#models.get(name);
		this.#models.delete(name);
		if (!m) return;
		this.#releaseHeld(null, lost);
		try {
			for (const c of m.captures.values()) c.dispose?.();
			m.model.dispose();
		} catch (e) {
			if (!lost) throw e;
		}
	}

	/**
	 * Load the manifest (once) and a model's weights: fetched with byte progress, every file
	 * checked against the manifest's sha256 BEFORE it is used, then `tf.loadLayersModel` from the
	 * verified bytes (`tf.io.fromMemory`). Cached: a second call resolves at once. A missing or
	 * corrupt file throws a WeightsError naming it. Needs a backend (call chooseBackend first, or
	 * the current tf backend is used).
	 */
	async loadModel(name: ModelName, opts: { onProgress?: (p: LoadProgress) => void } = {}): Promise<Network> {
		const tf = await this.#tf();
		const backend = tf.getBackend() as BackendName;
		const have = this.#models.get(name);
		if (have && have.backend === backend) return have.net;
		let verified: VerifiedModel | null = null;
		let model: TF.LayersModel;
		let net: Network;
		if (this.config.source === 'random') {
			const { buildModel } = await loadBuild();
			net = networkOf(name, null);
			model = buildModel(net, { seed: 1 });
		} else {
			verified = (await this.#verifiedModel(name, opts.onProgress))!;
			net = networkOf(name, this.#manifest);
			try {
				model = await tf.loadLayersModel(
					tf.io.fromMemory({
						modelTopology: verified.modelJson.modelTopology as TF.io.ModelArtifacts['modelTopology'],
						weightSpecs: verified.modelJson.weightsManifest.flatMap((g) => g.weights) as TF.io.WeightsManifestEntry[],
						weightData: verified.weightData
					})
				);
			} catch (e) {
				this.#verified.delete(name);
				throw new WeightsError(
					`${name}/model.json`,
					`${name} could not be built from its files: ${(e as Error).message}`,
					'invalid'
				);
			}
			// An FCN takes any size (the classifier keeps its fixed input).
			if (name !== 'classifier') model = (await loadBuild()).withFreeInputSize(model, net);
		}
		this.#models.set(name, { verified, net, model, captures: new Map(), backend });
		this.#emit({ type: 'model', message: `${name} loaded on ${backend}` });
		return net;
	}

	/**
	 * The manifest and a model's files, fetched and checked against the manifest's sha256 (once;
	 * cached). Null for random weights, which need no files. Throws a WeightsError naming the file.
	 */
	async #verifiedModel(name: ModelName, onProgress?: (p: LoadProgress) => void): Promise<VerifiedModel | null> {
		if (this.config.source === 'random') return null;
		this.#manifest ??= await fetchManifest(this.config.weightsUrl);
		let verified = this.#verified.get(name);
		if (!verified) {
			verified = await fetchVerifiedModel(this.config.weightsUrl, this.#manifest, name, onProgress);
			this.#verified.set(name, verified);
		}
		return verified;
	}

	/**
	 * A model's files, verified, from the engine's cache (fetched and checked once per page): for other
	 * loaders of the same weights (the skip-fusion lesson builds its own head from FCN-8s's files, which
	 * the backend probe has usually fetched already). A cached answer reports its bytes as one final
	 * progress event. Null for random weights.
	 */
	async verifiedFiles(name: ModelName, onProgress?: (p: LoadProgress) => void): Promise<VerifiedModel | null> {
		const cached = this.#verified.get(name);
		const v = await this.#verifiedModel(name, onProgress);
		if (cached && v)
			onProgress?.({
				file: `${name} (already fetched)`,
				loaded: v.weightData.byteLength,
				total: v.weightData.byteLength
			});
		return v;
	}

	/** The network definition of a loaded model. */
	network(name: ModelName): Network {
		return this.#get(name).net;
	}

	#get(name: ModelName): Loaded {
		const m = this.#models.get(name);
		if (!m) throw new Error(`model '${name}' is not loaded: call engine.loadModel('${name}') first`);
		return m;
	}

	async #capture(m: Loaded, layers: string[]): Promise<TF.LayersModel> {
		const key = layers.join(',');
		let c = m.captures.get(key);
		if (!c) {
			const { captureModel } = await loadBuild();
			c = captureModel(m.model, [m.net.output, ...layers]);
			m.captures.set(key, c);
		}
		return c;
	}

	/** Names of every layer whose activation `run(…, {layers: 'all'})` returns. */
	async layerNames(name: ModelName): Promise<string[]> {
		const { activationLayerNames } = await loadBuild();
		return activationLayerNames(this.#get(name).net).filter((n) => n !== this.#get(name).net.output);
	}

	/**
	 * ONE forward pass of a loaded FCN on a grey image of any size: the input is zero-padded at the
	 * bottom/right to a multiple of 32, and every output is cropped back to the part that covers the
	 * input. Returns the segmentation (argmax labels + softmax probabilities) and the requested
	 * layers' activations. Every tensor is disposed before this resolves.
	 */
	async run(name: ModelName, image: GreyImage, opts: RunOptions = {}): Promise<RunResult> {
		const tf = await this.#tf();
		const m = this.#get(name);
		const layers = [
			...new Set(
				opts.layers === 'all' ? await this.layerNames(name) : (opts.layers ?? []).filter((l) => l !== m.net.output)
			)
		];
		const capture = await this.#capture(m, layers);
		const { width: W, height: H } = image;
		const Hp = roundUpTo(H, PAD_MULTIPLE);
		const Wp = roundUpTo(W, PAD_MULTIPLE);
		const padded = padImage(image, Hp, Wp);
		const t0 = performance.now();
		const backend = tf.getBackend() as BackendName;
		// lazy: maps stay on the backend (where that pays) and only thumbnails are read back
		// (with no layer to capture there is nothing to keep, and nothing to learn about capturing)
		const mode = opts.lazy ? (layers.length ? this.#captureFor(backend) : 'read') : null;
		const slot = mode === 'keep' ? (typeof opts.lazy === 'string' ? opts.lazy : 'default') : null;
		const lazy = slot !== null;
		const thumbnails = !!opts.lazy;
		const n = layers.length;
		const outs = tf.tidy(() => {
			const x = tf.tensor4d(padded, [1, Hp, Wp, 1]);
			const ys = capture.predict(x) as TF.Tensor4D[] | TF.Tensor4D;
			const list = Array.isArray(ys) ? ys : [ys];
			const crop = (a: TF.Tensor4D, h: number, w: number) =>
				h === a.shape[1] && w === a.shape[2] ? a : a.slice([0, 0, 0, 0], [1, h, w, a.shape[3]]);
			const score = crop(list[0], H, W);
			// argmax of the scores = argmax of the softmax; the softmax itself is done lazily in JS.
			const labels = score.argMax(-1);
			// Rows/columns of each map that cover the input: ⌈H·h/Hp⌉ (the map spans the padded input).
			const acts = list
				.slice(1)
				.map((a) => crop(a, Math.ceil((H * a.shape[1]) / Hp), Math.ceil((W * a.shape[2]) / Wp)));
			// lazy: [score, labels, ...acts, every channel mean (h·w per layer) in one flat tensor]:
			// one read-back for all the thumbnails instead of one per layer.
			if (!lazy) return [score, labels, ...acts];
			const means = acts.length ? tf.concat(acts.map((a) => a.mean(-1).reshape([-1]))) : tf.zeros([0]);
			return [score, labels, ...acts, means];
		});
		const eager = lazy ? [outs[0], outs[1], outs[2 + n]] : outs;
		let kept: TF.Tensor[] = [];
		let arrays: TF.backend_util.TypedArray[];
		try {
			arrays = await Promise.all(eager.map((t) => t.data()));
		} catch (e) {
			tf.dispose(outs);
			throw e;
		}
		if (lazy) {
			tf.dispose(eager);
			const set = this.#held.get(slot) ?? new Set<TF.Tensor>();
			this.#held.set(slot, set);
			kept = outs.slice(2, 2 + n);
			kept.forEach((t) => set.add(t));
		} else tf.dispose(outs);
		const classes = outs[0].shape[3]!;
		const activations: Record<string, FeatureMap> = {};
		let meanAt = 0;
		layers.forEach((l, i) => {
			const t = outs[i + 2];
			const [, h, w, c] = t.shape as number[];
			if (!lazy) {
				const data = arrays[i + 2] as Float32Array;
				activations[l] = { name: l, data, width: w, height: h, channels: c, read: async () => data };
				if (thumbnails) activations[l].mean = channelMean(data, c);
				return;
			}
			let cache: Float32Array | null = null;
			const readable = () => {
				if (t.isDisposed) throw new Error(`the activation of ${l} was already released (result.release())`);
			};
			activations[l] = {
				name: l,
				width: w,
				height: h,
				channels: c,
				mean: (arrays[2] as Float32Array).subarray(meanAt, (meanAt += h * w)),
				get data(): Float32Array {
					if (!cache) {
						readable();
						cache = t.dataSync() as Float32Array;
					}
					return cache;
				},
				async read(): Promise<Float32Array> {
					if (!cache) {
						readable();
						const values = (await t.data()) as Float32Array;
						cache ??= values;
					}
					return cache;
				}
			};
		});
		// the wall time includes the thumbnails computed in JS by a `read` capture
		const ms = performance.now() - t0;
		this.#lastMs = ms;
		if (mode && n) this.#timedCapture(backend, mode, ms / (Hp * Wp));
		const scores = arrays[0] as Float32Array;
		let probabilities: Float32Array | null = null;
		return {
			width: W,
			height: H,
			classes,
			labels: Uint8Array.from(arrays[1] as Int32Array),
			scores,
			get probabilities() {
				return (probabilities ??= softmaxLastAxis(scores, classes));
			},
			activations,
			ms,
			backend,
			release: () => {
				const set = slot === null ? undefined : this.#held.get(slot);
				for (const t of kept) {
					set?.delete(t);
					if (!t.isDisposed) t.dispose();
				}
				kept = [];
			}
		};
	}

	/** Per backend, the lazy runs timed so far (ms per padded pixel) by capture mode, and the choice. */
	#captureTrials = new Map<
		BackendName,
		{ runs: number; keep: number[]; read: number[]; chosen: 'keep' | 'read' | null }
	>();

	/**
	 * How lazy runs capture on `backend`: 'keep' or 'read', or null while a `measure` backend is
	 * still timing both (one warm-up run, then CAPTURE_TRIALS of each, alternating).
	 */
	captureModeOf(backend: BackendName): 'keep' | 'read' | null {
		const mode = this.config.capture[backend];
		return mode === 'measure' ? (this.#captureTrials.get(backend)?.chosen ?? null) : mode;
	}

	#captureFor(backend: BackendName): 'keep' | 'read' {
		const fixed = this.captureModeOf(backend);
		if (fixed) return fixed;
		const runs = this.#captureTrials.get(backend)?.runs ?? 0;
		return runs % 2 === 0 ? 'keep' : 'read';
	}

	#timedCapture(backend: BackendName, mode: 'keep' | 'read', msPerPixel: number) {
		if (this.config.capture[backend] !== 'measure') return;
		const t = this.#captureTrials.get(backend) ?? { runs: 0, keep: [], read: [], chosen: null };
		this.#captureTrials.set(backend, t);
		if (t.chosen) return;
		if (t.runs++ === 0) return; // the first run also compiles kernels and allocates buffers
		t[mode].push(msPerPixel);
		if (t.keep.length >= CAPTURE_TRIALS && t.read.length >= CAPTURE_TRIALS)
			t.chosen = median(t.keep) <= median(t.read) ? 'keep' : 'read';
	}

	/**
	 * The bare `model.predict` of a loaded model (no capture, no softmax), awaited to the last byte:
	 * the baseline the benchmark compares against. Returns its wall time in ms.
	 */
	async predict(name: ModelName, image: GreyImage): Promise<number> {
		const tf = await this.#tf();
		const m = this.#get(name);
		const Hp = roundUpTo(image.height, PAD_MULTIPLE);
		const Wp = roundUpTo(image.width, PAD_MULTIPLE);
		const padded = padImage(image, Hp, Wp);
		const t0 = performance.now();
		const y = tf.tidy(() => m.model.predict(tf.tensor4d(padded, [1, Hp, Wp, 1])) as TF.Tensor);
		try {
			await y.data();
		} finally {
			y.dispose();
		}
		return performance.now() - t0;
	}

	/**
	 * The effective receptive field of one unit, measured: the gradient of the unit's activation
	 * (one channel, or the sum over channels) with respect to the input, by `tf.grad` through the
	 * live model (the reverse pass through the layers up to `unit.layer`). Returns |gradient| at
	 * the input's size and the area of pixels above `threshold`·max.
	 */
	async effectiveField(name: ModelName, image: GreyImage, unit: Unit, threshold = 0.01): Promise<EffectiveField> {
		const tf = await this.#tf();
		const m = this.#get(name);
		const { width: W, height: H } = image;
		const Hp = roundUpTo(H, PAD_MULTIPLE);
		const Wp = roundUpTo(W, PAD_MULTIPLE);
		const padded = padImage(image, Hp, Wp);
		const upTo = tf.model({
			inputs: m.model.inputs,
			outputs: m.model.getLayer(unit.layer).output as TF.SymbolicTensor
		});
		const g = tf.tidy(() => {
			const x = tf.tensor4d(padded, [1, Hp, Wp, 1]);
			const f = (inp: TF.Tensor) => {
				const a = upTo.apply(inp) as TF.Tensor4D;
				const c = a.shape[3];
				const ch = unit.channel;
				const cell = a.slice([0, unit.y, unit.x, ch ?? 0], [1, 1, 1, ch === undefined ? c : 1]);
				return cell.sum();
			};
			return tf.grad(f)(x).slice([0, 0, 0, 0], [1, H, W, 1]).abs();
		});
		let data: Float32Array;
		try {
			data = (await g.data()) as Float32Array;
		} finally {
			g.dispose();
		}
		let max = 0;
		for (const v of data) if (v > max) max = v;
		let area = 0;
		if (max > 0) for (const v of data) if (v > threshold * max) area++;
		return { data, width: W, height: H, area, threshold, max };
	}

	/** tf.memory() counters (for leak tests and the debug panel). */
	async memory(): Promise<{ numTensors: number; numBytes: number }> {
		const tf = await this.#tf();
		const { numTensors, numBytes } = tf.memory();
		return { numTensors, numBytes };
	}
}

/** The page-wide engine (one per tab). */
export const engine = new Engine();
