/**
 * The ONE registry of every tfjs model the page holds: the engine's FCNs, the fc-to-conv classifier
 * and its convolutionalised forms, the receptive-field probe nets, the skip-fusion trunks. Each
 * entry is an object built by its `build(tf)` on the active backend, with the tfjs models it owns
 * (`parts`). When the backend changes, the GPU is lost or the engine is reconfigured, the engine
 * disposes every entry's models (`disposeAll`); an entry is rebuilt on the new backend the next
 * time it is asked for (`get`, or `fresh` with the object itself), IN PLACE: the holder's object
 * stays the same and its fields are the rebuilt models.
 */
import type { Tf } from '$lib/model/tf';

/** What an entry owns on the backend: a tfjs LayersModel, or anything else with `dispose()`. */
export interface Disposable {
	dispose(): void;
}

/** The part of a tfjs LayersModel that holds its weights. */
interface WithLayers {
	layers: readonly { weights: readonly { dispose(): void; read(): { isDisposed: boolean } }[] }[];
}

/**
 * Dispose the weights of every model in `parts` once (and anything else with `dispose()`). Models of
 * one entry share layers (a capture model, a trunk, a convolutionalised head reuse their base's
 * layers), and tfjs's `LayersModel.dispose` of the second would throw on the shared ones.
 */
export function disposeParts(parts: readonly (Disposable | null | undefined)[]): void {
	const seen = new Set<unknown>();
	for (const p of parts) {
		if (!p) continue;
		const layers = (p as unknown as Partial<WithLayers>).layers;
		if (!Array.isArray(layers)) {
			p.dispose();
			continue;
		}
		for (const l of layers as WithLayers['layers']) {
			for (const w of l.weights) {
				if (seen.has(w)) continue;
				seen.add(w);
				if (!variableDisposed(w)) w.dispose();
			}
		}
	}
}

function variableDisposed(w: { read(): { isDisposed: boolean } }): boolean {
	try {
		return w.read().isDisposed;
	} catch {
		return true;
	}
}

/** How to build an entry, and which of its parts to dispose. */
export interface ModelSpec<T extends object> {
	build: (tf: Tf) => Promise<T>;
	parts: (value: T) => readonly (Disposable | null | undefined)[];
}

interface Entry<T extends object> {
	key: string;
	spec: ModelSpec<T>;
	/** The holder's object (kept across rebuilds); null before the first build. */
	value: T | null;
	/** The backend its models live on; null when they were disposed (stale). */
	backend: string | null;
	pending: Promise<T> | null;
}

export class ModelRegistry {
	#entries = new Map<string, Entry<object>>();
	#byValue = new WeakMap<object, Entry<object>>();

	constructor(private readonly tf: () => Promise<Tf>) {}

	/** The entry under `key`, built (or rebuilt after a dispose) on the active backend. */
	async get<T extends object>(key: string, spec: ModelSpec<T>): Promise<T> {
		let e = this.#entries.get(key) as Entry<T> | undefined;
		if (!e) {
			e = { key, spec, value: null, backend: null, pending: null };
			this.#entries.set(key, e as unknown as Entry<object>);
		}
		// the latest caller's spec builds it next (its progress callback is the one on screen)
		e.spec = spec;
		return this.#ensure(e);
	}

	/** `value` (an object this registry built) with live models on the active backend. */
	fresh<T extends object>(value: T): Promise<T> {
		const e = this.#byValue.get(value) as Entry<T> | undefined;
		return e ? this.#ensure(e) : Promise.resolve(value);
	}

	/** The built value under `key` if its models are live, else null (no build). */
	peek<T extends object>(key: string): T | null {
		const e = this.#entries.get(key);
		return e && e.backend !== null ? (e.value as T) : null;
	}

	/** Keys of the entries whose models are live now. */
	liveKeys(): string[] {
		return [...this.#entries.values()].filter((e) => e.backend !== null).map((e) => e.key);
	}

	/** Every key ever registered (live or waiting to be rebuilt). */
	keys(): string[] {
		return [...this.#entries.keys()];
	}

	async #ensure<T extends object>(e: Entry<T>): Promise<T> {
		const tf = await this.tf();
		const backend = tf.getBackend();
		if (e.value && e.backend === backend) return e.value;
		if (e.pending) return e.pending;
		if (e.backend !== null && e.backend !== backend) this.#dispose(e as unknown as Entry<object>, false);
		e.pending = e.spec
			.build(tf)
			.then((built) => {
				if (e.value) Object.assign(e.value, built);
				else e.value = built;
				e.backend = tf.getBackend();
				this.#byValue.set(e.value, e as unknown as Entry<object>);
				return e.value;
			})
			.finally(() => (e.pending = null));
		return e.pending;
	}

	#dispose(e: Entry<object>, lost: boolean) {
		if (e.backend === null || !e.value) return;
		e.backend = null;
		try {
			disposeParts(e.spec.parts(e.value));
		} catch (err) {
			if (!lost) throw err;
		}
	}

	/**
	 * Dispose the models of every entry (except those living on `keepOn`); each is rebuilt on its
	 * next use. After a lost GPU (`lost`) failing disposes are ignored. Returns how many were live.
	 */
	disposeAll(opts: { keepOn?: string; lost?: boolean } = {}): number {
		let n = 0;
		for (const e of this.#entries.values()) {
			if (e.backend === null || (opts.keepOn !== undefined && e.backend === opts.keepOn)) continue;
			this.#dispose(e, opts.lost ?? false);
			n++;
		}
		return n;
	}

	/** Dispose an entry's models and forget it (a cell that goes away for good). */
	delete(key: string): void {
		const e = this.#entries.get(key);
		if (!e) return;
		this.#dispose(e, false);
		this.#entries.delete(key);
	}
}
