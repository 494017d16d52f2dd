/** The learned upsampling kernels of a loaded FCN (the deconvolution lesson), as plain arrays. */
import { engine } from '$lib/model/engine';
import type { LoadedFcn } from '$lib/model/fusion';

/** One transposed convolution's kernel: [k, k, out, in] row-major (tfjs's conv2dTranspose layout). */
export interface DeconvKernel {
	name: string;
	stride: number;
	/** False when the layer was frozen (a fixed bilinear upsampling). */
	trainable: boolean;
	kernel: number;
	outChannels: number;
	inChannels: number;
	data: Float32Array;
}

/** The kernel of every transposed convolution of `fcn`, in the order of its definition. */
export async function deconvKernels(fcn: LoadedFcn): Promise<DeconvKernel[]> {
	await engine.models.fresh(fcn);
	const out: DeconvKernel[] = [];
	for (const l of fcn.net.layers) {
		if (l.type !== 'deconv') continue;
		const w = fcn.model.getLayer(l.name).getWeights()[0];
		const [k, , co, ci] = w.shape as number[];
		out.push({
			name: l.name,
			stride: l.stride,
			trainable: l.trainable,
			kernel: k,
			outChannels: co,
			inChannels: ci,
			data: (await w.data()) as Float32Array
		});
	}
	return out;
}
