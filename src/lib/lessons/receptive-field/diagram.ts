/**
 * The 1-D diagram of the receptive-field lesson: the units of every level of a stack over an input
 * row of N pixels, and which units one chosen unit depends on at every level below.
 *
 * Sizes come from the library (convOutputSize / poolOutputSize), positions from its recurrences
 * (recurrenceTable → start + u·jump). The dependency sets are walked back layer by layer from the
 * definition of the layer (unit i reads units i·s − p + j·d, 0 ≤ j < k); the unit tests check that
 * the walk spans exactly the library's rf and is centred on its start + u·jump.
 */
import { convOutputSize, GeometryError, INPUT_FIELD, poolOutputSize, type Field } from '$lib/fcn';
import { recurrenceTable } from './composition';
import type { StackLayer } from './stack';

export interface Level {
	/** 'input' for level 0, else the layer's name. */
	name: string;
	/** Number of units. */
	size: number;
	/** Field of the level's units (input: rf 1, jump 1, start 0). */
	field: Field;
}

export interface Diagram {
	/** Input length N in pixels. */
	input: number;
	levels: Level[];
}

/** Longest input row the diagram draws. */
export const MAX_INPUT = 640;

/**
 * An input length that shows the whole field of the top level's units with a few of them side by
 * side: rf + 4·jump, at least 16 and at most MAX_INPUT.
 */
export function autoInput(layers: readonly StackLayer[]): number {
	const rows = recurrenceTable(layers);
	const f = rows.length ? rows[rows.length - 1].field : INPUT_FIELD;
	return Math.max(16, Math.min(MAX_INPUT, Math.ceil(f.rf + 4 * f.jump)));
}

/** Sizes and fields of every level for an input of `input` pixels. Throws a GeometryError naming the layer. */
export function diagramLevels(layers: readonly StackLayer[], input: number): Diagram {
	const rows = recurrenceTable(layers);
	const levels: Level[] = [{ name: 'input', size: input, field: INPUT_FIELD }];
	let n = input;
	layers.forEach((l, i) => {
		n =
			l.kind === 'conv'
				? convOutputSize(n, l.k, l.s, l.p, l.d, l.name)
				: poolOutputSize(n, l.k, l.s, l.p, l.ceil, l.name);
		levels.push({ name: l.name, size: n, field: rows[i].field });
	});
	return { input, levels };
}

export interface Dependency {
	/** First and last unit index reached at this level, padding included (may lie outside [0, size)). */
	lo: number;
	hi: number;
	/** 1 for every real unit the chosen unit depends on. */
	marked: Uint8Array;
}

/**
 * For unit `unit` of level `level`: the units it depends on at every level 0 … level (index =
 * level). Levels above `level` are absent. Throws a RangeError for a unit outside the level.
 */
export function dependencies(
	layers: readonly StackLayer[],
	diagram: Diagram,
	level: number,
	unit: number
): Dependency[] {
	const top = diagram.levels[level];
	if (!top) throw new RangeError(`invalid level: ${level}`);
	if (!Number.isInteger(unit) || unit < 0 || unit >= top.size)
		throw new RangeError(`invalid unit: ${unit} (level ${top.name} has ${top.size})`);
	const out: Dependency[] = new Array(level + 1);
	const marked = new Uint8Array(top.size);
	marked[unit] = 1;
	out[level] = { lo: unit, hi: unit, marked };
	for (let l = level - 1; l >= 0; l--) {
		const layer = layers[l];
		const above = out[l + 1];
		const size = diagram.levels[l].size;
		const m = new Uint8Array(size);
		for (let i = 0; i < above.marked.length; i++) {
			if (!above.marked[i]) continue;
			for (let j = 0; j < layer.k; j++) {
				const x = i * layer.s - layer.p + j * layer.d;
				if (x >= 0 && x < size) m[x] = 1;
			}
		}
		out[l] = {
			lo: above.lo * layer.s - layer.p,
			hi: above.hi * layer.s - layer.p + layer.d * (layer.k - 1),
			marked: m
		};
	}
	return out;
}

/** Where unit u of a level is centred in input pixels: start + u·jump. */
export function unitCentre(level: Level, u: number): number {
	return level.field.start + u * level.field.jump;
}

/** A message for the reader instead of a crash when a stack cannot run on the diagram's input. */
export function diagramError(e: unknown): string {
	if (e instanceof GeometryError) return e.message;
	return e instanceof Error ? e.message : String(e);
}
