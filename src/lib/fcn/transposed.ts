/**
 * Transposed convolution ("deconvolution") on plain arrays, done literally as the paper describes
 * it, a convolution with fractional input stride 1/s:
 *   1. insert s − 1 zeros between neighbouring inputs,
 *   2. pad by k − p − 1 on each side (plus a extra rows/columns at the bottom/right),
 *   3. convolve (stride 1, no padding) with the kernel flipped in both axes.
 * The output has o′ = s(i′ − 1) + a + k − 2p units per axis. The intermediate arrays are returned
 * so a lesson can show them. `transposedConv2dScatter` is the direct definition (each input pastes
 * a scaled copy of the kernel at stride s) for comparison; `overlapCount2d` says how many kernel
 * taps land on each output pixel (uneven when s does not divide k: the checkerboard).
 */
import type { Grid } from './bilinear';
import { GeometryError, checkInteger } from './errors';
import { deconvOutputSize } from './shapes';

export interface TransposedOptions {
	stride: number;
	/** p: the output loses p pixels on each side (0 ≤ p; p ≤ k − 1 keeps step 2 a padding). */
	padding?: number;
	/** a: extra output rows/columns at the bottom/right, 0 ≤ a < s. */
	extra?: number;
}

export interface TransposedSteps {
	/** Step 1: the input with s − 1 zeros between neighbours, (i′ − 1)s + 1 per axis. */
	inserted: Grid;
	/** Step 2: padded by k − p − 1 each side (+ a bottom/right); cropped instead when k − p − 1 < 0. */
	padded: Grid;
	/** The kernel flipped in both axes. */
	flipped: Grid;
	/** Step 3: the valid stride-1 convolution of `padded` with `flipped`. */
	output: Grid;
}

/** Transposed convolution of one channel by one kernel, literally as zero insertion + padding + conv. */
export function transposedConv2d(x: Grid, w: Grid, opts: TransposedOptions): TransposedSteps {
	return literal(x, w, axes(x, w, opts, false));
}

function literal(x: Grid, w: Grid, { sy, py, ay, sx, px, ax }: Axes): TransposedSteps {
	const inserted = zeroInsert(x, sy, sx);
	const top = w.height - py - 1;
	const left = w.width - px - 1;
	const padded = pad(inserted, top, top + ay, left, left + ax);
	const flipped = flip(w);
	const output = correlate(padded, flipped);
	return { inserted, padded, flipped, output };
}

/** The 1-D case: x and w are plain vectors. */
export function transposedConv1d(
	x: Float32Array,
	w: Float32Array,
	opts: TransposedOptions
): { inserted: Float32Array; padded: Float32Array; flipped: Float32Array; output: Float32Array } {
	const r = literal(row(x), row(w), axes(row(x), row(w), opts, true));
	return { inserted: r.inserted.data, padded: r.padded.data, flipped: r.flipped.data, output: r.output.data };
}

/** The direct definition: out[s·i + t − p] += x[i]·w[t] (per axis), kernel not flipped. */
export function transposedConv2dScatter(x: Grid, w: Grid, opts: TransposedOptions): Grid {
	return scatter(x, w, axes(x, w, opts, false));
}

function scatter(x: Grid, w: Grid, { sy, py, ay, sx, px, ax }: Axes): Grid {
	const oh = sy * (x.height - 1) + ay + w.height - 2 * py;
	const ow = sx * (x.width - 1) + ax + w.width - 2 * px;
	const out = new Float32Array(oh * ow);
	for (let i = 0; i < x.height; i++) {
		for (let j = 0; j < x.width; j++) {
			const v = x.data[i * x.width + j];
			for (let u = 0; u < w.height; u++) {
				const y = sy * i + u - py;
				if (y < 0 || y >= oh) continue;
				for (let t = 0; t < w.width; t++) {
					const z = sx * j + t - px;
					if (z >= 0 && z < ow) out[y * ow + z] += v * w.data[u * w.width + t];
				}
			}
		}
	}
	return { data: out, width: ow, height: oh };
}

export function transposedConv1dScatter(x: Float32Array, w: Float32Array, opts: TransposedOptions): Float32Array {
	return scatter(row(x), row(w), axes(row(x), row(w), opts, true)).data;
}

/** Per output unit along one axis: how many (input, tap) pairs meet there, ⌊k/s⌋ or ⌈k/s⌉ inside. */
export function overlapCount1d(inputSize: number, kernel: number, opts: TransposedOptions): Int32Array {
	const s = opts.stride;
	const p = opts.padding ?? 0;
	const o = deconvOutputSize(inputSize, kernel, s, p, opts.extra ?? 0, 'overlap');
	const count = new Int32Array(o);
	for (let i = 0; i < inputSize; i++) {
		for (let t = 0; t < kernel; t++) {
			const y = s * i + t - p;
			if (y >= 0 && y < o) count[y]++;
		}
	}
	return count;
}

/** Per output pixel: the number of kernel taps that contribute (the product of the two axes). */
export function overlapCount2d(inputHeight: number, inputWidth: number, kernel: number, opts: TransposedOptions): Grid {
	const ys = overlapCount1d(inputHeight, kernel, opts);
	const xs = overlapCount1d(inputWidth, kernel, opts);
	const data = new Float32Array(ys.length * xs.length);
	ys.forEach((cy, y) => xs.forEach((cx, x) => (data[y * xs.length + x] = cy * cx)));
	return { data, width: xs.length, height: ys.length };
}

/** A row-major [H, W, C] tensor. */
export interface Tensor3 {
	data: Float32Array;
	height: number;
	width: number;
	channels: number;
}

/**
 * Multi-channel transposed convolution by channel loops over `transposedConv2d`: out_o =
 * Σ_c deconv(x_c, w[:, :, o, c]). Kernel layout [k, k, outChannels, inChannels] (as
 * tf.conv2dTranspose's filter).
 */
export function transposedConv2dMulti(
	x: Tensor3,
	w: { data: Float32Array; shape: [number, number, number, number] },
	opts: TransposedOptions
): Tensor3 {
	const [kh, kw, co, ci] = w.shape;
	if (ci !== x.channels) throw new GeometryError('', `kernel has ${ci} input channels, the input ${x.channels}`);
	let out: Tensor3 | null = null;
	for (let c = 0; c < ci; c++) {
		const xc = channel(x.data, x.height, x.width, ci, c);
		for (let o = 0; o < co; o++) {
			const wk = new Float32Array(kh * kw);
			for (let t = 0; t < kh * kw; t++) wk[t] = w.data[(t * co + o) * ci + c];
			const y = transposedConv2d(xc, { data: wk, width: kw, height: kh }, opts).output;
			out ??= { data: new Float32Array(y.height * y.width * co), height: y.height, width: y.width, channels: co };
			for (let q = 0; q < y.data.length; q++) out.data[q * co + o] += y.data[q];
		}
	}
	return out!;
}

/** Step 1: s − 1 zeros between neighbours in both axes. */
export function zeroInsert(x: Grid, stride: number, strideX = stride): Grid {
	const h = (x.height - 1) * stride + 1;
	const w = (x.width - 1) * strideX + 1;
	const data = new Float32Array(h * w);
	for (let i = 0; i < x.height; i++) {
		for (let j = 0; j < x.width; j++) data[i * stride * w + j * strideX] = x.data[i * x.width + j];
	}
	return { data, width: w, height: h };
}

/** Zero padding by the given amounts on each side; a negative amount crops instead. */
export function pad(x: Grid, top: number, bottom: number, left: number, right: number): Grid {
	const h = x.height + top + bottom;
	const w = x.width + left + right;
	if (h < 1 || w < 1) throw new GeometryError('', `padding leaves an empty ${h}×${w} array`);
	const data = new Float32Array(h * w);
	for (let y = 0; y < h; y++) {
		const sy = y - top;
		if (sy < 0 || sy >= x.height) continue;
		for (let z = 0; z < w; z++) {
			const sz = z - left;
			if (sz >= 0 && sz < x.width) data[y * w + z] = x.data[sy * x.width + sz];
		}
	}
	return { data, width: w, height: h };
}

/** The kernel rotated by 180°. */
export function flip(w: Grid): Grid {
	return { data: w.data.slice().reverse(), width: w.width, height: w.height };
}

/** Valid, stride-1 cross-correlation (what deep-learning frameworks call convolution). */
export function correlate(x: Grid, w: Grid): Grid {
	const oh = x.height - w.height + 1;
	const ow = x.width - w.width + 1;
	if (oh < 1 || ow < 1)
		throw new GeometryError('', `kernel ${w.height}×${w.width} is larger than the input ${x.height}×${x.width}`);
	const data = new Float32Array(oh * ow);
	for (let y = 0; y < oh; y++) {
		for (let z = 0; z < ow; z++) {
			let acc = 0;
			for (let u = 0; u < w.height; u++) {
				const xr = (y + u) * x.width + z;
				const wr = u * w.width;
				for (let t = 0; t < w.width; t++) acc += x.data[xr + t] * w.data[wr + t];
			}
			data[y * ow + z] = acc;
		}
	}
	return { data, width: ow, height: oh };
}

interface Axes {
	sy: number;
	py: number;
	ay: number;
	sx: number;
	px: number;
	ax: number;
}

/** Per-axis stride, padding, extra; a 1-D problem is a single row with the identity along y. */
function axes(x: Grid, w: Grid, opts: TransposedOptions, oneD: boolean): Axes {
	const s = opts.stride;
	const p = opts.padding ?? 0;
	const a = opts.extra ?? 0;
	checkInteger('', 'stride', s, 1);
	if (x.data.length !== x.width * x.height)
		throw new GeometryError('', `input has ${x.data.length} values, not ${x.height}×${x.width}`);
	if (w.data.length !== w.width * w.height)
		throw new GeometryError('', `kernel has ${w.data.length} values, not ${w.height}×${w.width}`);
	const ax: Axes = oneD ? { sy: 1, py: 0, ay: 0, sx: s, px: p, ax: a } : { sy: s, py: p, ay: a, sx: s, px: p, ax: a };
	// Validates p and a, and that the output has at least one unit along each axis.
	deconvOutputSize(x.height, w.height, ax.sy, ax.py, ax.ay, 'transposed convolution');
	deconvOutputSize(x.width, w.width, ax.sx, ax.px, ax.ax, 'transposed convolution');
	return ax;
}

function row(v: Float32Array): Grid {
	return { data: v, width: v.length, height: 1 };
}

function channel(data: Float32Array, h: number, w: number, channels: number, c: number): Grid {
	const out = new Float32Array(h * w);
	for (let q = 0; q < h * w; q++) out[q] = data[q * channels + c];
	return { data: out, width: w, height: h };
}
