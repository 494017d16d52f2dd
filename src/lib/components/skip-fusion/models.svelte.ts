/**
 * The live state shared by the skip-fusion cells and the home page's demo: TensorFlow.js, the
 * backend, the three trained FCNs and the held-out test scenes, loaded once, on demand (when a live
 * cell comes on screen), with byte progress and a readable error + retry.
 *
 * When the trained weights are not shipped (development), the untrained definitions are used and
 * `source` says 'random' — the pages show that loudly.
 */
import { engine } from '$lib/model/engine';
import { backendFromUrl } from '$lib/model/backend';
import { FCN_NAMES, loadFcn, loadManifest, type FcnName, type LoadedFcn } from '$lib/model/fusion';
import type { Manifest } from '$lib/model/weights';
import { loadTestDigits, type TestScenes } from '$lib/data/test-digits';

export const WEIGHTS_URL = '/weights';
export const DATA_URL = '/data';

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
			try {
				this.manifest ??= await loadManifest(WEIGHTS_URL);
				this.source = 'trained';
			} catch {
				this.source = 'random';
			}
			// The engine's backend probe runs FCN-8s from the same weights (or the untrained definition
			// when there are none), so that missing weights fall back to random, and broken ones are
			// reported as the weights' fault, never as "no backend works".
			engine.configure({ weightsUrl: WEIGHTS_URL, source: this.source });
			this.step = 'TensorFlow.js and a backend';
			const choice = await engine.chooseBackend({ pin: backendFromUrl(window.location.search) });
			this.backend = choice.backend;
			this.backendWhy = choice.why;
			const fcns = { ...this.fcns };
			const base = new Map<FcnName, number>();
			for (const name of which) {
				this.step = `${name} weights`;
				const offset = this.loaded;
				fcns[name] = await loadFcn(name, {
					weightsUrl: WEIGHTS_URL,
					source: this.source,
					onProgress: (p) => {
						base.set(name, p.total);
						this.total = offset + p.total;
						this.loaded = offset + p.loaded;
					}
				});
				this.fcns = { ...fcns };
			}
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
