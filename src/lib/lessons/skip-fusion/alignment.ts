/**
 * Where two maps must line up in an FCN — the sums (fuse_pool4, fuse_pool3) and the output against
 * the input — with what the geometry library says of each side: size, jump (input pixels per cell)
 * and start (input coordinate of the centre of cell 0). In the caffe geometry a Crop layer removes
 * `offset` cells from the front of the bigger map; the library derives that offset from the
 * coordinate maps. The table also shows it again as (start_ref − start_in)/jump, from the two
 * branches' starts: the two must agree (the page shows both).
 */
import type { ArchReport, LayerRow } from '$lib/fcn/analyze';
import type { Network } from '$lib/fcn/network';

export interface Side {
	name: string;
	out: [number, number, number];
	jump: number;
	start: number;
}

export interface AlignPoint {
	/** The sum layer, or the output layer for the output-vs-input point. */
	at: string;
	/** The map that sets the size (the upsampled coarse scores, or the input). */
	reference: Side;
	/** The map that must match it (the skip's scores before any crop, or the last upsampling). */
	other: Side;
	/** The caffe geometry's Crop layer here, with the library's offset; null in the same geometry. */
	crop: { name: string; offset: number } | null;
	/** (reference.start − other.start)/other.jump: the shift in cells that aligns the two. */
	shiftCells: number;
	/** Sizes equal after the crop (or directly, without one)? */
	sizesMatch: boolean;
}

function side(r: LayerRow | undefined, name: string, input: ArchReport['input']): Side {
	if (!r) return { name, out: [input[0], input[1], input[2]], jump: 1, start: 0 };
	return { name, out: [...r.out], jump: r.jump, start: r.start };
}

/** The alignment points of `net` at the input of `report` (from `analyze(net, input)`). */
export function alignmentPoints(net: Network, report: ArchReport): AlignPoint[] {
	const rows = new Map(report.layers.map((r) => [r.name, r]));
	const offsets = new Map(report.crops.map((c) => [c.name, c.offset]));
	const layer = (n: string) => net.layers.find((l) => l.name === n);
	const points: AlignPoint[] = [];
	const unCrop = (n: string) => {
		const l = layer(n);
		return l?.type === 'crop' ? { src: l.input, crop: l.name } : { src: n, crop: null };
	};
	for (const l of net.layers) {
		if (l.type !== 'sum') continue;
		const [a, b] = l.inputs.map(unCrop);
		// The branch without a crop is the reference; the cropped one (the skip) must fit it.
		const [ref, oth] = a.crop ? [b, a] : [a, b];
		points.push(
			point(
				l.name,
				side(rows.get(ref.src), ref.src, report.input),
				side(rows.get(oth.src), oth.src, report.input),
				oth.crop
			)
		);
	}
	const out = unCrop(net.output);
	points.push(
		point(net.output, side(undefined, 'data', report.input), side(rows.get(out.src), out.src, report.input), out.crop)
	);

	function point(at: string, reference: Side, other: Side, cropName: string | null): AlignPoint {
		const crop = cropName ? { name: cropName, offset: offsets.get(cropName)! } : null;
		const after = crop ? rows.get(crop.name)!.out : other.out;
		return {
			at,
			reference,
			other,
			crop,
			shiftCells: (reference.start - other.start) / other.jump,
			sizesMatch: after[0] === reference.out[0] && after[1] === reference.out[1]
		};
	}
	return points;
}
