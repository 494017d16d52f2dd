/**
 * Loading for the live cells of /fc-to-conv, shared by them and done once: the engine started the
 * one way (pinned by `?backend=`, else the page's choice, else a probe, else wasm, then cpu), our
 * trained digit classifier (verified against the manifest's sha256) with its convolutionalised form
 * by the training pipeline's surgery (both in the engine's registry), and the held-out test digits.
 */
import { base } from '$app/paths';
import {
	backendFromUrl,
	engine,
	loadTrainedHeads,
	NotTrainedError,
	type SurgeryReport,
	type TrainedHeads
} from '$lib/live';
import type { Manifest } from '$lib/live';
import type { TestScenes } from '$lib/data/test-digits';

export { NotTrainedError };

export interface LoadedClassifier {
	/** The dense classifier and its convolutional form (pass to `compareHeads` / `scoreMap`). */
	heads: TrainedHeads;
	backend: string;
	manifest: Manifest;
	report: SurgeryReport;
	/** Width multiplier of the trained net (from the manifest). */
	width: number;
	digits: TestScenes;
}

let backendPromise: Promise<{ backend: string }> | null = null;

/** The engine with a backend, for the cells of this page (once). */
export function startFcToConv(): Promise<{ backend: string }> {
	backendPromise ??= engine
		.start({
			weightsUrl: `${base}/weights`,
			pin: backendFromUrl(window.location.search),
			probeModel: 'fcn32s',
			fallback: true,
			reuse: true
		})
		.then(({ choice }) => ({ backend: choice.backend }));
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
		const { backend } = await startFcToConv();
		const heads = await loadTrainedHeads(weightsUrl, onProgress);
		const { loadTestDigits } = await import('$lib/data/test-digits');
		const digits = await loadTestDigits(dataUrl);
		return { heads, backend, manifest: heads.manifest, report: heads.report, width: heads.width, digits };
	})();
	classifierPromise.catch(() => {
		classifierPromise = null;
	});
	return classifierPromise;
}
