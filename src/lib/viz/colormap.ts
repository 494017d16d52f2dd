/**
 * Colour lookup tables: 256 RGBA entries sampled from a colour interpolator (d3-scale-chromatic),
 * built once, so painting a value is one table read. Pure; no DOM.
 */
import { interpolateInferno, interpolateViridis } from 'd3-scale-chromatic';
import { rgb } from 'd3-color';

/** 256×4 bytes (RGBA): entry i is the colour of t = i/255, alpha 255. */
export type Lut = Uint8ClampedArray;

/** The lookup table of any interpolator t ∈ [0, 1] → CSS colour (e.g. d3's interpolateGreys). */
export function makeLut(interpolate: (t: number) => string): Lut {
	const lut = new Uint8ClampedArray(256 * 4);
	for (let i = 0; i < 256; i++) {
		const c = rgb(interpolate(i / 255));
		lut.set([c.r, c.g, c.b, 255], 4 * i);
	}
	return lut;
}

/** The perceptual colormaps of the live views: viridis for activations, inferno for gradients. */
export type ColormapName = 'viridis' | 'inferno';

const INTERPOLATORS: Record<ColormapName, (t: number) => string> = {
	viridis: interpolateViridis,
	inferno: interpolateInferno
};

const cache = new Map<ColormapName, Lut>();

/** The lookup table of a perceptual colormap, made once per page. */
export function colormapLut(name: ColormapName = 'viridis'): Lut {
	let lut = cache.get(name);
	if (!lut) cache.set(name, (lut = makeLut(INTERPOLATORS[name])));
	return lut;
}

/** The CSS colour of entry t ∈ [0, 1] of a colormap (for legends). */
export function colormapCss(name: ColormapName, t: number): string {
	return INTERPOLATORS[name](Math.min(1, Math.max(0, t)));
}
