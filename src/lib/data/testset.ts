/**
 * The fixed held-out scene sets, regenerated bit-for-bit from a seed (the manifest records the
 * seed, the count and the size range): test scenes use test digits only, validation scenes use
 * validation digits only.
 */
import { deriveSeed, mulberry32 } from './prng.ts';
import { generateScene, type DigitSource, type Scene } from './scenes.ts';
import type { Split, SplitName } from './split.ts';

export interface SceneSetSpec {
	split: SplitName;
	seed: number;
	count: number;
	/** Heights and widths drawn uniformly from [minSide, maxSide] (inclusive), independently. */
	minSide: number;
	maxSide: number;
}

export const TEST_SCENES: SceneSetSpec = { split: 'test', seed: 20150607, count: 200, minSide: 128, maxSide: 192 };
export const VAL_SCENES: SceneSetSpec = { split: 'val', seed: 7, count: 40, minSide: 128, maxSide: 160 };

/** Scene i of a set: its own seed, so any subset can be regenerated alone (`strict`: also its labels without void). */
export function sceneOfSet(
	source: DigitSource,
	split: Split,
	spec: SceneSetSpec,
	i: number,
	opts: { strict?: boolean } = {}
): Scene {
	const rng = mulberry32(deriveSeed(spec.seed, i));
	const height = rng.int(spec.minSide, spec.maxSide);
	const width = rng.int(spec.minSide, spec.maxSide);
	return generateScene(source, rng, {
		height,
		width,
		ranges: split[spec.split],
		...(opts.strict ? { strict: true } : {})
	});
}

export function sceneSet(source: DigitSource, split: Split, spec: SceneSetSpec, count = spec.count): Scene[] {
	return Array.from({ length: Math.min(count, spec.count) }, (_, i) => sceneOfSet(source, split, spec, i));
}
