/**
 * How a `lazy` run captures every layer's activation, per backend, and the measurement that
 * settles it where the answer depends on the GPU.
 */
import { median, type BackendName } from '$lib/model/backend';

/**
 * `keep` the maps on the backend and read back only the segmentation and one flat tensor of every
 * layer's channel mean (the thumbnails); `read` everything back at once and compute the thumbnails
 * in JavaScript; or `measure`: time both on the first lazy runs and keep the faster (see
 * {@link CaptureTrials}).
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

/** Per backend, the lazy runs timed so far (ms per padded pixel) by capture mode, and the choice. */
export class CaptureTrials {
	#trials = new Map<BackendName, { runs: number; keep: number[]; read: number[]; chosen: 'keep' | 'read' | null }>();

	/** `modes` is read on every call (the engine's config may change). */
	constructor(private readonly modes: () => Readonly<Record<BackendName, CaptureMode>>) {}

	/**
	 * How lazy runs capture on `backend`: 'keep' or 'read', or null while a `measure` backend is
	 * still timing both (one warm-up run, then CAPTURE_TRIALS of each, alternating).
	 */
	modeOf(backend: BackendName): 'keep' | 'read' | null {
		const mode = this.modes()[backend];
		return mode === 'measure' ? (this.#trials.get(backend)?.chosen ?? null) : mode;
	}

	/** The mode the next lazy run on `backend` uses: the settled one, or the next to time. */
	next(backend: BackendName): 'keep' | 'read' {
		const fixed = this.modeOf(backend);
		if (fixed) return fixed;
		const runs = this.#trials.get(backend)?.runs ?? 0;
		return runs % 2 === 0 ? 'keep' : 'read';
	}

	/** Record one lazy run's time (ms per padded pixel) on a `measure` backend. */
	record(backend: BackendName, mode: 'keep' | 'read', msPerPixel: number): void {
		if (this.modes()[backend] !== 'measure') return;
		const t = this.#trials.get(backend) ?? { runs: 0, keep: [], read: [], chosen: null };
		this.#trials.set(backend, t);
		if (t.chosen) return;
		if (t.runs++ === 0) return; // the first run also compiles kernels and allocates buffers
		t[mode].push(msPerPixel);
		if (t.keep.length >= CAPTURE_TRIALS && t.read.length >= CAPTURE_TRIALS)
			t.chosen = median(t.keep) <= median(t.read) ? 'keep' : 'read';
	}
}
