/**
 * Skip fusion, live (the skip-fusion lesson and its evaluation): an FCN's score maps at 1/32, 1/16
 * and 1/8 and the sums made from them, computed by the trained model's OWN layers, with each skip
 * switchable off.
 *
 * One pass runs the trunk (input → score_fr, score_pool4, score_pool3); the head is then applied
 * layer by layer with the model's own upsampling layers (`layer.apply` on concrete tensors):
 *
 *   16s: fuse_pool4 = upscore2(score_fr) + score_pool4           → upscore16
 *    8s: fuse_pool3 = upscore_pool4(fuse_pool4) + score_pool3    → upscore8
 *
 * Switching a skip off drops its term from the sum (the same as a score layer of zeros, which is
 * how the paper initialises it before training). With every skip on, the result IS the model's
 * prediction (`checkAgainstPredict` measures the difference).
 *
 * Like the engine: the input is zero-padded at the bottom/right to a multiple of 32 and every map is
 * cropped back to the part that covers the input; no tf.Tensor leaves this module.
 */
import type * as TF from '@tensorflow/tfjs';
import type { Network } from '$lib/fcn/network';
import { padToMultiple, type GreyImage } from '$lib/fcn/padding';
import { argmaxChannels, maxAbsDiff } from '$lib/fcn/scores';
import { engine } from '$lib/model/engine';
import { networkOf } from '$lib/model/network-of';
import { layersModelFrom, loadBuild, loadTf, type Tf } from '$lib/model/tf';
import type { LoadProgress, Manifest } from '$lib/model/weights';

export type FcnName = 'fcn32s' | 'fcn16s' | 'fcn8s';
export const FCN_NAMES: readonly FcnName[] = ['fcn32s', 'fcn16s', 'fcn8s'];

/** Which skips feed their sum. A net without that skip ignores the switch. */
export interface Skips {
	pool4: boolean;
	pool3: boolean;
}
export const ALL_SKIPS: Skips = Object.freeze({ pool4: true, pool3: true });

/** A map, row-major HWC, cropped to the input's extent. */
export interface StageMap {
	name: string;
	data: Float32Array;
	width: number;
	height: number;
	channels: number;
	/** Input pixels per map cell (32, 16, 8 or 1). */
	stride: number;
}

export interface FusionResult {
	net: FcnName;
	width: number;
	height: number;
	classes: number;
	/** argmax of the final scores per pixel. */
	labels: Uint8Array;
	/** The score maps and sums of the head, in the order they are made (when asked for). */
	stages: StageMap[];
	ms: number;
}

export interface LoadedFcn {
	name: FcnName;
	net: Network;
	model: TF.LayersModel;
	trunk: TF.LayersModel;
	backend: string;
	manifest: Manifest | null;
}

export interface LoadOptions {
	onProgress?: (p: LoadProgress) => void;
}

/**
 * Load one FCN on the active backend, from the engine's weights (its configured folder and source;
 * verified against the manifest's sha256, fetched once per page and shared with the engine's own
 * models), with a trunk model that outputs [score_fr, score_pool4?, score_pool3?] in one pass. Held
 * in the engine's registry: rebuilt on a new backend, after a lost GPU or a reconfiguration.
 */
export function loadFcn(name: FcnName, opts: LoadOptions = {}): Promise<LoadedFcn> {
	return engine.models.get(`fusion/${name}@${engine.config.weightsUrl}@${engine.config.source}`, {
		build: (tf) => build(tf, name, opts),
		parts: (f) => [f.trunk, f.model]
	});
}

async function build(tf: Tf, name: FcnName, opts: LoadOptions): Promise<LoadedFcn> {
	let model: TF.LayersModel;
	let manifest: Manifest | null = null;
	const v = await engine.verifiedFiles(name, opts.onProgress);
	if (!v) {
		model = (await loadBuild()).buildModel(networkOf(name, null), { seed: 1 });
	} else {
		manifest = engine.manifest;
		model = await layersModelFrom(tf, v);
	}
	const net = networkOf(name, manifest);
	// An FCN takes any size, as in the engine.
	model = (await loadBuild()).withFreeInputSize(model, net);
	const outs = skipSources(name).map((l) => model.getLayer(l).output as TF.SymbolicTensor);
	const trunk = tf.model({ inputs: model.inputs, outputs: outs, name: `${name}_trunk` });
	return { name, net, model, trunk, backend: tf.getBackend(), manifest };
}

/** The score layers a net reads from its trunk: score_fr, then its skips' score layers. */
export function skipSources(name: FcnName): string[] {
	if (name === 'fcn32s') return ['score_fr'];
	if (name === 'fcn16s') return ['score_fr', 'score_pool4'];
	return ['score_fr', 'score_pool4', 'score_pool3'];
}

export interface RunFusionOptions {
	skips?: Skips;
	/** Return the stage maps (default true); false for evaluation (labels only). */
	stages?: boolean;
}

/**
 * One pass of `fcn` on `image` with the given skips. Returns the argmax labels at the input's
 * size and (optionally) every score map and sum of the head, cropped to the input's extent.
 */
export async function runFusion(fcn: LoadedFcn, image: GreyImage, opts: RunFusionOptions = {}): Promise<FusionResult> {
	const tf = await loadTf();
	await engine.models.fresh(fcn);
	const skips = opts.skips ?? ALL_SKIPS;
	const wantStages = opts.stages ?? true;
	const { width: W, height: H } = image;
	const { data: padded, height: Hp, width: Wp } = padToMultiple(image);
	const t0 = performance.now();
	const named: { name: string; stride: number; t: TF.Tensor4D }[] = [];
	const labelsT = tf.tidy(() => {
		const x = tf.tensor4d(padded, [1, Hp, Wp, 1]);
		const ys = fcn.trunk.predict(x) as TF.Tensor4D | TF.Tensor4D[];
		const [s32, s16, s8] = Array.isArray(ys) ? ys : [ys];
		const L = (n: string, t: TF.Tensor4D) => fcn.model.getLayer(n).apply(t) as TF.Tensor4D;
		const keep = (name: string, stride: number, t: TF.Tensor4D) => {
			if (wantStages) named.push({ name, stride, t: tf.keep(t) });
			return t;
		};
		keep('score_fr', 32, s32);
		let out: TF.Tensor4D;
		if (fcn.name === 'fcn32s') {
			out = L('upscore', s32);
		} else {
			const up2 = keep('upscore2', 16, L('upscore2', s32));
			keep('score_pool4', 16, s16);
			const fuse4 = keep('fuse_pool4', 16, skips.pool4 ? tf.add(up2, s16) : up2);
			if (fcn.name === 'fcn16s') {
				out = L('upscore16', fuse4);
			} else {
				const up4 = keep('upscore_pool4', 8, L('upscore_pool4', fuse4));
				keep('score_pool3', 8, s8);
				const fuse3 = keep('fuse_pool3', 8, skips.pool3 ? tf.add(up4, s8) : up4);
				out = L('upscore8', fuse3);
			}
		}
		const C = out.shape[3];
		const final = keep('score', 1, out.slice([0, 0, 0, 0], [1, H, W, C]));
		return final.argMax(-1);
	});
	let labels: Uint8Array;
	const stages: StageMap[] = [];
	try {
		labels = Uint8Array.from((await labelsT.data()) as Int32Array);
		for (const s of named) {
			const [, h, w, c] = s.t.shape;
			// Cells that cover the input: ⌈H·h/Hp⌉ (the map spans the padded input).
			const hh = s.stride === 1 ? h : Math.ceil((H * h) / Hp);
			const ww = s.stride === 1 ? w : Math.ceil((W * w) / Wp);
			const cropped = tf.tidy(() => s.t.slice([0, 0, 0, 0], [1, hh, ww, c]));
			const data = (await cropped.data()) as Float32Array;
			cropped.dispose();
			stages.push({ name: s.name, data, width: ww, height: hh, channels: c, stride: s.stride });
		}
	} finally {
		labelsT.dispose();
		for (const s of named) s.t.dispose();
	}
	const classes = fcn.model.outputs[0].shape[3] ?? 0;
	return { net: fcn.name, width: W, height: H, classes, labels, stages, ms: performance.now() - t0 };
}

/**
 * With every skip on, the layer-by-layer head must equal the model's own prediction: the largest
 * absolute difference of the final scores (a check the page shows).
 */
export async function checkAgainstPredict(fcn: LoadedFcn, image: GreyImage): Promise<number> {
	const tf = await loadTf();
	const r = await runFusion(fcn, image, { skips: ALL_SKIPS, stages: true });
	const mine = r.stages.find((s) => s.name === 'score')!;
	const { width: W, height: H } = image;
	const { data: padded, height: Hp, width: Wp } = padToMultiple(image);
	const y = tf.tidy(() => {
		const full = fcn.model.predict(tf.tensor4d(padded, [1, Hp, Wp, 1])) as TF.Tensor4D;
		return full.slice([0, 0, 0, 0], [1, H, W, full.shape[3]]);
	});
	const theirs = (await y.data()) as Float32Array;
	y.dispose();
	return maxAbsDiff(theirs, mine.data);
}

/** argmax over channels of an HWC map: the class each cell would predict on its own. */
export const argmaxMap = argmaxChannels;

/** Progress of a browser evaluation. */
export interface EvalProgress {
	net: FcnName;
	/** Scenes done of `total` for this net; `overall` in [0, 1] over all nets. */
	done: number;
	total: number;
	overall: number;
}

/**
 * Score `nets` on scenes 0 … count − 1 of a held-out set, in the browser: per net, the confusion
 * matrix over all non-void pixels (void = 255 is skipped, as `npm run eval` does). Yields to the
 * page between scenes; `signal` cancels (rejects with an AbortError). The metrics themselves are
 * the library's (`segmentationScores` on the returned matrices).
 */
export async function evaluateFcns(
	fcns: readonly LoadedFcn[],
	scene: (i: number) => { image: Float32Array; label: Uint8Array; width: number; height: number },
	count: number,
	opts: {
		skips?: Skips;
		signal?: AbortSignal;
		onProgress?: (p: EvalProgress) => void;
		accumulate: (net: FcnName, labels: Uint8Array, predictions: Uint8Array) => void;
	}
): Promise<void> {
	const total = fcns.length * count;
	let k = 0;
	for (let i = 0; i < count; i++) {
		const s = scene(i);
		for (const f of fcns) {
			if (opts.signal?.aborted) throw new DOMException('evaluation cancelled', 'AbortError');
			const r = await runFusion(
				f,
				{ data: s.image, width: s.width, height: s.height },
				{ skips: opts.skips, stages: false }
			);
			opts.accumulate(f.name, s.label, r.labels);
			k++;
			opts.onProgress?.({ net: f.name, done: i + 1, total: count, overall: k / total });
		}
		// Let the page paint the progress bar and handle a click on Cancel.
		await new Promise((r) => setTimeout(r, 0));
	}
}
