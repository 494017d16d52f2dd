/**
 * Segmentation → RGBA: each pixel in its class colour (background transparent), to lay over the
 * input. Pure; no DOM.
 */
import { softmax } from '$lib/fcn/scores';
import { classColors } from './colormap';
import type { Rgba } from './featureMaps';

/**
 * Paint `labels` (row-major class indices) in class colours with opacity `alpha` (0…1);
 * class 0 (background) is fully transparent.
 */
export function paintSegmentation(
	labels: Uint8Array,
	width: number,
	height: number,
	classes: number,
	alpha = 0.6
): Rgba {
	if (labels.length !== width * height) throw new RangeError(`invalid labels: ${labels.length} for ${width}×${height}`);
	const colors = classColors(classes);
	const a = Math.round(alpha * 255);
	const out = new Uint8ClampedArray(width * height * 4);
	for (let p = 0; p < labels.length; p++) {
		const k = labels[p];
		if (k === 0 || k >= classes) continue;
		const [r, g, b] = colors[k];
		out[4 * p] = r;
		out[4 * p + 1] = g;
		out[4 * p + 2] = b;
		out[4 * p + 3] = a;
	}
	return { data: out, width, height };
}

/** A grey image (row-major, [0, 1]) as opaque RGBA (the input under the overlay). */
export function paintGrey(data: Float32Array, width: number, height: number): Rgba {
	const out = new Uint8ClampedArray(width * height * 4);
	for (let p = 0; p < data.length; p++) {
		const v = Math.round(Math.min(1, Math.max(0, data[p])) * 255);
		out[4 * p] = out[4 * p + 1] = out[4 * p + 2] = v;
		out[4 * p + 3] = 255;
	}
	return { data: out, width, height };
}

/** Pixel counts per class (the legend shows them). */
export function classCounts(labels: Uint8Array, classes: number): number[] {
	const n = new Array<number>(classes).fill(0);
	for (const k of labels) if (k < classes) n[k]++;
	return n;
}

/**
 * The class probabilities of pixel (x, y), the softmax of its scores (logits) in an HWC score map,
 * as {k: class, p} sorted by p, most probable first.
 */
export function pixelProbabilities(
	scores: Float32Array,
	width: number,
	classes: number,
	x: number,
	y: number
): { k: number; p: number }[] {
	const o = (y * width + x) * classes;
	const p = softmax(scores.subarray(o, o + classes), classes);
	return Array.from(p, (v, k) => ({ k, p: v })).sort((a, b) => b.p - a.p);
}
