/**
 * The mask over the photo: a fixed colour whose opacity is the network's probability (0 → clear,
 * 1 → 60 % opaque), on a fixed scale so that a mask of nearly nothing paints nearly nothing.
 */
import type { Rgba } from '$lib/viz';

export function paintMask(
	mask: Float32Array,
	width: number,
	height: number,
	rgb: [number, number, number] = [255, 45, 85]
): Rgba {
	const data = new Uint8ClampedArray(width * height * 4);
	for (let p = 0; p < width * height; p++) {
		const o = 4 * p;
		data[o] = rgb[0];
		data[o + 1] = rgb[1];
		data[o + 2] = rgb[2];
		data[o + 3] = Math.round(153 * Math.min(1, Math.max(0, mask[p])));
	}
	return { data, width, height };
}

/** The theoretical field of a unit (input intervals in the model's input pixels) as fractions of the photo. */
export function boxFractions(
	box: { ys: [number, number]; xs: [number, number] },
	size: [number, number]
): { top: number; left: number; height: number; width: number } {
	const [H, W] = size;
	return {
		top: box.ys[0] / H,
		left: box.xs[0] / W,
		height: (box.ys[1] - box.ys[0] + 1) / H,
		width: (box.xs[1] - box.xs[0] + 1) / W
	};
}
