/**
 * Start TensorFlow.js on the wasm backend in Node, ready to train.
 *
 * What works here (tfjs 4.22, Node 20): importing '@tensorflow/tfjs-backend-wasm' registers the
 * 'wasm' backend; its Node bundle finds `tfjs-backend-wasm-simd.wasm` beside itself (via
 * __dirname), so no `setWasmPaths` is needed. SIMD is used, threads are not (Node has no
 * cross-origin isolation story here). Pass `wasmDir` (a folder path ending in '/') only to load
 * the .wasm files from elsewhere; it must be set before the backend is first initialised.
 * The missing `Conv2DBackpropFilter` kernel is registered so that conv2d and conv2dTranspose
 * layers can be trained (see wasm-grad.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmConv2DBackpropFilter } from './wasm-grad.ts';

export async function initWasmNode(options: { wasmDir?: string } = {}): Promise<void> {
	if (options.wasmDir !== undefined) {
		if (!options.wasmDir.endsWith('/')) throw new Error(`initWasmNode: wasmDir must end with '/', got '${options.wasmDir}'`);
		setWasmPaths(options.wasmDir);
	}
	registerWasmConv2DBackpropFilter();
	const ok = await tf.setBackend('wasm');
	if (!ok || tf.getBackend() !== 'wasm') throw new Error('initWasmNode: the wasm backend failed to initialise');
	await tf.ready();
}
