/**
 * The guided tour of /network: a few steps through the running net, each selecting a layer and
 * saying what to notice there. Every number in a step's text is read from the geometry report of the
 * net that runs (`analyze(net, padded input)`), never typed. And the unit a layer opens with: one
 * that fires (`firingUnit`), so that its gradient, the effective field, is not zero everywhere.
 * Pure: no DOM, no tfjs.
 */
import type { ArchReport, LayerRow, Network } from '$lib/fcn';
import type { UnitRef } from './query';

export interface TourStep {
	/** Stable id (test ids, anchors). */
	id: string;
	/** The layer the step selects. */
	layer: string;
	title: string;
	/** What to notice, with the running net's numbers. */
	text: string;
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(3).replace(/0+$/, ''));
const size = (r: LayerRow) => `${r.out[0]}×${r.out[1]}`;

/**
 * The steps for the net of `report`: input, conv1, a pool (the jump doubles), fc6 as a convolution,
 * score_fr (coarse), the fuse layers (FCN-16s and 8s only) and the final upsampling. Steps whose
 * layers the net lacks are left out. `net` (the definition the report is of) says whether the final
 * upsampling is fixed or learned.
 */
export function tourSteps(report: ArchReport, net?: Network): TourStep[] {
	const rows = report.layers.filter((r) => r.type !== 'dropout');
	const at = (name: string) => rows.find((r) => r.name === name);
	const before = (r: LayerRow) => rows[rows.indexOf(r) - 1];
	const steps: TourStep[] = [];
	const coarsest = Math.max(...rows.map((r) => r.jump));

	const first = rows[0];
	if (first)
		steps.push({
			id: 'input',
			layer: first.name,
			title: 'The input',
			text:
				`The net runs on ${report.input[0]}×${report.input[1]} grey pixels, ${report.input[2]} channel: your picture, ` +
				`padded with zeros to a multiple of ${coarsest}, the coarsest jump in the net. Shown: ${first.name}, the first ` +
				`layer to look at it, ${first.out[2]} maps of ${size(first)}, one unit per pixel (jump ${fmt(first.jump)}), ` +
				`each seeing ${fmt(first.rf)}×${fmt(first.rf)} pixels. Notice that the maps are still the picture, filtered.`
		});

	const conv1 = rows.filter((r) => r.type === 'conv' && r.jump === 1).at(-1);
	if (conv1)
		steps.push({
			id: 'conv1',
			layer: conv1.name,
			title: 'conv1: edges and strokes',
			text:
				`${conv1.name}: ${rows.indexOf(conv1) + 1} convolutions deep, each unit sees ${fmt(conv1.rf)}×${fmt(conv1.rf)} pixels. ` +
				`Notice that each of the ${conv1.out[2]} maps lights up along strokes of one direction or one side of a stroke: ` +
				`edge and stroke detectors, at full resolution. The selected unit is the strongest near the centre; its ` +
				`measured field is a small blob on a stroke.`
		});

	const pool = rows.find((r) => r.type === 'pool');
	if (pool) {
		const prev = before(pool);
		steps.push({
			id: 'pool',
			layer: pool.name,
			title: `${pool.name}: the jump doubles`,
			text:
				`${pool.name}: ${pool.kernel}×${pool.kernel} max pooling, stride ${pool.stride}. Notice that the maps shrink from ` +
				`${prev ? size(prev) : '?'} to ${size(pool)} and the jump doubles, ${prev ? fmt(prev.jump) : '?'} → ` +
				`${fmt(pool.jump)} px: neighbouring units are now ${fmt(pool.jump)} input pixels apart. Every later pooling ` +
				`doubles it again, and each convolution after it widens the field by (kernel − 1) × the jump.`
		});
	}

	const fc6 = at('fc6');
	if (fc6) {
		const prev = before(fc6);
		steps.push({
			id: 'fc6',
			layer: fc6.name,
			title: 'fc6, a convolution',
			text:
				`fc6 was the classifier's first fully connected layer; the surgery made it a ${fc6.kernel}×${fc6.kernel} ` +
				`convolution over ${prev?.name ?? 'the last pool'}'s ${prev?.out[2] ?? '?'} channels. Notice that on the ` +
				`${prev ? size(prev) : '?'} map it gives ${size(fc6)} positions of ${fc6.out[2]} channels, not one vector: the ` +
				`classifier's layer applied at every position, ${fmt(fc6.jump)} px apart, each seeing ${fmt(fc6.rf)} px.`
		});
	}

	const score = at('score_fr');
	if (score)
		steps.push({
			id: 'score_fr',
			layer: score.name,
			title: 'score_fr: coarse scores',
			text:
				`score_fr: a ${score.kernel}×${score.kernel} convolution to ${score.out[2]} class scores. Notice how coarse it is: one score vector every ` +
				`${fmt(score.jump)} px, a ${size(score)} grid for the whole picture. Page Up / Page Down on the maps step ` +
				`through the classes: a digit's class lights up as a blob of a few cells.`
		});

	const fuses = rows.filter((r) => r.type === 'sum');
	if (fuses.length) {
		const last = fuses[fuses.length - 1];
		const jumps = [score ? fmt(score.jump) : '?', ...fuses.map((f) => fmt(f.jump))].join(' → ');
		steps.push({
			id: 'fuse',
			layer: last.name,
			title: 'The skips fuse',
			text:
				fuses
					.map((f, i) => {
						const skip = rows.find((r) => r.name === `score_${f.name.replace('fuse_', '')}`);
						const coarser = i ? fuses[i - 1].jump : (score?.jump ?? f.jump);
						return `${f.name} adds the coarser scores, upsampled ×${fmt(coarser / f.jump)}, to ${skip?.name ?? 'a skip'}'s (${size(f)}, jump ${fmt(f.jump)})`;
					})
					.join('; ') +
				`. Notice the score blobs sharpen as the jump falls, ${jumps} px: the skips bring back where things are, ` +
				`from layers whose fields are small.`
		});
	}

	const up = rows.filter((r) => r.type === 'deconv').at(-1);
	const upLayer = up && net?.layers.find((l) => l.name === up.name);
	const weights =
		upLayer && upLayer.type === 'deconv'
			? upLayer.trainable
				? 'initialised as bilinear interpolation, then learned'
				: 'fixed to bilinear interpolation'
			: 'initialised as bilinear interpolation';
	if (up)
		steps.push({
			id: 'upscore',
			layer: up.name,
			title: `${up.name}: back to pixels`,
			text:
				`${up.name}: a transposed convolution, kernel ${up.kernel}, stride ${up.stride}, ${weights}. Notice ` +
				`that it interpolates the ${up.out[2]} score maps back to ${size(up)} (jump ${fmt(up.jump)}); only then does ` +
				`each pixel take its most probable class, which is the segmentation. Its detail is what the ` +
				`${fmt(before(up)?.jump ?? up.stride ?? 0)}-px grid below it could carry.`
		});
	return steps;
}

/** The step shown for a `tour` value: null when closed, else clamped to the steps there are. */
export function tourIndex(tour: number, steps: number): number | null {
	if (!(tour >= 1) || steps < 1) return null;
	return Math.min(steps, Math.floor(tour)) - 1;
}

/** The map a unit is chosen from: row-major H·W·C values. */
export interface MapLike {
	name: string;
	data: ArrayLike<number>;
	width: number;
	height: number;
	channels: number;
}

/**
 * A unit that fires: the strongest activation in the central half of the map (by rows and columns),
 * ties to the one nearest the centre; if nothing fires there, the strongest anywhere; null when no
 * unit is above 0 (then every unit's gradient is zero).
 */
export function firingUnit(map: MapLike): UnitRef | null {
	const { width: W, height: H, channels: C, data } = map;
	const cy = (H - 1) / 2;
	const cx = (W - 1) / 2;
	const search = (y0: number, y1: number, x0: number, x1: number): UnitRef | null => {
		let best: UnitRef | null = null;
		let bestV = 0;
		let bestD = Infinity;
		for (let y = y0; y < y1; y++)
			for (let x = x0; x < x1; x++) {
				const d = (y - cy) ** 2 + (x - cx) ** 2;
				for (let c = 0; c < C; c++) {
					const v = data[(y * W + x) * C + c];
					if (v > bestV || (v === bestV && v > 0 && d < bestD)) {
						best = { layer: map.name, channel: c, y, x };
						bestV = v;
						bestD = d;
					}
				}
			}
		return best;
	};
	const qy = Math.floor(H / 4);
	const qx = Math.floor(W / 4);
	return search(qy, H - qy, qx, W - qx) ?? search(0, H, 0, W);
}
