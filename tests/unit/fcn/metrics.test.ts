/**
 * Segmentation metrics (§5): pixel accuracy, mean accuracy, mean IU and frequency-weighted IU from
 * a confusion matrix, with the ignore label 255 left out as the paper evaluates.
 */
import { describe, expect, it } from 'vitest';
import { accumulateConfusion, confusionFromRows, confusionMatrix, emptyConfusion, segmentationScores } from '$lib/fcn';

describe('segmentationScores(confusion)', () => {
	// Worked by hand. Rows = truth, columns = prediction.
	//          pred 0  1  2
	//  true 0      5  1  0     t_0 = 6
	//  true 1      2  3  1     t_1 = 6
	//  true 2      0  0  4     t_2 = 4     total 16, correct 12
	// column sums: 7, 4, 5
	// IU_0 = 5/(6+7−5) = 5/8, IU_1 = 3/(6+4−3) = 3/7, IU_2 = 4/(4+5−4) = 4/5
	const conf = confusionFromRows([
		[5, 1, 0],
		[2, 3, 1],
		[0, 0, 4]
	]);
	const s = segmentationScores(conf);
	it('pixel accuracy Σ n_ii / Σ t_i = 12/16', () => expect(s.pixelAcc).toBeCloseTo(12 / 16, 12));
	it('mean accuracy (1/n_cl) Σ n_ii/t_i = (5/6 + 3/6 + 4/4)/3', () =>
		expect(s.meanAcc).toBeCloseTo((5 / 6 + 3 / 6 + 1) / 3, 12));
	it('mean IU = (5/8 + 3/7 + 4/5)/3', () => expect(s.meanIU).toBeCloseTo((5 / 8 + 3 / 7 + 4 / 5) / 3, 12));
	it('frequency-weighted IU = (6·5/8 + 6·3/7 + 4·4/5)/16', () =>
		expect(s.fwIU).toBeCloseTo((6 * (5 / 8) + 6 * (3 / 7) + 4 * (4 / 5)) / 16, 12));
	it('per-class IU', () =>
		expect(s.perClassIU.map((v) => +v.toFixed(9))).toEqual([5 / 8, 3 / 7, 4 / 5].map((v) => +v.toFixed(9))));

	it('a class absent from truth and prediction is NaN and left out of the means', () => {
		const t = segmentationScores(
			confusionFromRows([
				[3, 1, 0],
				[1, 5, 0],
				[0, 0, 0]
			])
		);
		expect(Number.isNaN(t.perClassIU[2])).toBe(true);
		expect(Number.isNaN(t.perClassAcc[2])).toBe(true);
		expect(t.meanIU).toBeCloseTo((3 / 5 + 5 / 7) / 2, 12);
	});
	it('a class predicted but never true has IU 0 (it counts against the mean) and no accuracy', () => {
		const t = segmentationScores(
			confusionFromRows([
				[3, 1],
				[0, 0]
			])
		);
		expect(t.perClassIU).toEqual([0.75, 0]);
		expect(t.meanIU).toBe(0.375);
		expect(t.meanAcc).toBe(0.75);
	});
	it('an empty matrix gives NaN, not 0', () => {
		expect(Number.isNaN(segmentationScores(emptyConfusion(3)).pixelAcc)).toBe(true);
	});
});

describe('confusionMatrix(labels, predictions, classes)', () => {
	it('counts truth × prediction pairs and skips pixels labelled 255', () => {
		const labels = [0, 0, 1, 255, 2, 1, 255];
		const preds = [0, 1, 1, 2, 2, 0, 0];
		const c = confusionMatrix(labels, preds, 3);
		expect(Array.from(c.counts)).toEqual([1, 1, 0, 1, 1, 0, 0, 0, 1]);
	});
	it('accumulates over images', () => {
		const c = emptyConfusion(2);
		accumulateConfusion(c, [0, 1], [0, 1]);
		accumulateConfusion(c, Uint8Array.from([1, 255]), Uint8Array.from([0, 1]));
		expect(Array.from(c.counts)).toEqual([1, 0, 1, 1]);
	});
	it('rejects labels and predictions outside the classes', () => {
		expect(() => confusionMatrix([3], [0], 3)).toThrow(/invalid label 3 at pixel 0/);
		expect(() => confusionMatrix([0], [7], 3)).toThrow(/invalid prediction 7/);
		expect(() => confusionMatrix([0, 1], [0], 3)).toThrow(/2 labels but 1 predictions/);
	});
});
