/**
 * Shift-and-stitch and filter rarefaction (the FCN paper, §3.2), live on a trained FCN: remove the
 * stride f of one pool (pool5, f = 2, by default) two ways and compare.
 *
 *   stitched: the layers below the pool run once; the layers from the pool on (the model's OWN layers,
 *             `layer.apply` on concrete tensors) run once per shift (dy, dx) of the pool's input, and the
 *             f² outputs are interleaved (lessons/deconvolution/stitch.ts);
 *   dilated:  one pass of a head built from the same trained weights with the pool's stride 1 and every
 *             later filter dilated by f (tfjs conv2d's dilationRate), as `rarefy` writes it.
 *
 * Shifting the pool's input (not the image by f·jump pixels) makes the two equal everywhere, borders
 * included. Held in the engine's registry (rebuilt after a backend switch); no tf.Tensor leaves here.
 */
import type * as TF from '@tensorflow/tfjs';
import type { ConvLayer, Layer, Network } from '$lib/fcn/network';
import { padToMultiple, type GreyImage } from '$lib/fcn/padding';
import { maxAbsDiff } from '$lib/fcn/scores';
import { interleave, rarefy, shiftOffsets, type Map3 } from '$lib/fcn/shiftStitch';
import { engine } from '$lib/model/engine';
import { loadFcn, type FcnName } from '$lib/model/fusion';
import { loadTf, type Tf } from '$lib/model/tf';

/** The model pieces of one shift-and-stitch: below the pool (shared layers), the dilated head (own weights). */
export interface StitchModels {
	model: TF.LayersModel;
	net: Network;
	pool: string;
	output: string;
	f: number;
	below: TF.LayersModel;
	dilated: TF.LayersModel;
	/** The original layers from the pool to the output, in order. */
	chain: Layer[];
}

export interface StitchResult {
	/** The interleaved f² passes and the dilated pass, HWC, height × width × channels. */
	stitched: Float32Array;
	dilated: Float32Array;
	height: number;
	width: number;
	channels: number;
	/** The ordinary (strided) output: shift (0, 0). */
	coarse: Float32Array;
	coarseHeight: number;
	coarseWidth: number;
	f: number;
	passes: number;
	maxAbsDiff: number;
	msStitched: number;
	msDilated: number;
	backend: string;
}

/** The layers from `pool` to `output`, which must be a chain (each reads the previous). */
function chainOf(net: Network, pool: string, output: string): Layer[] {
	const i = net.layers.findIndex((l) => l.name === pool);
	const j = net.layers.findIndex((l) => l.name === output);
	const chain = net.layers.slice(i, j + 1);
	chain.forEach((l, n) => {
		if (n > 0 && (!('input' in l) || l.input !== chain[n - 1].name))
			throw new Error(`${l.name}: the layers from ${pool} to ${output} are not a chain`);
	});
	return chain;
}

/** Build the pieces for `model` (the definition `net`), removing the stride of `pool`. */
export function buildStitch(
	tf: Tf,
	model: TF.LayersModel,
	net: Network,
	pool = 'pool5',
	output = 'score_fr'
): StitchModels {
	const chain = chainOf(net, pool, output);
	const first = chain[0];
	if (first.type !== 'pool') throw new Error(`${pool} is not a pooling layer`);
	const { net: rarefied, f } = rarefy(net, pool, output);
	const below = tf.model({
		inputs: model.inputs,
		outputs: model.getLayer(first.input).output as TF.SymbolicTensor,
		name: `${net.name}_below_${pool}`
	});
	const channels = (model.getLayer(first.input).output as TF.SymbolicTensor).shape[3]!;
	const input = tf.input({ shape: [null, null, channels] });
	let x: TF.SymbolicTensor = input;
	const copies: [string, string][] = [];
	for (const l of rarefied.layers.slice(rarefied.layers.findIndex((q) => q.name === pool))) {
		if (l.type === 'pool') {
			const cfg = { poolSize: l.kernel, strides: l.stride, padding: 'valid' as const };
			x = (l.mode === 'max' ? tf.layers.maxPooling2d(cfg) : tf.layers.averagePooling2d(cfg)).apply(
				x
			) as TF.SymbolicTensor;
		} else if (l.type === 'conv') {
			if (l.padding > 0) x = tf.layers.zeroPadding2d({ padding: l.padding }).apply(x) as TF.SymbolicTensor;
			const conv = tf.layers.conv2d({
				filters: l.filters,
				kernelSize: l.kernel,
				dilationRate: l.dilation,
				padding: 'valid',
				useBias: l.bias,
				activation: l.activation
			});
			x = conv.apply(x) as TF.SymbolicTensor;
			copies.push([conv.name, l.name]);
		} else if (l.type !== 'dropout') throw new Error(`${l.name}: a ${l.type} layer is not rarefied here`);
	}
	const dilated = tf.model({ inputs: input, outputs: x, name: `${net.name}_rarefied_${pool}` });
	for (const [mine, theirs] of copies) {
		const w = model.getLayer(theirs).getWeights();
		dilated.getLayer(mine).setWeights(w);
	}
	return { model, net, pool, output, f, below, dilated, chain };
}

/** One of the trained nets' shift-and-stitch pieces, from the engine's weights, in the engine's registry. */
export async function loadStitch(name: FcnName = 'fcn32s'): Promise<StitchModels> {
	const fcn = await loadFcn(name);
	return engine.models.get(`stitch/${name}@${engine.config.weightsUrl}@${engine.config.source}`, {
		build: async (tf) => {
			const f = await engine.models.fresh(fcn);
			return buildStitch(tf, f.model, f.net);
		},
		parts: (s) => [s.dilated]
	});
}

/** Apply the model's own layers of `chain` (dropout is the identity at inference) to a concrete tensor. */
function applyChain(tf: Tf, s: StitchModels, x: TF.Tensor4D): TF.Tensor4D {
	let y = x;
	for (const l of s.chain) {
		if (l.type === 'dropout') continue;
		if (l.type === 'conv' && (l as ConvLayer).padding > 0) {
			const pad = s.model.layers.find((q) => q.name === `${l.name}_pad`);
			if (pad) y = pad.apply(y) as TF.Tensor4D;
		}
		y = s.model.getLayer(l.name).apply(y) as TF.Tensor4D;
	}
	void tf;
	return y;
}

/**
 * Run shift-and-stitch and the dilated pass on `image` (zero-padded at the bottom/right to a
 * multiple of 32) and compare them.
 */
export async function shiftAndStitch(models: StitchModels, image: GreyImage): Promise<StitchResult> {
	const tf = await loadTf();
	const s = await engine.models.fresh(models);
	const { data, height: H, width: W } = padToMultiple(image);
	const f = s.f;
	const t0 = performance.now();
	const shifted = tf.tidy(() => {
		const x5 = s.below.predict(tf.tensor4d(data, [1, H, W, 1])) as TF.Tensor4D;
		const [, h, w, c] = x5.shape;
		return shiftOffsets(f).map(([dy, dx]) => applyChain(tf, s, x5.slice([0, dy, dx, 0], [1, h - dy, w - dx, c])));
	});
	const outs: Map3[] = [];
	for (const t of shifted) {
		const [, height, width, channels] = t.shape;
		outs.push({ data: (await t.data()) as Float32Array, height, width, channels });
	}
	tf.dispose(shifted);
	const stitched = interleave(outs, f);
	const t1 = performance.now();
	const dil = tf.tidy(() => {
		const x5 = s.below.predict(tf.tensor4d(data, [1, H, W, 1])) as TF.Tensor4D;
		return s.dilated.predict(x5) as TF.Tensor4D;
	});
	const dilated = (await dil.data()) as Float32Array;
	const [, dh, dw] = dil.shape;
	dil.dispose();
	const t2 = performance.now();
	if (dh !== stitched.height || dw !== stitched.width)
		throw new Error(`dilated ${dh}×${dw}, stitched ${stitched.height}×${stitched.width}`);
	return {
		stitched: stitched.data,
		dilated,
		height: dh,
		width: dw,
		channels: stitched.channels,
		coarse: outs[0].data,
		coarseHeight: outs[0].height,
		coarseWidth: outs[0].width,
		f,
		passes: f * f,
		maxAbsDiff: maxAbsDiff(stitched.data, dilated),
		msStitched: t1 - t0,
		msDilated: t2 - t1,
		backend: tf.getBackend()
	};
}
