/// <reference lib="webworker" />
/**
 * The background probe (background.ts): a Web Worker with its own TensorFlow.js, so timing webgl or
 * webgpu here never switches the page's backend or touches its models. It builds the model from the
 * page's verified bytes (nothing is fetched again), times each requested backend as the page's probe
 * does (probe.ts), then, if asked, wasm at each requested thread count (one fresh wasm module per
 * count; the best of 5 runs after 3 warm-ups), and answers once.
 */
import type * as TF from '@tensorflow/tfjs';
import type { ProbeAnswer, ProbeRequest } from '$lib/model/background';
import { networkOf } from '$lib/model/network-of';
import { probeBackends } from '$lib/model/probe';
import { disposeParts } from '$lib/model/registry';
import { layersModelFrom, loadBuild, loadTf, restartWasm, setWasmThreads } from '$lib/model/tf';

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async (e: MessageEvent<ProbeRequest>) => {
	const req = e.data;
	try {
		setWasmThreads(req.startThreads);
		const tf = await loadTf();
		const build = await loadBuild();
		const net = networkOf(req.model, req.manifest);
		let parts: TF.LayersModel[] = [];
		const load = async () => {
			if (parts.length) return;
			if (!req.verified) parts = [build.buildModel(net, { seed: 1 })];
			else {
				const base = await layersModelFrom(tf, req.verified);
				parts = [build.withFreeInputSize(base, net), base];
			}
		};
		const predict = async (n: number) => {
			const t0 = performance.now();
			const y = tf.tidy(() => parts[0].predict(tf.zeros([1, n, n, 1])) as TF.Tensor);
			await y.data();
			y.dispose();
			return performance.now() - t0;
		};
		const unload = () => {
			disposeParts(parts);
			parts = [];
		};
		const use = async (b: string) => {
			try {
				const ok = await tf.setBackend(b);
				if (ok) await tf.ready();
				return ok;
			} catch {
				return false;
			}
		};
		const results = await probeBackends({ use, load, predict, unload }, req.size, req.order);
		const threads: ProbeAnswer['threads'] = [];
		for (const n of req.threads) {
			try {
				unload();
				if (!(await restartWasm(tf, n))) throw new Error('does not initialise');
				await load();
				// a fresh threaded module is still starting its 8 pthread workers: warm up well, keep the best
				for (let i = 0; i < 3; i++) await predict(req.threadSize);
				const times = [];
				for (let i = 0; i < 5; i++) times.push(await predict(req.threadSize));
				threads.push({ threads: n, ms: Math.min(...times) });
			} catch {
				threads.push({ threads: n, ms: null });
			}
		}
		unload();
		scope.postMessage({ results, threads } satisfies ProbeAnswer);
	} catch (err) {
		scope.postMessage({ results: [], threads: [], error: (err as Error).message ?? String(err) } satisfies ProbeAnswer);
	}
};
