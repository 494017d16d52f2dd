import { describe, expect, it } from 'vitest';
import { judge, type Prediction } from '$lib/predict';
import { nextLayerRf, pool4Jump } from '$lib/lessons/receptive-field/predictions';
import { fc6Weights, scoreMapAt } from '$lib/lessons/fc-to-conv/predictions';
import { checkerboard, stitchPasses, transposedOutput } from '$lib/lessons/deconvolution/predictions';
import { whichSkipGainsMore, zeroInitStart } from '$lib/lessons/skip-fusion/predictions';
import { pool3Jump } from '$lib/lessons/network/predictions';
import { TRAINED, trainedOptions } from '$lib/fcn';

/** The explanation a reader gets for a guess. */
const says = (p: Prediction, guess: string) => judge(p, guess).feedback;

describe("lessons' predictions: answers computed by the library, feedback aimed at the usual mistake", () => {
	it('receptive field: a 3×3 conv on a stride-2 pool sees 6 px; adding kernels gives 4 and is named as the mistake', () => {
		const p = nextLayerRf();
		expect(p.answer).toBe(6);
		expect(says(p, '4')).toMatch(/You added the kernels/);
		expect(says(p, '9')).toMatch(/rf = rf_prev/);
	});
	it("receptive field: VGG-16's pool4 units are 16 px apart; adding the strides (8) is named", () => {
		const p = pool4Jump();
		expect(p.answer).toBe(16);
		expect(says(p, '8')).toMatch(/added the strides/);
	});
	it('fc-to-conv: the trained classifier on twice its input gives a map wider than 2 per side', () => {
		const p = scoreMapAt(trainedOptions({ classes: TRAINED.digitClasses }), TRAINED.classifierInput);
		expect(p.kind).toBe('number');
		expect(p.answer).toBeGreaterThan(2);
		expect(says(p, '2')).toMatch(/tile/);
	});
	it("fc-to-conv: fc6's weights are the same in number either way", () => {
		const p = fc6Weights();
		expect(p.answer).toBe('same');
		expect(says(p, 'more')).toMatch(/reshaped/);
	});
	it("deconvolution: input 4, kernel 4, stride 2, padding 1 gives 8; the direct conv's 2 is named", () => {
		const p = transposedOutput(4, 4, 2, 1);
		expect(p.answer).toBe(8);
		expect(says(p, '2')).toMatch(/ordinary convolution/);
		expect(transposedOutput(5, 3, 2, 1).answer).toBe(9);
		expect(transposedOutput(3, 16, 8, 4).answer).toBe(24);
	});
	it('deconvolution: shift-and-stitch at pool5 (f = 2) needs f² = 4 passes; guessing f is named as one axis', () => {
		const p = stitchPasses(2);
		expect(p.answer).toBe(4);
		expect(says(p, '2')).toMatch(/one axis/);
		expect(stitchPasses(3).answer).toBe(9);
	});
	it('deconvolution: a 3×3 kernel at stride 2 gives a grid, a 4×4 one is flat', () => {
		expect(checkerboard(3, 2).answer).toBe('grid');
		expect(checkerboard(4, 2).answer).toBe('flat');
	});
	it("skip-fusion: in CVPR's Table 2 the pool4 skip gains more than the pool3 skip", () => {
		const p = whichSkipGainsMore();
		expect(p.answer).toBe('pool4');
		expect(says(p, 'pool3')).toMatch(/\+3\.0 points for pool4, \+0\.3 for pool3/);
		expect(zeroInitStart().answer).toBe('same');
	});
	it("network: our FCN-8s's pool3 units are 8 px apart", () => {
		expect(pool3Jump().answer).toBe(8);
		expect(says(pool3Jump(), '6')).toMatch(/multiply/);
	});
});
