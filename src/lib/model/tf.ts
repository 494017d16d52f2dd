/**
 * TensorFlow.js, loaded on demand: nothing here touches tfjs at import time. `@tensorflow/tfjs` and
 * its wasm / webgpu backends are dynamically imported by `loadTf()`, so a page pays for them only
 * when a live cell asks. The wasm binaries are served by the site itself (Vite `?url` assets), never
 * from a CDN. Also the one place where verified weight bytes become a tf.LayersModel.
 */
import type * as TF from '@tensorflow/tfjs';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendName } from '$lib/model/backend';
import { WeightsError, type VerifiedModel } from '$lib/model/weights';

export type Tf = typeof TF;

/** Where the engine goes when the chosen backend fails or its GPU is lost: in this order. */
export const FALLBACK_ORDER: readonly BackendName[] = ['wasm', 'cpu'];

let tfPromise: Promise<Tf> | null = null;

/**
 * Load TensorFlow.js and register the wasm backend (and webgpu when `navigator.gpu` exists).
 * Idempotent. The wasm binaries come from this site.
 */
export function loadTf(): Promise<Tf> {
	tfPromise ??= (async () => {
		const tf = await import('@tensorflow/tfjs');
		const wasm = await import('@tensorflow/tfjs-backend-wasm');
		wasm.setWasmPaths({
			'tfjs-backend-wasm.wasm': wasmUrl,
			'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
			'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl
		});
		if (typeof navigator !== 'undefined' && 'gpu' in navigator) {
			try {
				await import('@tensorflow/tfjs-backend-webgpu');
			} catch {
				/* webgpu unavailable: the probe skips it */
			}
		}
		return tf;
	})();
	return tfPromise;
}

let buildPromise: Promise<typeof import('$lib/model/build')> | null = null;

/**
 * The model-building module (it imports tfjs), loaded once. Memoised because every dynamic import
 * of a bundled chunk goes through Vite's preload helper (DOM queries, URL parsing) on each call,
 * and `run` needs it on every inference.
 */
export function loadBuild(): Promise<typeof import('$lib/model/build')> {
	return (buildPromise ??= import('$lib/model/build'));
}

/**
 * A tf.LayersModel from a model's verified files (`tf.io.fromMemory`: nothing is fetched again).
 * A topology tfjs cannot build throws a WeightsError naming the model's model.json.
 */
export async function layersModelFrom(tf: Tf, verified: VerifiedModel): Promise<TF.LayersModel> {
	try {
		return await tf.loadLayersModel(
			tf.io.fromMemory({
				modelTopology: verified.modelJson.modelTopology as TF.io.ModelArtifacts['modelTopology'],
				weightSpecs: verified.modelJson.weightsManifest.flatMap((g) => g.weights) as TF.io.WeightsManifestEntry[],
				weightData: verified.weightData
			})
		);
	} catch (e) {
		throw new WeightsError(
			`${verified.name}/model.json`,
			`${verified.name} could not be built from its files: ${(e as Error).message}`,
			'invalid'
		);
	}
}
