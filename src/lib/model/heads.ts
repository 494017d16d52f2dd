/**
 * The fc-to-conv lesson's live models, held in the engine's registry: our trained digit classifier
 * with its convolutionalised form (the training pipeline's surgery), and a VGG-16 the reader loads
 * from their own files, convolutionalised. Components pass plain arrays in and get plain arrays
 * back; every tensor is made and disposed here. tfjs-heavy modules (convolutionalize.ts, build.ts)
 * are imported on first use, so a page that never runs them never loads TensorFlow.js.
 */
import type * as TF from '@tensorflow/tfjs';
import { engine } from '$lib/model/engine';
import { layersModelFrom, loadTf } from '$lib/model/tf';
import type { ClassifierPlan } from '$lib/model/convolutionalize';
import type { SurgeryReport } from '$lib/model/surgery';
import { fetchManifest, fetchVerifiedModel, type Manifest } from '$lib/model/weights';

/** A classifier and its convolutionalised form (the registry rebuilds both on a new backend). */
export interface Heads {
	/** The dense classifier (fixed input). */
	dense: TF.LayersModel;
	/** The same weights as a fully convolutional net (any input size). */
	conv: TF.LayersModel;
	backend: string;
}

/** Our trained digit classifier, convolutionalised. */
export interface TrainedHeads extends Heads {
	manifest: Manifest;
	report: SurgeryReport;
	/** Width multiplier of the trained net (from the manifest). */
	width: number;
}

/** The reader's own VGG-16, convolutionalised. */
export interface OwnHeads extends Heads {
	plan: ClassifierPlan;
	/** The dense classifier's parameter count. */
	params: number;
	/** The files' total size, bytes. */
	bytes: number;
}

/** The weights are not there (not trained yet, or not shipped): the page says so. */
export class NotTrainedError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'NotTrainedError';
	}
}

const convolutionalize = () => import('$lib/model/convolutionalize');
const parts = (h: Heads) => [h.conv, h.dense];

/**
 * Our trained digit classifier from `weightsUrl` (verified against the manifest's sha256) and its
 * convolutionalised form. A missing manifest or classifier rejects with NotTrainedError.
 */
export function loadTrainedHeads(
	weightsUrl: string,
	onProgress?: (loaded: number, total: number) => void
): Promise<TrainedHeads> {
	return engine.models.get(`fc-to-conv/classifier@${weightsUrl}`, {
		build: async (tf) => {
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
			const dense = await layersModelFrom(tf, verified);
			const width = manifest.models.classifier.width;
			const { model: conv, report } = (await convolutionalize()).trainedClassifierFcn(dense, width);
			return { dense, conv, report, width, manifest, backend: tf.getBackend() };
		},
		parts
	});
}

/**
 * The reader's VGG-16 (model.json + shards, read locally with tf.io.browserFiles), checked to be a
 * VGG-16 classifier (NotAClassifierError otherwise) and convolutionalised. Replaces the previous one.
 */
export async function loadOwnHeads(files: readonly File[], onConvolutionalising?: () => void): Promise<OwnHeads> {
	engine.models.delete('fc-to-conv/own-vgg16');
	const bytes = files.reduce((t, f) => t + f.size, 0);
	let first = true;
	return engine.models.get('fc-to-conv/own-vgg16', {
		build: async (tf) => {
			const live = await convolutionalize();
			const dense = await live.loadModelFromFiles(files);
			let plan: ClassifierPlan;
			try {
				plan = live.planClassifier(dense);
				live.checkVgg16(plan);
			} catch (e) {
				dense.dispose();
				throw e;
			}
			if (first) onConvolutionalising?.();
			first = false;
			const { model: conv } = live.convolutionalizeClassifier(dense, { name: 'your_vgg16_fcn' });
			return { dense, conv, plan, bytes, params: dense.countParams(), backend: tf.getBackend() };
		},
		parts
	});
}

/** A plain image for the heads: row-major HWC. `vgg`: RGB in 0…255, given Keras's VGG-16 preprocessing. */
export interface HeadsInput {
	data: Float32Array;
	height: number;
	width: number;
	channels: number;
	vgg?: boolean;
	/** Use only the size×size square at (y, x). */
	crop?: { y: number; x: number; size: number };
}

async function inputTensor(h: Heads, input: HeadsInput): Promise<{ tf: typeof TF; x: TF.Tensor4D }> {
	const tf = await loadTf();
	await engine.models.fresh(h);
	const live = input.vgg ? await convolutionalize() : null;
	const x = tf.tidy(() => {
		let t: TF.Tensor = tf.tensor3d(input.data, [input.height, input.width, input.channels]);
		const c = input.crop;
		if (c) t = tf.slice(t, [c.y, c.x, 0], [c.size, c.size, input.channels]);
		return live ? live.vggPreprocess(t) : (tf.expandDims(t, 0) as TF.Tensor4D);
	});
	return { tf, x };
}

/** Dense and convolutional logits of one classifier-sized image, and their largest difference. */
export async function compareHeads(
	h: Heads,
	input: HeadsInput
): Promise<{ dense: Float32Array; conv: Float32Array; maxAbsDiff: number; convShape: number[] }> {
	const { x } = await inputTensor(h, input);
	try {
		return await (await convolutionalize()).compareHeads(h.dense, h.conv, x);
	} finally {
		x.dispose();
	}
}

/** The convolutional net's class-score map on an image of any size: [h, w, classes] row-major. */
export async function scoreMap(
	h: Heads,
	input: HeadsInput
): Promise<{ scores: Float32Array; height: number; width: number; classes: number }> {
	const { x } = await inputTensor(h, input);
	try {
		return await (await convolutionalize()).scoreMap(h.conv, x);
	} finally {
		x.dispose();
	}
}

export { isOutOfMemory } from '$lib/model/oom';
