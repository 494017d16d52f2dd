/**
 * The state of one live cell (or page): engine start-up (TensorFlow.js, backend, weights), the
 * current input, the latest result, the selected layer and unit. Components read it; only its
 * methods change it. Shared through context (`setLiveSession` / `getLiveSession`).
 */
import { getContext, setContext } from 'svelte';
import {
	BackendError,
	engine,
	WeightsError,
	type BackendChoice,
	type BackendName,
	type EffectiveField,
	type GreyImage,
	type ModelName,
	type RunResult,
	type Unit,
	latestOnly,
	type LatestOnly
} from '$lib/live';
import type { Network } from '$lib/fcn/network';

export type LiveStatus = 'idle' | 'loading' | 'ready' | 'error';

/** How long the input must stay unchanged before a selected unit's effective field is measured again, ms. */
export const FIELD_SETTLE_MS = 250;

/**
 * Why the live cell could not start: `weights` (a file is missing, corrupt or unusable; `file` names
 * it), `backend` (the weights are fine but no TensorFlow.js backend runs the model here), or `other`.
 */
export interface LiveError {
	kind: 'weights' | 'backend' | 'other';
	message: string;
	file?: string;
}

/** Sort a start-up failure into a LiveError (the weights' fault, the browser's, or neither). */
export function liveError(e: unknown): LiveError {
	const message = e instanceof Error ? e.message : String(e);
	if (e instanceof WeightsError) return { kind: 'weights', message, file: e.file };
	if (e instanceof BackendError) return { kind: 'backend', message };
	return { kind: 'other', message };
}

export interface LiveOptions {
	model?: ModelName;
	/** Activations to capture with every run: layer names, or 'all'. */
	layers?: string[] | 'all';
	/** Pin a backend (the `?backend=` query). */
	backend?: BackendName | null;
	/** Weights folder URL. */
	weightsUrl: string;
	/** 'random': untrained definition weights (development only; the page must say so). */
	source?: 'trained' | 'random';
}

export class LiveSession {
	status = $state<LiveStatus>('idle');
	/** What is happening now, for the reader ('Loading TensorFlow.js…', 'Choosing a backend…'). */
	phase = $state('');
	progress = $state<{ loaded: number; total: number } | null>(null);
	error = $state<LiveError | null>(null);
	choice = $state.raw<BackendChoice | null>(null);
	notice = $state<string | null>(null);
	model = $state<ModelName>('fcn8s');
	/** The loaded model's network definition (widths and classes from the manifest). */
	net = $state.raw<Network | null>(null);
	input = $state.raw<GreyImage | null>(null);
	result = $state.raw<RunResult | null>(null);
	/** Wall time of recent runs (ms), newest last (at most 20). */
	times = $state.raw<number[]>([]);
	layer = $state<string | null>(null);
	unit = $state.raw<Unit | null>(null);
	field = $state.raw<EffectiveField | null>(null);
	runError = $state<string | null>(null);
	/** Inferences whose result reached the page since the session started (a test can await the next one). */
	runs = $state(0);
	/** The input the shown result was computed from. */
	resultInput = $state.raw<GreyImage | null>(null);
	/** Wall time of the first (cold) pass after the model was (re)loaded, ms. */
	firstMs = $state<number | null>(null);
	#cold = true;
	layers: string[] | 'all';
	readonly opts: LiveOptions;
	#runner: LatestOnly<{ image: GreyImage; model: ModelName }>;
	#unsub: (() => void) | null = null;
	static #sessions = 0;
	readonly #slot = `session-${++LiveSession.#sessions}`;

	constructor(opts: LiveOptions) {
		this.opts = opts;
		this.model = opts.model ?? 'fcn8s';
		this.layers = opts.layers ?? [];
		this.#runner = latestOnly(
			// lazy: every layer's maps stay on the backend until shown (one slot per session); the shown
			// layer's maps are read back (asynchronously) before the result is published
			async ({ image, model }) => {
				const r = await engine.run(model, image, { layers: this.layers, lazy: this.#slot });
				const shown = this.layer ? r.activations[this.layer] : undefined;
				try {
					await shown?.read();
				} catch (e) {
					r.release();
					throw e;
				}
				return r;
			},
			(r, job) => {
				this.result?.release();
				this.result = r;
				this.resultInput = job.image;
				this.runError = null;
				this.runs++;
				this.#remeasureWhenSettled();
				if (this.#cold) {
					// The first pass after a (re)load includes one-off set-up (kernels, buffers): show it as
					// such and run once more for a warm timing.
					this.#cold = false;
					this.firstMs = r.ms;
					if (this.input === job.image) this.#runner.request(job);
				} else this.times = [...this.times.slice(-19), r.ms];
			},
			(e) => (this.runError = (e as Error).message),
			undefined,
			(r) => r.release()
		);
	}

	/** Whether the shown result is that of the current input (no inference pending). */
	get settled(): boolean {
		return this.input !== null && this.resultInput === this.input;
	}

	/** Median ms per inference of recent runs (null before any). */
	get msPerInference(): number | null {
		if (!this.times.length) return null;
		const s = [...this.times].sort((a, b) => a - b);
		return s[s.length >> 1];
	}

	/** Load TensorFlow.js, choose the backend, load the model. Safe to call again (Retry). */
	async start(): Promise<void> {
		this.status = 'loading';
		this.error = null;
		this.progress = null;
		this.#unsub ??= engine.subscribe((e) => {
			if (e.type === 'recovered' || e.type === 'switched') {
				// moved off a lost GPU, or to a backend the background measurement found faster: rerun
				this.notice = e.message;
				this.choice = engine.choice;
				void this.#reload();
			} else if (e.type === 'measured') this.choice = engine.choice;
		});
		try {
			this.phase = 'Loading TensorFlow.js…';
			await engine.ready();
			this.phase = 'Starting a backend…';
			// A probe fetches and verifies the weights first: show their download.
			const started = await engine.start({
				weightsUrl: this.opts.weightsUrl,
				source: this.opts.source ?? 'trained',
				pin: this.opts.backend ?? null,
				probeModel: this.model,
				onProgress: (p) => {
					this.phase = p.total && p.loaded >= p.total ? 'Starting a backend…' : 'Loading the weights…';
					this.progress = { loaded: p.loaded, total: p.total };
				}
			});
			this.choice = started.choice;
			await this.#reload();
		} catch (e) {
			this.status = 'error';
			this.error = liveError(e);
		}
	}

	async #reload() {
		this.phase = 'Loading the weights…';
		this.#cold = true;
		this.times = [];
		this.net = await engine.loadModel(this.model, {
			onProgress: (p) => (this.progress = { loaded: p.loaded, total: p.total })
		});
		this.status = 'ready';
		this.phase = '';
		if (this.input) this.#runner.request({ image: this.input, model: this.model });
	}

	#layerRequest = 0;

	/**
	 * Show another layer: its maps are read back from the backend (asynchronously: a synchronous
	 * read stalls a GPU) before `layer` changes, so the grid never waits on the GPU while drawing.
	 * The newest call wins.
	 */
	async selectLayer(name: string | null): Promise<void> {
		const request = ++this.#layerRequest;
		const map = name && this.result ? this.result.activations[name] : undefined;
		try {
			await map?.read();
		} catch {
			/* released meanwhile: the next result brings the layer's maps */
		}
		if (request === this.#layerRequest) this.layer = name;
	}

	/** A new input: inference reruns at most once per animation frame; stale results are dropped. */
	setInput(image: GreyImage): void {
		this.input = image;
		this.field = null;
		if (this.status === 'ready') this.#runner.request({ image, model: this.model });
	}

	async setModel(model: ModelName): Promise<void> {
		if (model === this.model) return;
		this.model = model;
		this.result?.release();
		this.result = null;
		this.unit = null;
		this.field = null;
		if (this.status === 'ready' || this.status === 'error') await this.start();
	}

	async setBackend(b: BackendName): Promise<void> {
		try {
			this.choice = await engine.setBackend(b);
			this.times = [];
			this.notice = null;
			await this.#reload();
		} catch (e) {
			this.notice = (e as Error).message;
		}
	}

	#measuring = false;
	#settleTimer: ReturnType<typeof setTimeout> | null = null;

	/**
	 * A new input clears the selected unit's effective field; once the input has stayed the same
	 * for FIELD_SETTLE_MS (the reader paused drawing), measure it again for the new input. Not on
	 * every stroke: a gradient costs about as much as a pass.
	 */
	#remeasureWhenSettled(): void {
		if (this.#settleTimer) clearTimeout(this.#settleTimer);
		this.#settleTimer = setTimeout(() => {
			this.#settleTimer = null;
			const u = this.unit;
			const map = u && this.result?.activations[u.layer];
			if (!u || this.field || this.#measuring || !this.settled || !map) return;
			if (u.x >= map.width || u.y >= map.height || (u.channel ?? 0) >= map.channels) return; // the unit left the map
			void this.selectUnit(u);
		}, FIELD_SETTLE_MS);
	}

	/**
	 * Select a unit and measure its effective receptive field (gradient w.r.t. the input). Latest
	 * wins: while one gradient is being computed, further selections (a held arrow key) only update
	 * `unit`, and the newest one is measured next; results for a unit no longer selected are dropped.
	 */
	async selectUnit(unit: Unit | null): Promise<void> {
		this.unit = unit;
		this.field = null;
		if (this.#measuring) return;
		this.#measuring = true;
		try {
			while (this.unit && this.input && this.status === 'ready') {
				const u = this.unit;
				const input = this.input;
				const f = await engine.effectiveField(this.model, input, u);
				if (this.unit === u && this.input === input) {
					this.field = f;
					break;
				}
			}
		} catch (e) {
			this.runError = (e as Error).message;
		} finally {
			this.#measuring = false;
		}
	}

	destroy(): void {
		if (this.#settleTimer) clearTimeout(this.#settleTimer);
		this.#runner.cancel();
		engine.releaseActivations(this.#slot);
		this.#unsub?.();
		this.#unsub = null;
	}
}

const KEY = Symbol('live-session');

export function setLiveSession(s: LiveSession): LiveSession {
	return setContext(KEY, s);
}

export function getLiveSession(): LiveSession {
	const s = getContext<LiveSession | undefined>(KEY);
	if (!s) throw new Error('no LiveSession in context: wrap the live components in a page that calls setLiveSession');
	return s;
}
