/**
 * One forward pass of a capture model (the net's output plus the requested layers, one model, one
 * pass) on a grey image of any size: the input is zero-padded at the bottom/right to a multiple of
 * 32, and every output is cropped back to the part that covers the input.
 *
 * Eager (default): everything is read back and every tensor disposed before this resolves. Lazy:
 * how the maps are captured depends on the backend (`CaptureTrials`): `read` reads everything back
 * at once (nothing held); `keep` reads back only the segmentation and one flat tensor of every
 * layer's channel mean, and HOLDS each layer's activation on the backend (in `held`, under the
 * run's slot) until the result's `release()`, the slot's release, or the models are unloaded.
 */
import type * as TF from '@tensorflow/tfjs';
import { channelMean } from '$lib/fcn/hwc';
import { padToMultiple, type GreyImage } from '$lib/fcn/padding';
import { softmax } from '$lib/fcn/scores';
import type { BackendName } from '$lib/model/backend';
import type { CaptureTrials } from '$lib/model/capture-mode';
import type { HeldActivations } from '$lib/model/held';
import type { Tf } from '$lib/model/tf';
import type { FeatureMap, RunOptions, RunResult } from '$lib/model/types';

/** What a pass needs from the engine: where lazy runs hold maps, and how each backend captures. */
export interface CaptureDeps {
	held: HeldActivations;
	trials: CaptureTrials;
}

/**
 * Run `capture` (outputs: the score map, then one per name in `layers`) on `image`. Returns the
 * segmentation (argmax labels, scores, softmax on first access) and the layers' activations.
 */
export async function capturePass(
	tf: Tf,
	capture: TF.LayersModel,
	layers: readonly string[],
	image: GreyImage,
	lazyOpt: RunOptions['lazy'],
	deps: CaptureDeps
): Promise<RunResult> {
	const { width: W, height: H } = image;
	const { data: padded, height: Hp, width: Wp } = padToMultiple(image);
	const t0 = performance.now();
	const backend = tf.getBackend() as BackendName;
	// lazy: maps stay on the backend (where that pays) and only thumbnails are read back
	// (with no layer to capture there is nothing to keep, and nothing to learn about capturing)
	const mode = lazyOpt ? (layers.length ? deps.trials.next(backend) : 'read') : null;
	const slot = mode === 'keep' ? (typeof lazyOpt === 'string' ? lazyOpt : 'default') : null;
	const lazy = slot !== null;
	const thumbnails = !!lazyOpt;
	const n = layers.length;
	const outs = tf.tidy(() => {
		const x = tf.tensor4d(padded, [1, Hp, Wp, 1]);
		const ys = capture.predict(x) as TF.Tensor4D[] | TF.Tensor4D;
		const list = Array.isArray(ys) ? ys : [ys];
		const crop = (a: TF.Tensor4D, h: number, w: number) =>
			h === a.shape[1] && w === a.shape[2] ? a : a.slice([0, 0, 0, 0], [1, h, w, a.shape[3]]);
		const score = crop(list[0], H, W);
		// argmax of the scores = argmax of the softmax; the softmax itself is done lazily in JS.
		const labels = score.argMax(-1);
		// Rows/columns of each map that cover the input: ⌈H·h/Hp⌉ (the map spans the padded input).
		const acts = list.slice(1).map((a) => crop(a, Math.ceil((H * a.shape[1]) / Hp), Math.ceil((W * a.shape[2]) / Wp)));
		// lazy: [score, labels, ...acts, every channel mean (h·w per layer) in one flat tensor]:
		// one read-back for all the thumbnails instead of one per layer.
		if (!lazy) return [score, labels, ...acts];
		const means = acts.length ? tf.concat(acts.map((a) => a.mean(-1).reshape([-1]))) : tf.zeros([0]);
		return [score, labels, ...acts, means];
	});
	const eager = lazy ? [outs[0], outs[1], outs[2 + n]] : outs;
	let kept: TF.Tensor[] = [];
	let arrays: TF.backend_util.TypedArray[];
	try {
		arrays = await Promise.all(eager.map((t) => t.data()));
	} catch (e) {
		tf.dispose(outs);
		throw e;
	}
	if (lazy) {
		tf.dispose(eager);
		kept = outs.slice(2, 2 + n);
		deps.held.hold(slot, kept);
	} else tf.dispose(outs);
	const classes = outs[0].shape[3]!;
	const activations: Record<string, FeatureMap> = {};
	let meanAt = 0;
	layers.forEach((l, i) => {
		const t = outs[i + 2];
		const [, h, w, c] = t.shape as number[];
		if (!lazy) {
			const data = arrays[i + 2] as Float32Array;
			activations[l] = { name: l, data, width: w, height: h, channels: c, read: async () => data };
			if (thumbnails) activations[l].mean = channelMean(data, c);
			return;
		}
		activations[l] = heldMap(l, t, w, h, c, (arrays[2] as Float32Array).subarray(meanAt, (meanAt += h * w)));
	});
	// the wall time includes the thumbnails computed in JS by a `read` capture
	const ms = performance.now() - t0;
	if (mode && n) deps.trials.record(backend, mode, ms / (Hp * Wp));
	const scores = arrays[0] as Float32Array;
	let probabilities: Float32Array | null = null;
	return {
		width: W,
		height: H,
		classes,
		labels: Uint8Array.from(arrays[1] as Int32Array),
		scores,
		get probabilities() {
			return (probabilities ??= softmax(scores, classes));
		},
		activations,
		ms,
		backend,
		release: () => {
			if (slot !== null) deps.held.releaseSome(slot, kept);
			kept = [];
		}
	};
}

/** A feature map whose values stay on the backend until first read (then cached). */
function heldMap(
	name: string,
	t: TF.Tensor,
	width: number,
	height: number,
	channels: number,
	mean: Float32Array
): FeatureMap {
	let cache: Float32Array | null = null;
	const readable = () => {
		if (t.isDisposed) throw new Error(`the activation of ${name} was already released (result.release())`);
	};
	return {
		name,
		width,
		height,
		channels,
		mean,
		get data(): Float32Array {
			if (!cache) {
				readable();
				cache = t.dataSync() as Float32Array;
			}
			return cache;
		},
		async read(): Promise<Float32Array> {
			if (!cache) {
				readable();
				const values = (await t.data()) as Float32Array;
				cache ??= values;
			}
			return cache;
		}
	};
}
