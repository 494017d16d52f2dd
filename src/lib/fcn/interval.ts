/**
 * Which input pixels a unit sees, along one axis: the exact 1-D interval of the input that units
 * [lo, hi] of a layer depend on, walked back layer by layer (for diagrams of receptive fields).
 */
import { layerGeometry } from './analyze';
import { cropOffsets } from './coordMap';
import { GeometryError } from './errors';
import type { Network } from './network';
import { layerByName } from './network';
import { effectiveKernel } from './shapes';

/**
 * The interval [first, last] of input pixels that units `units` (one index or an inclusive range)
 * of layer `layer` see, along one axis. Without `inputSize` the layers are taken as unbounded, so
 * the interval may reach into the padding (negative, or past the input). With `inputSize` (the
 * input's extent along this axis) every layer's range is clipped to the units that exist, and the
 * result to the image; null when the units see no input pixel at all (pure padding).
 */
export function seenInterval(
	net: Network,
	layer: string,
	units: number | [number, number],
	inputSize?: number
): [number, number] | null {
	const [lo, hi] = typeof units === 'number' ? [units, units] : units;
	if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo > hi) {
		throw new GeometryError(layer, `invalid unit range [${lo}, ${hi}]`);
	}
	const sizes = inputSize === undefined ? null : layerGeometry(net, [inputSize, inputSize], layer);
	const offsets = cropOffsets(net);

	const back = (name: string, a: number, b: number): [number, number] | null => {
		if (sizes) {
			const n = sizes.get(name)!.out[0];
			a = Math.max(a, 0);
			b = Math.min(b, n - 1);
			if (a > b) return null;
		}
		const l = layerByName(net, name);
		switch (l.type) {
			case 'input':
				return [a, b];
			case 'conv':
			case 'pool': {
				const ke = l.type === 'conv' ? effectiveKernel(l.kernel, l.dilation) : l.kernel;
				return back(l.input, a * l.stride - l.padding, b * l.stride - l.padding + ke - 1);
			}
			case 'deconv':
				// Output y reads input i when 0 ≤ y + p − s·i ≤ k − 1.
				return back(
					l.input,
					Math.ceil((a + l.padding - l.kernel + 1) / l.stride),
					Math.floor((b + l.padding) / l.stride)
				);
			case 'crop': {
				const c = offsets.get(l.name)!;
				return back(l.input, a + c, b + c);
			}
			case 'sum': {
				const [x, y] = l.inputs.map((i) => back(i, a, b));
				if (!x || !y) return x ?? y;
				return [Math.min(x[0], y[0]), Math.max(x[1], y[1])];
			}
			case 'resize': {
				// Output y samples input u = (y + ½)/f − ½ (or y/f): bilinear reads ⌊u⌋ and ⌊u⌋ + 1.
				const u = (y: number) => (l.halfPixel ? (y + 0.5) / l.factor - 0.5 : y / l.factor);
				const lo = l.mode === 'bilinear' ? Math.floor(u(a)) : Math.round(u(a));
				const hi = l.mode === 'bilinear' ? Math.floor(u(b)) + 1 : Math.round(u(b));
				return back(l.input, lo, hi);
			}
			case 'scale':
				// The gate is one number per channel from a global pooling: the unit's own window is the map's.
				return back(l.inputs[0], a, b);
			case 'dropout':
			case 'lrn':
			case 'dense':
				return back(l.input, a, b);
			case 'flatten': {
				if (!sizes) throw new GeometryError(l.name, 'a dense head sees its whole input: pass inputSize');
				return back(l.input, 0, sizes.get(l.input)!.out[0] - 1);
			}
		}
	};
	return back(layer, lo, hi);
}
