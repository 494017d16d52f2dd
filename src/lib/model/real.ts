/**
 * A real network read from its files: the vendored selfie segmenter (static/weights/vendored.json,
 * every file checked against its sha256 before use) or any TF.js model the reader opens from disk
 * (nothing leaves the device). Its geometry is read by `$lib/fcn` (readModel); here it is loaded
 * into tfjs (`tf.loadGraphModel` / `tf.loadLayersModel` from the verified bytes, never fetched
 * again), registered in the engine's ONE registry (so a backend switch or a lost GPU rebuilds it),
 * and run on a photo, returning plain arrays: the mask, and the feature maps of any node.
 */
import type * as TF from '@tensorflow/tfjs';
import {
	checkShards,
	int32Consts,
	ModelImportError,
	parseModelJson,
	readModel,
	type ModelJson,
	type ReadModel
} from '$lib/fcn';
import { engine } from '$lib/model/engine';
import { loadTf, type Tf } from '$lib/model/tf';
import { joinUrl, sha256Hex, WeightsError } from '$lib/model/weights';

/** A model's files, verified or opened by the reader, and its geometry read by the fcn library. */
export interface RealFiles {
	/** 'selfie' for the vendored model, else the opened model.json's name. */
	name: string;
	json: ModelJson;
	weights: ArrayBuffer;
	read: ReadModel;
}

/** A photo as RGBA pixels (ImageData's layout). */
export interface RgbaImage {
	data: Uint8ClampedArray;
	width: number;
	height: number;
}

/** One node's output, row-major HWC (the painters' Activation). */
export interface NodeMap {
	data: Float32Array;
	width: number;
	height: number;
	channels: number;
}

/** One frame through the network. */
export interface RealFrame {
	/** Per output pixel: the probability of the foreground (person; for a multi-class output, not class 0). */
	mask: Float32Array;
	width: number;
	height: number;
	/** The fraction of output pixels with mask > 0.5. */
	fraction: number;
	/** The feature maps asked for, by layer name. */
	maps: Record<string, NodeMap>;
	ms: number;
}

interface Built {
	graph: TF.GraphModel | null;
	layers: TF.LayersModel | null;
	/** Layers models: one multi-output model per set of layers (they share the weights). */
	taps: Map<string, TF.LayersModel>;
}

/** The vendored selfie segmenter's files from `weightsUrl`, each verified against vendored.json's sha256. */
export async function fetchSelfie(weightsUrl: string, fetchFn: typeof fetch = fetch): Promise<RealFiles> {
	const res = await fetchFn(joinUrl(weightsUrl, 'vendored.json')).catch(() => null);
	if (!res?.ok)
		throw new WeightsError('vendored.json', 'the list of vendored models (vendored.json) is missing', 'missing');
	const v = (await res.json()) as { models: { selfie: { files: Record<string, { sha256: string }> } } };
	const files = v.models.selfie.files;
	const get = async (file: string) => {
		const r = await fetchFn(joinUrl(weightsUrl, `selfie/${file}`)).catch(() => null);
		if (!r?.ok) throw new WeightsError(`selfie/${file}`, `selfie/${file} is missing`, 'missing');
		const bytes = await r.arrayBuffer();
		const got = await sha256Hex(bytes);
		if (got !== files[file]?.sha256)
			throw new WeightsError(
				`selfie/${file}`,
				`selfie/${file} is corrupt: its sha256 is ${got.slice(0, 12)}…`,
				'corrupt'
			);
		return bytes;
	};
	const [json, weights] = await Promise.all([get('selfie.json'), get('selfie.bin')]);
	return filesOf('selfie', new TextDecoder().decode(json), [{ name: 'selfie.bin', bytes: weights }]);
}

/**
 * A model the reader opened: one model.json plus its weight files (any order). Named errors
 * (ModelImportError): malformed JSON, not a model, missing shards, a non-image input.
 */
export async function openModelFiles(files: { name: string; bytes: ArrayBuffer }[]): Promise<RealFiles> {
	const jsons = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
	if (jsons.length !== 1) {
		throw new ModelImportError(
			'not-a-model',
			jsons.length
				? `choose one model.json (got ${jsons.map((f) => f.name).join(', ')})`
				: 'choose a model.json with its weight files'
		);
	}
	const text = new TextDecoder().decode(jsons[0].bytes);
	return filesOf(
		jsons[0].name.replace(/\.json$/i, ''),
		text,
		files.filter((f) => f !== jsons[0]),
		jsons[0].name
	);
}

function filesOf(
	name: string,
	text: string,
	shards: { name: string; bytes: ArrayBuffer }[],
	file = 'model.json'
): RealFiles {
	const json = parseModelJson(text, file);
	checkShards(
		json,
		shards.map((s) => s.name)
	);
	const byName = new Map(shards.map((s) => [s.name.replace(/^.*\//, ''), s.bytes]));
	const parts = json.weightsManifest
		.flatMap((g) => g.paths)
		.map((p) => new Uint8Array(byName.get(p.replace(/^.*\//, ''))!));
	const weights = new Uint8Array(parts.reduce((a, p) => a + p.byteLength, 0));
	let o = 0;
	for (const p of parts) {
		weights.set(p, o);
		o += p.byteLength;
	}
	const read = readModel(json, { consts: int32Consts(json, weights.buffer), name });
	return { name, json, weights: weights.buffer, read };
}

/** Build the tfjs model from the files (on the active backend). */
export async function buildReal(tf: Tf, f: RealFiles): Promise<Built> {
	const artifacts = tf.io.fromMemory({
		modelTopology: f.json.modelTopology as TF.io.ModelArtifacts['modelTopology'],
		weightSpecs: f.json.weightsManifest.flatMap((g) => g.weights) as TF.io.WeightsManifestEntry[],
		weightData: f.weights,
		format: f.json.format,
		...(f.json.signature ? { signature: f.json.signature as object } : {})
	} as TF.io.ModelArtifacts);
	if (f.read.format === 'graph') return { graph: await tf.loadGraphModel(artifacts), layers: null, taps: new Map() };
	return { graph: null, layers: await tf.loadLayersModel(artifacts), taps: new Map() };
}

/** Run one photo through a built model: the mask and the maps of `nodes` (layer names), all plain arrays. */
export async function runBuilt(
	tf: Tf,
	f: RealFiles,
	m: Built,
	image: RgbaImage,
	nodes: readonly string[] = []
): Promise<RealFrame> {
	const t0 = performance.now();
	const { size, channels } = f.read.input;
	const want = [...new Set(nodes.filter((n) => f.read.display[n]))];
	const outs = tf.tidy(() => {
		const px = tf
			.tensor3d(
				new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength),
				[image.height, image.width, 4],
				'int32'
			)
			.slice([0, 0, 0], [-1, -1, 3])
			.toFloat();
		let x = tf.image.resizeBilinear(px as TF.Tensor3D, size, false, true).div(255);
		if (channels === 1) x = x.mean(-1, true);
		const batch = x.expandDims(0);
		let res: TF.Tensor[];
		if (m.graph) {
			const names = [f.read.display[f.read.network.output], ...want.map((n) => f.read.display[n])];
			res = m.graph.execute(batch, names) as TF.Tensor[];
			if (!Array.isArray(res)) res = [res];
		} else {
			const key = want.join('|');
			let tap = m.taps.get(key);
			if (!tap) {
				const model = m.layers!;
				tap = tf.model({
					inputs: model.inputs,
					outputs: [model.outputs[0], ...want.map((n) => model.getLayer(f.read.display[n]).output as TF.SymbolicTensor)]
				});
				m.taps.set(key, tap);
			}
			const r = tap.predict(batch);
			res = Array.isArray(r) ? r : [r];
		}
		const [out, ...maps] = res;
		const c = out.shape[3] ?? 1;
		const mask =
			c === 1 ? out.squeeze([0, 3]) : tf.sub(1, tf.softmax(out).slice([0, 0, 0, 0], [1, -1, -1, 1]).squeeze([0, 3]));
		return [mask, ...maps.map((t) => t.squeeze([0]))];
	});
	try {
		const [mask, ...maps] = await Promise.all(outs.map((t) => t.data() as Promise<Float32Array>));
		const [height, width] = outs[0].shape;
		let on = 0;
		for (const v of mask) if (v > 0.5) on++;
		const frame: RealFrame = { mask, width, height, fraction: on / mask.length, maps: {}, ms: 0 };
		want.forEach((n, i) => {
			const [h, w, c] = outs[i + 1].shape;
			frame.maps[n] = { data: maps[i], height: h, width: w, channels: c ?? 1 };
		});
		frame.ms = performance.now() - t0;
		return frame;
	} finally {
		for (const t of outs) t.dispose();
	}
}

const ids = new WeakMap<RealFiles, string>();
let opened = 0;
const keyOf = (f: RealFiles) => {
	if (!ids.has(f)) ids.set(f, `real:${++opened}:${f.name}`);
	return ids.get(f)!;
};

/** The tfjs model of `f`, from the engine's registry (rebuilt there after a backend switch or a lost GPU). */
function builtFor(f: RealFiles): Promise<Built> {
	return engine.models.get(keyOf(f), {
		build: (tf) => buildReal(tf, f),
		parts: (v) => [v.graph, v.layers]
	});
}

/** Run a photo through `f` on the engine's backend. */
export async function runReal(f: RealFiles, image: RgbaImage, nodes: readonly string[] = []): Promise<RealFrame> {
	const m = await builtFor(f);
	return runBuilt(await loadTf(), f, m, image, nodes);
}

/** Forget a model the reader closed (its tfjs weights are disposed). */
export function releaseReal(f: RealFiles): void {
	engine.models.delete(keyOf(f));
}
