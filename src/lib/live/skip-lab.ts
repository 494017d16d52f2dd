/**
 * The skip-fusion lab on the one live path: the trainer (model/skip-lab.ts, which imports tfjs) is
 * loaded on first use, and it starts from the page's FCN-32s (`loadFcn`: the engine's verified
 * weights, rebuilt on the current backend). What the lab hands out is plain data (numbers, typed
 * arrays): no tf.Tensor reaches a component.
 */
import { engine } from '$lib/model/engine';
import type { LoadedFcn } from '$lib/model/fusion';
import type { LabConfig, LabScene, SkipLab } from '$lib/model/skip-lab';

export type { LabConfig, LabInit, LabScene, LabSkips, LabUp, SkipLab } from '$lib/model/skip-lab';

/**
 * A lab over `fcn32s`'s frozen trunk: the features of `train` (one size, a multiple of 32) and
 * `val` are computed here, once. The caller disposes the lab (and must, on leaving the page).
 */
export async function createSkipLab(
	fcn32s: LoadedFcn,
	train: readonly LabScene[],
	val: readonly LabScene[],
	config: LabConfig
): Promise<SkipLab> {
	const [{ SkipLab: Lab }, fcn] = await Promise.all([import('$lib/model/skip-lab'), engine.models.fresh(fcn32s)]);
	return new Lab(fcn.model, train, val, config);
}

/** Calls `fn` when the engine changes backend or recovers from a lost GPU; returns the unsubscribe. */
export function onBackendChange(fn: (message: string) => void): () => void {
	return engine.subscribe((e) => {
		if (e.type === 'backend' || e.type === 'recovered') fn(e.message);
	});
}
