/**
 * Feature maps → one RGBA image: every channel of a layer's activation as a tile of a mosaic,
 * coloured through a perceptual colormap. One buffer per layer, so a component paints a whole
 * layer with ONE putImageData (never a data URL per tile). Pure; no DOM.
 */
import { channelMean } from '$lib/fcn';
import { colormapLut, type ColormapName } from './colormap';
import type { Rgba } from './rgba';

/** A layer's activation, row-major HWC (as the engine returns it). */
export interface Activation {
	readonly data: Float32Array;
	width: number;
	height: number;
	channels: number;
	/** The mean over channels (h×w), when the engine already computed it: used instead of `data` for 'mean'. */
	mean?: Float32Array;
}

/**
 * 'channel': each tile spans its own min…max (shows every channel's pattern);
 * 'layer': one min…max for the whole layer (shows which channels are strong).
 */
export type Scaling = 'channel' | 'layer';

export interface MosaicOptions {
	scaling?: Scaling;
	colormap?: ColormapName;
	/** Tiles per row (default: about square overall). */
	columns?: number;
	/** Pixels between tiles (default 1). */
	gap?: number;
	/** Only these channels, in this order (default: all). */
	channels?: number[];
}

export interface MosaicLayout {
	columns: number;
	rows: number;
	gap: number;
	tileWidth: number;
	tileHeight: number;
	width: number;
	height: number;
	channels: number[];
}

/** Where each tile goes: columns chosen so the mosaic is about square, unless given. */
export function mosaicLayout(
	a: Pick<Activation, 'width' | 'height' | 'channels'>,
	opts: MosaicOptions = {}
): MosaicLayout {
	const channels = opts.channels ?? Array.from({ length: a.channels }, (_, c) => c);
	const n = channels.length;
	const gap = opts.gap ?? 1;
	const columns = Math.max(1, Math.min(n, opts.columns ?? Math.ceil(Math.sqrt((n * a.height) / a.width))));
	const rows = Math.max(1, Math.ceil(n / columns));
	return {
		columns,
		rows,
		gap,
		tileWidth: a.width,
		tileHeight: a.height,
		width: columns * a.width + (columns - 1) * gap,
		height: rows * a.height + (rows - 1) * gap,
		channels
	};
}

/** Per channel [min, max] of an HWC activation. */
export function channelRanges(a: Activation): { min: Float32Array; max: Float32Array } {
	const { data, channels: C } = a;
	const min = new Float32Array(C).fill(Infinity);
	const max = new Float32Array(C).fill(-Infinity);
	for (let i = 0, c = 0; i < data.length; i++) {
		const v = data[i];
		if (v < min[c]) min[c] = v;
		if (v > max[c]) max[c] = v;
		if (++c === C) c = 0;
	}
	return { min, max };
}

/**
 * Paint every channel of `a` as a tile of one RGBA mosaic (gaps transparent). A constant tile
 * (max = min) paints as the colormap's low end.
 */
export function paintMosaic(a: Activation, opts: MosaicOptions = {}): Rgba & { layout: MosaicLayout } {
	const layout = mosaicLayout(a, opts);
	const lut = colormapLut(opts.colormap ?? 'viridis');
	const { width: W, height: H } = layout;
	const out = new Uint8ClampedArray(W * H * 4);
	const { min, max } = channelRanges(a);
	let lmin = Infinity;
	let lmax = -Infinity;
	for (const c of layout.channels) {
		if (min[c] < lmin) lmin = min[c];
		if (max[c] > lmax) lmax = max[c];
	}
	const perChannel = (opts.scaling ?? 'channel') === 'channel';
	const { width: w, height: h, channels: C, data } = a;
	layout.channels.forEach((c, k) => {
		const lo = perChannel ? min[c] : lmin;
		const span = (perChannel ? max[c] : lmax) - lo;
		// 256 equal bins over [lo, hi]; the max falls in the last (clamped).
		const scale = span > 0 ? 256 / span : 0;
		const ox = (k % layout.columns) * (w + layout.gap);
		const oy = Math.floor(k / layout.columns) * (h + layout.gap);
		for (let y = 0; y < h; y++) {
			let o = ((oy + y) * W + ox) * 4;
			let i = y * w * C + c;
			for (let x = 0; x < w; x++, i += C, o += 4) {
				const t = ((data[i] - lo) * scale) | 0;
				const l = 4 * (t < 0 ? 0 : t > 255 ? 255 : t);
				out[o] = lut[l];
				out[o + 1] = lut[l + 1];
				out[o + 2] = lut[l + 2];
				out[o + 3] = 255;
			}
		}
	});
	return { data: out, width: W, height: H, layout };
}

/** One channel (or the mean over channels) of `a` as a single coloured image (layer thumbnails). */
export function paintChannel(
	a: Activation,
	channel: number | 'mean' = 'mean',
	colormap: ColormapName = 'viridis'
): Rgba {
	const { width: w, height: h, channels: C } = a;
	if (channel === 'mean') return paintScalar({ data: a.mean ?? channelMean(a.data, C), width: w, height: h }, colormap);
	const v = new Float32Array(w * h);
	for (let p = 0; p < w * h; p++) v[p] = a.data[p * C + channel];
	return paintScalar({ data: v, width: w, height: h }, colormap);
}

/** A scalar field (row-major, one value per pixel) through a colormap, min…max scaled. */
export function paintScalar(
	g: { data: Float32Array; width: number; height: number },
	colormap: ColormapName = 'viridis',
	alpha?: (t: number) => number
): Rgba {
	const lut = colormapLut(colormap);
	let lo = Infinity;
	let hi = -Infinity;
	for (const x of g.data) {
		if (x < lo) lo = x;
		if (x > hi) hi = x;
	}
	const scale = hi > lo ? 256 / (hi - lo) : 0;
	const out = new Uint8ClampedArray(g.width * g.height * 4);
	for (let p = 0; p < g.data.length; p++) {
		const t = Math.min(255, ((g.data[p] - lo) * scale) | 0);
		out.set(lut.subarray(4 * t, 4 * t + 3), 4 * p);
		out[4 * p + 3] = alpha ? alpha(t / 255) : 255;
	}
	return { data: out, width: g.width, height: g.height };
}
