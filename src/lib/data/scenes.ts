/**
 * Seeded digit scenes: the "PASCAL VOC" of this explorer. Pure TypeScript (no tfjs, no DOM), so
 * the browser can make scenes too.
 *
 * A scene is an H×W grey canvas (ink 1 on background 0) holding 1–6 real MNIST digits, each scaled
 * to 20–80 px and placed with limited overlap, plus distractor scribbles (strokes, curves, dots)
 * and mild noise that are background — so "ink" does not mean "digit". The label map has
 * 0 = background, d + 1 = digit d, and VOID (255) where the class is ambiguous: the anti-aliased rim
 * of each digit stroke, pixels where two digits overlap, and digit pixels touched by a scribble.
 * The paper likewise excludes PASCAL VOC's void pixels from the loss and the metrics.
 */
import type { Rng } from './prng.ts';
import type { Range } from './split.ts';

export const VOID = 255;
export const MNIST_SIDE = 28;

/** Where the digits come from: `get(d, i)` is the i-th 28×28 image of class d (784 floats, ink 1). */
export interface DigitSource {
	count(d: number): number;
	get(d: number, i: number): Float32Array;
}

/** A box in pixels: top-left corner (x, y), width w and height h. */
export interface Box {
	x: number;
	y: number;
	w: number;
	h: number;
}

export interface PlacedDigit {
	digit: number;
	/** Index into `mnist[digit]`. */
	index: number;
	box: Box;
}

export interface Scene {
	height: number;
	width: number;
	/** Row-major H·W intensities in [0, 1], ink 1 on background 0. */
	image: Float32Array;
	/** Row-major H·W labels: 0 background, d + 1 digit d, VOID ambiguous. */
	label: Uint8Array;
	/** With `strict: true`: the labels without VOID (the band is background; void ink, the digit with most ink). */
	strict?: Uint8Array;
	digits: PlacedDigit[];
}

export interface SceneOptions {
	height: number;
	width: number;
	/** Per digit class, the inclusive index range of images that may be used (the split). */
	ranges: readonly Range[];
	minDigits?: number;
	maxDigits?: number;
	/** Longer side of a digit's ink, in pixels. */
	minSize?: number;
	maxSize?: number;
	/** Largest overlap of two digit boxes, as a fraction of the smaller box. */
	maxOverlap?: number;
	minScribbles?: number;
	maxScribbles?: number;
	/** Largest standard deviation of the additive Gaussian noise. */
	noise?: number;
	/** Digit ink ≤ voidLow is background, ≥ voidHigh is the digit, in between is void (the rim). */
	voidLow?: number;
	voidHigh?: number;
	/**
	 * Width in pixels of the void band around every digit: background pixels within this
	 * (chessboard) distance of digit ink are void, as PASCAL VOC marks a ~5-pixel band around each
	 * object's outline as void. 0 turns the band off.
	 */
	voidBand?: number;
	/** Also return `strict`, the labels without void (draws nothing more: `label` is unchanged). */
	strict?: boolean;
}

export const SCENE_DEFAULTS = {
	minDigits: 1,
	maxDigits: 6,
	minSize: 20,
	maxSize: 80,
	maxOverlap: 0.15,
	minScribbles: 0,
	maxScribbles: 5,
	noise: 0.04,
	voidLow: 0.15,
	voidHigh: 0.5,
	voidBand: 3
};

/** Bumped whenever the scenes or their labels change (it is part of every training fingerprint). */
export const SCENE_VERSION = 2;

/** Square (chessboard) dilation of a 0/1 mask by radius r: two separable running-max passes. */
export function dilateMask(mask: Uint8Array, H: number, W: number, r: number): Uint8Array {
	if (r <= 0) return mask.slice();
	const tmp = new Uint8Array(H * W);
	dilateLines(mask, tmp, H, W, r, (y, x) => y * W + x);
	const out = new Uint8Array(H * W);
	dilateLines(tmp, out, W, H, r, (x, y) => y * W + x);
	return out;
}

/**
 * One pass of {@link dilateMask}: along each of `lines` lines of length n (element i of line j at
 * `at(j, i)`), marks in `dst` every element within r of ink in `src`. The forward sweep finds ink at
 * i' ≤ i + r, the backward sweep at i' ≥ i − r.
 */
function dilateLines(
	src: Uint8Array,
	dst: Uint8Array,
	lines: number,
	n: number,
	r: number,
	at: (line: number, i: number) => number
): void {
	for (let j = 0; j < lines; j++) {
		let last = -Infinity;
		for (let i = 0; i < n + r; i++) {
			if (i < n && src[at(j, i)]) last = i;
			const t = i - r;
			if (t >= 0 && t < n && t - last <= r) dst[at(j, t)] = 1;
		}
		last = Infinity;
		for (let i = n - 1; i >= -r; i--) {
			if (i >= 0 && src[at(j, i)]) last = i;
			const t = i + r;
			if (t >= 0 && t < n && last - t <= r) dst[at(j, t)] = 1;
		}
	}
}

/** A digit resampled to `size` px on its longer side: the tight ink box of the 28×28, bilinear. */
export function renderDigit(pixels: Float32Array, size: number): { ink: Float32Array; w: number; h: number } {
	let x0 = MNIST_SIDE,
		y0 = MNIST_SIDE,
		x1 = -1,
		y1 = -1;
	for (let y = 0; y < MNIST_SIDE; y++) {
		for (let x = 0; x < MNIST_SIDE; x++) {
			if (pixels[y * MNIST_SIDE + x] > 0) {
				if (x < x0) x0 = x;
				if (x > x1) x1 = x;
				if (y < y0) y0 = y;
				if (y > y1) y1 = y;
			}
		}
	}
	if (x1 < 0) return { ink: new Float32Array(1), w: 1, h: 1 };
	const bw = x1 - x0 + 1;
	const bh = y1 - y0 + 1;
	const scale = size / Math.max(bw, bh);
	const w = Math.max(1, Math.round(bw * scale));
	const h = Math.max(1, Math.round(bh * scale));
	const at = (x: number, y: number) => (x < x0 || x > x1 || y < y0 || y > y1 ? 0 : pixels[y * MNIST_SIDE + x]);
	const ink = new Float32Array(w * h);
	for (let y = 0; y < h; y++) {
		// Pixel centres map to pixel centres: s = (o + 0.5)/scale − 0.5.
		const sy = y0 + (y + 0.5) / scale - 0.5;
		const iy = Math.floor(sy);
		const fy = sy - iy;
		for (let x = 0; x < w; x++) {
			const sx = x0 + (x + 0.5) / scale - 0.5;
			const ix = Math.floor(sx);
			const fx = sx - ix;
			const v =
				(1 - fy) * ((1 - fx) * at(ix, iy) + fx * at(ix + 1, iy)) +
				fy * ((1 - fx) * at(ix, iy + 1) + fx * at(ix + 1, iy + 1));
			ink[y * w + x] = Math.min(1, Math.max(0, v));
		}
	}
	return { ink, w, h };
}

/** Anti-aliased capsule (thick segment) from (ax, ay) to (bx, by), max-composited into `into`. */
function drawSegment(
	into: Float32Array,
	H: number,
	W: number,
	ax: number,
	ay: number,
	bx: number,
	by: number,
	thick: number,
	level: number
) {
	const r = thick / 2 + 1;
	const xa = Math.max(0, Math.floor(Math.min(ax, bx) - r));
	const xb = Math.min(W - 1, Math.ceil(Math.max(ax, bx) + r));
	const ya = Math.max(0, Math.floor(Math.min(ay, by) - r));
	const yb = Math.min(H - 1, Math.ceil(Math.max(ay, by) + r));
	const dx = bx - ax;
	const dy = by - ay;
	const len2 = dx * dx + dy * dy || 1e-9;
	for (let y = ya; y <= yb; y++) {
		for (let x = xa; x <= xb; x++) {
			const px = x + 0.5 - ax;
			const py = y + 0.5 - ay;
			const t = Math.max(0, Math.min(1, (px * dx + py * dy) / len2));
			const ex = px - t * dx;
			const ey = py - t * dy;
			// coverage: 1 inside the stroke, falling linearly over one pixel at its edge
			const v = Math.min(1, Math.max(0, thick / 2 + 0.5 - Math.sqrt(ex * ex + ey * ey))) * level;
			const k = y * W + x;
			if (v > into[k]) into[k] = v;
		}
	}
}

/** Distractor scribbles: open curves, zig-zag strokes and dots, all background. */
export function drawScribbles(rng: Rng, H: number, W: number, count: number): Float32Array {
	const ink = new Float32Array(H * W);
	for (let s = 0; s < count; s++) {
		const kind = rng.next();
		const level = rng.uniform(0.6, 1);
		const thick = rng.uniform(1, 3.5);
		if (kind < 0.45) {
			// quadratic Bézier curve, 10–70 px long, never closed
			const x0 = rng.uniform(0, W),
				y0 = rng.uniform(0, H);
			const len = rng.uniform(10, 70);
			const a = rng.uniform(0, 2 * Math.PI);
			const x2 = x0 + len * Math.cos(a),
				y2 = y0 + len * Math.sin(a);
			const bend = rng.uniform(-0.6, 0.6) * len;
			const x1 = (x0 + x2) / 2 - bend * Math.sin(a),
				y1 = (y0 + y2) / 2 + bend * Math.cos(a);
			const n = 16;
			let px = x0,
				py = y0;
			for (let i = 1; i <= n; i++) {
				const t = i / n;
				const qx = (1 - t) * (1 - t) * x0 + 2 * (1 - t) * t * x1 + t * t * x2;
				const qy = (1 - t) * (1 - t) * y0 + 2 * (1 - t) * t * y1 + t * t * y2;
				drawSegment(ink, H, W, px, py, qx, qy, thick, level);
				px = qx;
				py = qy;
			}
		} else if (kind < 0.75) {
			// zig-zag polyline (a random walk of 2–5 segments)
			let px = rng.uniform(0, W),
				py = rng.uniform(0, H);
			const n = rng.int(2, 5);
			for (let i = 0; i < n; i++) {
				const len = rng.uniform(5, 25);
				const a = rng.uniform(0, 2 * Math.PI);
				const qx = px + len * Math.cos(a),
					qy = py + len * Math.sin(a);
				drawSegment(ink, H, W, px, py, qx, qy, thick, level);
				px = qx;
				py = qy;
			}
		} else {
			// a spray of 1–8 dots
			const cx = rng.uniform(0, W),
				cy = rng.uniform(0, H);
			const n = rng.int(1, 8);
			for (let i = 0; i < n; i++) {
				const x = cx + rng.uniform(-15, 15),
					y = cy + rng.uniform(-15, 15);
				drawSegment(ink, H, W, x, y, x, y, rng.uniform(1, 4), level);
			}
		}
	}
	return ink;
}

function overlapArea(a: Box, b: Box): number {
	const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
	const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
	return w > 0 && h > 0 ? w * h : 0;
}

/** Pick a digit of class d from its range of the split: a uniformly random class and image. */
function pickDigit(rng: Rng, ranges: readonly Range[]): { digit: number; index: number } {
	const digit = rng.int(0, 9);
	const [a, b] = ranges[digit];
	return { digit, index: rng.int(a, b) };
}

/** One scene. Same source, same rng state, same options → the same scene, bit for bit. */
export function generateScene(source: DigitSource, rng: Rng, options: SceneOptions): Scene {
	const o = { ...SCENE_DEFAULTS, ...options };
	const H = o.height,
		W = o.width;
	if (!(Number.isInteger(H) && Number.isInteger(W) && H >= 8 && W >= 8)) {
		throw new Error(`generateScene: height and width must be integers ≥ 8, got ${H}×${W}`);
	}
	if (o.ranges.length !== 10)
		throw new Error(`generateScene: ranges must give one index range per digit class (10), got ${o.ranges.length}`);
	const digitInk = new Float32Array(H * W);
	const owner = new Int8Array(H * W).fill(-1);
	const overlapped = new Uint8Array(H * W);
	const digits: PlacedDigit[] = [];
	const n = rng.int(o.minDigits, o.maxDigits);
	const largest = Math.min(o.maxSize, H, W);
	for (let k = 0; k < n; k++) {
		const { digit, index } = pickDigit(rng, o.ranges);
		let size = rng.uniform(Math.min(o.minSize, largest), largest);
		let placed: Box | null = null;
		let rendered: ReturnType<typeof renderDigit> | null = null;
		for (let attempt = 0; attempt < 30 && !placed; attempt++) {
			if (attempt % 10 === 9) size = Math.max(Math.min(o.minSize, largest), size * 0.8);
			if (!rendered || attempt % 10 === 9) rendered = renderDigit(source.get(digit, index), size);
			const box = { x: rng.int(0, W - rendered.w), y: rng.int(0, H - rendered.h), w: rendered.w, h: rendered.h };
			const ok = digits.every(
				(p) => overlapArea(p.box, box) <= o.maxOverlap * Math.min(p.box.w * p.box.h, box.w * box.h)
			);
			if (ok) placed = box;
		}
		if (!placed || !rendered) continue;
		const id = digits.length;
		digits.push({ digit, index, box: placed });
		for (let y = 0; y < placed.h; y++) {
			for (let x = 0; x < placed.w; x++) {
				const v = rendered.ink[y * placed.w + x];
				const j = (placed.y + y) * W + placed.x + x;
				if (v > o.voidLow) {
					if (owner[j] >= 0 && owner[j] !== id && digitInk[j] > o.voidLow) overlapped[j] = 1;
				}
				if (v > digitInk[j]) {
					digitInk[j] = v;
					if (v > o.voidLow || owner[j] < 0) owner[j] = id;
				}
			}
		}
	}
	const scribble = drawScribbles(rng, H, W, rng.int(o.minScribbles, o.maxScribbles));
	const sigma = rng.uniform(0, o.noise);
	const image = new Float32Array(H * W);
	const label = new Uint8Array(H * W);
	for (let j = 0; j < H * W; j++) {
		const d = digitInk[j];
		const v = Math.max(d, scribble[j]) + sigma * rng.normal();
		image[j] = Math.min(1, Math.max(0, v));
		if (d <= o.voidLow) label[j] = 0;
		else if (overlapped[j] || d < o.voidHigh || scribble[j] > o.voidLow) label[j] = VOID;
		else label[j] = digits[owner[j]].digit + 1;
	}
	if (o.voidBand > 0) {
		const ink = new Uint8Array(H * W);
		for (let j = 0; j < H * W; j++) if (digitInk[j] > o.voidLow) ink[j] = 1;
		const band = dilateMask(ink, H, W, o.voidBand);
		for (let j = 0; j < H * W; j++) if (band[j] && label[j] === 0) label[j] = VOID;
	}
	const scene: Scene = { height: H, width: W, image, label, digits };
	if (options.strict) scene.strict = label.map((_, j) => (digitInk[j] > o.voidLow ? digits[owner[j]].digit + 1 : 0));
	return scene;
}

export interface DigitSample {
	/** size·size intensities, ink 1. */
	image: Float32Array;
	digit: number;
	index: number;
}

/**
 * A single-digit sample for the classifier stage — the analogue of an ImageNet photograph, whose
 * object is large and roughly centred: one digit scaled to 40–80 px, shifted by up to ±12 px from
 * the centre of the size×size canvas, with 0–3 scribbles and mild noise.
 */
export function generateDigitSample(
	source: DigitSource,
	rng: Rng,
	options: {
		size: number;
		ranges: readonly Range[];
		minSize?: number;
		maxSize?: number;
		jitter?: number;
		maxScribbles?: number;
		noise?: number;
	}
): DigitSample {
	const S = options.size;
	const { digit, index } = pickDigit(rng, options.ranges);
	const size = rng.uniform(options.minSize ?? 40, Math.min(options.maxSize ?? 80, S));
	const r = renderDigit(source.get(digit, index), size);
	const j = options.jitter ?? 12;
	const clampInt = (v: number, hi: number) => Math.max(0, Math.min(hi, Math.round(v)));
	const x0 = clampInt((S - r.w) / 2 + rng.uniform(-j, j), S - r.w);
	const y0 = clampInt((S - r.h) / 2 + rng.uniform(-j, j), S - r.h);
	const image = drawScribbles(rng, S, S, rng.int(0, options.maxScribbles ?? 3));
	for (let y = 0; y < r.h; y++) {
		for (let x = 0; x < r.w; x++) {
			const k = (y0 + y) * S + x0 + x;
			image[k] = Math.max(image[k], r.ink[y * r.w + x]);
		}
	}
	const sigma = rng.uniform(0, options.noise ?? SCENE_DEFAULTS.noise);
	for (let k = 0; k < S * S; k++) image[k] = Math.min(1, Math.max(0, image[k] + sigma * rng.normal()));
	return { image, digit, index };
}
