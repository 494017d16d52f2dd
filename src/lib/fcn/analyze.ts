/**
 * The geometry of a whole network for one input size: per layer the output shape, receptive
 * field, jump, centre of unit 0, parameters and FLOPs; the crop offsets; the totals. The object
 * is exactly what `npm run arch -- --json` prints (see design.md).
 */
import { cropOffsets } from './coordMap';
import { layerFlops, layerParams } from './cost';
import { GeometryError, checkInteger } from './errors';
import type { Geometry, Layer, LayerType, Network } from './network';
import { inputsOf, layerByName } from './network';
import {
	convField,
	cropField,
	deconvField,
	INPUT_FIELD,
	resizeField,
	sumField,
	unionField,
	type Field
} from './receptiveField';
import { convOutputSize, deconvOutputSize, poolOutputSize } from './shapes';

/** [height, width, channels]. */
export type Shape = [number, number, number];

export interface LayerRow {
	name: string;
	type: LayerType;
	/** Kernel, stride, padding of conv / pool / deconv layers; null for the others. */
	kernel: number | null;
	stride: number | null;
	padding: number | null;
	out: Shape;
	rf: number;
	jump: number;
	start: number;
	params: number;
	flops: number;
}

export interface CropRow {
	name: string;
	offset: number;
}

export interface ArchReport {
	net: string;
	geometry: Geometry;
	input: Shape;
	layers: LayerRow[];
	crops: CropRow[];
	totals: { params: number; flops: number };
}

/** Shape and field of every layer computed so far. */
export interface LayerGeometry {
	layer: Layer;
	out: Shape;
	field: Field;
}

/**
 * Walk `net` in layer order for an input of [H, W], computing shapes and fields. With `until`,
 * only that layer and its ancestors are computed (so the conv layers of a dense classifier can be
 * looked at at any input size). Throws a GeometryError naming the layer on any impossibility.
 */
export function layerGeometry(net: Network, input: [number, number], until?: string): Map<string, LayerGeometry> {
	const [H, W] = input;
	checkInteger('', 'input height', H, 1);
	checkInteger('', 'input width', W, 1);
	const needed = until ? ancestors(net, until) : null;
	const offsets = cropOffsets(net);
	const geo = new Map<string, LayerGeometry>();
	const get = (name: string) => geo.get(name)!;
	for (const layer of net.layers) {
		if (needed && !needed.has(layer.name)) continue;
		geo.set(layer.name, step(net, layer, input, get, offsets));
	}
	return geo;
}

function step(
	net: Network,
	layer: Layer,
	[H, W]: [number, number],
	get: (name: string) => LayerGeometry,
	offsets: ReadonlyMap<string, number>
): LayerGeometry {
	const n = layer.name;
	if (layer.type === 'input') {
		checkInteger(n, 'channels', layer.channels, 1);
		return { layer, out: [H, W, layer.channels], field: INPUT_FIELD };
	}
	if (layer.type === 'sum') {
		const [a, b] = layer.inputs.map(get);
		if (a.out.some((v, i) => v !== b.out[i])) {
			throw new GeometryError(
				n,
				`cannot sum '${layer.inputs[0]}' (${fmt(a.out)}) and '${layer.inputs[1]}' (${fmt(b.out)}): shapes differ` +
					(net.geometry === 'same' ? ` (the 'same' geometry needs an input that the net's total stride divides)` : '')
			);
		}
		return {
			layer,
			out: [...a.out],
			field: layer.union ? unionField(a.field, b.field, n) : sumField(a.field, b.field, n)
		};
	}
	if (layer.type === 'scale') {
		const [map, gate] = layer.inputs.map(get);
		const [gh, gw, gc] = gate.out;
		if (!((gh === 1 && gw === 1) || (gh === map.out[0] && gw === map.out[1])) || (gc !== 1 && gc !== map.out[2])) {
			throw new GeometryError(
				n,
				`cannot scale '${layer.inputs[0]}' (${fmt(map.out)}) by '${layer.inputs[1]}' (${fmt(gate.out)}): a gate is 1×1 per channel`
			);
		}
		// The gate reweights channels; a unit of the output sits where the map's unit sits.
		return { layer, out: [...map.out], field: map.field };
	}
	const inp = get(layer.type === 'crop' ? layer.input : inputsOf(layer)[0]);
	const [ih, iw, ic] = inp.out;
	switch (layer.type) {
		case 'conv': {
			const { kernel: k, stride: s, padding: p, dilation: d } = layer;
			checkInteger(n, 'filters', layer.filters, 1);
			const e = extraPad(layer.padAfter, p, n);
			const out: Shape = [convOutputSize(ih + e, k, s, p, d, n), convOutputSize(iw + e, k, s, p, d, n), layer.filters];
			return { layer, out, field: convField(inp.field, k, s, p, d) };
		}
		case 'pool': {
			const { kernel: k, stride: s, padding: p, ceil } = layer;
			const e = extraPad(layer.padAfter, p, n);
			const out: Shape = [poolOutputSize(ih + e, k, s, p, ceil, n), poolOutputSize(iw + e, k, s, p, ceil, n), ic];
			return { layer, out, field: convField(inp.field, k, s, p) };
		}
		case 'deconv': {
			const { kernel: k, stride: s, padding: p } = layer;
			checkInteger(n, 'filters', layer.filters, 1);
			const e = extraPad(layer.padAfter, p, n);
			const out: Shape = [
				deconvOutputSize(ih, k, s, p, 0, n) - e,
				deconvOutputSize(iw, k, s, p, 0, n) - e,
				layer.filters
			];
			if (out[0] < 1 || out[1] < 1) throw new GeometryError(n, `output ${fmt(out)} is empty (padding too large)`);
			return { layer, out, field: deconvField(inp.field, k, s, p) };
		}
		case 'resize': {
			const f = layer.factor;
			checkInteger(n, 'resize factor', f, 1);
			return { layer, out: [ih * f, iw * f, ic], field: resizeField(inp.field, f, layer.mode, layer.halfPixel) };
		}
		case 'crop': {
			const ref = get(layer.reference);
			const c = offsets.get(n)!;
			if (c + ref.out[0] > ih || c + ref.out[1] > iw) {
				throw new GeometryError(
					n,
					`cannot crop ${ref.out[0]}×${ref.out[1]} at offset ${c} from '${layer.input}' (${ih}×${iw}): the input is too small`
				);
			}
			return { layer, out: [ref.out[0], ref.out[1], ic], field: cropField(inp.field, c) };
		}
		case 'dropout':
		case 'lrn':
			return { layer, out: [...inp.out], field: inp.field };
		case 'flatten': {
			const fixed = net.fixedInput;
			if (fixed && (fixed[0] !== H || fixed[1] !== W)) {
				throw new GeometryError(
					n,
					`${net.name}'s dense head accepts only a ${fixed[0]}×${fixed[1]} input (got ${H}×${W}); its fully convolutional form takes any size`
				);
			}
			// The dense layer after it sees the whole map: a kernel as large as the map (fc6 as a conv).
			// rf/jump/start are per axis; taken along the height (the nets' fixed inputs are square).
			return { layer, out: [1, 1, ih * iw * ic], field: convField(inp.field, ih, 1, 0) };
		}
		case 'dense':
			if (ih !== 1 || iw !== 1)
				throw new GeometryError(n, `a dense layer needs a flattened input (got ${fmt(inp.out)})`);
			return { layer, out: [1, 1, layer.units], field: inp.field };
	}
}

/** The full report of `net` at input [H, W] (rows for every layer but the input). */
export function analyze(net: Network, input: [number, number]): ArchReport {
	const geo = layerGeometry(net, input);
	const offsets = cropOffsets(net);
	const layers: LayerRow[] = [];
	let inputShape: Shape = [input[0], input[1], 0];
	for (const { layer, out, field } of geo.values()) {
		if (layer.type === 'input') {
			inputShape = out;
			continue;
		}
		const first = geo.get(inputsOf(layer)[0])!.out;
		const kernelish = layer.type === 'conv' || layer.type === 'pool' || layer.type === 'deconv';
		layers.push({
			name: layer.name,
			type: layer.type,
			kernel: kernelish ? layer.kernel : null,
			stride: kernelish ? layer.stride : null,
			padding: kernelish ? layer.padding : null,
			out,
			rf: field.rf,
			jump: field.jump,
			start: field.start,
			params: layerParams(layer, first),
			flops: layerFlops(layer, first, out)
		});
	}
	return {
		net: net.name,
		geometry: net.geometry,
		input: inputShape,
		layers,
		crops: [...offsets].map(([name, offset]) => ({ name, offset })),
		totals: {
			params: layers.reduce((t, r) => t + r.params, 0),
			flops: layers.reduce((t, r) => t + r.flops, 0)
		}
	};
}

/** `name` and every layer it depends on (a crop depends on its reference's size too). */
export function ancestors(net: Network, name: string): Set<string> {
	const seen = new Set<string>();
	const stack = [name];
	while (stack.length) {
		const n = stack.pop()!;
		if (seen.has(n)) continue;
		seen.add(n);
		stack.push(...inputsOf(layerByName(net, n)));
	}
	return seen;
}

/**
 * The padding at the bottom/right beyond the top/left one (TF 'SAME' pads an odd total with one
 * more row at the end): the sizes are those of an input `extra` rows larger, padded symmetrically.
 */
function extraPad(padAfter: number | undefined, padding: number, layer: string): number {
	if (padAfter === undefined) return 0;
	checkInteger(layer, 'padding after', padAfter, 0);
	return padAfter - padding;
}

function fmt(s: Shape): string {
	return `${s[0]}×${s[1]}×${s[2]}`;
}
