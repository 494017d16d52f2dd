/**
 * FC → conv (the paper's §3.1): a dense layer reading a flattened H×W×C map is the H×W
 * convolution holding the same numbers. Which dense input row becomes which kernel tap depends on
 * the order the map was flattened in: channels-last (HWC, TensorFlow / our models) or Caffe's
 * channels-first (CHW, the reference VGG-16 weights).
 */
import type { Shape } from './analyze';
import { GeometryError, checkInteger } from './errors';

export type FlattenOrder = 'hwc' | 'chw';

/** A kernel tap: row, column and input channel. */
export interface Tap {
	row: number;
	col: number;
	channel: number;
}

/** The dense weight row that multiplies tap (row, col, channel) of a flattened [H, W, C] map. */
export function tapToDenseRow(tap: Tap, shape: Shape, order: FlattenOrder = 'hwc'): number {
	const [H, W, C] = checkShape(shape);
	const { row: r, col: c, channel: ch } = tap;
	if (![r, c, ch].every(Number.isInteger) || r < 0 || r >= H || c < 0 || c >= W || ch < 0 || ch >= C) {
		throw new GeometryError('', `tap (${r}, ${c}, ${ch}) is outside ${H}×${W}×${C}`);
	}
	return order === 'hwc' ? (r * W + c) * C + ch : (ch * H + r) * W + c;
}

/** The kernel tap that dense weight row `index` becomes. */
export function denseRowToTap(index: number, shape: Shape, order: FlattenOrder = 'hwc'): Tap {
	const [H, W, C] = checkShape(shape);
	if (!Number.isInteger(index) || index < 0 || index >= H * W * C) {
		throw new GeometryError('', `dense row ${index} is outside 0 … ${H * W * C - 1}`);
	}
	if (order === 'hwc') {
		return { row: Math.floor(index / (W * C)), col: Math.floor(index / C) % W, channel: index % C };
	}
	return { row: Math.floor(index / W) % H, col: index % W, channel: Math.floor(index / (H * W)) };
}

/**
 * The permutation between two flattenings of [H, W, C]: perm[j] is the index in `from` order of
 * the value at index j in `to` order, i.e. vTo[j] = vFrom[perm[j]].
 */
export function flattenPermutation(shape: Shape, from: FlattenOrder, to: FlattenOrder): Int32Array {
	const n = shape[0] * shape[1] * shape[2];
	const perm = new Int32Array(n);
	for (let j = 0; j < n; j++) perm[j] = tapToDenseRow(denseRowToTap(j, shape, to), shape, from);
	return perm;
}

/**
 * Reshape a dense weight matrix (row-major [in, out], in = H·W·C flattened in `order`) into the
 * convolution kernel [H, W, C, out] (row-major; tf.conv2d's filter layout) holding the same numbers.
 */
export function denseToConvKernel(
	weights: Float32Array,
	shape: Shape,
	units: number,
	order: FlattenOrder = 'hwc'
): Float32Array {
	const [H, W, C] = checkShape(shape);
	checkInteger('', 'units', units, 1);
	if (weights.length !== H * W * C * units) {
		throw new GeometryError('', `dense weights have ${weights.length} values, not ${H * W * C}×${units}`);
	}
	if (order === 'hwc') return weights.slice();
	const kernel = new Float32Array(weights.length);
	const perm = flattenPermutation(shape, order, 'hwc');
	for (let j = 0; j < perm.length; j++) {
		kernel.set(weights.subarray(perm[j] * units, perm[j] * units + units), j * units);
	}
	return kernel;
}

function checkShape(shape: Shape): Shape {
	checkInteger('', 'height', shape[0], 1);
	checkInteger('', 'width', shape[1], 1);
	checkInteger('', 'channels', shape[2], 1);
	return shape;
}
