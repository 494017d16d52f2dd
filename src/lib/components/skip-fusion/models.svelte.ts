/**
 * The live state shared by the skip-fusion cells and the home page's demo: TensorFlow.js, the
 * backend, the three trained FCNs and the held-out test scenes, loaded once, on demand (when a live
 * cell comes on screen), with byte progress and a readable error + retry.
 *
 * When the trained weights are not shipped (development), the untrained definitions are used and
 * `source` says 'random' — the pages show that loudly.
 */
import { base } from '$app/paths';
import { backendFromUrl, engine, FCN_NAMES, loadFcn, type FcnName, type LoadedFcn, type Manifest } from '$lib/live';
import { loadTestDigits, type TestScenes } from '$lib/data/test-digits';

/** The weights and the test scenes, under the site's base path (as every live cell has them). */
export const WEIGHTS_URL = `${base}/weights`;
export const DATA_URL = `${base}/data`;

type Status = 'idle' | 'loading' | 'ready' | 'error';

export class LiveModels {
	status = $state<Status>('idle');
	/** What is being loaded now, in words. */
	step = $state('');
	loaded = $state(0);
	total = $state(0);
	error = $state<string | null>(null);
	source = $state<'trained' | 'random'>('trained');
	backend = $state('');
	backendWhy = $state('');
	manifest = $state.raw<Manifest | null>(null);
	fcns = $state.raw<Partial<Record<FcnName, LoadedFcn>>>({});
	scenes = $state.raw<TestScenes | null>(null);
	#running: Promise<void> | null = null;

	/** Load everything (idempotent; a failed load can be retried). */
	start(which: readonly FcnName[] = FCN_NAMES): Promise<void> {
		if (this.status === 'ready' && which.every((n) => this.fcns[n])) return Promise.resolve();
		this.#running ??= this.#load(which).finally(() => (this.#running = null));
		return this.#running;
	}

	async #load(which: readonly FcnName[]) {
		this.status = 'loading';
		this.error = null;
		try {
			this.step = 'held-out test scenes';
			this.scenes ??= await loadTestDigits(DATA_URL);
			// The engine's backend probe runs FCN-8s from the same weights (or the untrained definition
			// when there are none), so that missing weights fall back to random, and broken ones are
			// reported as the weights' fault, never as "no backend works".
			this.step = 'TensorFlow.js and a backend';
			const { source, choice } = await engine.start({
				weightsUrl: WEIGHTS_URL,
				pin: backendFromUrl(window.location.search)
			});
			this.source = source;
			this.backend = choice.backend;
			this.backendWhy = choice.why;
			const fcns = { ...this.fcns };
			for (const name of which) {
				this.step = `${name} weights`;
				const offset = this.loaded;
				fcns[name] = await loadFcn(name, {
					onProgress: (p) => {
						this.total = offset + p.total;
						this.loaded = offset + p.loaded;
					}
				});
				this.fcns = { ...fcns };
			}
			this.manifest ??= engine.manifest;
			this.status = 'ready';
			this.step = '';
		} catch (e) {
			this.status = 'error';
			this.error = (e as Error).message;
		}
	}
}

/** One instance per page load (the models are big; every cell shares them). */
export const liveModels = new LiveModels();
