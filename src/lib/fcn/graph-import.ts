/**
 * Reading a TF.js model's JSON (graph or layers format) INTO the geometry library's network
 * description, so that a model nobody here built is analysed by the same code as the lessons'
 * nets. Pure: no tfjs, no DOM. The converters (graph-tf.ts, graph-keras.ts) share the builder here.
 *
 * A node that only changes values (bias add, activation, batch norm, a product with a constant) is
 * geometry-neutral: it becomes an ALIAS of the layer it reads, and the layer's `display` node is the
 * last alias (its activation: what a feature map should show). A node the library has no rule for
 * is listed in `unsupported`, and every node that depends on it is left out; the rest is analysed.
 */
import type { Layer, Network } from './network';

/** What went wrong with a model, by name, so a page can say it plainly. */
export type ModelImportErrorKind = 'malformed-json' | 'not-a-model' | 'input-signature' | 'missing-shard' | 'empty';

export class ModelImportError extends Error {
	constructor(
		readonly kind: ModelImportErrorKind,
		message: string
	) {
		super(message);
		this.name = 'ModelImportError';
	}
}

/** One weight entry of a weightsManifest group. */
export interface WeightEntry {
	name: string;
	shape: number[];
	dtype: string;
	quantization?: { dtype: string };
}

/** The parts of a TF.js model.json the converters read. */
export interface ModelJson {
	format?: string;
	modelTopology: unknown;
	weightsManifest: { paths: string[]; weights: WeightEntry[] }[];
	signature?: unknown;
}

/** A node the library has no geometry rule for. */
export interface UnsupportedNode {
	node: string;
	op: string;
}

/** A model read into the geometry library. */
export interface ImportedModel {
	format: 'graph' | 'layers';
	/** The analysable part: every supported node upstream of no unsupported one. */
	network: Network;
	/** The input's size the model declares ([H, W], or the size asked for when it declares none) and channels. */
	input: { node: string; size: [number, number]; channels: number; declared: boolean };
	/** Per layer: the graph node (or Keras layer) whose output a feature map shows (after bias/activation). */
	display: Record<string, string>;
	/** The op (or Keras class) each layer came from. */
	ops: Record<string, string>;
	unsupported: UnsupportedNode[];
	/** Supported nodes left out because they depend on an unsupported one. */
	skipped: string[];
}

/** Parse model.json text; a named error when it is not JSON or not a TF.js model. */
export function parseModelJson(text: string, file = 'model.json'): ModelJson {
	let m: unknown;
	try {
		m = JSON.parse(text);
	} catch (e) {
		throw new ModelImportError('malformed-json', `${file} is not valid JSON (${(e as Error).message})`);
	}
	const o = m as Partial<ModelJson> | null;
	if (!o || typeof o !== 'object' || !o.modelTopology || typeof o.modelTopology !== 'object') {
		throw new ModelImportError('not-a-model', `${file} is JSON but not a TF.js model: it has no modelTopology`);
	}
	if (!Array.isArray(o.weightsManifest) || o.weightsManifest.some((g) => !Array.isArray(g?.paths))) {
		throw new ModelImportError('not-a-model', `${file} is JSON but not a TF.js model: it has no weightsManifest`);
	}
	return o as ModelJson;
}

/** The weight files model.json lists that are not among `available` (file names, no folders). */
export function missingShards(model: ModelJson, available: readonly string[]): string[] {
	const have = new Set(available.map((f) => f.replace(/^.*\//, '')));
	return model.weightsManifest.flatMap((g) => g.paths).filter((p) => !have.has(p.replace(/^.*\//, '')));
}

/** Throws a 'missing-shard' error naming every weight file model.json lists that is not available. */
export function checkShards(model: ModelJson, available: readonly string[]): void {
	const missing = missingShards(model, available);
	if (missing.length) {
		throw new ModelImportError(
			'missing-shard',
			`model.json lists ${missing.length === 1 ? 'a weight file' : 'weight files'} that ${missing.length === 1 ? 'is' : 'are'} missing: ${missing.join(', ')} (choose model.json together with every .bin file it names)`
		);
	}
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, float16: 2, uint16: 2, uint8: 1, bool: 1 };

/**
 * The small int32 constants (≤ 8 values: resize sizes, output shapes) from the concatenated weight
 * bytes, by weight name. Stops at the first entry whose size it cannot tell (string weights).
 */
export function int32Consts(model: ModelJson, weights: ArrayBuffer): Map<string, number[]> {
	const out = new Map<string, number[]>();
	let offset = 0;
	for (const w of model.weightsManifest.flatMap((g) => g.weights)) {
		const count = w.shape.reduce((a, b) => a * b, 1);
		const per = BYTES[w.quantization?.dtype ?? w.dtype];
		if (!per) break;
		if (w.dtype === 'int32' && !w.quantization && count <= 8 && offset + 4 * count <= weights.byteLength) {
			out.set(w.name, Array.from(new Int32Array(weights.slice(offset, offset + 4 * count))));
		}
		offset += count * per;
	}
	return out;
}

/** Builds a Network from nodes met in topological order. */
export class NetBuilder {
	readonly layers: Layer[] = [];
	/** node name → layer name (a layer is its own alias); absent for constants and dropped nodes. */
	readonly alias = new Map<string, string>();
	/** layer name → [H, W, C]. */
	readonly shapes = new Map<string, [number, number, number]>();
	readonly display: Record<string, string> = {};
	readonly ops: Record<string, string> = {};
	readonly unsupported: UnsupportedNode[] = [];
	readonly skipped: string[] = [];
	/** Nodes that are, or depend on, an unsupported node. */
	readonly dead = new Set<string>();

	add(layer: Layer, shape: [number, number, number], op: string): void {
		this.layers.push(layer);
		this.alias.set(layer.name, layer.name);
		this.shapes.set(layer.name, shape);
		this.display[layer.name] = layer.name;
		this.ops[layer.name] = op;
	}

	/** `node` computes values only: it stands for layer `of`. */
	same(node: string, of: string): void {
		this.alias.set(node, of);
		this.display[of] = node;
	}

	shapeOf(node: string): [number, number, number] {
		return this.shapes.get(this.alias.get(node)!)!;
	}

	/** Two or more maps combined element-wise: a squeeze-excitation gate (one map 1×1) or a chain of sums. */
	combine(node: string, layers: string[], op: string): void {
		const sh = layers.map((l) => this.shapes.get(l)!);
		const gate = sh.findIndex((s) => s[0] === 1 && s[1] === 1);
		const map = sh.findIndex((s) => s[0] !== 1 || s[1] !== 1);
		if (layers.length === 2 && gate >= 0 && map >= 0) {
			this.add({ type: 'scale', name: node, inputs: [layers[map], layers[gate]] }, [...sh[map]], op);
			return;
		}
		let acc = layers[0];
		for (let i = 1; i < layers.length; i++) {
			const name = i === layers.length - 1 ? node : `${node}#${i}`;
			this.add({ type: 'sum', name, inputs: [acc, layers[i]], union: true }, [...this.shapes.get(acc)!], op);
			acc = name;
		}
	}

	/** Record an unsupported node (its dependants are then skipped). */
	reject(node: string, op: string): void {
		this.unsupported.push({ node, op });
		this.dead.add(node);
	}

	/** The model read: the network (see {@link network}) with what was recorded on the way. */
	imported(
		format: ImportedModel['format'],
		name: string,
		output: string | undefined,
		input: ImportedModel['input']
	): ImportedModel {
		const { display, ops, unsupported, skipped } = this;
		return { format, network: this.network(name, output), input, display, ops, unsupported, skipped };
	}

	/** The network ending at the last layer that feeds no other (or the given output when it is kept). */
	network(name: string, output: string | undefined): Network {
		if (this.layers.length < 2) throw new ModelImportError('empty', `${name}: no layer could be analysed`);
		const out = output && this.alias.get(output);
		const read = new Set(this.layers.flatMap((l) => ('inputs' in l ? l.inputs : 'input' in l ? [l.input] : [])));
		const sinks = this.layers.filter((l) => !read.has(l.name));
		return {
			name,
			geometry: 'same',
			layers: this.layers,
			output: out ?? sinks[sinks.length - 1].name
		};
	}
}

/** TF's padding for 'SAME' along one axis: output ⌈i/s⌉, total max((o − 1)s + k_e − i, 0), smaller half first. */
export function samePadding(input: number, kernel: number, stride: number, dilation = 1) {
	const ke = dilation * (kernel - 1) + 1;
	const out = Math.ceil(input / stride);
	const total = Math.max((out - 1) * stride + ke - input, 0);
	const before = Math.floor(total / 2);
	return { out, before, after: total - before };
}

/**
 * The fields every sliding-window layer (convolution, pooling, transposed convolution) has: its name,
 * input, square kernel and stride, and its padding (`padAfter` only where the after side differs).
 */
export function windowFields(
	name: string,
	input: string,
	kernel: number,
	stride: number,
	p: { before: number; after: number }
): { name: string; input: string; kernel: number; stride: number; padding: number; padAfter?: number } {
	const fields = { name, input, kernel, stride, padding: p.before };
	return p.after !== p.before ? { ...fields, padAfter: p.after } : fields;
}

/** A convolution's (or pooling's) output size and padding along one axis: TF's 'SAME', or 'VALID' (none). */
export function convPadding(input: number, kernel: number, stride: number, dilation: number, same: boolean) {
	if (same) return samePadding(input, kernel, stride, dilation);
	return { out: Math.floor((input - (dilation * (kernel - 1) + 1)) / stride) + 1, before: 0, after: 0 };
}

/** A transposed convolution's output size and padding along one axis: 'SAME' (output i·s), or 'VALID' (s(i − 1) + k). */
export function deconvPadding(input: number, kernel: number, stride: number, same: boolean) {
	return same ? sameDeconvPadding(input, kernel, stride) : { out: stride * (input - 1) + kernel, before: 0, after: 0 };
}

/** A transposed convolution with 'SAME' padding (output i·s): the padding of the convolution it transposes. */
export function sameDeconvPadding(input: number, kernel: number, stride: number) {
	const p = samePadding(input * stride, kernel, stride);
	return { out: input * stride, before: p.before, after: p.after };
}
