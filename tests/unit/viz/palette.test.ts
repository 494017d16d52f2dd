/**
 * The one palette: every class colour is clearly different (CIEDE2000 ΔE ≥ 10) from every other class
 * and from the ink, in both themes; the CSS custom properties are generated from it.
 *
 * What the reader sees: the digit canvases (DrawCanvas, paintGrey) show white ink on black in BOTH
 * themes, anti-aliased, so "the ink" is every grey from the background (0) to the stroke (1). A class
 * is laid over that input at opacity 0.6 (paintSegmentation's default; the cells use 0.6–0.7), so a
 * class colour must stay ΔE ≥ 10 from every grey both as it is and as painted over any grey. Legends
 * show the same colours as swatches on the page, so the digits' colours are checked against each
 * theme's page background and text colour (read from src/app.css).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLASS_NAMES } from '$lib/data/classes';
import {
	ciede2000,
	classColorCss,
	classColors,
	contrastRatio,
	deltaE,
	hexRgb,
	palette,
	paletteCss,
	rgbLab,
	type Rgb
} from '$lib/viz';

/** ΔE ≥ 10: a common threshold for "clearly different". */
const CLEARLY = 10;
/** The lowest overlay opacity a cell paints classes with. */
const OVERLAY_ALPHA = 0.6;

const classes = palette.classes.map(hexRgb);
const digits = classes.slice(1).map((rgb, d) => ({ d, hex: palette.classes[d + 1], rgb }));
const ink = hexRgb(palette.canvas.ink);
const greys = Array.from({ length: 256 }, (_, g) => rgbLab([g, g, g]));

/** ΔE from the nearest grey (the nearest shade of ink). */
const fromInk = (c: Rgb) => Math.min(...greys.map((g) => ciede2000(rgbLab(c), g)));
/** Colour c at opacity a over grey level g (0…255). */
const over = (c: Rgb, g: number, a: number): Rgb => [
	a * c[0] + (1 - a) * g,
	a * c[1] + (1 - a) * g,
	a * c[2] + (1 - a) * g
];

/** --bg and --fg of a theme in src/app.css, each written once as `light-dark(#light, #dark)`. */
function themeColours(theme: 'light' | 'dark'): { page: Rgb; text: Rgb } {
	const css = readFileSync(new URL('../../../src/app.css', import.meta.url), 'utf8');
	const v = (name: string) => {
		const m = new RegExp(`--${name}:\\s*light-dark\\((#[0-9a-f]{6}),\\s*(#[0-9a-f]{6})\\)`, 'i').exec(css);
		if (!m) throw new Error(`no light-dark() value of --${name} in app.css`);
		return hexRgb(theme === 'light' ? m[1] : m[2]);
	};
	return { page: v('bg'), text: v('fg') };
}

describe('palette.classes', () => {
	it('has one colour per class name (background, 0–9)', () => {
		expect(palette.classes).toHaveLength(CLASS_NAMES.length);
	});

	it(`keeps any two classes ΔE ≥ ${CLEARLY} apart`, () => {
		for (let i = 0; i < classes.length; i++)
			for (let j = i + 1; j < classes.length; j++)
				expect(deltaE(classes[i], classes[j]), `${palette.classes[i]} vs ${palette.classes[j]}`).toBeGreaterThanOrEqual(
					CLEARLY
				);
	});

	it(`keeps every digit ΔE ≥ ${CLEARLY} from the ink: white, and every grey of an anti-aliased stroke`, () => {
		for (const { hex, rgb } of digits) {
			expect(deltaE(rgb, ink), hex).toBeGreaterThanOrEqual(CLEARLY);
			expect(fromInk(rgb), hex).toBeGreaterThanOrEqual(CLEARLY);
		}
	});

	it(`keeps every digit ΔE ≥ ${CLEARLY} from the ink as the overlay paints it (opacity ${OVERLAY_ALPHA} over any grey)`, () => {
		for (const { hex, rgb } of digits)
			for (let g = 0; g <= 255; g += 5)
				expect(fromInk(over(rgb, g, OVERLAY_ALPHA)), `${hex} over ${g}`).toBeGreaterThanOrEqual(CLEARLY);
	});

	it('catches the old grey 9 (Tableau 10’s #bab0ab): it reads as ink', () => {
		expect(fromInk(over(hexRgb('#bab0ab'), 255, OVERLAY_ALPHA))).toBeLessThan(CLEARLY);
	});

	it('paints background as the canvas background, in AAA contrast (≥ 7:1) with the ink', () => {
		expect(palette.classes[0]).toBe(palette.canvas.background);
		expect(contrastRatio(classes[0], ink)).toBeGreaterThanOrEqual(7);
	});

	for (const theme of ['light', 'dark'] as const)
		it(`keeps every digit ΔE ≥ ${CLEARLY} from the ${theme} theme's page and text (legend swatches)`, () => {
			const { page, text } = themeColours(theme);
			for (const { hex, rgb } of digits) {
				expect(deltaE(rgb, page), `${hex} on the page`).toBeGreaterThanOrEqual(CLEARLY);
				expect(deltaE(rgb, text), `${hex} vs text`).toBeGreaterThanOrEqual(CLEARLY);
			}
		});
});

describe('classColors(classes) / classColorCss(k)', () => {
	it('gives [r, g, b] per class from the palette, the digits repeating past 11', () => {
		const c = classColors(12);
		expect(c[0]).toEqual([0, 0, 0]);
		expect(c[10]).toEqual(hexRgb(palette.classes[10]));
		expect(c[11]).toEqual(c[1]);
	});
	it('gives a swatch colour per digit; background is transparent (the overlay leaves it clear)', () => {
		expect(classColorCss(0)).toBe('transparent');
		expect(classColorCss(3)).toBe(palette.classes[3]);
	});
});

describe('paletteCss()', () => {
	const css = paletteCss();
	it('declares --class-0 … --class-10 from palette.classes', () => {
		palette.classes.forEach((c, k) => expect(css).toContain(`--class-${k}: ${c}`));
		expect(css).not.toContain('--class-11');
	});
	it('names the colours of other meanings apart from the classes', () => {
		for (const name of [
			'series-fcn8s',
			'highlight',
			'highlight-alt',
			'field-theoretical',
			'logo-1',
			'void-1',
			'scores-negative'
		])
			expect(css).toMatch(new RegExp(`--${name}: #[0-9a-f]{6}`));
	});
	it('reuses no class colour for another meaning', () => {
		const others = [
			...Object.values(palette.series),
			palette.highlight,
			palette.highlightAlt,
			...Object.values(palette.field),
			...palette.logo,
			...Object.values(palette.scores)
		];
		for (const c of others) expect(palette.classes.slice(1), c).not.toContain(c);
	});
});
