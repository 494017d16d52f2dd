/**
 * Colour lookup tables: 256 RGBA entries per perceptual colormap (d3-scale-chromatic), built once,
 * so painting a value is one table read. Pure; no DOM.
 */
import { interpolateInferno, interpolateViridis, schemeTableau10 } from 'd3-scale-chromatic';
import { rgb } from 'd3-color';

export type ColormapName = 'viridis' | 'inferno';

/** 256×4 bytes: entry i is the colour of t = i/255. */
export type Lut = Uint8ClampedArray;

const cache = new Map<ColormapName, Lut>();

/** The lookup table of a perceptual colormap (viridis for activations, inferno for gradients). */
export function colormapLut(name: ColormapName = 'viridis'): Lut {
	let lut = cache.get(name);
	if (!lut) {
		const f = name === 'viridis' ? interpolateViridis : interpolateInferno;
		lut = new Uint8ClampedArray(256 * 4);
		for (let i = 0; i < 256; i++) {
			const c = rgb(f(i / 255));
			lut.set([c.r, c.g, c.b, 255], 4 * i);
		}
		cache.set(name, lut);
	}
	return lut;
}

/** The CSS colour of entry t ∈ [0, 1] of a colormap (for legends). */
export function colormapCss(name: ColormapName, t: number): string {
	return (name === 'viridis' ? interpolateViridis : interpolateInferno)(Math.min(1, Math.max(0, t)));
}

/**
 * Class colours: background (class 0) is transparent black, classes 1… take Tableau 10 in order
 * (digit d is class d + 1), except its grey, which would read as ink: cyan instead.
 * Returns [r, g, b] per class.
 */
const CLASS_SCHEME = schemeTableau10.map((c) => (c === '#bab0ac' ? '#17becf' : c));

export function classColors(classes: number): [number, number, number][] {
	const out: [number, number, number][] = [[0, 0, 0]];
	for (let k = 1; k < classes; k++) {
		const c = rgb(CLASS_SCHEME[(k - 1) % 10]);
		out.push([c.r, c.g, c.b]);
	}
	return out;
}

/** CSS colour of class k (for legends). */
export function classColorCss(k: number, classes: number): string {
	const [r, g, b] = classColors(classes)[k];
	return k === 0 ? 'transparent' : `rgb(${r} ${g} ${b})`;
}
