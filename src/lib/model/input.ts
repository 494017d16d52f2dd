/**
 * Images → the model's input convention: one grey channel in [0, 1] with the ink bright (1) on a
 * dark (0) background, as the MNIST digits the model was trained on.
 *
 * Pure functions on RGBA pixel arrays (ImageData-like), so they run in Node tests too. Decoding a
 * file (PNG, JPEG, WebP, GIF first frame) is `decodeImageFile`, which needs a browser.
 */

/** A grey image, row-major, one value per pixel in [0, 1], ink = 1. */
export interface GreyImage {
	data: Float32Array;
	width: number;
	height: number;
}

/** What `ImageData` provides (RGBA, 4 bytes per pixel). */
export interface RgbaLike {
	data: Uint8ClampedArray | Uint8Array;
	width: number;
	height: number;
}

export interface ToGreyResult {
	image: GreyImage;
	/** True when the picture was dark ink on a light background and was inverted. */
	inverted: boolean;
}

/**
 * RGBA → grey in [0, 1] (Rec. 709 luma, alpha-composited over black). When the border of the
 * picture is mostly light (mean luma of the one-pixel frame > 0.5), the picture is taken to be dark
 * ink on light paper and is inverted so that the ink is bright, and `inverted` says so.
 */
export function rgbaToGrey(img: RgbaLike, autoInvert = true): ToGreyResult {
	const { width: w, height: h, data } = img;
	if (!(w >= 1 && h >= 1) || data.length < w * h * 4) throw new RangeError(`invalid image: ${w}×${h}`);
	const grey = new Float32Array(w * h);
	let opaque = true;
	for (let i = 0; i < w * h; i++) {
		const a = data[4 * i + 3] / 255;
		if (a < 1) opaque = false;
		grey[i] = ((0.2126 * data[4 * i] + 0.7152 * data[4 * i + 1] + 0.0722 * data[4 * i + 2]) / 255) * a;
	}
	// A transparent background is "no paper": transparent pixels already read as 0 (background).
	const invert = autoInvert && opaque && borderMean(grey, w, h) > 0.5;
	if (invert) for (let i = 0; i < grey.length; i++) grey[i] = 1 - grey[i];
	return { image: { data: grey, width: w, height: h }, inverted: invert };
}

/** Mean of the one-pixel frame around the image. */
export function borderMean(d: Float32Array, w: number, h: number): number {
	let s = 0;
	let n = 0;
	for (let x = 0; x < w; x++) {
		s += d[x] + (h > 1 ? d[(h - 1) * w + x] : 0);
		n += h > 1 ? 2 : 1;
	}
	for (let y = 1; y < h - 1; y++) {
		s += d[y * w] + (w > 1 ? d[y * w + w - 1] : 0);
		n += w > 1 ? 2 : 1;
	}
	return s / n;
}

/**
 * The size to which a w×h picture is scaled so that its longer side is at most `maxSide`
 * (aspect ratio kept, each side at least 1). Returns the size unchanged when it already fits.
 */
export function fitWithin(w: number, h: number, maxSide: number): { width: number; height: number; scaled: boolean } {
	const m = Math.max(w, h);
	if (m <= maxSide) return { width: w, height: h, scaled: false };
	const f = maxSide / m;
	return { width: Math.max(1, Math.round(w * f)), height: Math.max(1, Math.round(h * f)), scaled: true };
}

/** The smallest multiple of `m` that is ≥ n (and ≥ m). */
export function roundUpTo(n: number, m: number): number {
	return Math.max(m, Math.ceil(n / m) * m);
}

/**
 * Zero-pad a grey image at the bottom and right to padH×padW (zero = background, so padding adds
 * no ink). The model takes any size; the FCN needs a multiple of its output stride (32).
 */
export function padImage(img: GreyImage, padH: number, padW: number): Float32Array {
	if (padH < img.height || padW < img.width) throw new RangeError(`invalid padding: ${padH}×${padW} < ${img.height}×${img.width}`);
	if (padH === img.height && padW === img.width) return img.data;
	const out = new Float32Array(padH * padW);
	for (let y = 0; y < img.height; y++) out.set(img.data.subarray(y * img.width, (y + 1) * img.width), y * padW);
	return out;
}

export interface DecodedImage extends ToGreyResult {
	/** Original size of the file's picture. */
	original: { width: number; height: number };
	/** True when the longer side was reduced to maxSide. */
	downscaled: boolean;
	/** Human-readable notices (inverted, downscaled) for the reader. */
	notices: string[];
}

/** Image file types accepted for upload. */
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;

/**
 * Decode an uploaded file (PNG, JPEG, WebP; a GIF gives its first frame) in the browser with
 * createImageBitmap, limit its longer side to `maxSide` (downscaled, with a notice), convert to
 * grey with the ink bright (auto-inverted, with a notice). Anything that is not a decodable image
 * throws an Error with a message fit to show the reader.
 */
export async function decodeImageFile(file: Blob & { name?: string }, maxSide = 512): Promise<DecodedImage> {
	const label = file.name ? `“${file.name}”` : 'the file';
	if (file.type && !file.type.startsWith('image/')) {
		throw new Error(`${label} is not an image (${file.type}); choose a PNG, JPEG, WebP or GIF picture.`);
	}
	let bitmap: ImageBitmap;
	try {
		bitmap = await createImageBitmap(file);
	} catch {
		throw new Error(`${label} could not be read as an image; choose a PNG, JPEG, WebP or GIF picture.`);
	}
	const fit = fitWithin(bitmap.width, bitmap.height, maxSide);
	const canvas = new OffscreenCanvas(fit.width, fit.height);
	const ctx = canvas.getContext('2d')!;
	ctx.imageSmoothingQuality = 'high';
	ctx.drawImage(bitmap, 0, 0, fit.width, fit.height);
	const original = { width: bitmap.width, height: bitmap.height };
	bitmap.close();
	const grey = rgbaToGrey(ctx.getImageData(0, 0, fit.width, fit.height));
	const notices: string[] = [];
	if (fit.scaled) {
		notices.push(`Downscaled from ${original.width}×${original.height} to ${fit.width}×${fit.height} (longer side at most ${maxSide} px).`);
	}
	if (grey.inverted) notices.push('Inverted: the picture looked like dark ink on light paper; the model expects bright ink on black.');
	return { ...grey, original, downscaled: fit.scaled, notices };
}
