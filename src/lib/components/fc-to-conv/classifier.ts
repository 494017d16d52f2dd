/**
 * Loading for the live cells of /fc-to-conv, shared by them and done once: TensorFlow.js (lazily,
 * through the engine), a backend (pinned by `?backend=`, else the engine's choice, else wasm),
 * our trained digit classifier (verified against the manifest's sha256), its convolutionalised
 * form by the training pipeline's surgery, and the held-out test digits.
 */
import type * as TF from '@tensorflow/tfjs';
import type { Manifest } from '$lib/model/weights';
import type { TestScenes } from '$lib/data/test-digits';
import type { SurgeryReport } from '$lib/model/surgery';

export type Tf = typeof TF;

export interface LoadedClassifier {
	tf: Tf;
	backend: string;
	manifest: Manifest;
	/** The dense classifier as trained (fixed 96×96 input). */
	dense: TF.LayersModel;
	/** The same weights as a fully convolutional net (any input size). */
	conv: TF.LayersModel;
	report: SurgeryReport;
	/** Width multiplier of the trained net (from the manifest). */
	width: number;
	digits: TestScenes;
	/** Module with the live helpers (compareHeads, scoreMap). */
	live: typeof import('$lib/model/convolutionalize');
}

/** The weights are not there (not trained yet, or not shipped): the page says so. */
export class NotTrainedError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'NotTrainedError';
	}
}

let backendPromise: Promise<{ tf: Tf; backend: string }> | null = null;

/** TensorFlow.js with a backend: `?backend=` pins one; else the engine's remembered/probed choice; else wasm, then cpu. */
export function tfWithBackend(): Promise<{ tf: Tf; backend: string }> {
	backendPromise ??= (async () => {
		const { loadTf, engine } = await import('$lib/model/engine');
		const { backendFromUrl } = await import('$lib/model/backend');
		const tf = await loadTf();
		const pin = backendFromUrl(window.location.search);
		try {
			if (pin || !engine.choice) await engine.chooseBackend({ pin, probeModel: 'fcn32s' });
		} catch {
			for (const b of ['wasm', 'cpu']) {
				try {
					if (await tf.setBackend(b)) break;
				} catch {
					/* next */
				}
			}
		}
		await tf.ready();
		return { tf, backend: tf.getBackend() };
	})();
	return backendPromise;
}

let classifierPromise: Promise<LoadedClassifier> | null = null;

/** Load (once) everything the live classifier cells need. */
export function loadClassifier(
	weightsUrl: string,
	dataUrl: string,
	onProgress?: (loaded: number, total: number) => void
): Promise<LoadedClassifier> {
	classifierPromise ??= (async () => {
		const { tf, backend } = await tfWithBackend();
		const { fetchManifest, fetchVerifiedModel } = await import('$lib/model/weights');
		let manifest: Manifest;
		try {
			manifest = await fetchManifest(weightsUrl);
		} catch (e) {
			throw new NotTrainedError((e as Error).message);
		}
		if (!manifest.models.classifier) throw new NotTrainedError('the weights manifest lists no classifier');
		const verified = await fetchVerifiedModel(weightsUrl, manifest, 'classifier', (p) =>
			onProgress?.(p.loaded, p.total)
		);
		const dense = await tf.loadLayersModel(
			tf.io.fromMemory({
				modelTopology: verified.modelJson.modelTopology as TF.io.ModelArtifacts['modelTopology'],
				weightSpecs: verified.modelJson.weightsManifest.flatMap((g) => g.weights) as TF.io.WeightsManifestEntry[],
				weightData: verified.weightData
			})
		);
		const live = await import('$lib/model/convolutionalize');
		const width = manifest.models.classifier.width;
		const { model: conv, report } = live.trainedClassifierFcn(dense, width);
		const { loadTestDigits } = await import('$lib/data/test-digits');
		const digits = await loadTestDigits(dataUrl);
		return { tf, backend, manifest, dense, conv, report, width, digits, live };
	})();
	classifierPromise.catch(() => {
		classifierPromise = null;
	});
	return classifierPromise;
}
