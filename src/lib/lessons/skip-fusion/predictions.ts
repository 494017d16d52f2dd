/** The skip-fusion lesson's predictions; answers come from the paper's tables and the fusion rule. */
import type { Prediction } from '$lib/predict';
import { CVPR_TABLE2 } from '$lib/fcn/paper';

const iu = (net: string) => CVPR_TABLE2.rows.find((r) => r.net === net)!.meanIU;

/** Which step gains more mean IU in the paper: 32s → 16s or 16s → 8s. */
export function whichSkipGainsMore(): Prediction {
	const first = iu('fcn16s') - iu('fcn32s');
	const second = iu('fcn8s') - iu('fcn16s');
	return {
		kind: 'choice',
		question: `In the CVPR paper, which step gains more mean IU: adding the pool4 skip (FCN-32s → FCN-16s), or then adding the pool3 skip (FCN-16s → FCN-8s)?`,
		choices: [
			{ value: 'pool4', label: 'the pool4 skip (32s → 16s)' },
			{ value: 'pool3', label: 'the pool3 skip (16s → 8s)' }
		],
		answer: first >= second ? 'pool4' : 'pool3',
		explain: () =>
			`The finer skip helps less: +${first.toFixed(1)} points for pool4, +${second.toFixed(1)} for pool3. Returns diminish: the paper stopped at pool3 for that reason.`,
		why: `CVPR Table 2: ${iu('fcn32s')} → ${iu('fcn16s')} → ${iu('fcn8s')} mean IU. On our thin digit strokes the finer skip matters more; the evaluation below measures it.`
	};
}

/** What FCN-16s predicts at its first training step, with score_pool4 initialised to zero. */
export function zeroInitStart(): Prediction {
	return {
		kind: 'choice',
		question: `FCN-16s starts from a trained FCN-32s, with its new score_pool4 layer initialised to zero. Before any training step, what does it predict?`,
		choices: [
			{ value: 'same', label: 'exactly what FCN-32s predicts' },
			{ value: 'sharper', label: 'something sharper than FCN-32s' },
			{ value: 'noise', label: 'noise: the new layer is untrained' }
		],
		answer: 'same',
		explain: () =>
			`A zero score_pool4 adds s₄ = 0 to the upsampled FCN-32s scores, so the sum is FCN-32s's prediction (away from the borders). Training can then only improve on it, which is why the paper starts the new layer at zero.`
	};
}
