/**
 * Coordinate maps between blobs, as the reference implementation's `coord_map.py` computes them,
 * and the crop offsets derived from them.
 *
 * A layer maps a coordinate x of its input (bottom) to y = scale·x + shift in its output (top):
 *   convolution / pooling   scale 1/s, shift (p − (k_e − 1)/2)/s
 *   transposed convolution  scale s,   shift (k − 1)/2 − p
 *   crop by c               scale 1,   shift −c
 *   sum, dropout, LRN       identity
 * A Crop layer's offset is the shift that aligns its input with its reference: compose the maps
 * back along both paths to a common ancestor and read off y_ref = x_in − offset.
 */
import { GeometryError } from './errors';
import type { Layer, Network } from './network';
import { inputsOf, layerByName } from './network';
import { effectiveKernel } from './shapes';

/** y = scale·x + shift. */
export interface CoordMap {
	scale: number;
	shift: number;
}

export const IDENTITY_MAP: CoordMap = Object.freeze({ scale: 1, shift: 0 });

/** `outer ∘ inner`: apply `inner` first. compose(a, b)(x) = a.scale·(b.scale·x + b.shift) + a.shift. */
export function composeMaps(outer: CoordMap, inner: CoordMap): CoordMap {
	return { scale: outer.scale * inner.scale, shift: outer.scale * inner.shift + outer.shift };
}

export function inverseMap(m: CoordMap): CoordMap {
	return { scale: 1 / m.scale, shift: -m.shift / m.scale };
}

/**
 * The map from a layer's (first) input to its output, or null where none is defined (flatten,
 * dense: the dense head has no spatial coordinates). Crops need their offset in `offsets`.
 */
export function layerCoordMap(layer: Layer, offsets: ReadonlyMap<string, number> = new Map()): CoordMap | null {
	switch (layer.type) {
		case 'conv': {
			const ke = effectiveKernel(layer.kernel, layer.dilation);
			return { scale: 1 / layer.stride, shift: (layer.padding - (ke - 1) / 2) / layer.stride };
		}
		case 'pool':
			return { scale: 1 / layer.stride, shift: (layer.padding - (layer.kernel - 1) / 2) / layer.stride };
		case 'deconv':
			return { scale: layer.stride, shift: (layer.kernel - 1) / 2 - layer.padding };
		case 'crop': {
			const offset = offsets.get(layer.name);
			if (offset === undefined) throw new GeometryError(layer.name, 'crop offset not computed yet');
			return { scale: 1, shift: -offset };
		}
		case 'resize':
			// Output y samples input (y + ½)/f − ½ (half-pixel) or y/f: x_out = f·x_in + (f − 1)/2 or f·x_in.
			return { scale: layer.factor, shift: layer.halfPixel ? (layer.factor - 1) / 2 : 0 };
		case 'input':
		case 'sum':
		case 'scale':
		case 'dropout':
		case 'lrn':
			return IDENTITY_MAP;
		case 'flatten':
		case 'dense':
			return null;
	}
}

/** The blobs a coordinate walks back to: a crop's reference only lends its size. */
function bottoms(layer: Layer): string[] {
	return layer.type === 'crop' ? [layer.input] : inputsOf(layer);
}

/**
 * The map from coordinates of blob `from` to coordinates of blob `to` (coord_map_from_to): walk
 * back from `from` recording ancestor → from maps, then walk back breadth-first from `to` until a
 * blob in common is met. Throws when the blobs share no spatial ancestor.
 */
export function coordMapFromTo(
	net: Network,
	from: string,
	to: string,
	offsets: ReadonlyMap<string, number> = new Map()
): CoordMap {
	const fromMaps = walkBack(net, from, offsets, () => false);
	let found: CoordMap | null = null;
	walkBack(net, to, offsets, (name, toMap) => {
		const f = fromMaps.get(name);
		if (!f) return false;
		found = composeMaps(toMap, inverseMap(f));
		return true;
	});
	if (!found) {
		throw new GeometryError('', `no spatial path connects '${from}' and '${to}' in ${net.name}`);
	}
	return found;
}

/** Breadth-first walk towards the input; maps[b] takes b's coordinates to `top`'s. */
function walkBack(
	net: Network,
	top: string,
	offsets: ReadonlyMap<string, number>,
	stop: (name: string, map: CoordMap) => boolean
): Map<string, CoordMap> {
	const maps = new Map<string, CoordMap>([[top, IDENTITY_MAP]]);
	const queue = [top];
	while (queue.length) {
		const name = queue.shift()!;
		const here = maps.get(name)!;
		if (stop(name, here)) break;
		const layer = layerByName(net, name);
		const m = layerCoordMap(layer, offsets);
		if (!m) continue;
		for (const b of bottoms(layer)) {
			if (maps.has(b)) continue;
			maps.set(b, composeMaps(here, m));
			queue.push(b);
		}
	}
	return maps;
}

/**
 * The offset of every Crop layer of `net` (in layer order), derived from the coordinate maps:
 * the map from the crop's input to its reference must be y = x − c with c a whole number ≥ 0.
 */
export function cropOffsets(net: Network): Map<string, number> {
	const offsets = new Map<string, number>();
	for (const layer of net.layers) {
		if (layer.type !== 'crop') continue;
		const m = coordMapFromTo(net, layer.input, layer.reference, offsets);
		const c = -m.shift;
		if (Math.abs(m.scale - 1) > 1e-9) {
			throw new GeometryError(
				layer.name,
				`scale mismatch between '${layer.input}' and '${layer.reference}' (${m.scale})`
			);
		}
		if (Math.abs(c - Math.round(c)) > 1e-9) {
			throw new GeometryError(layer.name, `cannot crop by a non-integer offset ${c}`);
		}
		if (Math.round(c) < 0) {
			throw new GeometryError(layer.name, `cannot crop by a negative offset ${Math.round(c)}`);
		}
		offsets.set(layer.name, Math.round(c) + 0);
	}
	return offsets;
}
