/**
 * The in-page side of `npm run bench` and of the leak test: timed calls of the live engine, exposed
 * as `window.fcnBench` by /network/bench. Every timing is wall time, awaited to the last byte.
 */
import { base } from '$app/paths';
import { analyze } from '$lib/fcn';
import { engine, loadTf, setWasmThreads, wasmThreads } from '$lib/model/engine';
import type { BackendName, GreyImage, ModelName, RunResult } from '$lib/model/engine';
import { median } from '$lib/model/backend';
import { paintChannel, paintMosaic, paintSegmentation, putRgba } from '$lib/viz';

export interface Timing {
	/** Every timed run, ms. */
	runs: number[];
	median: number;
}

export interface SizeResult {
	size: number;
	backend: BackendName;
	/** Bare model.predict (segmentation logits only). */
	predict: Timing;
	/**
	 * One pass capturing every layer's activation (kept on the backend, as /network runs it) with the
	 * segmentation and every layer's channel mean read back.
	 */
	captureAll: Timing;
	/** The same pass, but copying every layer's activation back to JavaScript (what a non-lazy run does). */
	readAll: Timing;
	/**
	 * Input pixels → segmentation and one layer's feature maps painted (the definition), through
	 * the pass /network makes (every layer captured, lazily): the segmentation painted, then one layer's
	 * maps read back and painted.
	 */
	endToEnd: Timing;
	/** The end-to-end work plus every layer's thumbnail (channel mean) painted: all /network does per input. */
	page: Timing;
	/** Painting every layer's feature maps our way: one RGBA mosaic + one putImageData per layer. */
	paintOurs: Timing;
	/** CNN Explainer's way for the same activations: arraySync every tensor, one ImageData + data URL per channel. */
	paintBaseline: Timing;
	layers: number;
	channels: number;
	/** How lazy runs captured on this backend when timed ('keep' maps on it or 'read' all back; null: still measuring). */
	captureMode: 'keep' | 'read' | null;
	/** wasm threads in use (null on other backends). */
	threads: number | null;
	/** FLOPs of one pass at size², from the geometry library (analyze(...).totals.flops). */
	flops: number;
}

/** The matmul microbenchmark: GFLOP/s of an n×n by n×n product on the active backend. */
export interface Peak {
	n: number;
	backend: BackendName;
	threads: number | null;
	/** Median ms of the runs. */
	ms: number;
	/** Best run, ms. */
	bestMs: number;
	/** 2n³ over the best run. */
	gflops: number;
}

export interface BenchApi {
	/** Pin a backend and load FCN-8s (trained, or random weights before they exist). */
	/**
	 * Pin a backend and load FCN-8s (trained, or random weights before they exist). `threads`: the
	 * wasm backend starts with that many threads (one page load per count: fixed when wasm starts).
	 */
	setup(
		backend: BackendName,
		source: 'trained' | 'random',
		threads?: number | null
	): Promise<{
		backend: BackendName;
		ok: boolean;
		error?: string;
		threads: number | null;
		isolated: boolean;
		/** tfjs's WASM_HAS_MULTITHREAD_SUPPORT: whether it picks the threaded SIMD build. */
		threadedBuild?: boolean;
		/** Wall time of the set-up (tfjs, the backend's start, the weights, the model), ms. */
		setupMs?: number;
	}>;
	/** A matmul of n×n matrices on the active backend: `reps` runs after a warm-up, the best as GFLOP/s. */
	peak(n: number, reps: number): Promise<Peak>;
	/** tf.profile of one bare predict at size²: wall ms per kernel name, summed, largest first. */
	kernels(size: number): Promise<{ kernel: string; ms: number; calls: number }[]>;
	/** Time everything at size×size: `warmup` untimed runs, then `reps` timed runs of each. */
	measure(size: number, reps: number, warmup: number, layer?: string, baselineReps?: number): Promise<SizeResult>;
	/** Run `n` inferences (every layer captured) at size² and report tf.memory() before and after. */
	/**
	 * Lose the GPU under the engine (the WebGL context by WEBGL_lose_context, or the WebGPU device by
	 * `destroy()`) and report where it recovered, the notice it emitted, and whether a run works afterwards.
	 */
	loseGpu(): Promise<{ ok: boolean; backend?: BackendName; notice?: string; ran?: boolean; error?: string }>;
	leak(
		n: number,
		size: number,
		lazy?: boolean
	): Promise<{
		runs: number;
		before: { numTensors: number; numBytes: number };
		after: { numTensors: number; numBytes: number };
	}>;
}

const MODEL: ModelName = 'fcn8s';

/** A deterministic scribble-like test input (bright strokes on black). */
function input(size: number): GreyImage {
	const data = new Float32Array(size * size);
	for (let y = 0; y < size; y++)
		for (let x = 0; x < size; x++) {
			const u = x / size;
			const v = y / size;
			const d = Math.abs(Math.sin(6 * u) * 0.3 + 0.5 - v);
			data[y * size + x] = d < 0.04 || Math.abs(u - 0.3) < 0.03 ? 1 : 0;
		}
	return { data, width: size, height: size };
}

async function timed(reps: number, warmup: number, f: () => Promise<unknown>): Promise<Timing> {
	for (let i = 0; i < warmup; i++) await f();
	const runs: number[] = [];
	for (let i = 0; i < reps; i++) {
		const t = performance.now();
		await f();
		runs.push(performance.now() - t);
	}
	return { runs, median: median(runs) };
}

async function interleaved(reps: number, warmup: number, fs: (() => Promise<unknown>)[]): Promise<Timing[]> {
	for (let i = 0; i < warmup; i++) for (const f of fs) await f();
	const runs = fs.map(() => [] as number[]);
	for (let i = 0; i < reps; i++) {
		for (let k = 0; k < fs.length; k++) {
			const t = performance.now();
			await fs[k]();
			runs[k].push(performance.now() - t);
		}
	}
	return runs.map((r) => ({ runs: r, median: median(r) }));
}

export function createBenchApi(): BenchApi {
	const canvas = document.createElement('canvas');
	const seg = document.createElement('canvas');
	// one canvas per layer thumbnail, as the layer strip has
	const thumbs = Array.from({ length: 40 }, () => document.createElement('canvas'));
	return {
		async setup(backend, source, threads = null) {
			setWasmThreads(threads);
			engine.configure({ weightsUrl: `${base}/weights`, source });
			const isolated = crossOriginIsolated;
			const t0 = performance.now();
			try {
				await engine.chooseBackend({ pin: backend });
				if (engine.choice?.backend !== backend)
					return { backend, ok: false, error: 'does not initialise', threads: null, isolated };
				await engine.loadModel(MODEL);
				const threadedBuild = Boolean(await (await loadTf()).env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
				const setupMs = performance.now() - t0;
				const threads = backend === 'wasm' ? wasmThreads() : null;
				return { backend, ok: true, threads, isolated, threadedBuild, setupMs };
			} catch (e) {
				return { backend, ok: false, error: (e as Error).message, threads: null, isolated };
			}
		},
		async kernels(size) {
			const tf = await loadTf();
			const img = input(size);
			await engine.predict(MODEL, img); // warm
			const info = await tf.profile(async () => {
				await engine.predict(MODEL, img);
			});
			const by = new Map<string, { ms: number; calls: number }>();
			for (const k of info.kernels) {
				const e = by.get(k.name) ?? { ms: 0, calls: 0 };
				e.ms += Number(k.kernelTimeMs) || 0;
				e.calls++;
				by.set(k.name, e);
			}
			return [...by].map(([kernel, e]) => ({ kernel, ...e })).sort((a, b) => b.ms - a.ms);
		},
		async peak(n, reps) {
			const tf = await loadTf();
			const a = tf.randomUniform([n, n]);
			const b = tf.randomUniform([n, n]);
			const once = async () => {
				const c = tf.matMul(a, b);
				await c.data();
				c.dispose();
			};
			const t = await timed(reps, 2, once);
			tf.dispose([a, b]);
			const backend = engine.choice!.backend;
			const threads = backend === 'wasm' ? wasmThreads() : null;
			// a peak: the best run (the median is in `ms`)
			const best = Math.min(...t.runs);
			return { n, backend, threads, ms: t.median, bestMs: best, gflops: (2 * n ** 3) / (best * 1e6) };
		},
		async measure(size, reps, warmup, layer = 'pool3', baselineReps = Math.min(reps, 3)) {
			const img = input(size);
			const backend = engine.choice!.backend;
			const fPredict = () => engine.predict(MODEL, img);
			const fCapture = async () => (await engine.run(MODEL, img, { layers: 'all', lazy: 'bench' })).release();
			const fReadAll = () => engine.run(MODEL, img, { layers: 'all' });
			// as /network does: the shown layer's maps read back asynchronously, then painted
			const paintOne = async (r: RunResult) => {
				putRgba(seg, paintSegmentation(r.labels, r.width, r.height, r.classes));
				await r.activations[layer].read();
				putRgba(canvas, paintMosaic(r.activations[layer]));
			};
			const fEndToEnd = async () => {
				const r = await engine.run(MODEL, img, { layers: 'all', lazy: 'bench' });
				await paintOne(r);
				r.release();
			};
			const fPage = async () => {
				const r = await engine.run(MODEL, img, { layers: 'all', lazy: 'bench' });
				await paintOne(r);
				Object.values(r.activations).forEach((a, i) => putRgba(thumbs[i % thumbs.length], paintChannel(a, 'mean')));
				r.release();
			};
			// Interleaved rounds, so that load changes hit all five alike.
			const [predict, captureAll, readAll, endToEnd, page] = await interleaved(reps, warmup, [
				fPredict,
				fCapture,
				fReadAll,
				fEndToEnd,
				fPage
			]);
			const all = await engine.run(MODEL, img, { layers: 'all' });
			const acts = Object.values(all.activations);
			const paintOurs = await timed(reps, 1, async () => {
				for (const a of acts) putRgba(canvas, paintMosaic(a));
			});
			// The baseline reads tensors that live on the backend, as CNN Explainer does.
			const tf = await loadTf();
			const tensors = acts.map((a) => tf.tensor4d(a.data, [1, a.height, a.width, a.channels]));
			// The baseline is ~50× slower: by default at most 3 timed runs (the JSON keeps every run).
			const paintBaseline = await timed(baselineReps, baselineReps > 0 ? 1 : 0, async () => {
				for (const t of tensors) {
					const nested = t.arraySync() as number[][][][];
					const [, h, w, c] = t.shape;
					let lo = Infinity;
					let hi = -Infinity;
					for (const row of nested[0])
						for (const px of row)
							for (const v of px) {
								lo = Math.min(lo, v);
								hi = Math.max(hi, v);
							}
					for (let ch = 0; ch < c; ch++) {
						const cv = document.createElement('canvas');
						cv.width = w;
						cv.height = h;
						const ctx = cv.getContext('2d')!;
						const id = ctx.createImageData(w, h);
						for (let y = 0; y < h; y++)
							for (let x = 0; x < w; x++) {
								const g = hi > lo ? Math.round((255 * (nested[0][y][x][ch] - lo)) / (hi - lo)) : 0;
								const o = 4 * (y * w + x);
								id.data[o] = id.data[o + 1] = id.data[o + 2] = g;
								id.data[o + 3] = 255;
							}
						ctx.putImageData(id, 0, 0);
						cv.toDataURL();
					}
				}
			});
			tf.dispose(tensors);
			return {
				size,
				backend,
				predict,
				captureAll,
				readAll,
				endToEnd,
				page,
				paintOurs,
				paintBaseline,
				layers: acts.length,
				captureMode: engine.captureModeOf(backend),
				threads: backend === 'wasm' ? wasmThreads() : null,
				flops: analyze(engine.network(MODEL), [size, size]).totals.flops,
				channels: acts.reduce((s, a) => s + a.channels, 0)
			};
		},
		async loseGpu() {
			const tf = await loadTf();
			const lost = engine.choice?.backend;
			const backend = tf.backend() as unknown as {
				gpgpu?: { gl?: WebGL2RenderingContext };
				device?: { destroy(): void };
			};
			let lose: (() => void) | null = null;
			if (lost === 'webgl') {
				const ext = backend.gpgpu?.gl?.getExtension('WEBGL_lose_context');
				if (ext) lose = () => ext.loseContext();
			} else if (lost === 'webgpu' && backend.device) {
				const device = backend.device;
				lose = () => device.destroy(); // resolves device.lost, as a driver reset would
			}
			if (!lose) return { ok: false, error: `cannot lose the GPU under ${lost}` };
			let notice: string | undefined;
			const unsub = engine.subscribe((e) => {
				if (e.type === 'recovered') notice = e.message;
			});
			lose();
			const t0 = performance.now();
			while (engine.choice?.backend === lost && performance.now() - t0 < 10_000)
				await new Promise((r) => setTimeout(r, 50));
			unsub();
			try {
				await engine.loadModel(MODEL);
				const r = await engine.run(MODEL, input(64), { layers: ['pool1'] });
				return { ok: true, backend: engine.choice?.backend, notice, ran: r.labels.length === 64 * 64 };
			} catch (e) {
				return { ok: false, backend: engine.choice?.backend, notice, error: (e as Error).message };
			}
		},
		async leak(n, size, lazy = false) {
			const img = input(size);
			const once = async (i: number) => {
				const r = await engine.run(MODEL, img, { layers: 'all', lazy: lazy && 'leak' });
				// a lazy run's maps are read on demand (one layer per run here) and released
				if (lazy) await Object.values(r.activations)[i % Object.keys(r.activations).length].read();
				r.release();
			};
			await once(0); // warm-up: capture model built, kernels ready
			const before = await engine.memory();
			for (let i = 0; i < n; i++) await once(i);
			const after = await engine.memory();
			return { runs: n, before, after };
		}
	};
}
