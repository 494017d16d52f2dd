/**
 * Colour difference: sRGB → CIELAB (D65) and CIEDE2000 ΔE, the measure the palette test uses
 * (ΔE ≥ 10 is a common threshold for "clearly different"). Pure; no DOM.
 *
 * CIEDE2000 as in G. Sharma, W. Wu, E. N. Dalal, "The CIEDE2000 color-difference formula:
 * implementation notes, supplementary test data, and mathematical observations", Color Research &
 * Application 30(1), 2005 (equations 1–17; kL = kC = kH = 1).
 */
import type { Rgb } from './rgba';

/** A CIELAB colour: L* 0…100, a*, b*. */
export type Lab = readonly [number, number, number];

/** An sRGB channel (0…255) as linear light (0…1). */
function linear(c: number): number {
	const s = c / 255;
	return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

/** sRGB (0…255) → CIELAB, D65 white (the sRGB white point). */
export function rgbLab([r, g, b]: Rgb): Lab {
	const [R, G, B] = [linear(r), linear(g), linear(b)];
	const x = (0.4124564 * R + 0.3575761 * G + 0.1804375 * B) / 0.95047;
	const y = 0.2126729 * R + 0.7151522 * G + 0.072175 * B;
	const z = (0.0193339 * R + 0.119192 * G + 0.9503041 * B) / 1.08883;
	const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
	const [fx, fy, fz] = [f(x), f(y), f(z)];
	return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

const deg = Math.PI / 180;

/** The CIEDE2000 colour difference ΔE₀₀ of two CIELAB colours (symmetric, 0 for equal colours). */
export function ciede2000([L1, a1, b1]: Lab, [L2, a2, b2]: Lab): number {
	const C1 = Math.hypot(a1, b1);
	const C2 = Math.hypot(a2, b2);
	const Cm7 = ((C1 + C2) / 2) ** 7;
	const G = 0.5 * (1 - Math.sqrt(Cm7 / (Cm7 + 25 ** 7)));
	const ap1 = (1 + G) * a1;
	const ap2 = (1 + G) * a2;
	const Cp1 = Math.hypot(ap1, b1);
	const Cp2 = Math.hypot(ap2, b2);
	const hue = (b: number, ap: number) => (b === 0 && ap === 0 ? 0 : (Math.atan2(b, ap) / deg + 360) % 360);
	const hp1 = hue(b1, ap1);
	const hp2 = hue(b2, ap2);

	const dL = L2 - L1;
	const dC = Cp2 - Cp1;
	let dh = 0;
	if (Cp1 * Cp2 !== 0) {
		dh = hp2 - hp1;
		if (dh > 180) dh -= 360;
		else if (dh < -180) dh += 360;
	}
	const dH = 2 * Math.sqrt(Cp1 * Cp2) * Math.sin((dh / 2) * deg);

	const Lm = (L1 + L2) / 2;
	const Cm = (Cp1 + Cp2) / 2;
	let hm = hp1 + hp2;
	if (Cp1 * Cp2 !== 0) {
		if (Math.abs(hp1 - hp2) <= 180) hm /= 2;
		else hm = hm < 360 ? (hm + 360) / 2 : (hm - 360) / 2;
	}
	const T =
		1 -
		0.17 * Math.cos((hm - 30) * deg) +
		0.24 * Math.cos(2 * hm * deg) +
		0.32 * Math.cos((3 * hm + 6) * deg) -
		0.2 * Math.cos((4 * hm - 63) * deg);
	const dTheta = 30 * Math.exp(-(((hm - 275) / 25) ** 2));
	const Cm7p = Cm ** 7;
	const RC = 2 * Math.sqrt(Cm7p / (Cm7p + 25 ** 7));
	const SL = 1 + (0.015 * (Lm - 50) ** 2) / Math.sqrt(20 + (Lm - 50) ** 2);
	const SC = 1 + 0.045 * Cm;
	const SH = 1 + 0.015 * Cm * T;
	const RT = -Math.sin(2 * dTheta * deg) * RC;
	const l = dL / SL;
	const c = dC / SC;
	const h = dH / SH;
	return Math.sqrt(l * l + c * c + h * h + RT * c * h);
}

/** ΔE₀₀ of two sRGB colours. */
export function deltaE(a: Rgb, b: Rgb): number {
	return ciede2000(rgbLab(a), rgbLab(b));
}

/** WCAG 2 contrast ratio of two sRGB colours (1…21). */
export function contrastRatio(a: Rgb, b: Rgb): number {
	const lum = ([r, g, b]: Rgb) => 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
	const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
	return (hi + 0.05) / (lo + 0.05);
}
