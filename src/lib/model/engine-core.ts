/**
 * The engine's core: its configuration and notices, the weights (fetched and verified once per
 * page), the active backend and the ONE registry of every tfjs model the page holds, with their
 * lifecycle: a backend switch, a lost GPU (moved to wasm, then cpu) and a reconfiguration dispose
 * every model of the registry, and each is rebuilt on the new backend when next used. `Engine`
 * (engine.ts) adds the backend choice and the runs.
 */
import { writeStoredChoice, type BackendChoice, type BackendName } from '$lib/model/backend';
import { CAPTURE, CaptureTrials, type CaptureMode } from '$lib/model/capture-mode';
import { watchGpuLoss } from '$lib/model/gpu-loss';
import { HeldActivations } from '$lib/model/held';
import { ModelRegistry } from '$lib/model/registry';
import { FALLBACK_ORDER, loadTf, restartWasm, type Tf } from '$lib/model/tf';
import type { EngineEvent } from '$lib/model/types';
import {
	fetchManifest,
	fetchVerifiedModel,
	type LoadProgress,
	type Manifest,
	type ModelName,
	type VerifiedModel
} from '$lib/model/weights';

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

export class EngineCore {
	config: EngineConfig = { weightsUrl: 'weights', source: 'trained', capture: CAPTURE };
	protected chosen: BackendChoice | null = null;
	protected loadedManifest: Manifest | null = null;
	protected verified = new Map<ModelName, VerifiedModel>();
	#listeners = new Set<(e: EngineEvent) => void>();
	protected lastRunMs: number | null = null;
	#unwatchGpu: (() => void) | null = null;
	protected held = new HeldActivations();
	protected trials = new CaptureTrials(() => this.config.capture);
	/** Every tfjs model the page holds (see registry.ts). */
	readonly models = new ModelRegistry(() => this.tfReady());

	/** Change where weights come from. A change disposes every model (rebuilt on next use). */
	configure(c: Partial<EngineConfig>): void {
		const changed =
			(c.weightsUrl && c.weightsUrl !== this.config.weightsUrl) || (c.source && c.source !== this.config.source);
		this.config = { ...this.config, ...c };
		if (changed) {
			this.loadedManifest = null;
			this.verified.clear();
			this.unload();
		}
	}

	/** Load TensorFlow.js (once; resolves when no GPU-loss recovery is under way). */
	async ready(): Promise<void> {
		await this.tfReady();
	}

	/** The current backend choice (null until a backend is chosen). */
	get choice(): BackendChoice | null {
		return this.chosen;
	}

	/** Median wall time of the last run, ms (null before any run). */
	get lastMs(): number | null {
		return this.lastRunMs;
	}

	/** The manifest, once loaded. */
	get manifest(): Manifest | null {
		return this.loadedManifest;
	}

	/** Subscribe to notices; returns the unsubscribe function. */
	subscribe(fn: (e: EngineEvent) => void): () => void {
		this.#listeners.add(fn);
		return () => this.#listeners.delete(fn);
	}

	protected emit(e: EngineEvent) {
		for (const fn of this.#listeners) fn(e);
	}

	/** Make `c` the backend choice and say so. */
	protected settle(c: BackendChoice): BackendChoice {
		this.chosen = c;
		this.emit({ type: 'backend', message: `${c.backend}: ${c.why}` });
		return c;
	}

	/** Make `b` the active backend; false when it does not initialise. Models on another backend are disposed. */
	protected async use(tf: Tf, b: BackendName): Promise<boolean> {
		if (b === 'webgpu' && !(typeof navigator !== 'undefined' && 'gpu' in navigator)) return false;
		let ok = false;
		try {
			ok = tf.getBackend() === b || (await tf.setBackend(b));
			if (ok) await tf.ready();
		} catch {
			ok = false;
		}
		if (!ok) return false;
		// Models hold their weights on the backend they were made on: rebuilt on the new one when next used.
		this.unload({ keepOn: b });
		this.#unwatchGpu?.();
		this.#unwatchGpu = watchGpuLoss(tf, b, (lost) => {
			if (lost === 'webgl' || this.chosen?.backend === 'webgpu') void this.gpuLost(lost);
		});
		return true;
	}

	/** Dispose every model of the registry (and every held activation); each is rebuilt on next use. */
	protected unload(opts: { keepOn?: string; lost?: boolean } = {}) {
		// A lazy run's kept activations go with the models they came from (as they always did).
		if (this.models.disposeAll(opts) > 0) this.held.release(null, opts.lost);
	}

	/** Set while the engine moves off a lost GPU: runs and loads wait for it (no op may start mid-switch). */
	#recovering: Promise<void> | null = null;

	/** TensorFlow.js, once no backend switch after a GPU loss is under way. */
	protected async tfReady(): Promise<Tf> {
		const tf = await loadTf();
		while (this.#recovering) await this.#recovering;
		return tf;
	}

	/**
	 * The GPU under the active backend was lost (a lost WebGL context or WebGPU device: what the
	 * watcher reports; a test may call it to simulate one): every model of the registry is disposed,
	 * the engine moves to wasm or cpu, and each model is rebuilt there on its next use.
	 */
	gpuLost(lost: 'webgl' | 'webgpu'): Promise<void> {
		this.#recovering ??= this.#moveOffGpu(lost)
			.catch(() => {
				/* nowhere left to go: the next run reports it */
			})
			.finally(() => (this.#recovering = null));
		return this.#recovering;
	}

	/** The GPU is gone: dispose every model of the registry, move to wasm or cpu, tell the reader. */
	async #moveOffGpu(lost: 'webgl' | 'webgpu') {
		const tf = await loadTf();
		this.#unwatchGpu?.();
		this.#unwatchGpu = null;
		this.unload({ lost: true });
		try {
			tf.removeBackend(lost);
		} catch {
			/* already gone */
		}
		const what = lost === 'webgl' ? 'The GPU (WebGL) context' : 'The GPU (WebGPU) device';
		for (const b of FALLBACK_ORDER) {
			if (await this.use(tf, b)) {
				const why = `the ${lost === 'webgl' ? 'WebGL context' : 'WebGPU device'} was lost; recovered on ${b}`;
				this.settle({ backend: b, reason: 'recovered', why, probes: [] });
				this.emit({ type: 'recovered', message: `${what} was lost; the engine moved to ${b} and reloaded the model.` });
				return;
			}
		}
	}

	#busy = 0;
	#idle: (() => void)[] = [];

	/** Count an engine call as in flight while `f` runs: a background switch waits until none is. */
	protected async track<T>(f: () => Promise<T>): Promise<T> {
		this.#busy++;
		try {
			return await f();
		} finally {
			if (--this.#busy === 0) for (const cb of this.#idle.splice(0)) cb();
		}
	}

	/**
	 * Call `cb` once no engine call is in flight and a task later still none is (the caller's own
	 * follow-up, e.g. reading the shown layer of a lazy result, has finished by then).
	 */
	#whenIdle(cb: () => void): void {
		if (this.#busy > 0) this.#idle.push(() => this.#whenIdle(cb));
		else setTimeout(() => (this.#busy > 0 ? this.#whenIdle(cb) : cb()), 0);
	}

	/**
	 * Adopt `choice`, found faster by the background measurement, once the engine is idle: the switch
	 * happens between runs, never under one (runs that start meanwhile wait for it, as after a lost
	 * GPU). With `threads`, wasm is restarted with that many threads instead. Every model of the
	 * registry is disposed and rebuilt on its next use; the `switched` notice tells the page to rerun.
	 */
	protected switchWhenIdle(choice: BackendChoice, message: string, threads?: number): Promise<boolean> {
		return new Promise<boolean>((ok) =>
			this.#whenIdle(() => {
				if (this.#recovering) return ok(false);
				let switched = false;
				this.#recovering = (async () => {
					const tf = await loadTf();
					if (threads === undefined) switched = await this.use(tf, choice.backend);
					else {
						this.unload({ lost: true });
						switched = (await restartWasm(tf, threads)) && (await this.use(tf, 'wasm'));
						if (!switched && (await this.use(tf, 'cpu')))
							return void this.settle({ ...choice, backend: 'cpu', reason: 'fallback', why: 'wasm failed to restart' });
					}
					if (switched) {
						this.settle(choice);
						this.emit({ type: 'switched', message });
					}
				})()
					.catch(() => {})
					.finally(() => (this.#recovering = null));
				void this.#recovering.then(() => ok(switched));
			})
		);
	}

	/** Switch to `backend` because the reader chose it in the menu (remembered). */
	async setBackend(backend: BackendName): Promise<BackendChoice> {
		const tf = await this.tfReady();
		if (!(await this.use(tf, backend))) throw new Error(`the ${backend} backend does not work in this browser`);
		const why = 'chosen by you';
		writeStoredChoice(typeof localStorage !== 'undefined' ? localStorage : null, { backend, reason: 'user', why });
		return this.settle({ backend, reason: 'user', why, probes: [] });
	}

	/**
	 * For small exact checks: the page's chosen backend when there is one, else cpu. Returns tfjs
	 * (model-layer code only: components reach it through `$lib/live`'s checks).
	 */
	async checkBackend(): Promise<Tf> {
		const tf = await this.tfReady();
		if (!this.chosen && tf.getBackend?.() !== 'cpu') await this.use(tf, 'cpu');
		await tf.ready();
		return tf;
	}

	/** Dispose every activation that lazy runs of `slot` still keep (a live cell going away). */
	releaseActivations(slot: string): void {
		this.held.release(slot);
	}

	/**
	 * The manifest and a model's files, fetched and checked against the manifest's sha256 (once;
	 * cached). Null for random weights, which need no files. Throws a WeightsError naming the file.
	 */
	protected async verifiedModel(
		name: ModelName,
		onProgress?: (p: LoadProgress) => void
	): Promise<VerifiedModel | null> {
		if (this.config.source === 'random') return null;
		this.loadedManifest ??= await fetchManifest(this.config.weightsUrl);
		let verified = this.verified.get(name);
		if (!verified) {
			verified = await fetchVerifiedModel(this.config.weightsUrl, this.loadedManifest, name, onProgress);
			this.verified.set(name, verified);
		}
		return verified;
	}

	/**
	 * A model's files, verified, from the engine's cache (fetched and checked once per page): for the
	 * other models of the registry built from the same weights (the skip-fusion trunks, the
	 * classifier). A cached answer reports its bytes as one final progress event. Null for random weights.
	 */
	async verifiedFiles(name: ModelName, onProgress?: (p: LoadProgress) => void): Promise<VerifiedModel | null> {
		const cached = this.verified.get(name);
		const v = await this.verifiedModel(name, onProgress);
		if (cached && v)
			onProgress?.({
				file: `${name} (already fetched)`,
				loaded: v.weightData.byteLength,
				total: v.weightData.byteLength
			});
		return v;
	}
}
