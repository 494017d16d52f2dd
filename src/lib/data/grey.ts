/**
 * Images → the model's input convention: one grey channel in [0, 1] with the ink bright (1) on a
 * dark (0) background, as the MNIST digits the model was trained on.
 *
 * Pure functions on RGBA pixel arrays (ImageData-like), so they run in Node tests too. Decoding a
 * file (PNG, JPEG, WebP, GIF first frame) is `decodeImageFile` (data/decode.ts), which needs a browser;
 * padding to the nets' stride is fcn/padding.ts.
 */
import type { GreyImage } from '$lib/fcn/padding';

export type { GreyImage };
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
