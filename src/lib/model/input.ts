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
	/**
	 * Set when some pixels are not fully opaque: the colour of paper the transparent areas were
	 * read as (before `inverted` applies). `null` for an opaque picture.
	 */
	transparentAs: 'white' | 'black' | null;
}

/**
 * RGBA → grey in [0, 1] (Rec. 709 luma). When the border of the picture is mostly light (mean
 * luma of the one-pixel frame > 0.5), the picture is taken to be dark ink on light paper and is
 * inverted so that the ink is bright, and `inverted` says so.
 *
 * A picture with transparent pixels is composited over paper first (transparency is paper, never
 * ink), and `transparentAs` names the paper's colour:
 * - when the border is mostly transparent, the transparent area *is* the paper, and its colour is
 *   the opposite of the strokes' (alpha-weighted mean luma < 0.5: dark strokes, white paper).
 *   After the inversion the ink is then alpha × (1 − luma) for dark strokes and alpha × luma for
 *   light ones: bright either way, where compositing over black would lose dark strokes entirely;
 * - when the border is mostly opaque, the picture has its own paper, and the transparent pixels
 *   take its colour (white or black, from the border's luma).
 * With `autoInvert` off, transparency is composited over black and nothing is inverted.
 */
export function rgbaToGrey(img: RgbaLike, autoInvert = true): ToGreyResult {
	const { width: w, height: h, data } = img;
	if (!(w >= 1 && h >= 1) || data.length < w * h * 4) throw new RangeError(`invalid image: ${w}×${h}`);
	const n = w * h;
	const luma = new Float32Array(n);
	const alpha = new Float32Array(n);
	let opaque = true;
	for (let i = 0; i < n; i++) {
		const a = data[4 * i + 3] / 255;
		if (a < 1) opaque = false;
		alpha[i] = a;
		luma[i] = (0.2126 * data[4 * i] + 0.7152 * data[4 * i + 1] + 0.0722 * data[4 * i + 2]) / 255;
	}
	let paper = 0;
	let transparentAs: ToGreyResult['transparentAs'] = null;
	if (!opaque) {
		if (autoInvert) paper = paperUnder(luma, alpha, w, h);
		transparentAs = paper ? 'white' : 'black';
	}
	const grey = new Float32Array(n);
	for (let i = 0; i < n; i++) grey[i] = alpha[i] * luma[i] + (1 - alpha[i]) * paper;
	const invert = autoInvert && borderMean(grey, w, h) > 0.5;
	if (invert) for (let i = 0; i < n; i++) grey[i] = 1 - grey[i];
	return { image: { data: grey, width: w, height: h }, inverted: invert, transparentAs };
}

/** The paper (0 black, 1 white) that the transparent pixels of a picture stand for; see `rgbaToGrey`. */
function paperUnder(luma: Float32Array, alpha: Float32Array, w: number, h: number): 0 | 1 {
	const borderAlpha = borderMean(alpha, w, h);
	if (borderAlpha >= 0.5) {
		// The picture has its own (opaque) paper: the border's colour, alpha-weighted.
		const lit = new Float32Array(luma.length);
		for (let i = 0; i < lit.length; i++) lit[i] = alpha[i] * luma[i];
		return borderMean(lit, w, h) / borderAlpha > 0.5 ? 1 : 0;
	}
	// Transparency is the paper: the opposite of the strokes' colour.
	let ink = 0;
	let weight = 0;
	for (let i = 0; i < luma.length; i++) {
		ink += alpha[i] * luma[i];
		weight += alpha[i];
	}
	return weight > 0 && ink / weight < 0.5 ? 1 : 0;
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
	if (padH < img.height || padW < img.width)
		throw new RangeError(`invalid padding: ${padH}×${padW} < ${img.height}×${img.width}`);
	if (padH === img.height && padW === img.width) return img.data;
	const out = new Float32Array(padH * padW);
	for (let y = 0; y < img.height; y++) out.set(img.data.subarray(y * img.width, (y + 1) * img.width), y * padW);
	return out;
}

/**
 * What the reader is told about a grey conversion (empty when the picture was used as it is):
 * how transparency was read and whether the picture was inverted.
 */
export function greyNotices(g: ToGreyResult): string[] {
	const inverted = 'Inverted: the picture looked like dark ink on light paper; the model expects bright ink on black.';
	if (g.transparentAs === null) return g.inverted ? [inverted] : [];
	if (!g.image.data.some((v) => v > 0)) return ['The picture is transparent all over: there is no ink to read.'];
	if (g.transparentAs === 'white') {
		return g.inverted
			? [
					'Transparent background read as white paper, so the dark strokes on it were turned into bright ink (the model expects bright ink on black).'
				]
			: ['Transparent areas read as white paper.'];
	}
	return g.inverted
		? ['Transparent areas read as black.', inverted]
		: ['Transparent background read as black paper: the light strokes are the ink.'];
}

/** Formats recognised by `sniffImage` from their first bytes. */
export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp' | 'svg' | 'unknown';

/** What a file's header says, read without decoding any pixel. */
export interface ImageSniff {
	format: ImageFormat;
	/** The picture's size in pixels from the header; absent when the header is cut short (and for SVG). */
	width?: number;
	height?: number;
	/**
	 * Number of frames: 1 for a still PNG, JPEG or WebP; for a GIF the image descriptors found by
	 * walking its blocks (a truncated GIF counts the frames it has); for an animated PNG the acTL
	 * count, for an animated WebP its ANMF chunks. Absent when the header is cut short (and for SVG).
	 */
	frames?: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Recognises a PNG, JPEG, GIF, WebP or SVG file from its bytes (magic numbers; for SVG, text that
 * starts, after an optional byte-order mark, white space, XML declaration, comments and doctype,
 * with an `<svg` element) and reads the picture's size (and frame count) from its header: PNG IHDR,
 * GIF logical screen, JPEG's first SOFn segment, WebP's VP8 / VP8L / VP8X chunk. Cheap: the only
 * walk is over GIF blocks, JPEG segments and PNG / WebP chunks; no pixel is decoded. Never throws:
 * anything else, or too short to tell, is `unknown`.
 */
export function sniffImage(bytes: Uint8Array): ImageSniff {
	const b = bytes;
	if (PNG_SIGNATURE.every((v, i) => b[i] === v)) return sniffPng(b);
	if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return sniffJpeg(b);
	if (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a') return sniffGif(b);
	if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return sniffWebp(b);
	if (looksLikeSvg(b)) return { format: 'svg' };
	return { format: 'unknown' };
}

function ascii(b: Uint8Array, at: number, n: number): string {
	if (at + n > b.length) return '';
	return String.fromCharCode(...b.subarray(at, at + n));
}
const u16be = (b: Uint8Array, at: number) => b[at] * 256 + b[at + 1];
const u16le = (b: Uint8Array, at: number) => b[at] + b[at + 1] * 256;
const u24le = (b: Uint8Array, at: number) => b[at] + b[at + 1] * 256 + b[at + 2] * 65536;
const u32be = (b: Uint8Array, at: number) => b[at] * 16777216 + b[at + 1] * 65536 + b[at + 2] * 256 + b[at + 3];
const u32le = (b: Uint8Array, at: number) => b[at] + b[at + 1] * 256 + b[at + 2] * 65536 + b[at + 3] * 16777216;

function sniffPng(b: Uint8Array): ImageSniff {
	const r: ImageSniff = { format: 'png' };
	if (ascii(b, 12, 4) !== 'IHDR' || b.length < 24) return r;
	r.width = u32be(b, 16);
	r.height = u32be(b, 20);
	r.frames = 1;
	// An animated PNG announces its frames in an acTL chunk before the first IDAT.
	for (let p = 8; p + 16 <= b.length; p += 12 + u32be(b, p)) {
		const type = ascii(b, p + 4, 4);
		if (type === 'acTL') r.frames = u32be(b, p + 8);
		if (type === 'acTL' || type === 'IDAT' || type === 'IEND') break;
	}
	return r;
}

function sniffJpeg(b: Uint8Array): ImageSniff {
	const r: ImageSniff = { format: 'jpeg' };
	let p = 2;
	while (p + 4 <= b.length) {
		if (b[p] !== 0xff) return r; // not a marker: the file is damaged
		const m = b[p + 1];
		if (m === 0xff) {
			p++; // fill byte
			continue;
		}
		p += 2;
		if (m === 0x01 || m === 0xd8 || (m >= 0xd0 && m <= 0xd7)) continue; // markers without a length
		if (m === 0xd9 || m === 0xda) return r; // end of image, or scan data before any frame header
		const len = u16be(b, p);
		if (len < 2) return r;
		// SOF0…SOF15 (C4 = DHT, C8 = JPG extension, CC = DAC are not frame headers): length, precision, height, width.
		if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
			if (p + 7 <= b.length) {
				r.height = u16be(b, p + 3);
				r.width = u16be(b, p + 5);
				r.frames = 1;
			}
			return r;
		}
		p += len;
	}
	return r;
}

/** Size in bytes of a GIF colour table from the packed field that announces it (0 when absent). */
const gifColourTable = (packed: number) => (packed & 0x80 ? 3 * (1 << ((packed & 7) + 1)) : 0);

function sniffGif(b: Uint8Array): ImageSniff {
	const r: ImageSniff = { format: 'gif' };
	if (b.length < 13) return r;
	r.width = u16le(b, 6);
	r.height = u16le(b, 8);
	let frames = 0;
	let p = 13 + gifColourTable(b[10]);
	/** Skips data sub-blocks up to and including the zero-length terminator; false if the file ends first. */
	const skipSubBlocks = () => {
		while (p < b.length) {
			const n = b[p];
			p += 1 + n;
			if (n === 0) return true;
		}
		return false;
	};
	walk: while (p < b.length) {
		switch (b[p]) {
			case 0x2c: // image descriptor: separator, left, top, width, height (u16 each), packed
				frames++;
				if (p + 11 > b.length) break walk;
				p += 10 + gifColourTable(b[p + 9]) + 1; // + local colour table + LZW minimum code size
				if (!skipSubBlocks()) break walk;
				break;
			case 0x21: // extension: introducer, label, sub-blocks
				p += 2;
				if (!skipSubBlocks()) break walk;
				break;
			default: // 0x3b trailer, or not a block: stop
				break walk;
		}
	}
	r.frames = frames;
	return r;
}

function sniffWebp(b: Uint8Array): ImageSniff {
	const r: ImageSniff = { format: 'webp' };
	const first = ascii(b, 12, 4);
	if (first === 'VP8 ' && b.length >= 30 && b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a) {
		// Lossy: 3-byte frame tag, start code 9d 01 2a, then 14-bit width and height.
		r.width = u16le(b, 26) & 0x3fff;
		r.height = u16le(b, 28) & 0x3fff;
		r.frames = 1;
	} else if (first === 'VP8L' && b.length >= 25 && b[20] === 0x2f) {
		// Lossless: signature 0x2f, then width − 1 and height − 1 in 14 bits each.
		const bits = u32le(b, 21);
		r.width = (bits & 0x3fff) + 1;
		r.height = ((bits >>> 14) & 0x3fff) + 1;
		r.frames = 1;
	} else if (first === 'VP8X' && b.length >= 30) {
		// Extended: flags, 3 reserved bytes, canvas width − 1 and height − 1 in 24 bits each.
		r.width = u24le(b, 24) + 1;
		r.height = u24le(b, 27) + 1;
		r.frames = 1;
		if (b[20] & 0x02) {
			let frames = 0;
			for (let p = 30; p + 8 <= b.length; p += 8 + u32le(b, p + 4) + (u32le(b, p + 4) & 1)) {
				if (ascii(b, p, 4) === 'ANMF') frames++;
			}
			r.frames = frames;
		}
	}
	return r;
}

/** Text that opens (after BOM, white space, XML declaration, comments, doctype) with an `<svg` element. */
function looksLikeSvg(b: Uint8Array): boolean {
	const s = new TextDecoder('utf-8').decode(b.subarray(0, 64 * 1024));
	/** The index just past `token` found from `from`, or -1. */
	const past = (token: string, from: number) => {
		const at = s.indexOf(token, from);
		return at < 0 ? -1 : at + token.length;
	};
	let i = s.charCodeAt(0) === 0xfeff ? 1 : 0;
	for (;;) {
		while (i < s.length && /\s/.test(s[i])) i++;
		if (s.startsWith('<?', i)) i = past('?>', i + 2);
		else if (s.startsWith('<!--', i)) i = past('-->', i + 4);
		else if (s.slice(i, i + 9).toUpperCase() === '<!DOCTYPE') {
			const close = s.indexOf('>', i);
			const subset = s.indexOf('[', i);
			// An internal subset `[ … ]` may hold `>` characters of its own.
			const from = subset >= 0 && subset < close ? past(']', subset) : i;
			i = from < 0 ? -1 : past('>', from);
		} else return /^<(?:[\w.-]+:)?svg[\s/>]/.test(s.slice(i, i + 64));
		if (i < 0) return false;
	}
}

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

/**
 * Decode an uploaded file (PNG, JPEG, WebP; GIF and animated PNG / WebP give their first frame,
 * with a notice) in the browser with createImageBitmap, limit its longer side to `maxSide`
 * (downscaled, with a notice), convert to grey with the ink bright (auto-inverted, transparency
 * read as paper, with notices). Before anything is decoded the file is refused, with a message fit
 * to show the reader, when it is empty, larger than `limits.maxBytes`, not an image type, an SVG,
 * not a recognised format, or (by its header) larger than `limits.maxPixels`: so a huge picture never
 * reaches the decoder and the tab stays responsive. A file that fails to decode is refused too.
 */
export async function decodeImageFile(
	file: Blob & { name?: string },
	maxSide = 512,
	limits: UploadLimits = UPLOAD_LIMITS
): Promise<DecodedImage> {
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
	const grey = rgbaToGrey(ctx.getImageData(0, 0, fit.width, fit.height));
	const frames = head.frames ?? 1;
	const notices: string[] = [];
	if (frames > 1) notices.push(`Animated ${FORMAT_NAMES[head.format]} (${frames} frames): the first frame is used.`);
	if (fit.scaled) {
		notices.push(
			`Downscaled from ${original.width}×${original.height} to ${fit.width}×${fit.height} (longer side at most ${maxSide} px).`
		);
	}
	notices.push(...greyNotices(grey));
	return { ...grey, original, downscaled: fit.scaled, format: head.format, frames, notices };
}
