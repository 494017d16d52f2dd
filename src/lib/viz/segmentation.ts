/**
 * Label maps → RGBA: a segmentation in class colours, as an overlay on the input (background
 * transparent) or as an opaque map mixed with the ink. Pure; no DOM.
 */
import { softmax } from '$lib/fcn/scores';
import { classColors, palette } from './palette';
import { hexRgb, type Rgb, type Rgba } from './rgba';

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

/**
 * Paint class labels (row-major w×h) opaque; void (255) pixels, and labels past `colors`, as a
 * checker of the two void greys so that "no label" is visible without colour. With `under` (the grey
 * input, ink 1), each pixel's colour is darkened where there is no ink, so the digits stay readable.
 */
export function paintLabels(
	labels: Uint8Array,
	w: number,
	h: number,
	colors: readonly Rgb[],
	under?: Float32Array
): Rgba {
	const [light, dark] = palette.void.map(hexRgb);
	const out = new Uint8ClampedArray(w * h * 4);
	for (let q = 0; q < w * h; q++) {
		const l = labels[q];
		let [r, g, b] =
			l === 255 || l >= colors.length ? (((q % w) + Math.floor(q / w)) % 4 < 2 ? light : dark) : colors[l];
		if (under) {
			const ink = 0.35 + 0.65 * Math.min(1, Math.max(0, under[q]));
			r *= ink;
			g *= ink;
			b *= ink;
		}
		out[4 * q] = r;
		out[4 * q + 1] = g;
		out[4 * q + 2] = b;
		out[4 * q + 3] = 255;
	}
	return { data: out, width: w, height: h };
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
