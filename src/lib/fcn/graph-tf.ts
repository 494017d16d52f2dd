/**
 * A TF.js GRAPH model (format 'graph-model': a TensorFlow GraphDef of nodes with op, inputs and
 * attributes) read into the geometry library: convolutions (also depthwise, fused, dilated),
 * pooling, transposed convolutions, bilinear / nearest resizes, adds and squeeze-excitation
 * multiplies become layers; value-only ops become aliases (see graph-import.ts).
 */
import {
	ModelImportError,
	NetBuilder,
	convPadding,
	deconvPadding,
	windowFields,
	type ImportedModel,
	type ModelJson
} from './graph-import';

interface Attr {
	list?: { i?: string[]; s?: string[] };
	s?: string;
	i?: string;
	b?: boolean;
	shape?: { dim?: { size?: string }[] };
	tensor?: { tensorShape?: { dim?: { size?: string }[] } };
}
interface GraphNode {
	name: string;
	op: string;
	input?: string[];
	attr?: Record<string, Attr>;
}

/** Ops that change values only, never where a unit sits or what it sees. */
const VALUE_OPS = new Set([
	'Identity',
	'Relu',
	'Relu6',
	'Sigmoid',
	'Tanh',
	'Elu',
	'Selu',
	'LeakyRelu',
	'Prelu',
	'Softplus',
	'Swish',
	'Softmax',
	'LogSoftmax',
	'Neg',
	'Abs',
	'Square',
	'Sqrt',
	'Rsqrt',
	'Exp',
	'Log',
	'Cast',
	'ClipByValue',
	'FusedBatchNorm',
	'FusedBatchNormV3',
	'BiasAdd',
	'Add',
	'AddV2',
	'AddN',
	'Sub',
	'Mul',
	'RealDiv',
	'Maximum',
	'Minimum',
	'StopGradient',
	'NoOp',
	'Erf',
	'Reciprocal'
]);
const BINARY = new Set(['Add', 'AddV2', 'AddN', 'Sub', 'Mul', 'RealDiv', 'Maximum', 'Minimum', 'BiasAdd', 'Prelu']);
const CONV = new Set(['Conv2D', '_FusedConv2D', 'DepthwiseConv2dNative', 'FusedDepthwiseConv2dNative']);

const b64 = (s: string | undefined) => {
	if (!s) return '';
	try {
		return atob(s);
	} catch {
		return s;
	}
};
const ints = (a: Attr | undefined) => (a?.list?.i ?? []).map(Number);
const clean = (input: string) => input.replace(/^\^/, '').replace(/:\d+$/, '');
const dims = (a: Attr | undefined) =>
	(a?.shape?.dim ?? a?.tensor?.tensorShape?.dim ?? []).map((d) => Number(d.size ?? -1));

/** Read a graph model. `size`: the input size to analyse when the model does not declare one. */
export function importGraph(
	model: ModelJson,
	consts: ReadonlyMap<string, number[]> = new Map(),
	size: [number, number] = [256, 256],
	name = 'model'
): ImportedModel {
	const topo = model.modelTopology as { node?: GraphNode[] };
	if (!Array.isArray(topo.node))
		throw new ModelImportError('not-a-model', `${name}: a graph model needs modelTopology.node`);
	const nodes = topo.node;
	const byName = new Map(nodes.map((n) => [n.name, n]));
	const shapes = new Map(model.weightsManifest.flatMap((g) => g.weights).map((w) => [w.name, w.shape]));
	const constShape = (n: string) => shapes.get(n) ?? dims(byName.get(n)?.attr?.value);
	const b = new NetBuilder();
	const isConst = new Set<string>();
	let input: ImportedModel['input'] | null = null;

	for (const node of order(nodes)) {
		const ins = (node.input ?? []).filter((i) => !i.startsWith('^')).map(clean);
		const op = node.op;
		if (op === 'Const') {
			isConst.add(node.name);
			continue;
		}
		if (op === 'Placeholder') {
			if (input) {
				b.reject(node.name, 'Placeholder (a second input)');
				continue;
			}
			const d = dims(node.attr?.shape).length ? dims(node.attr?.shape) : signatureDims(model, node.name);
			if (d.length !== 4) {
				throw new ModelImportError(
					'input-signature',
					`${name}: the input '${node.name}' has shape [${d.join(', ')}], not an image (batch × height × width × channels)`
				);
			}
			const declared = d[1] > 0 && d[2] > 0;
			const hw: [number, number] = declared ? [d[1], d[2]] : size;
			const channels = d[3] > 0 ? d[3] : 3;
			input = { node: node.name, size: hw, channels, declared };
			b.add({ type: 'input', name: node.name, channels }, [hw[0], hw[1], channels], op);
			continue;
		}
		if (ins.some((i) => b.dead.has(i))) {
			b.dead.add(node.name);
			b.skipped.push(node.name);
			continue;
		}
		const live = ins.filter((i) => !isConst.has(i));
		if (live.length === 0) {
			isConst.add(node.name); // computed from constants only
			continue;
		}
		const attr = node.attr ?? {};
		const pad = b64(attr.padding?.s);
		if (CONV.has(op)) {
			const [x, f] = ins;
			const fs = constShape(f);
			const [h, w, c] = b.shapeOf(x);
			const [, sh, sw] = ints(attr.strides);
			const [, dh, dw] = ints(attr.dilations).length ? ints(attr.dilations) : [1, 1, 1];
			if (fs.length !== 4 || fs[0] !== fs[1] || sh !== sw || dh !== dw || !['SAME', 'VALID'].includes(pad)) {
				b.reject(
					node.name,
					`${op} (${fs[0]}×${fs[1]} kernel, stride ${sh}×${sw}, padding ${pad}: only square SAME/VALID)`
				);
				continue;
			}
			const depthwise = op.includes('Depthwise');
			const filters = depthwise ? c * fs[3] : fs[3];
			const p = convPadding(h, fs[0], sh, dh, pad === 'SAME');
			const outW = convPadding(w, fs[0], sh, dh, pad === 'SAME').out;
			b.add(
				{
					type: 'conv',
					...windowFields(node.name, b.alias.get(x)!, fs[0], sh, p),
					dilation: dh,
					filters,
					groups: depthwise ? c : 1,
					bias: op.startsWith('_Fused') || op.startsWith('Fused'),
					activation: 'linear'
				},
				[p.out, outW, filters],
				op
			);
			continue;
		}
		if (op === 'MaxPool' || op === 'AvgPool') {
			const [, kh, kw] = ints(attr.ksize);
			const [, sh, sw] = ints(attr.strides);
			const [h, w, c] = b.shapeOf(live[0]);
			if (kh !== kw || sh !== sw || !['SAME', 'VALID'].includes(pad)) {
				b.reject(node.name, `${op} (${kh}×${kw} window, stride ${sh}×${sw}: only square)`);
				continue;
			}
			const p = convPadding(h, kh, sh, 1, pad === 'SAME');
			const outW = convPadding(w, kw, sw, 1, pad === 'SAME').out;
			b.add(
				{
					type: 'pool',
					...windowFields(node.name, b.alias.get(live[0])!, kh, sh, p),
					mode: op === 'MaxPool' ? 'max' : 'avg',
					ceil: false
				},
				[p.out, outW, c],
				op
			);
			continue;
		}
		if (op === 'Conv2DBackpropInput') {
			const [sizes, f, x] = ins;
			const fs = constShape(f);
			const [h, w] = b.shapeOf(x);
			const [, sh, sw] = ints(attr.strides);
			const want = consts.get(sizes);
			if (fs.length !== 4 || fs[0] !== fs[1] || sh !== sw || !['SAME', 'VALID'].includes(pad)) {
				b.reject(node.name, `${op} (only square kernels and strides, SAME/VALID)`);
				continue;
			}
			const p = deconvPadding(h, fs[0], sh, pad === 'SAME');
			if (want && (want[1] !== p.out || want[2] !== sh * w + (p.out - sh * h))) {
				b.reject(node.name, `${op} (output ${want[1]}×${want[2]} is not what stride ${sh} gives: ${p.out})`);
				continue;
			}
			b.add(
				{
					type: 'deconv',
					...windowFields(node.name, b.alias.get(x)!, fs[0], sh, p),
					filters: fs[2],
					bias: false,
					init: 'imported',
					trainable: true
				},
				[p.out, deconvPadding(w, fs[0], sh, pad === 'SAME').out, fs[2]],
				op
			);
			continue;
		}
		if (op === 'ResizeBilinear' || op === 'ResizeNearestNeighbor') {
			const [x, s] = ins;
			const [h, w, c] = b.shapeOf(x);
			const to = consts.get(s);
			const factor = to ? to[0] / h : NaN;
			if (!to || !Number.isInteger(factor) || factor < 1 || to[1] !== w * factor) {
				b.reject(
					node.name,
					`${op} (${to ? `to ${to[0]}×${to[1]} from ${h}×${w}: not an integer upsampling` : 'its size is not a constant in the weights'})`
				);
				continue;
			}
			b.add(
				{
					type: 'resize',
					name: node.name,
					input: b.alias.get(x)!,
					factor,
					mode: op === 'ResizeBilinear' ? 'bilinear' : 'nearest',
					halfPixel: !!attr.half_pixel_centers?.b
				},
				[h * factor, w * factor, c],
				op
			);
			continue;
		}
		if (VALUE_OPS.has(op)) {
			const layers = [...new Set(live.map((i) => b.alias.get(i)!))];
			if (layers.length === 1 || !BINARY.has(op)) {
				b.same(node.name, layers[0]);
				continue;
			}
			b.combine(node.name, layers, op);
			continue;
		}
		b.reject(node.name, op);
	}
	if (!input) throw new ModelImportError('input-signature', `${name}: the graph has no input (Placeholder)`);
	const outputs = signatureOutputs(model);
	return b.imported('graph', name, outputs[0], input);
}

/** The nodes in a topological order (GraphDefs are usually ordered already; this makes sure). */
function order(nodes: GraphNode[]): GraphNode[] {
	const byName = new Map(nodes.map((n) => [n.name, n]));
	const done = new Set<string>();
	const out: GraphNode[] = [];
	const visit = (n: GraphNode) => {
		const stack: [GraphNode, number][] = [[n, 0]];
		while (stack.length) {
			const top = stack[stack.length - 1];
			const [node, i] = top;
			if (done.has(node.name)) {
				stack.pop();
				continue;
			}
			const ins = (node.input ?? []).map(clean);
			if (i < ins.length) {
				top[1]++;
				const next = byName.get(ins[i]);
				if (next && !done.has(next.name)) stack.push([next, 0]);
				continue;
			}
			done.add(node.name);
			out.push(node);
			stack.pop();
		}
	};
	nodes.forEach(visit);
	return out;
}

function signatureDims(model: ModelJson, node: string): number[] {
	const sig = model.signature as { inputs?: Record<string, Attr & { name?: string; tensorShape?: Attr['shape'] }> };
	const entry = Object.values(sig?.inputs ?? {}).find((e) => clean(e.name ?? '') === node);
	return (entry?.tensorShape?.dim ?? []).map((d) => Number(d.size ?? -1));
}

function signatureOutputs(model: ModelJson): string[] {
	const sig = model.signature as { outputs?: Record<string, { name?: string }> };
	return Object.values(sig?.outputs ?? {}).map((e) => clean(e.name ?? ''));
}
