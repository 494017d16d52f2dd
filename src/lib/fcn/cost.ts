/**
 * Parameters and FLOPs of one layer.
 *
 * FLOPs are counted as 2 × multiply–accumulates (one multiply and one add per weight use) of the
 * convolutions, transposed convolutions and dense layers. Bias additions, activations, pooling,
 * LRN, sums and crops are not counted (together well under 1% for these nets). A transposed
 * convolution is counted as its scatter: every input value meets every weight once.
 */
import { GeometryError } from './errors';
import type { Layer } from './network';
import type { Shape } from './analyze';

/** Learned parameters (weights + biases). Grouped convolutions: each group sees C_in/groups channels. */
export function layerParams(layer: Layer, input: Shape): number {
	const cin = input[2];
	switch (layer.type) {
		case 'conv': {
			if (cin % layer.groups !== 0 || layer.filters % layer.groups !== 0) {
				throw new GeometryError(
					layer.name,
					`${cin} input and ${layer.filters} output channels do not split into ${layer.groups} groups`
				);
			}
			const w = layer.kernel * layer.kernel * (cin / layer.groups) * layer.filters;
			return w + (layer.bias ? layer.filters : 0);
		}
		case 'deconv':
			return layer.kernel * layer.kernel * cin * layer.filters + (layer.bias ? layer.filters : 0);
		case 'dense':
			return cin * layer.units + layer.units;
		default:
			return 0;
	}
}

/** 2 × multiply–accumulates for an input of shape `input` giving `out`. */
export function layerFlops(layer: Layer, input: Shape, out: Shape): number {
	const [ih, iw, cin] = input;
	const [oh, ow] = out;
	switch (layer.type) {
		case 'conv':
			return 2 * oh * ow * layer.filters * layer.kernel * layer.kernel * (cin / layer.groups);
		case 'deconv':
			return 2 * ih * iw * cin * layer.kernel * layer.kernel * layer.filters;
		case 'dense':
			return 2 * cin * layer.units;
		default:
			return 0;
	}
}
