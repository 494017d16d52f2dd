/**
 * A condensed, laid-out graph of an FCN for the skip-fusion lesson: one node per layer that changes
 * the picture (input, conv1_1, the five pools, fc6, fc7, the score layers, upsamplings, crops, sums),
 * each labelled with the output size and jump (effective stride) that the geometry library computes
 * for the chosen input size. Pure data: the Svelte component only draws it.
 *
 * Elided: dropout (geometry-neutral) and the 3×3, stride-1 convolutions after conv1_1 that keep the
 * size (their work shows in the next pool's size). The trunk is row 0, left to right; the skip
 * branches (score_pool4, score_pool3 and their crops) run on row 1, just before the sum they feed.
 */
import type { ArchReport, LayerRow } from '$lib/fcn/analyze';
import type { Layer, Network } from '$lib/fcn/network';
import { inputsOf } from '$lib/fcn/network';

export type NodeRole = 'input' | 'trunk' | 'score' | 'upsample' | 'crop' | 'fuse' | 'output';

export interface GraphNode {
	/** The layer name (the node stands for this layer and the elided layers in `covers`). */
	name: string;
	role: NodeRole;
	/** Column (0 = input) and row (0 = trunk, 1 = skip branch). */
	col: number;
	row: 0 | 1;
	/** Output height × width × channels. */
	out: [number, number, number];
	/** Effective stride in input pixels (fractional never here: upsamplings end on whole strides). */
	jump: number;
	/** The layers folded into this node, in order (itself last). */
	covers: string[];
	/** For a crop: the library's offset. */
	offset?: number;
}

export interface GraphEdge {
	from: string;
	to: string;
	/** 'data': a tensor flows; 'size': a Crop layer's reference only lends its size. */
	kind: 'data' | 'size';
}

export interface NetGraph {
	net: string;
	nodes: GraphNode[];
	edges: GraphEdge[];
	/** Number of columns (max col + 1). */
	cols: number;
}

function elided(layer: Layer, rows: Map<string, LayerRow>, net: Network): boolean {
	if (layer.type === 'dropout') return true;
	// Only VGG's body convolutions (conv2_1 …), never fc6/fc7 or the score layers.
	if (layer.type !== 'conv' || !/^conv\d/.test(layer.name) || layer.kernel !== 3 || layer.stride !== 1) return false;
	if (layer.input === firstInput(net)) return false;
	const inRow = rows.get(layer.input);
	const out = rows.get(layer.name)?.out;
	return !!inRow && !!out && inRow.out[0] === out[0] && inRow.out[1] === out[1];
}

function firstInput(net: Network): string {
	return net.layers.find((l) => l.type === 'input')?.name ?? 'data';
}

function roleOf(layer: Layer, net: Network): NodeRole {
	if (layer.name === net.output) return 'output';
	switch (layer.type) {
		case 'input':
			return 'input';
		case 'deconv':
			return 'upsample';
		case 'crop':
			return 'crop';
		case 'sum':
			return 'fuse';
		case 'conv':
			return layer.name.startsWith('score_pool') ? 'score' : 'trunk';
		default:
			return 'trunk';
	}
}

/** Is the layer on a skip branch (a score layer on a pool, or the crop of one)? */
function onSkip(layer: Layer): boolean {
	if (layer.type === 'conv') return layer.name.startsWith('score_pool');
	if (layer.type === 'crop') return layer.input.startsWith('score_pool');
	return false;
}

/**
 * Lay out `net` with the geometry `report` (from `analyze(net, input)`). Trunk nodes take
 * consecutive columns; a skip branch's nodes sit on row 1 in the columns just before the sum
 * they feed.
 */
export function netGraph(net: Network, report: ArchReport): NetGraph {
	const rows = new Map(report.layers.map((r) => [r.name, r]));
	const offsets = new Map(report.crops.map((c) => [c.name, c.offset]));
	const alias = new Map<string, string>();
	const resolve = (n: string): string => {
		let cur = n;
		while (alias.has(cur)) cur = alias.get(cur)!;
		return cur;
	};
	const nodes: GraphNode[] = [];
	const byName = new Map<string, GraphNode>();
	const edges: GraphEdge[] = [];
	const pendingCovers = new Map<string, string[]>();
	let col = 0;
	const skipBranch: Layer[] = [];

	for (const layer of net.layers) {
		const ins = inputsOf(layer);
		if (layer.type !== 'input' && elided(layer, rows, net)) {
			const src = resolve(ins[0]);
			alias.set(layer.name, src);
			// Fold the elided layer into the next node fed by it.
			pendingCovers.set(src, [...(pendingCovers.get(src) ?? []), layer.name]);
			continue;
		}
		if (onSkip(layer)) {
			skipBranch.push(layer);
			continue;
		}
		const mainIn = ins.length ? resolve(ins[0]) : null;
		const covers = [...(mainIn ? (pendingCovers.get(mainIn) ?? []) : []), layer.name];
		if (mainIn) pendingCovers.delete(mainIn);
		if (layer.type === 'sum') {
			// The skip branch feeding this sum gets the columns before it, on row 1.
			const branch = skipBranch.splice(0);
			const c0 = col - branch.length;
			branch.forEach((b, i) => addNode(b, c0 + i, 1, [b.name]));
		}
		addNode(layer, layer.type === 'input' ? 0 : col, 0, covers);
		col += 1;
	}

	function addNode(layer: Layer, c: number, row: 0 | 1, covers: string[]) {
		const r = rows.get(layer.name);
		const out: [number, number, number] = r ? [...r.out] : [report.input[0], report.input[1], report.input[2]];
		const node: GraphNode = {
			name: layer.name,
			role: roleOf(layer, net),
			col: c,
			row,
			out,
			jump: r ? r.jump : 1,
			covers
		};
		if (layer.type === 'crop') node.offset = offsets.get(layer.name);
		nodes.push(node);
		byName.set(layer.name, node);
		const ins = inputsOf(layer);
		ins.forEach((i, k) => {
			const kind = layer.type === 'crop' && k === 1 ? 'size' : 'data';
			edges.push({ from: resolve(i), to: layer.name, kind });
		});
	}

	return {
		net: net.name,
		nodes,
		edges: edges.filter((e) => byName.has(e.from) && byName.has(e.to)),
		cols: Math.max(...nodes.map((n) => n.col)) + 1
	};
}
