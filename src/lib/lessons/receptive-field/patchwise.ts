/**
 * The paper's remark (§3.1/§4.4) that whole-image training is patchwise training with the receptive
 * fields as the batch, made concrete: for a unit of a layer whose field lies inside the image, an
 * input patch aligned to the layer's grid that contains the field. The network applied to that patch
 * alone gives the unit the same value as the whole-image pass. And the cost: FLOPs of the whole map
 * against the FLOPs of computing every unit from its own patch. All geometry and counts from the
 * library (layerGeometry, seenInterval, layerFlops).
 */
import { inputsOf, layerFlops, layerGeometry, seenInterval, type Network } from '$lib/fcn';

export interface PatchPlan {
	layer: string;
	/** The unit (same index on both axes) in the whole-image map. */
	unit: number;
	/** Its index in the map of the patch pass. */
	patchUnit: number;
	/** The patch: input pixels [offset, offset + size) on both axes. */
	offset: number;
	size: number;
	/** The unit's receptive field [first, last] (inside the image). */
	field: [number, number];
	/** Units per side of the whole-image map. */
	mapSize: number;
}

/**
 * The unit nearest the centre of an S×S image whose field lies inside the image, and the smallest
 * patch aligned to the layer's jump that holds the field. Null when no unit's field fits.
 */
export function patchPlan(net: Network, layer: string, imageSize: number): PatchPlan | null {
	const g = layerGeometry(net, [imageSize, imageSize], layer).get(layer)!;
	const J = g.field.jump;
	const n = g.out[0];
	const order = Array.from({ length: n }, (_, u) => u).sort(
		(a, b) => Math.abs(a - (n - 1) / 2) - Math.abs(b - (n - 1) / 2)
	);
	for (const u of order) {
		const iv = seenInterval(net, layer, u);
		if (!iv || iv[0] < 0 || iv[1] > imageSize - 1) continue;
		const offset = Math.floor(iv[0] / J) * J;
		const end = Math.ceil((iv[1] + 1) / J) * J;
		if (end > imageSize || !Number.isInteger(offset / J)) continue;
		return { layer, unit: u, patchUnit: u - offset / J, offset, size: end - offset, field: iv, mapSize: n };
	}
	return null;
}

/** FLOPs of computing `layer` (and everything it depends on) for an S×S input. */
export function flopsUpTo(net: Network, layer: string, size: number): number {
	const geo = layerGeometry(net, [size, size], layer);
	let total = 0;
	for (const { layer: l, out } of geo.values()) {
		if (l.type === 'input') continue;
		total += layerFlops(l, geo.get(inputsOf(l)[0])!.out, out);
	}
	return total;
}

export interface PatchCost {
	/** The whole map of `layer` in one pass. */
	whole: number;
	/** One patch. */
	patch: number;
	/** Every unit of the map from its own patch. */
	patchwise: number;
	units: number;
	ratio: number;
}

export function patchCost(net: Network, plan: PatchPlan, imageSize: number): PatchCost {
	const whole = flopsUpTo(net, plan.layer, imageSize);
	const patch = flopsUpTo(net, plan.layer, plan.size);
	const units = plan.mapSize * plan.mapSize;
	return { whole, patch, patchwise: units * patch, units, ratio: (units * patch) / whole };
}
