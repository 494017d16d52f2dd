/**
 * The state of the skip-fusion lab ("Train the skip yourself"): the trainer made on first Train from
 * the page's FCN-32s, a training loop that runs in short chunks and yields to the page between them
 * (Pause takes effect at the end of the current chunk, ≤ ~0.1 s), the loss of every step, and the
 * validation mean IU re-measured every `EVERY_MS` with the evaluation cell's metric code
 * (fcn/metrics: the confusion over non-void pixels), on held-out test scenes the lab never trains on.
 *
 * `destroy()` (leaving the page) and a backend change stop training and free every tensor.
 */
import { accumulateConfusion, emptyConfusion, segmentationScores, type Confusion } from '$lib/fcn/metrics';
import { labScenes } from '$lib/data/lab-scenes';
import type { Scene } from '$lib/data/scenes';
import type { TestScenes } from '$lib/data/test-digits';
import { createSkipLab, evaluateFcns, onBackendChange, type FcnName, type LoadedFcn, type SkipLab } from '$lib/live';
import { LAB_DEFAULTS, labConfig, type LabQuery } from './lab-query';

export type LabStatus = 'idle' | 'preparing' | 'ready' | 'training' | 'paused' | 'error';

/** What the lab needs from the page: the held-out scenes and the loaded FCNs (FCN-32s at least). */
export interface LabInputs {
	scenes: TestScenes;
	fcns: Partial<Record<FcnName, LoadedFcn>>;
}

export interface CurvePoint {
	/** Seconds of training (paused time not counted). */
	s: number;
	steps: number;
	/** Validation mean IU, percent. */
	meanIU: number;
}

/** Re-measure the validation mean IU this often while training. */
export const EVERY_MS = 2000;
/** The held-out scene whose segmentation is shown sharpening. */
export const SHOW_SCENE = 0;

const pct = (c: Confusion) => 100 * segmentationScores(c).meanIU;
const pause = () => new Promise<void>((r) => setTimeout(r, 0));

export class SkipLabState {
	query = $state<LabQuery>({ ...LAB_DEFAULTS });
	status = $state<LabStatus>('idle');
	/** A sentence for the reader (loading step, why training stopped, an error). */
	message = $state('');
	steps = $state(0);
	seconds = $state(0);
	losses = $state.raw<number[]>([]);
	curve = $state.raw<CurvePoint[]>([]);
	/** The latest validation mean IU (percent), FCN-32s's on the same scenes, the shipped 16s/8s. */
	meanIU = $state<number | null>(null);
	fcn32s = $state<number | null>(null);
	shipped = $state.raw<Partial<Record<'fcn16s' | 'fcn8s', number>>>({});
	/** Seconds of training until the mean IU first stood 10 points above FCN-32s's. */
	reached = $state<number | null>(null);
	scene = $state.raw<Scene | null>(null);
	prediction = $state.raw<Uint8Array | null>(null);
	firstPrediction = $state.raw<Uint8Array | null>(null);
	/** True while the training loop runs (it ends at the end of a chunk after Pause). */
	looping = $state(false);
	trainCount = $state(0);
	valCount = $state(0);

	#load: () => Promise<LabInputs>;
	#lab: SkipLab | null = null;
	#preparing: Promise<SkipLab | null> | null = null;
	#loop: Promise<void> | null = null;
	#losses: number[] = [];
	#unsubscribe: (() => void) | null = null;
	#destroyed = false;

	#everyMs: number;

	constructor(load: () => Promise<LabInputs>, opts: { query?: LabQuery; everyMs?: number } = {}) {
		this.#load = load;
		this.query = { ...(opts.query ?? LAB_DEFAULTS) };
		this.#everyMs = opts.everyMs ?? EVERY_MS;
	}

	get training(): boolean {
		return this.status === 'training';
	}

	/** Start (the first time: load, cache the trunk's features, measure step 0) or resume training. */
	async train(): Promise<void> {
		if (this.training || this.#destroyed) return;
		const lab = this.#lab && !this.#lab.stale ? this.#lab : await this.#prepare();
		if (!lab || this.#destroyed || this.status === 'error') return;
		await this.#loop;
		this.status = 'training';
		this.message = '';
		this.looping = true;
		this.#loop = this.#run(lab).finally(() => {
			this.#loop = null;
			this.looping = false;
		});
	}

	/** Stop after the current chunk; resolves when the loop has stopped. */
	async pause(): Promise<void> {
		if (this.training) this.status = 'paused';
		await this.#loop;
	}

	/** Back to step 0 (FCN-32s plus new layers as configured); keeps the cached features. */
	async reset(): Promise<void> {
		const was = this.status;
		await this.pause();
		const lab = this.#lab;
		this.#clear();
		if (!lab || lab.stale) return;
		lab.reset(labConfig(this.query));
		if (was === 'training' || was === 'paused' || was === 'ready') this.status = 'ready';
		await this.#measure(lab);
	}

	/** A new setting (from the controls or the URL): the lab starts again from step 0 with it. */
	async configure(q: Partial<LabQuery>): Promise<void> {
		this.query = { ...this.query, ...q };
		await this.reset();
	}

	/** Leaving the page: stop and free every tensor. */
	async destroy(): Promise<void> {
		this.#destroyed = true;
		await this.pause();
		await this.#preparing;
		this.#drop();
	}

	#clear() {
		this.#losses = [];
		this.losses = [];
		this.curve = [];
		this.steps = 0;
		this.seconds = 0;
		this.reached = null;
		this.meanIU = null;
		this.prediction = null;
	}

	#drop() {
		this.#unsubscribe?.();
		this.#unsubscribe = null;
		this.#lab?.dispose();
		this.#lab = null;
	}

	#prepare(): Promise<SkipLab | null> {
		this.#preparing ??= (async () => {
			this.#drop();
			this.#clear();
			this.status = 'preparing';
			try {
				this.message = 'loading the nets and the held-out scenes';
				const { scenes, fcns } = await this.#load();
				if (!fcns.fcn32s) throw new Error('FCN-32s did not load');
				const { train, val } = labScenes(scenes);
				this.message = `caching the frozen trunk's features of ${train.length} + ${val.length} scenes`;
				await pause();
				const lab = await createSkipLab(fcns.fcn32s, train, val, labConfig(this.query));
				if (this.#destroyed) {
					lab.dispose();
					return null;
				}
				this.#lab = lab;
				this.trainCount = lab.trainCount;
				this.valCount = lab.valCount;
				this.scene = val[SHOW_SCENE];
				this.#unsubscribe = onBackendChange(() => void this.#backendChanged());
				const c = emptyConfusion(lab.classes);
				await lab.validate((l, p) => accumulateConfusion(c, l, p), { fcn32s: true });
				this.fcn32s = pct(c);
				await this.#measure(lab);
				this.firstPrediction = this.prediction;
				this.status = 'ready';
				this.message = '';
				void this.#compare(fcns, val);
				return lab;
			} catch (e) {
				this.status = 'error';
				this.message = (e as Error).message;
				return null;
			} finally {
				this.#preparing = null;
			}
		})();
		return this.#preparing;
	}

	/** The shipped FCN-16s and FCN-8s on the same validation scenes (once; the page's own nets). */
	async #compare(fcns: LabInputs['fcns'], val: Scene[]) {
		const nets = (['fcn16s', 'fcn8s'] as const).map((n) => fcns[n]).filter((f): f is LoadedFcn => !!f);
		const conf = Object.fromEntries(nets.map((f) => [f.name, emptyConfusion(this.#lab?.classes ?? 11)]));
		try {
			await evaluateFcns(nets, (i) => val[i], val.length, {
				accumulate: (net, l, p) => accumulateConfusion(conf[net], l, p)
			});
			this.shipped = Object.fromEntries(nets.map((f) => [f.name, pct(conf[f.name])]));
		} catch {
			/* the comparison is extra: a failure leaves it empty */
		}
	}

	async #measure(lab: SkipLab) {
		const c = emptyConfusion(lab.classes);
		let shown: Uint8Array | null = null;
		await lab.validate((l, p, i) => {
			accumulateConfusion(c, l, p);
			if (i === SHOW_SCENE) shown = p;
		});
		if (lab !== this.#lab) return;
		this.meanIU = pct(c);
		this.prediction = shown;
		this.curve = [...this.curve, { s: this.seconds, steps: lab.steps, meanIU: this.meanIU }];
		if (this.reached === null && this.fcn32s !== null && this.meanIU >= this.fcn32s + 10) this.reached = this.seconds;
	}

	async #run(lab: SkipLab) {
		let last = performance.now();
		let measured = last;
		const tick = () => {
			const now = performance.now();
			this.seconds += (now - last) / 1000;
			last = now;
		};
		try {
			while (this.status === 'training' && lab === this.#lab && !this.#destroyed) {
				const losses = await lab.train(64, 40);
				if (lab !== this.#lab) break;
				this.#losses.push(...losses);
				this.losses = this.#losses.slice();
				this.steps = lab.steps;
				tick();
				if (last - measured >= this.#everyMs) {
					await this.#measure(lab);
					tick();
					measured = last;
				}
				// Let the page paint and handle clicks (Pause) between chunks.
				await pause();
				last = performance.now();
			}
		} catch (e) {
			if ((e as Error).name === 'LabBackendError') this.#stale((e as Error).message);
			else {
				this.status = 'error';
				this.message = (e as Error).message;
			}
		}
	}

	async #backendChanged() {
		if (!this.#lab?.stale) return;
		await this.pause();
		this.#stale('the backend changed: training stopped');
	}

	#stale(why: string) {
		this.#drop();
		this.status = 'idle';
		this.message = `${why}. Press Train to start again from FCN-32s on the new backend.`;
	}
}
