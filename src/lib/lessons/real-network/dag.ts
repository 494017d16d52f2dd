/**
 * The network's DAG laid out as FCN diagrams draw it: layers left to right in order, each at the
 * height of its stride (jump) so the encoder walks down to the bottleneck and the decoder climbs
 * back; skip fusions arc from the encoder to the decoder. Squeeze-excitation gates are left out
 * (they are counted). Pure: positions in abstract units, the component scales them.
 */
import { inputsOf, type FcnRole, type LayerRow, type ReadModel } from '$lib/fcn';

export interface DagNode {
	name: string;
	role: FcnRole;
	type: LayerRow['type'];
	x: number;
	/** log2 of the jump: 0 at the input's resolution. */
	level: number;
	jump: number;
}

export interface DagEdge {
	from: string;
	to: string;
	/** An edge that jumps over layers: a skip (into a fuse) or a residual. */
	skip: boolean;
}

export interface Dag {
	nodes: DagNode[];
	edges: DagEdge[];
	levels: number;
	gates: number;
}

export function layoutDag(m: ReadModel): Dag {
	const rows = new Map(m.report.layers.map((r) => [r.name, r]));
	const keep = m.network.layers.filter((l) => l.type !== 'input' && m.roles[l.name] !== 'gate');
	const nodes: DagNode[] = keep.map((l, i) => {
		const r = rows.get(l.name)!;
		return { name: l.name, role: m.roles[l.name], type: l.type, x: i, level: Math.log2(r.jump), jump: r.jump };
	});
	const at = new Map(nodes.map((n) => [n.name, n]));
	// A gate's multiply stands for its map: walk through scale layers to the map they scale.
	const byName = new Map(m.network.layers.map((l) => [l.name, l]));
	const source = (n: string): string | null => {
		const l = byName.get(n);
		if (!l) return null;
		if (at.has(n)) return n;
		if (l.type === 'scale') return source(l.inputs[0]);
		return null;
	};
	const edges: DagEdge[] = [];
	for (const l of keep) {
		for (const i of inputsOf(l)) {
			const from = source(i);
			if (!from) continue;
			edges.push({ from, to: l.name, skip: at.get(l.name)!.x - at.get(from)!.x > 1 });
		}
	}
	return {
		nodes,
		edges,
		levels: Math.max(0, ...nodes.map((n) => n.level)),
		gates: m.network.layers.filter((l) => l.type === 'scale').length
	};
}
