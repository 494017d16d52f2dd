/**
 * For tests that start the browser engine in Node and then use the wasm backend: `engine.ready()` names
 * the site's URLs for the wasm binaries (a file map, which wins over any folder prefix), so point that
 * map back at node_modules before the wasm backend first initialises.
 */
import { join } from 'node:path';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

const FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

export function useNodeWasmFiles(): void {
	const dist = join(process.cwd(), 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
	setWasmPaths(Object.fromEntries(FILES.map((f) => [f, join(dist, f)])));
}
