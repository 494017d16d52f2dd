/**
 * What the engine hands out: plain JavaScript data (typed arrays, numbers), never a tf.Tensor. The
 * one exception is a `lazy` run's activations, which a `keep` capture leaves on the backend until
 * `release()` (see {@link RunOptions.lazy}).
 */
import type { BackendName, ProbeResult } from '$lib/model/backend';

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
	 * the same result: every `FeatureMap.mean` set, nothing kept, `release()` a no-op. Default false:
	 * everything is read back (no `mean`) and every tensor disposed before `run` resolves.
	 */
	lazy?: boolean | string;
}

/** A notice for the reader (e.g. the WebGL context was lost and the engine recovered). */
export interface EngineEvent {
	/**
	 * backend: a choice was made; measured: the background measurement updated the choice's reasons
	 * (same backend); switched: the engine moved to a faster backend (or thread count) between runs,
	 * rerun; recovered: moved off a lost GPU, rerun; model: a model was (re)built.
	 */
	type: 'backend' | 'measured' | 'switched' | 'recovered' | 'model';
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
