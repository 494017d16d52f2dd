/** An uploaded picture file → the model's grey input, in the browser, refused early when too large. */
import { fitWithin, greyNotices, rgbaToGrey, type ToGreyResult } from '$lib/data/grey';
import { sniffImage, type ImageFormat } from '$lib/data/sniff';

export interface DecodedImage extends ToGreyResult {
	/** Original size of the file's picture. */
	original: { width: number; height: number };
	/** True when the longer side was reduced to maxSide. */
	downscaled: boolean;
	/** The file's format and frame count (the first frame is used). */
	format: ImageFormat;
	frames: number;
	/** Human-readable notices (animation, downscaled, transparency, inverted) for the reader. */
	notices: string[];
}

/** Image file types accepted for upload. */
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;

/** What `decodeImageFile` agrees to read: the file's size and the picture's, from its header. */
export interface UploadLimits {
	maxBytes: number;
	maxPixels: number;
}
/** 50 MB and 50 megapixels (a 7000×7000 picture; decoding takes 4 bytes a pixel, 200 MB at the limit). */
export const UPLOAD_LIMITS: UploadLimits = { maxBytes: 50_000_000, maxPixels: 50_000_000 };

const FORMAT_NAMES: Record<ImageFormat, string> = {
	png: 'PNG',
	jpeg: 'JPEG',
	gif: 'GIF',
	webp: 'WebP',
	svg: 'SVG',
	unknown: 'image'
};
/** 3 significant digits at most: 400, 50.2, 0.25. */
const short = (x: number) => String(Number(x.toPrecision(3)));

/** A decoded picture in colour (RGBA, ImageData's layout), before any conversion. */
export interface DecodedRgba {
	rgba: ImageData;
	original: { width: number; height: number };
	downscaled: boolean;
	format: ImageFormat;
	frames: number;
	/** Notices about the file (animation, downscaled). */
	notices: string[];
}

/**
 * Decode an uploaded file (PNG, JPEG, WebP; GIF and animated PNG / WebP give their first frame,
 * with a notice) in the browser with createImageBitmap and limit its longer side to `maxSide`
 * (downscaled, with a notice). Before anything is decoded the file is refused, with a message fit
 * to show the reader, when it is empty, larger than `limits.maxBytes`, not an image type, an SVG,
 * not a recognised format, or (by its header) larger than `limits.maxPixels`: so a huge picture never
 * reaches the decoder and the tab stays responsive. A file that fails to decode is refused too.
 */
export async function decodeImageRgba(
	file: Blob & { name?: string },
	maxSide = 512,
	limits: UploadLimits = UPLOAD_LIMITS
): Promise<DecodedRgba> {
	const label = file.name ? `“${file.name}”` : 'the file';
	const choose = 'choose a PNG, JPEG, WebP or GIF picture.';
	const unreadable = `${label} could not be read as an image; ${choose}`;
	if (file.size === 0) throw new Error(`${label} is empty (0 bytes); ${choose}`);
	if (file.size > limits.maxBytes) {
		throw new Error(
			`${label} is ${short(file.size / 1e6)} MB; files up to ${short(limits.maxBytes / 1e6)} MB are read. Choose a smaller picture.`
		);
	}
	if (file.type && !file.type.startsWith('image/')) {
		throw new Error(`${label} is not an image (${file.type}); ${choose}`);
	}
	const head = sniffImage(new Uint8Array(await file.arrayBuffer()));
	if (head.format === 'svg' || file.type === 'image/svg+xml') {
		throw new Error(
			`${label} is an SVG, a vector drawing, and vector drawings are not read here: export it as a PNG (most drawing programs can) and upload that.`
		);
	}
	if (head.format === 'unknown') throw new Error(unreadable);
	const tooLarge = (w: number, h: number) =>
		new Error(
			`${label} is ${w}×${h} pixels (${short((w * h) / 1e6)} megapixels); pictures up to ${short(limits.maxPixels / 1e6)} megapixels are read. Scale it down and upload it again.`
		);
	if (head.width !== undefined && head.height !== undefined && head.width * head.height > limits.maxPixels) {
		throw tooLarge(head.width, head.height);
	}
	let bitmap: ImageBitmap;
	try {
		bitmap = await createImageBitmap(file);
	} catch {
		throw new Error(unreadable);
	}
	const original = { width: bitmap.width, height: bitmap.height };
	if (original.width * original.height > limits.maxPixels) {
		bitmap.close();
		throw tooLarge(original.width, original.height);
	}
	const fit = fitWithin(bitmap.width, bitmap.height, maxSide);
	const canvas = new OffscreenCanvas(fit.width, fit.height);
	const ctx = canvas.getContext('2d')!;
	ctx.imageSmoothingQuality = 'high';
	ctx.drawImage(bitmap, 0, 0, fit.width, fit.height);
	bitmap.close();
	const rgba = ctx.getImageData(0, 0, fit.width, fit.height);
	const frames = head.frames ?? 1;
	const notices: string[] = [];
	if (frames > 1) notices.push(`Animated ${FORMAT_NAMES[head.format]} (${frames} frames): the first frame is used.`);
	if (fit.scaled) {
		notices.push(
			`Downscaled from ${original.width}×${original.height} to ${fit.width}×${fit.height} (longer side at most ${maxSide} px).`
		);
	}
	return { rgba, original, downscaled: fit.scaled, format: head.format, frames, notices };
}

/**
 * Decode an uploaded file as `decodeImageRgba` does (the same refusals), then convert to grey with
 * the ink bright (auto-inverted, transparency read as paper, with notices).
 */
export async function decodeImageFile(
	file: Blob & { name?: string },
	maxSide = 512,
	limits: UploadLimits = UPLOAD_LIMITS
): Promise<DecodedImage> {
	const { rgba, notices, ...rest } = await decodeImageRgba(file, maxSide, limits);
	const grey = rgbaToGrey(rgba);
	return { ...grey, ...rest, notices: [...notices, ...greyNotices(grey)] };
}
