/**
 * "Train the skip yourself": FCN-32s → FCN-16s (→ FCN-8s) trained in the page, backbone frozen.
 *
 * The frozen trunk of the trained FCN-32s runs ONCE per scene; its score_fr (1/32), pool4 (1/16)
 * and pool3 (1/8) are cached as tensors. Only the head is trained, as in the paper's staged
 * training (§4.2):
 *
 *   16s: fuse_pool4 = up×2(score_fr) + score_pool4(pool4)          → bilinear ×16 (kernel 32)
 *    8s: fuse_pool3 = up×2(fuse_pool4) + score_pool3(pool3)        → bilinear ×8  (kernel 16)
 *
 * score_pool4 / score_pool3 are 1×1 convolutions, i.e. a matmul over the cached features (their
 * gradient is a matmul too: no Conv2DBackpropFilter). The ×2 upsamplings start bilinear and are
 * either fixed or learned (a learned conv2dTranspose needs the filter gradient, which wasm lacks:
 * the project's kernel, wasm-grad.ts, is registered). The final upsampling stays fixed bilinear.
 * The loss is the paper's per-pixel softmax cross-entropy over non-void pixels (here averaged over
 * them, so one learning rate fits any batch); the optimizer is Adam.
 *
 * No tf.Tensor leaves this module; `dispose()` frees every tensor it made (a unit test counts).
 */
import * as tf from '@tensorflow/tfjs';
import { padToMultiple } from '$lib/fcn/padding';
import { mulberry32, type Rng } from '$lib/data/prng';
import { bilinear, pixelLoss, upsampleMatrix } from '$lib/model/skip-lab-ops';
import { registerWasmConv2DBackpropFilter } from '$lib/model/wasm-grad';

export { upsampleMatrix };

export type LabSkips = 'pool4' | 'pool4+pool3';
export type LabInit = 'zero' | 'random';
export type LabUp = 'bilinear' | 'learned';

export interface LabConfig {
	skips: LabSkips;
	/** Initial weights of the new score layer(s): zeros (the paper) or random, as loud as score_fr. */
	init: LabInit;
	/** The ×2 upsampling(s): fixed bilinear, or bilinear-initialised and learned. */
	up: LabUp;
	lr: number;
	/** The final (fixed bilinear) upsampling's kernel: 2s as in the paper (default), or s (no overlap). */
	finalKernel?: '2s' | 's';
	/** Scenes per step (default 8). */
	batch?: number;
	/** Seed of the random init and of the batches (default 1). */
	seed?: number;
}

/** A scene: H·W grey image in [0, 1] and its H·W labels (255 = void). */
export interface LabScene {
	image: Float32Array;
	label: Uint8Array;
	width: number;
	height: number;
}

/** Thrown when the backend the lab's tensors live on is no longer the active one. */
export class LabBackendError extends Error {
	constructor(was: string, now: string) {
		super(`the backend changed (${was} → ${now}): training stopped`);
		this.name = 'LabBackendError';
	}
}

type Features = {
	s32: tf.Tensor4D;
	p4: tf.Tensor4D;
	p3: tf.Tensor4D;
};
interface TrainScene extends Features {
	/** [1, H, W] class per pixel, 255 = void. */
	labels: tf.Tensor3D;
	/** Non-void pixels. */
	labelled: number;
}
interface ValScene extends Features {
	label: Uint8Array;
	width: number;
	height: number;
}

const SKIP_LAYERS = ['score_fr', 'pool4', 'pool3'] as const;

/** The frozen trunk's [score_fr, pool4, pool3] on a batch [N, Hp, Wp, 1] (Hp, Wp multiples of 32). */
function trunkOf(model: tf.LayersModel): tf.LayersModel {
	const outputs = SKIP_LAYERS.map((n) => model.getLayer(n).output as tf.SymbolicTensor);
	return tf.model({ inputs: model.inputs, outputs, name: 'skip_lab_trunk' });
}

function features(trunk: tf.LayersModel, x: tf.Tensor4D): Features {
	const [s32, p4, p3] = trunk.predict(x) as tf.Tensor4D[];
	return { s32, p4, p3 };
}

export class SkipLab {
	readonly classes: number;
	readonly backend: string;
	config: Required<LabConfig>;
	#steps = 0;
	#rng!: Rng;
	#disposed = false;
	#train: TrainScene[];
	#val: ValScene[];
	#params: Record<string, tf.Variable> = {};
	/** The upsampling matrices, by size and factor (made on first use). */
	#fixed: Record<string, tf.Tensor> = {};
	#opt!: tf.Optimizer;

	/**
	 * Cache the frozen trunk's features of `train` (all of one size, a multiple of 32) and `val`
	 * (any sizes) from the trained FCN-32s `model`, and set up the new layers per `config`.
	 */
	constructor(model: tf.LayersModel, train: readonly LabScene[], val: readonly LabScene[], config: LabConfig) {
		if (tf.getBackend() === 'wasm') registerWasmConv2DBackpropFilter();
		this.backend = tf.getBackend();
		this.config = { batch: 8, seed: 1, finalKernel: '2s', ...config };
		this.classes = model.getLayer('score_fr').outputShape[3] as number;
		const trunk = trunkOf(model);
		const { width: W, height: H } = train[0];
		if (W % 32 || H % 32 || train.some((s) => s.width !== W || s.height !== H)) {
			throw new RangeError(`skip lab: the training scenes must all be one size, a multiple of 32`);
		}
		// The trunk in batches of 16 scenes (its early maps are the big ones), then one cache entry per scene.
		this.#train = [];
		for (let a = 0; a < train.length; a += 16) {
			const chunk = train.slice(a, a + 16);
			const images = new Float32Array(chunk.length * H * W);
			chunk.forEach((s, n) => images.set(s.image, n * H * W));
			const f = tf.tidy(() => features(trunk, tf.tensor4d(images, [chunk.length, H, W, 1])));
			chunk.forEach((s, n) => {
				// Void (255) is out of the one-hot's range: its row is all zero, so it adds nothing to the loss.
				const labels = Int32Array.from(s.label);
				const one = (t: tf.Tensor4D) => tf.slice(t, [n, 0, 0, 0], [1, -1, -1, -1]);
				this.#train.push({
					s32: one(f.s32),
					p4: one(f.p4),
					p3: one(f.p3),
					labels: tf.tensor3d(labels, [1, H, W], 'int32'),
					labelled: labels.reduce((k, c) => k + (c === 255 ? 0 : 1), 0)
				});
			});
			tf.dispose([f.s32, f.p4, f.p3]);
		}
		// The trunk model shares the FCN's layers and weights: it is not disposed (that would free them).
		this.#val = val.map((s) => {
			const { data, height: Hp, width: Wp } = padToMultiple({ data: s.image, width: s.width, height: s.height });
			const f = tf.tidy(() => features(trunk, tf.tensor4d(data, [1, Hp, Wp, 1])));
			return { ...f, label: s.label, width: s.width, height: s.height };
		});
		this.#setup();
	}

	/** The new layers per `config` (and the RNG, step count and optimizer from scratch). */
	#setup() {
		const C = this.classes;
		const P4 = this.#train[0].p4.shape[3];
		const P3 = this.#train[0].p3.shape[3];
		const seed = this.config.seed;
		this.#rng = mulberry32(seed);
		this.#steps = 0;
		this.#params = {};
		const variable = (t: tf.Tensor) => {
			const v = tf.variable(t, true);
			t.dispose();
			return v;
		};
		// Random init: normal, scaled so that the new layer's scores on the training features are as
		// loud as score_fr's (std over all cells and classes) — a new layer of the same weight as the
		// trained one, which is what zero init avoids. (He-normal alone is ~50× quieter here.)
		const random = (key: 'p4' | 'p3', fanIn: number) =>
			tf.tidy(() => {
				const w = tf.randomNormal([fanIn, C], 0, 1, 'float32', seed);
				const x = tf.concat(this.#train.map((t) => tf.reshape(t[key], [-1, fanIn])));
				const s = tf.concat(this.#train.map((t) => tf.reshape(t.s32, [-1])));
				const std = (t: tf.Tensor) => tf.sqrt(tf.moments(t).variance);
				return tf.mul(w, tf.div(std(s), tf.maximum(std(tf.matMul(x, w)), 1e-6)));
			});
		const score = (name: string, key: 'p4' | 'p3', fanIn: number) => {
			this.#params[`${name}_w`] = variable(this.config.init === 'zero' ? tf.zeros([fanIn, C]) : random(key, fanIn));
			this.#params[`${name}_b`] = variable(tf.zeros([C]));
		};
		const upsample = (name: string) => {
			if (this.config.up === 'learned') this.#params[name] = variable(bilinear(4, C));
		};
		score('score_pool4', 'p4', P4);
		upsample('upscore2');
		if (this.config.skips === 'pool4+pool3') {
			score('score_pool3', 'p3', P3);
			upsample('upscore_pool4');
		}
		this.#opt = tf.train.adam(this.config.lr);
	}

	/**
	 * Back to step 0 (FCN-32s plus freshly initialised new layers), optionally with a new config; the
	 * cached features are kept, so this is instant.
	 */
	reset(config: Partial<LabConfig> = {}): void {
		this.#check();
		this.#opt.dispose();
		tf.dispose(Object.values(this.#params));
		this.config = { ...this.config, ...config };
		this.#setup();
	}

	get steps(): number {
		return this.#steps;
	}

	/** Disposed, or its tensors live on a backend that is no longer the active one. */
	get stale(): boolean {
		return this.#disposed || tf.getBackend() !== this.backend;
	}

	get trainCount(): number {
		return this.#train.length;
	}

	get valCount(): number {
		return this.#val.length;
	}

	/** The fixed bilinear ×s upsampling of x [n, h, w, C] as two matmuls (see upsampleMatrix). */
	#resize(x: tf.Tensor4D, s: number, k = 2 * s): tf.Tensor4D {
		const [n, h, w, C] = x.shape;
		const matrix = (m: number) => {
			const key = `u${m}x${s}k${k}`;
			this.#fixed[key] ??= tf.keep(tf.tidy(() => tf.tensor2d(upsampleMatrix(m, s, k), [m * s, m]).transpose()));
			return this.#fixed[key] as tf.Tensor2D;
		};
		// Along x: [n·h·C, w] @ [w, W]; then along y: [n·C·W, h] @ [h, H].
		const a = tf.reshape(tf.transpose(x, [0, 1, 3, 2]), [n * h * C, w]);
		const b = tf.reshape(tf.matMul(a, matrix(w)), [n, h, C, w * s]);
		const c = tf.reshape(tf.transpose(b, [0, 2, 3, 1]), [n * C * w * s, h]);
		const d = tf.reshape(tf.matMul(c, matrix(h)), [n, C, w * s, h * s]);
		return tf.transpose(d, [0, 3, 2, 1]) as tf.Tensor4D;
	}

	/** The head on cached features: final scores [N, Hp, Wp, C]; `fcn32s` = the shipped FCN-32s head. */
	#head(f: Features, fcn32s = false): tf.Tensor4D {
		const C = this.classes;
		const up2 = (x: tf.Tensor4D, name: string) => {
			if (!this.#params[name]) return this.#resize(x, 2);
			const [n, h, w] = x.shape;
			return tf.conv2dTranspose(x, this.#params[name] as tf.Tensor4D, [n, h * 2, w * 2, C], 2, 'same');
		};
		if (fcn32s) return this.#resize(f.s32, 32);
		const score = (x: tf.Tensor4D, name: string) => {
			const [n, h, w, c] = x.shape;
			const y = tf.add(
				tf.matMul(tf.reshape(x, [n * h * w, c]), this.#params[`${name}_w`] as tf.Tensor),
				this.#params[`${name}_b`]
			);
			return tf.reshape(y, [n, h, w, C]) as tf.Tensor4D;
		};
		let fuse = tf.add(up2(f.s32, 'upscore2'), score(f.p4, 'score_pool4')) as tf.Tensor4D;
		const final = (x: tf.Tensor4D, f: number) => this.#resize(x, f, this.config.finalKernel === 's' ? f : 2 * f);
		if (this.config.skips === 'pool4') return final(fuse, 16);
		fuse = tf.add(up2(fuse, 'upscore_pool4'), score(f.p3, 'score_pool3')) as tf.Tensor4D;
		return final(fuse, 8);
	}

	#check() {
		if (this.#disposed) throw new Error('skip lab: used after dispose()');
		if (tf.getBackend() !== this.backend) throw new LabBackendError(this.backend, tf.getBackend());
	}

	/** One step on a random batch; returns the loss (a scalar the caller disposes). */
	#step(): tf.Scalar {
		const N = this.#train.length;
		const batch = Array.from({ length: Math.min(this.config.batch, N) }, () => this.#train[this.#rng.int(0, N - 1)]);
		const count = Math.max(
			1,
			batch.reduce((k, s) => k + s.labelled, 0)
		);
		const C = this.classes;
		const loss = this.#opt.minimize(
			() =>
				tf.tidy(() => {
					const cat = <T extends tf.Tensor>(pick: (s: TrainScene) => T) => tf.concat(batch.map(pick)) as T;
					const f: Features = { s32: cat((s) => s.s32), p4: cat((s) => s.p4), p3: cat((s) => s.p3) };
					const targets = tf.oneHot(
						cat((s) => s.labels),
						C
					);
					return pixelLoss(this.#head(f), targets, count);
				}),
			true,
			Object.values(this.#params)
		);
		this.#steps++;
		return loss as tf.Scalar;
	}

	/**
	 * Train for at most `maxSteps` steps or about `maxMs` milliseconds (at least one step), then
	 * return the loss of each step. Synchronous work is bounded, so a caller that awaits this in a
	 * loop keeps the page responsive.
	 */
	async train(maxSteps: number, maxMs: number): Promise<number[]> {
		this.#check();
		const losses: tf.Scalar[] = [];
		const t0 = performance.now();
		try {
			do losses.push(this.#step());
			while (losses.length < maxSteps && performance.now() - t0 < maxMs);
			const all = tf.stack(losses);
			try {
				return Array.from(await all.data());
			} finally {
				all.dispose();
			}
		} finally {
			tf.dispose(losses);
		}
	}

	/**
	 * The validation scenes' predictions (argmax of the final scores, cropped to each scene), one
	 * scene at a time, for the caller's metric (`accumulate(labels, predictions, i)`). `fcn32s`: the
	 * shipped FCN-32s's own head (its fixed ×32 bilinear upscore) on the same cached score_fr.
	 */
	async validate(
		accumulate: (labels: Uint8Array, predictions: Uint8Array, i: number) => void,
		opts: { fcn32s?: boolean } = {}
	): Promise<void> {
		this.#check();
		for (let i = 0; i < this.#val.length; i++) {
			const v = this.#val[i];
			const y = tf.tidy(() =>
				tf.argMax(tf.slice(this.#head(v, opts.fcn32s), [0, 0, 0, 0], [1, v.height, v.width, this.classes]), -1)
			);
			try {
				accumulate(v.label, Uint8Array.from(await y.data()), i);
			} finally {
				y.dispose();
			}
		}
	}

	/** Every tensor the lab made (features, targets, weights, Adam's moments) is freed. Idempotent. */
	dispose(): void {
		if (this.#disposed) return;
		this.#disposed = true;
		this.#opt.dispose();
		for (const t of this.#train) tf.dispose([t.s32, t.p4, t.p3, t.labels]);
		for (const v of this.#val) tf.dispose([v.s32, v.p4, v.p3]);
		tf.dispose(Object.values(this.#params));
		tf.dispose(Object.values(this.#fixed));
	}
}
