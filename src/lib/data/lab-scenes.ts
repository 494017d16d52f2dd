/**
 * The scenes of the skip-fusion lab ("Train the skip yourself"), made in the page by the seeded
 * generator from the digits the site ships.
 *
 * The site ships only the TEST-split digits that the held-out test scenes use (static/data,
 * test-digits.ts); the browser never sees a training digit. So the lab splits those digits in two:
 * - validation: test scenes 0 … valCount − 1, the very scenes (and protocol) of the evaluation cell;
 * - training: new scenes (own seed, square `trainSide`) drawn ONLY from the shipped digits that no
 *   validation scene uses. No digit image is in both, and no validation scene is trained on.
 * The shipped nets never saw any of these digits (they were trained on the training split).
 */
import { mulberry32, deriveSeed } from './prng.ts';
import { generateScene, type DigitSource, type Scene } from './scenes.ts';
import type { Range } from './split.ts';
import { collectSceneDigits, type TestScenes } from './test-digits.ts';

export interface LabSceneSpec {
	/** Validation scenes: test scenes 0 … valCount − 1. */
	valCount: number;
	trainCount: number;
	trainSide: number;
	trainSeed: number;
}

export const LAB_SCENES: LabSceneSpec = { valCount: 24, trainCount: 64, trainSide: 128, trainSeed: 15 };

export interface LabScenes {
	train: Scene[];
	val: Scene[];
	/** Per class, the mnist indices of the digits the training scenes draw from (shipped, in no validation scene). */
	trainPool: number[][];
}

/**
 * A DigitSource over `pool[d]` (mnist indices per class) of `base`: image i of class d is
 * `base.get(d, pool[d][i])`, so the generator's ranges are [0, pool[d].length − 1].
 */
export function pooledSource(base: DigitSource, pool: readonly (readonly number[])[]): DigitSource {
	return {
		count: (d) => pool[d].length,
		get: (d, i) => base.get(d, pool[d][i])
	};
}

/** The training and validation scenes of the lab from the shipped test digits. */
export function labScenes(set: TestScenes, spec: LabSceneSpec = LAB_SCENES): LabScenes {
	const valCount = Math.min(spec.valCount, set.count);
	const val = Array.from({ length: valCount }, (_, i) => set.scene(i));
	const used = new Set(
		collectSceneDigits(set.source, set.split, { ...set.index.spec, count: valCount }).map(
			(r) => `${r.digit}:${r.index}`
		)
	);
	const pool: number[][] = Array.from({ length: 10 }, () => []);
	for (const r of set.index.digits) if (!used.has(`${r.digit}:${r.index}`)) pool[r.digit].push(r.index);
	const empty = pool.findIndex((p) => p.length === 0);
	if (empty >= 0) throw new Error(`lab scenes: no shipped digit of class ${empty} is left for training`);
	const source = pooledSource(set.source, pool);
	const ranges: Range[] = pool.map((p) => [0, p.length - 1]);
	const train = Array.from({ length: spec.trainCount }, (_, i) =>
		generateScene(source, mulberry32(deriveSeed(spec.trainSeed, i)), {
			height: spec.trainSide,
			width: spec.trainSide,
			ranges
		})
	);
	return { train, val, trainPool: pool };
}
