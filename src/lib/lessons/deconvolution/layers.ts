/**
 * The upsampling layers of the paper's nets, read from the network definitions: name, kernel,
 * stride, padding, how they start (bilinear) and whether training may change them.
 */
import { fcn, type DeconvLayer, type FcnVariant, type NetOptions } from '$lib/fcn';

export interface UpsamplingRow {
	net: string;
	name: string;
	kernel: number;
	stride: number;
	padding: number;
	init: DeconvLayer['init'];
	trainable: boolean;
}

export function upsamplingLayers(
	variants: readonly FcnVariant[] = ['32s', '16s', '8s'],
	opts: NetOptions = {}
): UpsamplingRow[] {
	return variants.flatMap((v) => {
		const net = fcn(v, opts);
		return net.layers
			.filter((l): l is DeconvLayer => l.type === 'deconv')
			.map((l) => ({
				net: net.name,
				name: l.name,
				kernel: l.kernel,
				stride: l.stride,
				padding: l.padding,
				init: l.init,
				trainable: l.trainable
			}));
	});
}
