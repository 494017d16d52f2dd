/**
 * The receptive-field lesson's probe nets (probe-gradient.ts), held in the engine's registry (one
 * per layer, kept while the page lives, rebuilt on a new backend): the gradient of one unit with
 * respect to a zero input, as a plain array.
 */
import type { Network } from '$lib/fcn/network';
import { engine } from '$lib/model/engine';
import { loadTf } from '$lib/model/tf';

const PREFIX = 'receptive-field/probe/';
const probeModule = () => import('$lib/model/probe-gradient');

/**
 * ∂(sum over channels of unit (y, x) of the probe's output) / ∂input for a zero height×width input;
 * `key` names the probe net (built once per key from `probe`).
 */
export async function probeFieldGradient(
	key: string,
	probe: Network,
	height: number,
	width: number,
	unit: { y: number; x: number }
): Promise<Float32Array> {
	const { buildProbe, probeGradient } = await probeModule();
	const p = await engine.models.get(PREFIX + key, {
		build: async (tf) => ({ model: buildProbe(tf, probe) }),
		parts: (v) => [v.model]
	});
	return probeGradient(await loadTf(), p.model, height, width, unit);
}

/** Dispose every probe net (the lesson's cell going away). */
export function releaseProbeFields(): void {
	for (const k of engine.models.keys()) if (k.startsWith(PREFIX)) engine.models.delete(k);
}
