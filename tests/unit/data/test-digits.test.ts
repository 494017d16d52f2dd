/**
 * The browser's held-out test scenes (static/data/test-digits.*) are the Node scenes, bit for bit.
 * The paper evaluates on a fixed held-out set (PASCAL VOC 2011 val); the explorer's browser
 * evaluation must see exactly the scenes that `npm run eval` scored.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadMnist } from '$lib/data/mnist-node';
import { digitSplit } from '$lib/data/split';
import { sceneOfSet, TEST_SCENES } from '$lib/data/testset';
import {
	collectSceneDigits,
	decodeLevel,
	encodeDigit,
	testScenesFrom,
	type TestDigitsIndex
} from '$lib/data/test-digits';

const index = JSON.parse(readFileSync('static/data/test-digits.json', 'utf8')) as TestDigitsIndex;
const bytes = new Uint8Array(readFileSync('static/data/test-digits.bin'));
const mnist = loadMnist();
const split = digitSplit();

function sameBits(a: Float32Array, b: Float32Array): boolean {
	if (a.length !== b.length) return false;
	const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
	const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
	return ua.every((v, i) => v === ub[i]);
}

describe('the test digits exported for the browser (static/data/test-digits.*)', () => {
	it('decodeLevel(encode(x)) is x, bit for bit, for every pixel value of the exported digits', () => {
		for (const r of index.digits) {
			const img = mnist.get(r.digit, r.index);
			const back = Float32Array.from(encodeDigit(img), decodeLevel);
			expect(sameBits(back, img)).toBe(true);
		}
	});

	it('the index records the scene set that testset.ts defines (seed, count, sizes)', () => {
		expect(index.spec).toEqual(TEST_SCENES);
		expect(index.counts).toEqual(Array.from({ length: 10 }, (_, d) => mnist.count(d)));
	});

	it('every exported digit is from the test split (no training digit reaches the browser)', () => {
		for (const r of index.digits) {
			const [a, b] = split.test[r.digit];
			expect(r.index).toBeGreaterThanOrEqual(a);
			expect(r.index).toBeLessThanOrEqual(b);
		}
	});

	it('the file holds exactly the digits the generator reads (it is up to date)', () => {
		const used = collectSceneDigits(mnist, split, TEST_SCENES);
		expect(index.digits).toEqual(used);
		expect(bytes.length).toBe(used.length * 784);
	});

	it('every held-out scene regenerated from the file equals the scene from the mnist package', () => {
		const fromFile = testScenesFrom(index, bytes);
		expect(fromFile.count).toBe(TEST_SCENES.count);
		for (let i = 0; i < TEST_SCENES.count; i++) {
			const a = sceneOfSet(mnist, split, TEST_SCENES, i);
			const b = fromFile.scene(i);
			expect([b.height, b.width]).toEqual([a.height, a.width]);
			expect(b.digits).toEqual(a.digits);
			expect(sameBits(b.image, a.image)).toBe(true);
			expect(Buffer.from(b.label).equals(Buffer.from(a.label))).toBe(true);
		}
	});

	it('asking for an image that was not exported, or a scene out of range, names it', () => {
		const fromFile = testScenesFrom(index, bytes);
		expect(() => fromFile.source.get(0, 0)).toThrow(/image 0 of class 0 was not exported/);
		expect(() => fromFile.scene(TEST_SCENES.count)).toThrow(/invalid test scene/);
		expect(() => testScenesFrom(index, bytes.subarray(1))).toThrow(/binary file holds/);
	});
});
