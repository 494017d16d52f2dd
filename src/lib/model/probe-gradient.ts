/**
 * The probe network of the receptive-field lesson, built and run (see
 * src/lib/lessons/receptive-field/probe.ts for what it is): every convolution kernel set to the
 * same positive value 1/k² and every bias to 0 (any positive value gives the same support; 1/k² keeps the numbers in
 * float32 range through twenty layers), and the gradient of one unit (summed over its channels)
 * with respect to the input. Returns plain arrays; every tensor is disposed.
 */
import type * as TF from '@tensorflow/tfjs';
import type { Network } from '$lib/fcn/network';
import { buildModel } from '$lib/model/build';
import { registerWasmConv2DBackpropFilter } from '$lib/model/wasm-grad';

/** Build the probe model of a probe network (built by probeNetwork) with equal positive weights. */
export function buildProbe(tf: typeof TF, probe: Network): TF.LayersModel {
	const model = buildModel(probe, { seed: 1 });
	for (const l of probe.layers) {
		if (l.type !== 'conv') continue;
		const layer = model.getLayer(l.name);
		const [kernel, bias] = layer.getWeights();
		const w = tf.fill(kernel.shape, 1 / (l.kernel * l.kernel));
		const b = tf.zeros(bias.shape);
		layer.setWeights([w, b]);
		tf.dispose([w, b]);
	}
	return model;
}

/** ∂(sum over channels of unit (y, x) of the probe's output) / ∂input, for a zero input of H×W. */
export async function probeGradient(
	tf: typeof TF,
	model: TF.LayersModel,
	height: number,
	width: number,
	unit: { y: number; x: number }
): Promise<Float32Array> {
	// tf.grad through a linear (unfused) conv2d also asks for the filter gradient, which the wasm
	// backend lacks; the project's kernel (wasm-grad.ts) provides it. Idempotent.
	if (tf.getBackend() === 'wasm') registerWasmConv2DBackpropFilter();
	const g = tf.tidy(() => {
		const x = tf.zeros([1, height, width, 1]);
		const f = (inp: TF.Tensor) => {
			const a = model.apply(inp) as TF.Tensor4D;
			return a.slice([0, unit.y, unit.x, 0], [1, 1, 1, a.shape[3]]).sum();
		};
		return tf.grad(f)(x);
	});
	try {
		return (await g.data()) as Float32Array;
	} finally {
		g.dispose();
	}
}
