/**
 * Segmentation metrics (the paper's §5), from a confusion matrix n_ij = number of pixels of true
 * class i predicted as class j (rows = truth, columns = prediction), t_i = Σ_j n_ij:
 *   pixel accuracy   Σ_i n_ii / Σ_i t_i
 *   mean accuracy    (1/n_cl) Σ_i n_ii / t_i
 *   mean IU          (1/n_cl) Σ_i n_ii / (t_i + Σ_j n_ji − n_ii)
 *   frequency-weighted IU  (Σ_k t_k)^−1 Σ_i t_i n_ii / (t_i + Σ_j n_ji − n_ii)
 * As the reference `score.py` (np.nanmean): a class absent from the truth has no accuracy, and a
 * class absent from both truth and prediction has no IU; they are NaN and left out of the means.
 */
import { GeometryError, checkInteger } from './errors';

/** Row-major n×n counts: counts[i·n + j] = pixels of true class i predicted as j. */
export interface Confusion {
	classes: number;
	counts: Float64Array;
}

export const IGNORE_LABEL = 255;

export function emptyConfusion(classes: number): Confusion {
	checkInteger('', 'classes', classes, 1);
	return { classes, counts: new Float64Array(classes * classes) };
}

/** A confusion matrix from rows (rows[i][j] = pixels of class i predicted j). */
export function confusionFromRows(rows: readonly (readonly number[])[]): Confusion {
	const conf = emptyConfusion(rows.length);
	rows.forEach((r, i) => {
		if (r.length !== rows.length) throw new GeometryError('', `row ${i} has ${r.length} entries, not ${rows.length}`);
		r.forEach((v, j) => (conf.counts[i * rows.length + j] = v));
	});
	return conf;
}

/**
 * Add the pixels of one image to `conf` (in place, returned). Pixels labelled `ignore` (255) are
 * skipped; any other label or prediction outside 0 … n − 1 is an error.
 */
export function accumulateConfusion(
	conf: Confusion,
	labels: ArrayLike<number>,
	predictions: ArrayLike<number>,
	ignore = IGNORE_LABEL
): Confusion {
	if (labels.length !== predictions.length) {
		throw new GeometryError('', `${labels.length} labels but ${predictions.length} predictions`);
	}
	const n = conf.classes;
	for (let q = 0; q < labels.length; q++) {
		const t = labels[q];
		if (t === ignore) continue;
		const p = predictions[q];
		if (!(Number.isInteger(t) && t >= 0 && t < n)) throw new GeometryError('', `invalid label ${t} at pixel ${q}`);
		if (!(Number.isInteger(p) && p >= 0 && p < n)) throw new GeometryError('', `invalid prediction ${p} at pixel ${q}`);
		conf.counts[t * n + p]++;
	}
	return conf;
}

export function confusionMatrix(
	labels: ArrayLike<number>,
	predictions: ArrayLike<number>,
	classes: number,
	ignore = IGNORE_LABEL
): Confusion {
	return accumulateConfusion(emptyConfusion(classes), labels, predictions, ignore);
}

export interface SegmentationScores {
	pixelAcc: number;
	meanAcc: number;
	meanIU: number;
	fwIU: number;
	/** n_ii / t_i per class; NaN where the class is absent from the truth. */
	perClassAcc: number[];
	/** n_ii / (t_i + Σ_j n_ji − n_ii) per class; NaN where absent from both truth and prediction. */
	perClassIU: number[];
}

/** The four metrics of §5 (NaN when the matrix holds no pixel at all). */
export function segmentationScores(conf: Confusion): SegmentationScores {
	const n = conf.classes;
	const c = conf.counts;
	const truth = new Array<number>(n).fill(0);
	const pred = new Array<number>(n).fill(0);
	let total = 0;
	let correct = 0;
	for (let i = 0; i < n; i++) {
		for (let j = 0; j < n; j++) {
			truth[i] += c[i * n + j];
			pred[j] += c[i * n + j];
		}
		correct += c[i * n + i];
	}
	for (const t of truth) total += t;
	const perClassAcc = truth.map((t, i) => (t > 0 ? c[i * n + i] / t : NaN));
	const perClassIU = truth.map((t, i) => {
		const union = t + pred[i] - c[i * n + i];
		return union > 0 ? c[i * n + i] / union : NaN;
	});
	let fw = 0;
	for (let i = 0; i < n; i++) if (truth[i] > 0) fw += truth[i] * perClassIU[i];
	return {
		pixelAcc: total > 0 ? correct / total : NaN,
		meanAcc: nanMean(perClassAcc),
		meanIU: nanMean(perClassIU),
		fwIU: total > 0 ? fw / total : NaN,
		perClassAcc,
		perClassIU
	};
}

/** The mean of the values that are not NaN (NaN when there are none). */
export function nanMean(values: readonly number[]): number {
	const v = values.filter((x) => !Number.isNaN(x));
	return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
}
