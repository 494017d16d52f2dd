/**
 * The split of the MNIST digits (src/lib/data/split.ts): train, validation and test never share a digit
 * image, as the paper's held-out set never shares an image with training.
 */
import { describe, expect, it } from 'vitest';
import { loadMnist } from '$lib/data/mnist-node';
import { digitSplit, MNIST_COUNTS, SPLIT_NAMES } from '$lib/data/split';

const source = loadMnist();
const split = digitSplit();

describe('digitSplit(): the split of the MNIST digits', () => {
	it('covers each class with disjoint, in-range train / val / test index ranges', () => {
		for (let d = 0; d < 10; d++) {
			expect(source.count(d)).toBe(MNIST_COUNTS[d]);
			const [tr, va, te] = SPLIT_NAMES.map((s) => split[s][d]);
			expect(tr[0]).toBe(0);
			expect(va[0]).toBe(tr[1] + 1);
			expect(te[0]).toBe(va[1] + 1);
			expect(te[1]).toBe(MNIST_COUNTS[d] - 1);
			expect(te[1] - te[0]).toBeGreaterThan(50);
		}
	});
});
