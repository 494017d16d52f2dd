/**
 * Shift-and-stitch and filter rarefaction (the FCN paper, §3.2), as pure arithmetic on arrays and on
 * network definitions. Removing the stride f of a pool gives f² times as many outputs; two ways to get
 * them:
 *   - shift-and-stitch: run the layers from the pool on, once for each of the f² shifts (dy, dx) of the
 *     pool's input, and interleave: output row f·r + dy comes from shift dy's row r;
 *   - filter rarefaction: make the pool's stride 1 and dilate every later filter by f (tfjs conv2d's
 *     dilationRate; padding scaled by f), one pass.
 * Both give the same numbers (the live cell measures it). `rarefy` writes the dilated network so the
 * geometry library can give its shapes, receptive fields and FLOPs.
 */
import { analyze } from './analyze';
import { GeometryError } from './errors';
import type { Layer, Network } from './network';

/** The f² shifts (dy, dx) ∈ {0, …, f − 1}², row-major. */
export function shiftOffsets(f: number): [number, number][] {
	if (!Number.isInteger(f) || f < 1) throw new GeometryError('', `shift factor must be a whole number ≥ 1, not ${f}`);
	const out: [number, number][] = [];
	for (let dy = 0; dy < f; dy++) for (let dx = 0; dx < f; dx++) out.push([dy, dx]);
	return out;
}

/** A row-major HWC map. */
export interface Map3 {
	data: Float32Array;
	height: number;
	width: number;
	channels: number;
}

/**
 * Interleave the outputs of the f² shifted passes (in `shiftOffsets(f)` order): shift (dy, dx)'s cell
 * (r, c) goes to (f·r + dy, f·c + dx). Shift dy's height must be the number of rows ≡ dy (mod f).
 */
export function interleave(outputs: readonly Map3[], f: number): Map3 {
	const offsets = shiftOffsets(f);
	if (outputs.length !== offsets.length)
		throw new GeometryError('', `${outputs.length} outputs for ${offsets.length} shifts`);
	const channels = outputs[0].channels;
	let height = 0;
	let width = 0;
	for (let d = 0; d < f; d++) {
		height += outputs[d * f].height;
		width += outputs[d].width;
	}
	const data = new Float32Array(height * width * channels);
	offsets.forEach(([dy, dx], n) => {
		const o = outputs[n];
		const rows = Math.ceil((height - dy) / f);
		const cols = Math.ceil((width - dx) / f);
		if (o.height !== rows || o.width !== cols || o.channels !== channels)
			throw new GeometryError(
				'',
				`shift (${dy}, ${dx}) gave ${o.height}×${o.width}×${o.channels}, not ${rows}×${cols}`
			);
		for (let r = 0; r < rows; r++) {
			for (let c = 0; c < cols; c++) {
				const src = (r * cols + c) * channels;
				const dst = ((f * r + dy) * width + f * c + dx) * channels;
				data.set(o.data.subarray(src, src + channels), dst);
			}
		}
	});
	return { data, height, width, channels };
}

/**
 * The network with `pool`'s stride removed and every later filter rarefied (dilated by f, padding
 * scaled by f so the centres stay put), cut at `output`. f is the pool's stride. Later pools would need
 * a dilated pooling, which the definitions do not have: they are refused.
 */
export function rarefy(net: Network, pool: string, output: string): { net: Network; f: number } {
	const i = net.layers.findIndex((l) => l.name === pool);
	const p = net.layers[i];
	if (!p || p.type !== 'pool') throw new GeometryError(pool, `${net.name} has no pooling layer ${pool}`);
	const j = net.layers.findIndex((l) => l.name === output);
	if (j < i) throw new GeometryError(output, `${output} does not come after ${pool}`);
	const f = p.stride;
	const layers: Layer[] = net.layers.slice(0, j + 1).map((l, n) => {
		if (n < i) return l;
		if (n === i) return { ...p, stride: 1 };
		if (l.type === 'conv') return { ...l, dilation: l.dilation * f, padding: l.padding * f };
		if (l.type === 'pool' || l.type === 'deconv')
			throw new GeometryError(l.name, `a ${l.type} after ${pool} is not rarefied here`);
		return l;
	});
	return { net: { ...net, name: `${net.name}-rarefied`, layers, output }, f };
}

/** Multiply–add counts (FLOPs = 2 × MACs, from the geometry library) of the ways to densify. */
export interface StitchCosts {
	f: number;
	/** The net up to `output` once (the coarse map). */
	coarse: number;
	/** The layers below the pool, once (shared by the shifts when the pool's input is shifted). */
	below: number;
	/** The layers from the pool on, once. */
	above: number;
	/** Shift-and-stitch: f² shifted inputs, every layer run f² times. */
	shiftInput: number;
	/**
	 * Shift-and-stitch at the pool's input: the layers below once, those above on the f² shifted maps,
	 * whose positions add up to the dilated map's (so it costs what the dilated pass costs).
	 */
	shiftPool: number;
	/** Filter rarefaction: one pass of the dilated net. */
	dilated: number;
	/** The paper's route: the coarse net once plus the upsampling layer(s). */
	upsampling: number;
	/** Fully dense by shift-and-stitch: every pool's stride removed, (total stride)² passes. */
	denseShift: number;
	totalStride: number;
}

/** FLOPs of the layers of `net` whose names are in `names` (all when omitted), for an input of [H, W]. */
function flopsOf(net: Network, input: [number, number], keep?: (name: string, index: number) => boolean): number {
	return analyze(net, input).layers.reduce((t, l, n) => t + (keep && !keep(l.name, n) ? 0 : l.flops), 0);
}

/** The costs of densifying `net` (with upsampling layers after `output`) at `pool`, for an input of [H, W]. */
export function stitchCosts(net: Network, pool: string, output: string, input: [number, number]): StitchCosts {
	const { net: dilated, f } = rarefy(net, pool, output);
	const cut: Network = {
		...net,
		layers: net.layers.slice(0, net.layers.findIndex((l) => l.name === output) + 1),
		output
	};
	const poolAt = cut.layers.findIndex((l) => l.name === pool);
	const coarse = flopsOf(cut, input);
	const below = flopsOf(cut, input, (_, n) => n < poolAt);
	const geo = analyze(cut, input).layers;
	const coarseOut = geo[geo.length - 1];
	const dilatedOut = analyze(dilated, input).layers.at(-1)!;
	const totalStride = coarseOut.jump;
	const positions = (l: typeof coarseOut) => l.out[0] * l.out[1];
	return {
		f,
		coarse,
		below,
		above: coarse - below,
		shiftInput: f * f * coarse,
		shiftPool: below + ((coarse - below) * positions(dilatedOut)) / positions(coarseOut),
		dilated: flopsOf(dilated, input),
		upsampling: flopsOf(net, input),
		denseShift: totalStride * totalStride * coarse,
		totalStride
	};
}
