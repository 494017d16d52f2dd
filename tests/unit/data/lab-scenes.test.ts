/**
 * The skip lab's scenes (src/lib/data/lab-scenes.ts) from the shipped test digits: validation is
 * test scenes 0 … 23 bit for bit; the training scenes are 128², made only from shipped digits that
 * no validation scene uses, so nothing the lab validates on is trained on.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LAB_SCENES, labScenes } from '$lib/data/lab-scenes';
import { collectSceneDigits, testScenesFrom, type TestDigitsIndex } from '$lib/data/test-digits';

const index = JSON.parse(readFileSync('static/data/test-digits.json', 'utf8')) as TestDigitsIndex;
const set = testScenesFrom(index, new Uint8Array(readFileSync('static/data/test-digits.bin')));

describe('labScenes', () => {
	const lab = labScenes(set);
	const valDigits = new Set(
		collectSceneDigits(set.source, set.split, { ...set.index.spec, count: LAB_SCENES.valCount }).map(
			(r) => `${r.digit}:${r.index}`
		)
	);

	it('validates on the first held-out test scenes, unchanged', () => {
		expect(lab.val).toHaveLength(LAB_SCENES.valCount);
		lab.val.forEach((v, i) => expect(v.label).toEqual(set.scene(i).label));
	});

	it('trains on 128² scenes drawn only from shipped digits in no validation scene', () => {
		expect(lab.train).toHaveLength(LAB_SCENES.trainCount);
		for (const [d, pool] of lab.trainPool.entries()) {
			expect(pool.length).toBeGreaterThan(0);
			for (const i of pool) expect(valDigits.has(`${d}:${i}`)).toBe(false);
		}
		let digits = 0;
		for (const s of lab.train) {
			expect([s.width, s.height]).toEqual([128, 128]);
			for (const p of s.digits) {
				// A training scene's digit index is into its class's pool.
				const mnist = lab.trainPool[p.digit][p.index];
				expect(mnist).toBeDefined();
				expect(valDigits.has(`${p.digit}:${mnist}`)).toBe(false);
				digits++;
			}
		}
		expect(digits).toBeGreaterThan(LAB_SCENES.trainCount);
	});

	it('is the same every time (seeded)', () => {
		expect(labScenes(set).train[5].label).toEqual(lab.train[5].label);
	});
});
