/**
 * Start TensorFlow.js on the wasm backend in Node, ready to train.
 *
 * What works here (tfjs 4.22, Node 20): importing '@tensorflow/tfjs-backend-wasm' registers the
 * 'wasm' backend; its Node bundle finds `tfjs-backend-wasm-simd.wasm` beside itself (via
 * __dirname), so no `setWasmPaths` is needed. SIMD is used, threads are not (Node has no
 * cross-origin isolation story here). Pass `wasmDir` (a folder path ending in '/') only to load
 * the .wasm files from elsewhere; it must be set before the backend is first initialised.
 * The missing `Conv2DBackpropFilter` kernel is registered so that conv2d and conv2dTranspose
 * layers can be trained (see wasm-grad.ts), and stride-1 `Conv2DBackpropInput` is sent through
 * XNNPACK (see wasm-backprop-input.ts; ~3× faster than the stock kernel) unless `fastBackpropInput`
 * is false.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmConv2DBackpropFilter } from '$lib/model/wasm-grad';
import { registerWasmFastConv2DBackpropInput } from '$lib/train/wasm-backprop-input';

export async function initWasmNode(options: { wasmDir?: string; fastBackpropInput?: boolean } = {}): Promise<void> {
	if (options.wasmDir !== undefined) {
		if (!options.wasmDir.endsWith('/'))
			throw new Error(`initWasmNode: wasmDir must end with '/', got '${options.wasmDir}'`);
		setWasmPaths(options.wasmDir);
	}
	registerWasmConv2DBackpropFilter();
	if (options.fastBackpropInput !== false) registerWasmFastConv2DBackpropInput();
	const ok = await tf.setBackend('wasm');
	if (!ok || tf.getBackend() !== 'wasm') throw new Error('initWasmNode: the wasm backend failed to initialise');
	await tf.ready();
}
