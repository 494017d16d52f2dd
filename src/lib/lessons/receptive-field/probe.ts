/**
 * The probe network of the receptive-field lesson: a copy of a network's geometry up to one layer
 * (same kernels, strides, paddings), with every convolution linear with a zero bias, and average
 * in place of max pooling. With all weights equal and positive, the gradient of one unit with
 * respect to the input is positive exactly on the input pixels the unit depends on: its
 * theoretical receptive field (clipped to the image). Pure: no tfjs (src/lib/model/probe-gradient.ts
 * builds and runs it).
 */
import { ancestors, layerGeometry, type Layer, type Network } from '$lib/fcn';
import { enumParam, intParam, parseQuery, parseValue, type UrlNotice } from '$lib/url';

/**
 * The layers a probe can stop at: the convolutions and poolings of the trunk, i.e. those that the
 * first upsampling layer depends on (conv1_1 … score_fr in an FCN; every one in a plain stack).
 */
export function probeLayers(net: Network): string[] {
	const first = net.layers.find((l) => l.type === 'deconv');
	const trunk = ancestors(net, first && first.type === 'deconv' ? first.input : net.output);
	return net.layers.filter((l) => (l.type === 'conv' || l.type === 'pool') && trunk.has(l.name)).map((l) => l.name);
}

/** The probe copy of `net` up to `until`: linear convolutions (zero bias), average pooling. */
export function probeNetwork(net: Network, until: string): Network {
	const keep = ancestors(net, until);
	const layers: Layer[] = net.layers
		.filter((l) => keep.has(l.name))
		.map((l): Layer => {
			if (l.type === 'conv') {
				const { init: _init, ...rest } = l;
				return { ...rest, activation: 'linear', bias: true };
			}
			if (l.type === 'pool') return { ...l, mode: 'avg' };
			if (l.type === 'input' || l.type === 'dropout') return l;
			throw new Error(`${net.name}: '${l.name}' (${l.type}) cannot be part of a probe network`);
		});
	return { name: `${net.name}-probe-${until}`, geometry: net.geometry, layers, output: until };
}

/** Pixels where (support > 0) and (inside the box) disagree; the box is inclusive [first, last]. */
export function supportMismatch(
	support: ArrayLike<number>,
	width: number,
	height: number,
	box: { ys: [number, number]; xs: [number, number] }
): { mismatch: number; support: number; box: number } {
	let mismatch = 0;
	let inSupport = 0;
	let inBox = 0;
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const s = support[y * width + x] > 0;
			const b = y >= box.ys[0] && y <= box.ys[1] && x >= box.xs[0] && x <= box.xs[1];
			if (s) inSupport++;
			if (b) inBox++;
			if (s !== b) mismatch++;
		}
	}
	return { mismatch, support: inSupport, box: inBox };
}

/** The probe cell's URL state: `layer` (one of {@link probeLayers}), `scene` (0–199), a unit `uy`, `ux`. */
export function probeSpecs(net: Network) {
	return {
		layer: enumParam({ label: 'layer', values: probeLayers(net), default: 'pool3' }),
		scene: intParam({ label: 'scene', min: 0, max: 199, default: 0 })
	};
}

/**
 * The probe cell's state from the query, for a `size`×`size` input: the unit (both `uy` and `ux`, or
 * neither) clamped into the chosen layer's output. Notices for values not used as written.
 */
export function probeFromQuery(
	q: URLSearchParams,
	net: Network,
	size: number
): { layer: string; scene: number; unit: { y: number; x: number } | null; notices: UrlNotice[] } {
	const { values, notices } = parseQuery(probeSpecs(net), q, { reportUnknown: false });
	const uy = q.get('uy');
	const ux = q.get('ux');
	if (uy === null || ux === null) return { ...values, unit: null, notices };
	const out = layerGeometry(net, [size, size], values.layer).get(values.layer)!.out;
	const y = parseValue('uy', intParam({ label: 'unit row', min: 0, max: out[0] - 1, default: 0 }), uy);
	const x = parseValue('ux', intParam({ label: 'unit column', min: 0, max: out[1] - 1, default: 0 }), ux);
	for (const r of [y, x]) if (r.notice) notices.push(r.notice);
	return { ...values, unit: { y: y.value, x: x.value }, notices };
}
