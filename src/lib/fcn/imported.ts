/**
 * One entry for a model read from its JSON: the format is told apart, the network analysed with
 * the lessons' code, and every layer given the FCN name of its role (backbone, bottleneck,
 * upscore, fuse, ...) by looking at the geometry, not at the names.
 */
import { analyze, type ArchReport, type LayerRow } from './analyze';
import { importGraph } from './graph-tf';
import { importLayers } from './graph-keras';
import type { ImportedModel, ModelJson } from './graph-import';
import { inputsOf, type Layer, type Network } from './network';

/**
 * The FCN name of a layer's role:
 * `backbone` the encoder that strides down; `bottleneck` the coarsest map (largest jump);
 * `upscore` an upsampling (resize or transposed convolution); `fuse` a sum of an upsampled,
 * coarse branch with a finer one that was not (a skip); `residual` any other sum; `gate` a
 * squeeze-excitation branch (1×1 maps) and its multiply; `decoder` the layers after the first
 * upsampling; `output` the output.
 */
export type FcnRole =
	'input' | 'backbone' | 'bottleneck' | 'upscore' | 'fuse' | 'residual' | 'gate' | 'decoder' | 'output';

export interface ReadModel extends ImportedModel {
	report: ArchReport;
	roles: Record<string, FcnRole>;
	/** The output's row (its rf and jump are the network's). */
	output: LayerRow;
	/** The largest jump of the main path (the bottleneck's stride). */
	bottleneckJump: number;
}

export interface ReadOptions {
	/** Small int32 constants from the weights (resize sizes): int32Consts. */
	consts?: ReadonlyMap<string, number[]>;
	/** The input size to analyse when the model declares none. */
	size?: [number, number];
	name?: string;
}

/** Read a TF.js model.json (either format) and analyse it. */
export function readModel(model: ModelJson, opts: ReadOptions = {}): ReadModel {
	const graph = model.format === 'graph-model' || Array.isArray((model.modelTopology as { node?: unknown }).node);
	const imported = graph
		? importGraph(model, opts.consts, opts.size, opts.name)
		: importLayers(model, opts.size, opts.name);
	const report = analyze(imported.network, imported.input.size);
	const roles = fcnRoles(imported.network, report);
	const rows = new Map(report.layers.map((r) => [r.name, r]));
	const main = report.layers.filter((r) => roles[r.name] !== 'gate');
	return {
		...imported,
		report,
		roles,
		output: rows.get(imported.network.output)!,
		bottleneckJump: Math.max(...main.map((r) => r.jump))
	};
}

/** The role of every layer (see FcnRole). */
export function fcnRoles(net: Network, report: ArchReport): Record<string, FcnRole> {
	const rows = new Map(report.layers.map((r) => [r.name, r]));
	const isUp = (l: Layer) => (l.type === 'resize' && l.factor > 1) || (l.type === 'deconv' && l.stride > 1);
	// upsampled(x): x is, or follows along its main inputs, an upsampling (a gate is not a main input).
	const upsampled = new Map<string, boolean>();
	for (const l of net.layers) {
		const main = l.type === 'scale' ? [l.inputs[0]] : inputsOf(l);
		upsampled.set(l.name, isUp(l) || main.some((i) => upsampled.get(i)));
	}
	const gate = (name: string) => {
		const r = rows.get(name);
		return !!r && r.out[0] === 1 && r.out[1] === 1 && (report.input[0] > 1 || report.input[1] > 1);
	};
	const maxJump = Math.max(...report.layers.filter((r) => !gate(r.name)).map((r) => r.jump));
	const roles: Record<string, FcnRole> = {};
	for (const l of net.layers) {
		const r = rows.get(l.name);
		let role: FcnRole;
		if (l.type === 'input') role = 'input';
		else if (l.name === net.output) role = 'output';
		else if (l.type === 'scale' || gate(l.name)) role = 'gate';
		else if (isUp(l)) role = 'upscore';
		else if (l.type === 'sum') {
			const [a, b] = l.inputs.map((i) => upsampled.get(i));
			role = a !== b ? 'fuse' : 'residual';
		} else if (upsampled.get(l.name)) role = 'decoder';
		else if (r && Math.abs(r.jump - maxJump) < 1e-9) role = 'bottleneck';
		else role = 'backbone';
		roles[l.name] = role;
	}
	return roles;
}

/** The layer kinds that get a row in the page's table: conv, pool, add, resize, transposed conv. */
export function isTableLayer(type: Layer['type']): boolean {
	return type === 'conv' || type === 'pool' || type === 'sum' || type === 'resize' || type === 'deconv';
}
