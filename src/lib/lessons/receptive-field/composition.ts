/**
 * The receptive-field lesson's two views of one stack, both from the geometry library:
 * the paper's composition rule applied layer after layer (compose), and the per-layer recurrences
 * (convField: rf, jump, start). `compositionSteps` returns the numbers to substitute into the rule;
 * `recurrenceTable` the table rows; `agreement` whether the two give the same (k, s).
 */
import { compose, convField, effectiveKernel, INPUT_FIELD, type Field, type KernelStride } from '$lib/fcn';
import type { StackLayer } from './stack';

/** The layer as the paper's f_ks: the effective (dilated) kernel and the stride. */
export function asKernelStride(l: Pick<StackLayer, 'k' | 's' | 'd'>): KernelStride {
	return { k: effectiveKernel(l.k, l.d), s: l.s };
}

export interface CompositionStep {
	/** Index of the layer `f` added at this step (1-based position in the stack). */
	index: number;
	name: string;
	/** The stack so far, g = layers 1 … index − 1 as one f_k′s′. */
	g: KernelStride;
	/** The new layer f_ks (effective kernel). */
	f: KernelStride;
	/** (f∘g)_{k′+(k−1)s′, ss′} */
	result: KernelStride;
}

/** One step per layer: the first composes with the identity (k = 1, s = 1). */
export function compositionSteps(layers: readonly StackLayer[]): CompositionStep[] {
	const steps: CompositionStep[] = [];
	let g: KernelStride = { k: 1, s: 1 };
	layers.forEach((l, i) => {
		const f = asKernelStride(l);
		const result = compose(f, g);
		steps.push({ index: i + 1, name: l.name, g, f, result });
		g = result;
	});
	return steps;
}

/** The TeX of one step with the numbers substituted: k′ + (k − 1)s′ = … , ss′ = … */
export function stepTex(step: CompositionStep): string {
	const { f, g, result } = step;
	return (
		String.raw`f_{${f.k},${f.s}} \circ g_{${g.k},${g.s}}:\quad k = ${g.k} + (${f.k} - 1)\cdot ${g.s} = ${result.k},` +
		String.raw`\quad s = ${f.s}\cdot ${g.s} = ${result.s}`
	);
}

export interface RecurrenceRow {
	name: string;
	kind: StackLayer['kind'];
	k: number;
	s: number;
	p: number;
	d: number;
	/** Effective kernel d(k − 1) + 1. */
	ke: number;
	field: Field;
}

/** rf, jump and start after every layer, by the library's recurrences. */
export function recurrenceTable(layers: readonly StackLayer[]): RecurrenceRow[] {
	let f = INPUT_FIELD;
	return layers.map((l) => {
		f = convField(f, l.k, l.s, l.p, l.d);
		return { name: l.name, kind: l.kind, k: l.k, s: l.s, p: l.p, d: l.d, ke: effectiveKernel(l.k, l.d), field: f };
	});
}

/** Whether the composed (k, s) equals the last row's (rf, jump); both for the empty stack (1, 1). */
export function agreement(
	steps: readonly CompositionStep[],
	rows: readonly RecurrenceRow[]
): {
	composed: KernelStride;
	field: Field;
	agree: boolean;
} {
	const composed = steps.length ? steps[steps.length - 1].result : { k: 1, s: 1 };
	const field = rows.length ? rows[rows.length - 1].field : INPUT_FIELD;
	return { composed, field, agree: composed.k === field.rf && composed.s === field.jump };
}
