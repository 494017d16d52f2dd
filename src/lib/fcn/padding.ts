/**
 * The padding of an FCN's input: the trained nets map an input whose sides are multiples of their
 * output stride (pool5: 2⁵ = 32) to scores of the same size, so any other size is padded with
 * background (0) at the bottom and right, run, and every map cropped back: never resized. One
 * implementation for the browser's engine and for `npm run eval`.
 */

/** The output stride an FCN's input is padded to (pool5: 2⁵). */
export const PAD_MULTIPLE = 32;

/** The smallest multiple of `m` that is ≥ n (and ≥ m). */
export function roundUpTo(n: number, m: number): number {
	return Math.max(m, Math.ceil(n / m) * m);
}

/** A grey image: row-major, one value per pixel in [0, 1] (0 = background, 1 = ink). */
export interface GreyImage {
	data: Float32Array;
	width: number;
	height: number;
}

/**
 * Zero-pad a grey image at the bottom and right to padH×padW (zero = background, so padding adds
 * no ink). Returns the image's own array when no padding is needed.
 */
export function padImage(img: GreyImage, padH: number, padW: number): Float32Array {
	if (padH < img.height || padW < img.width)
		throw new RangeError(`invalid padding: ${padH}×${padW} < ${img.height}×${img.width}`);
	if (padH === img.height && padW === img.width) return img.data;
	const out = new Float32Array(padH * padW);
	for (let y = 0; y < img.height; y++) out.set(img.data.subarray(y * img.width, (y + 1) * img.width), y * padW);
	return out;
}

/** `img` padded to the next multiple of `multiple` on each side: the padded values and size. */
export function padToMultiple(
	img: GreyImage,
	multiple = PAD_MULTIPLE
): { data: Float32Array; height: number; width: number } {
	const height = roundUpTo(img.height, multiple);
	const width = roundUpTo(img.width, multiple);
	return { data: padImage(img, height, width), height, width };
}
