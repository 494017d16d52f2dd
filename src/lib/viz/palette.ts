/**
 * The one palette of the site. Class colours (background, digits 0–9) are what every canvas paints
 * and every legend shows; colours with other meanings (chart series, highlights, the receptive
 * field, the logo) have their own names, so a class colour never means anything else. The CSS custom
 * properties (`--class-N`, `--series-*`, …) are generated from it by {@link paletteCss} (the root layout
 * writes them on :root), never typed twice. Pure; no DOM.
 *
 * One palette serves both themes: the canvases show white ink on black whatever the theme
 * (DrawCanvas, paintGrey), so a class must look the same on both pages. tests/unit/viz/palette.test.ts
 * checks CIEDE2000 ΔE ≥ 10 between any two classes, from the ink (every grey from background to
 * ink, with the overlay's opacity) and from both themes' page colours.
 */
import { hexRgb } from './rgba';

export const palette = {
	/**
	 * Class k in manifest order: background is black (the canvas under the ink; overlays leave it
	 * transparent), then digits 0–9: Tableau 10 without its grey, which reads as ink, and a violet
	 * for 9.
	 */
	classes: [
		'#000000',
		'#4e79a7',
		'#f28e2c',
		'#e15759',
		'#76b7b2',
		'#59a14f',
		'#edc949',
		'#af7aa1',
		'#ff9da7',
		'#9c755f',
		'#7b2cbf'
	],
	/**
	 * The digit canvas in both themes: ink 1 is white, background 0 black (DrawCanvas draws with these
	 * and reads the red channel back as the ink; paintGrey paints the same).
	 */
	canvas: { ink: '#ffffff', background: '#000000' },
	/** Pixels without a label (void, 255): a checker of two greys, so "no label" shows without colour. */
	void: ['#969696', '#646464'],
	/** Chart series on /training: one colour per model. */
	series: { classifier: '#4363d8', fcn32s: '#e6194b', fcn16s: '#f58231', fcn8s: '#3cb44b' },
	/** What a diagram points at (the kernel, score layers); `highlightAlt` the second kind (upsampling). */
	highlight: '#f58231',
	highlightAlt: '#4363d8',
	/** The receptive field: the theoretical one on /network; the field and its patch on /receptive-field. */
	field: { theoretical: '#ff2d55', box: '#3ad1ff', patch: '#ffb000' },
	/** The logo's two colours beside the accent. */
	logo: ['#3cb44b', '#f58231'],
	/** Diverging score maps: negative and positive (zero is the page background). */
	scores: { negative: '#2166ac', positive: '#d66018' }
} as const;

/**
 * [r, g, b] of classes 0 … classes − 1: class 0 is the background; classes past the palette's 11
 * repeat the digits' colours.
 */
export function classColors(classes: number): [number, number, number][] {
	const digits = palette.classes.length - 1;
	return Array.from({ length: classes }, (_, k) => hexRgb(palette.classes[k === 0 ? 0 : 1 + ((k - 1) % digits)]));
}

/** The CSS colour of class k's legend swatch; background is 'transparent' (the overlay leaves it clear). */
export function classColorCss(k: number): string {
	return k === 0 ? 'transparent' : palette.classes[1 + ((k - 1) % (palette.classes.length - 1))];
}

/**
 * The palette as CSS custom property declarations, for a :root rule in a <style> element the root
 * layout writes into <head> (CSP's style-src allows inline styles; no script runs, and every
 * prerendered page carries it): `--class-0` … `--class-10`,
 * `--series-<model>`, `--highlight`, `--highlight-alt`, `--field-<kind>`, `--logo-1`, `--logo-2`,
 * `--void-1`, `--void-2`, `--scores-<sign>`.
 */
export function paletteCss(): string {
	const p = palette;
	const vars: [string, string][] = [
		...p.classes.map((c, k): [string, string] => [`class-${k}`, c]),
		...Object.entries(p.series).map(([k, c]): [string, string] => [`series-${k}`, c]),
		['highlight', p.highlight],
		['highlight-alt', p.highlightAlt],
		...Object.entries(p.field).map(([k, c]): [string, string] => [`field-${k}`, c]),
		...p.logo.map((c, i): [string, string] => [`logo-${i + 1}`, c]),
		...p.void.map((c, i): [string, string] => [`void-${i + 1}`, c]),
		...Object.entries(p.scores).map(([k, c]): [string, string] => [`scores-${k}`, c])
	];
	return vars.map(([name, c]) => `--${name}: ${c}`).join('; ');
}
