/**
 * The held-out scene sets (src/lib/data/testset.ts): the fixed test and validation scenes, each made from
 * its own split's digits and regenerated bit for bit from a seed and an index.
 */
import { describe, expect, it } from 'vitest';
import { loadMnist } from '$lib/data/mnist-node';
import { digitSplit } from '$lib/data/split';
import { sceneOfSet, TEST_SCENES, VAL_SCENES } from '$lib/data/testset';

const source = loadMnist();
const split = digitSplit();

describe('sceneOfSet(): the held-out test and validation scenes', () => {
	it('test scenes use only test digits, validation scenes only validation digits', () => {
		for (const [spec, name] of [
			[TEST_SCENES, 'test'],
			[VAL_SCENES, 'val']
		] as const) {
			for (let i = 0; i < 25; i++) {
				const s = sceneOfSet(source, split, spec, i);
				expect(s.height).toBeGreaterThanOrEqual(spec.minSide);
				expect(s.width).toBeLessThanOrEqual(spec.maxSide);
				for (const d of s.digits) {
					const [a, b] = split[name][d.digit];
					expect(d.index).toBeGreaterThanOrEqual(a);
					expect(d.index).toBeLessThanOrEqual(b);
				}
			}
		}
	});

	it('regenerates a test scene bit for bit from the seed and its index', () => {
		const a = sceneOfSet(source, split, TEST_SCENES, 17);
		const b = sceneOfSet(source, split, TEST_SCENES, 17);
		expect(Buffer.from(a.label).equals(Buffer.from(b.label))).toBe(true);
		expect(Buffer.from(a.image.buffer).equals(Buffer.from(b.image.buffer))).toBe(true);
	});
});
