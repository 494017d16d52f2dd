/**
 * The pixel types of viz, and reading a CSS colour into one. Pure; no DOM.
 */

/** An sRGB colour, 0…255 per channel. */
export type Rgb = readonly [number, number, number];

/** RGBA pixels, row-major, as ImageData holds them (what every painter returns; putRgba shows it). */
export interface Rgba {
	data: Uint8ClampedArray;
	width: number;
	height: number;
}

/** '#rrggbb' or 'rgb(r, g, b)' / 'rgb(r g b)' → [r, g, b]; null for anything else. */
export function parseColor(s: string): [number, number, number] | null {
	const t = s.trim();
	const hex = /^#([0-9a-f]{6})$/i.exec(t);
	if (hex) {
		const v = parseInt(hex[1], 16);
		return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
	}
	const rgb = /^rgba?\((\d+)[ ,]+(\d+)[ ,]+(\d+)/i.exec(t);
	return rgb ? [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])] : null;
}

/** '#rrggbb' → [r, g, b]; throws a RangeError for anything else (for colours written in code). */
export function hexRgb(hex: string): [number, number, number] {
	const c = /^#[0-9a-f]{6}$/i.test(hex.trim()) ? parseColor(hex) : null;
	if (!c) throw new RangeError(`invalid colour: ${hex}`);
	return c;
}
