/**
 * The live-inference engine of the explorer: TensorFlow.js loaded on demand (tf.ts), a backend
 * chosen by measuring (probe.ts), trained weights loaded with progress and verified (weights.ts),
 * ONE registry of every tfjs model the page holds (registry.ts), and one forward pass that yields
 * the segmentation and every layer's activation (capture.ts).
 *
 * OWNERSHIP: every function returns plain JavaScript data (typed arrays, numbers), and every tensor
 * it creates is disposed before it returns, with one exception: a `lazy` run that captures by
 * `keep` HOLDS its layers' activations on the backend until the result's `release()`,
 * `releaseActivations(slot)` or the models' unloading (held.ts). The engine owns the models in its
 * registry, rebuilt from the cached verified bytes when the backend changes or the GPU is lost.
 *
 * Usage (components go through `$lib/live`):
 * ```ts
 * await engine.start({ weightsUrl, pin });          // one way: weights source, backend, fallback
 * await engine.loadModel('fcn8s', { onProgress }); // verified against manifest sha256
 * const r = await engine.run('fcn8s', { data, width, height }, { layers: ['pool3'] });
 * r.labels; r.probabilities; r.activations.pool3;   // plain arrays, yours
 * ```
 */
import type * as TF from '@tensorflow/tfjs';
import type { Network } from '$lib/fcn/network';
import { padToMultiple, type GreyImage } from '$lib/fcn/padding';
import { describeProbes, fastest, readStoredChoice, writeStoredChoice } from '$lib/model/backend';
import {
	canProbeInBackground,
	decide,
	probeInWorker,
	probeRequest,
	whenIdle,
	withUnavailable
} from '$lib/model/background';
import type { ProbeAnswer } from '$lib/model/background';
import type { BackendChoice, BackendName, ProbeResult } from '$lib/model/backend';
import { capturePass } from '$lib/model/capture';
import { effectiveField } from '$lib/model/effective-field';
import { EngineCore, type WeightsSource } from '$lib/model/engine-core';
import { networkOf } from '$lib/model/network-of';
import { probeBackends } from '$lib/model/probe';
import type { ModelSpec } from '$lib/model/registry';
import { FALLBACK_ORDER, layersModelFrom, loadBuild, startThreads, THREADS_KEY, wasmThreads } from '$lib/model/tf';
import { BackendError, type EffectiveField, type RunOptions, type RunResult, type Unit } from '$lib/model/types';
import { fetchManifest, type LoadProgress, type ModelName, type VerifiedModel } from '$lib/model/weights';

export { CAPTURE, CAPTURE_TRIALS, type CaptureMode } from '$lib/model/capture-mode';
export { EngineCore, type EngineConfig, type WeightsSource } from '$lib/model/engine-core';
export { PAD_MULTIPLE, type GreyImage } from '$lib/fcn/padding';
export { networkOf } from '$lib/model/network-of';
export { loadTf, setWasmThreads, wasmThreads } from '$lib/model/tf';
export * from '$lib/model/types';
export type { BackendName, BackendChoice, ProbeResult } from '$lib/model/backend';
export type { ModelName, Manifest, LoadProgress } from '$lib/model/weights';
export { WeightsError } from '$lib/model/weights';

/** How long a first visit waits for its first result before measuring the other backends anyway, ms. */
const FIRST_RESULT_WAIT_MS = 4000;

/** One of the engine's own models: its definition, the model, and its capture models by layer list. */
interface Loaded {
	verified: VerifiedModel | null;
	net: Network;
	model: TF.LayersModel;
	captures: Map<string, TF.LayersModel>;
}

/** How `start` went: where the weights come from, and the backend. */
export interface Started {
	source: WeightsSource;
	choice: BackendChoice;
}

export class Engine extends EngineCore {
	/**
	 * Start the live path, the one way every cell does: the weights' source (`source`, or 'auto':
	 * the trained files when `weightsUrl` has a manifest, else the untrained definition), then the
	 * backend (`chooseBackend`; `reuse` keeps a choice already made when no `pin` asks otherwise).
	 * When no backend could be chosen, `fallback` takes the first of wasm, cpu that initialises;
	 * without it, or when none does, the error is thrown (a WeightsError or a BackendError).
	 */
	async start(opts: {
		weightsUrl: string;
		source?: WeightsSource | 'auto';
		pin?: BackendName | null;
		probeModel?: ModelName;
		onProgress?: (p: LoadProgress) => void;
		fallback?: boolean;
		reuse?: boolean;
	}): Promise<Started> {
		const tf = await this.tfReady();
		let source: WeightsSource = opts.source === 'random' ? 'random' : 'trained';
		if ((opts.source ?? 'auto') === 'auto') {
			try {
				await fetchManifest(opts.weightsUrl);
			} catch {
				source = 'random';
			}
		}
		this.configure({ weightsUrl: opts.weightsUrl, source });
		if (opts.reuse && !opts.pin && this.chosen) return { source, choice: this.chosen };
		try {
			const choice = await this.chooseBackend({
				pin: opts.pin,
				probeModel: opts.probeModel,
				onProgress: opts.onProgress
			});
			return { source, choice };
		} catch (e) {
			if (!opts.fallback) throw e;
			for (const b of FALLBACK_ORDER) {
				if (await this.use(tf, b)) {
					const why = `no backend could be chosen (${(e as Error).message}); fell back to ${b}`;
					return { source, choice: this.settle({ backend: b, reason: 'fallback', why, probes: [] }) };
				}
			}
			throw new BackendError(FALLBACK_ORDER.map((backend) => ({ backend, ms: null, error: 'does not initialise' })));
		}
	}

	/**
	 * Choose the backend. `pin` (from `?backend=`) wins; then a remembered choice from
	 * localStorage; otherwise (a first visit) a result first, the measurement after: the first of
	 * wasm, cpu that initialises and builds the model is used at once (reason 'first'), and once the
	 * page has its first result the other backends are timed in a worker beside the page
	 * (background.ts); a faster one is switched to between runs and remembered. Only when neither
	 * wasm nor cpu works, or with `force`, is every backend probed here, in turn, before the choice
	 * (FCN-8s at 128×128, median of 3 after a warm-up).
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
		const tf = await this.tfReady();
		const storage = typeof localStorage !== 'undefined' ? localStorage : null;
		if (opts.pin && (await this.use(tf, opts.pin))) {
			const why = `pinned by the page address (?backend=${opts.pin})`;
			return this.settle({ backend: opts.pin, reason: 'url', why, probes: [] });
		}
		const stored = opts.force ? null : readStoredChoice(storage);
		if (stored && (await this.use(tf, stored.backend))) {
			return this.settle({
				backend: stored.backend,
				reason: 'remembered',
				why: `${stored.why} (remembered)`,
				probes: []
			});
		}
		const model = opts.probeModel ?? 'fcn8s';
		if (!opts.force) {
			await this.verifiedModel(model, opts.onProgress);
			for (const b of FALLBACK_ORDER) {
				if (!(await this.use(tf, b))) continue;
				try {
					await this.loadModel(model);
				} catch {
					continue; // the full probe below names what failed
				}
				const why = `the first backend that runs the model here; the others are measured in the background`;
				const choice = this.settle({ backend: b, reason: 'first', why, probes: [] });
				this.#measureAfterFirstResult(model);
				return choice;
			}
		}
		const probes = await this.probe(model, 128, opts.onProgress);
		const best = fastest(probes);
		if (!best) throw new BackendError(probes);
		await this.use(tf, best.backend);
		const why = describeProbes(best, probes);
		writeStoredChoice(storage, { backend: best.backend, reason: 'measured', why });
		return this.settle({ backend: best.backend, reason: 'measured', why, probes });
	}

	/**
	 * Time the real model on every backend that initialises (probe.ts), leaving the backend that was
	 * active before (if any) active again. The weights do not depend on the backend, so they are
	 * fetched and verified once, before any backend is tried: a missing or corrupt file rejects with
	 * its WeightsError.
	 */
	async probe(
		modelName: ModelName = 'fcn8s',
		size = 128,
		onProgress?: (p: LoadProgress) => void
	): Promise<ProbeResult[]> {
		const tf = await this.tfReady();
		const before = this.chosen?.backend ?? null;
		await this.verifiedModel(modelName, onProgress);
		const results = await probeBackends(
			{
				use: (b) => this.use(tf, b),
				load: () => this.loadModel(modelName),
				predict: (n) => this.predict(modelName, { data: new Float32Array(n * n), width: n, height: n }),
				unload: () => this.unload()
			},
			size
		);
		if (before) await this.use(tf, before);
		return results;
	}

	#measure: { model: ModelName; started: boolean } | null = null;
	/** The background measurement's last answer (the benchmark and the tests read it). */
	background: ProbeAnswer | null = null;

	/** After the first result (or FIRST_RESULT_WAIT_MS without one), when idle: measure in the background. */
	#measureAfterFirstResult(model: ModelName) {
		if (!canProbeInBackground()) return;
		this.#measure = { model, started: false };
		setTimeout(() => this.#startMeasuring(), FIRST_RESULT_WAIT_MS);
	}

	#startMeasuring() {
		const m = this.#measure;
		if (!m || m.started) return;
		m.started = true;
		whenIdle(() => void this.#measureAndSwitch(m.model).catch(() => {}));
	}

	/** Measure in the background (background.ts) and act on the answer: switch, restart wasm, or keep. */
	async #measureAndSwitch(model: ModelName) {
		const current = this.chosen;
		if (!current || current.reason !== 'first') return;
		const req = probeRequest(
			model,
			current.backend,
			await this.verifiedModel(model),
			this.loadedManifest,
			startThreads()
		);
		const answer = withUnavailable(await probeInWorker(req), req.order);
		this.background = answer;
		const d = decide(answer, current, wasmThreads() ?? 1);
		if (!d) return;
		const storage = typeof localStorage !== 'undefined' ? localStorage : null;
		writeStoredChoice(storage, d.remember);
		if (d.threads !== null) storage?.setItem(THREADS_KEY, String(d.threads));
		if (this.chosen !== current) return; // the reader or a pin chose meanwhile
		// Only the engine's own models are rebuilt by a switch here; other cells get it on the next load.
		const onlyEngine = this.models.liveKeys().every((k) => k.startsWith('engine/'));
		if (d.action !== 'keep' && onlyEngine)
			await this.switchWhenIdle(d.choice, d.message, d.action === 'threads' ? d.threads! : undefined);
		else {
			const later = d.action === 'switch' ? ` ${d.choice.backend} is used from the next page load.` : '';
			this.settle({ ...current, reason: 'measured', why: `${d.remember.why}${later}`, probes: d.choice.probes });
			this.emit({ type: 'measured', message: `${d.remember.why}${later}` });
		}
	}

	/**
	 * Load the manifest (once) and a model's weights: fetched with byte progress, every file
	 * checked against the manifest's sha256 BEFORE it is used, then built from the verified bytes.
	 * Cached in the registry: a second call resolves at once. A missing or corrupt file throws a
	 * WeightsError naming it. Needs a backend (call start or chooseBackend first, or the current tf
	 * backend is used).
	 */
	async loadModel(name: ModelName, opts: { onProgress?: (p: LoadProgress) => void } = {}): Promise<Network> {
		const spec: ModelSpec<Loaded> = {
			build: async (tf) => {
				let verified: VerifiedModel | null = null;
				let model: TF.LayersModel;
				let net: Network;
				if (this.config.source === 'random') {
					net = networkOf(name, null);
					model = (await loadBuild()).buildModel(net, { seed: 1 });
				} else {
					verified = (await this.verifiedModel(name, opts.onProgress))!;
					net = networkOf(name, this.loadedManifest);
					try {
						model = await layersModelFrom(tf, verified);
					} catch (e) {
						this.verified.delete(name);
						throw e;
					}
					// An FCN takes any size (the classifier keeps its fixed input).
					if (name !== 'classifier') model = (await loadBuild()).withFreeInputSize(model, net);
				}
				this.emit({ type: 'model', message: `${name} loaded on ${tf.getBackend()}` });
				return { verified, net, model, captures: new Map() };
			},
			parts: (m) => {
				const all = [...m.captures.values(), m.model];
				m.captures = new Map();
				return all;
			}
		};
		return this.track(async () => (await this.models.get(`engine/${name}`, spec)).net);
	}

	/** The network definition of a loaded model. */
	network(name: ModelName): Network {
		return this.#get(name).net;
	}

	#get(name: ModelName): Loaded {
		const m = this.models.peek<Loaded>(`engine/${name}`);
		if (!m) throw new Error(`model '${name}' is not loaded: call engine.loadModel('${name}') first`);
		return m;
	}

	async #capture(m: Loaded, layers: string[]): Promise<TF.LayersModel> {
		const key = layers.join(',');
		let c = m.captures.get(key);
		if (!c) {
			c = (await loadBuild()).captureModel(m.model, [m.net.output, ...layers]);
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
	 * ONE forward pass of a loaded FCN on a grey image of any size (capture.ts): the segmentation
	 * (argmax labels + softmax probabilities) and the requested layers' activations.
	 */
	async run(name: ModelName, image: GreyImage, opts: RunOptions = {}): Promise<RunResult> {
		const r = await this.track(() => this.#run(name, image, opts));
		if (this.#measure && !this.#measure.started) this.#startMeasuring(); // the first result is in
		return r;
	}

	async #run(name: ModelName, image: GreyImage, opts: RunOptions): Promise<RunResult> {
		const tf = await this.tfReady();
		const m = this.#get(name);
		const layers = [
			...new Set(
				opts.layers === 'all' ? await this.layerNames(name) : (opts.layers ?? []).filter((l) => l !== m.net.output)
			)
		];
		const capture = await this.#capture(m, layers);
		const r = await capturePass(tf, capture, layers, image, opts.lazy, { held: this.held, trials: this.trials });
		this.lastRunMs = r.ms;
		return r;
	}

	/**
	 * How lazy runs capture on `backend`: 'keep' or 'read', or null while a `measure` backend is
	 * still timing both (one warm-up run, then CAPTURE_TRIALS of each, alternating).
	 */
	captureModeOf(backend: BackendName): 'keep' | 'read' | null {
		return this.trials.modeOf(backend);
	}

	/**
	 * The bare `model.predict` of a loaded model (no capture, no softmax), awaited to the last byte:
	 * the baseline the benchmark compares against. Returns its wall time in ms.
	 */
	predict(name: ModelName, image: GreyImage): Promise<number> {
		return this.track(() => this.#predict(name, image));
	}

	async #predict(name: ModelName, image: GreyImage): Promise<number> {
		const tf = await this.tfReady();
		const m = this.#get(name);
		const { data, height: Hp, width: Wp } = padToMultiple(image);
		const t0 = performance.now();
		const y = tf.tidy(() => m.model.predict(tf.tensor4d(data, [1, Hp, Wp, 1])) as TF.Tensor);
		try {
			await y.data();
		} finally {
			y.dispose();
		}
		return performance.now() - t0;
	}

	/** The effective receptive field of one unit of a loaded model, measured (effective-field.ts). */
	async effectiveField(name: ModelName, image: GreyImage, unit: Unit, threshold = 0.01): Promise<EffectiveField> {
		return this.track(async () => effectiveField(await this.tfReady(), this.#get(name).model, image, unit, threshold));
	}

	/** tf.memory() counters (for leak tests and the debug panel). */
	async memory(): Promise<{ numTensors: number; numBytes: number }> {
		const tf = await this.tfReady();
		const { numTensors, numBytes } = tf.memory();
		return { numTensors, numBytes };
	}
}

/** The page-wide engine (one per tab). */
export const engine = new Engine();
