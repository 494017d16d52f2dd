/**
 * Painters for label maps and score maps: data → one ImageData, written in one loop (Observable
 * Plot's raster technique). The canvas is scaled with CSS `image-rendering: pixelated`.
 */

/** '#rrggbb' or 'rgb(r, g, b)' → [r, g, b]; null for anything else. */
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

/**
 * Paint class labels (row-major w×h); `void` (255) pixels are drawn as a checker of the two greys
 * so that "no label" is visible without colour. With `under` (the grey input, ink 1), each pixel's
 * colour is mixed with the ink so the digits stay readable.
 */
export function paintLabels(
	ctx: CanvasRenderingContext2D,
	labels: Uint8Array,
	w: number,
	h: number,
	palette: readonly [number, number, number][],
	under?: Float32Array
): void {
	if (ctx.canvas.width !== w) ctx.canvas.width = w;
	if (ctx.canvas.height !== h) ctx.canvas.height = h;
	const img = ctx.createImageData(w, h);
	const d = img.data;
	for (let q = 0; q < w * h; q++) {
		const l = labels[q];
		let r: number, g: number, b: number;
		if (l === 255 || l >= palette.length) {
			const odd = ((q % w) + Math.floor(q / w)) % 4 < 2;
			r = g = b = odd ? 150 : 100;
		} else {
			[r, g, b] = palette[l];
		}
		if (under) {
			const ink = 0.35 + 0.65 * Math.min(1, Math.max(0, under[q]));
			r *= ink;
			g *= ink;
			b *= ink;
		}
		d[4 * q] = r;
		d[4 * q + 1] = g;
		d[4 * q + 2] = b;
		d[4 * q + 3] = 255;
	}
	ctx.putImageData(img, 0, 0);
}

/** Paint a grey image (row-major, values in [0, 1]) as white ink on black. */
export function paintGrey(ctx: CanvasRenderingContext2D, data: Float32Array, w: number, h: number): void {
	if (ctx.canvas.width !== w) ctx.canvas.width = w;
	if (ctx.canvas.height !== h) ctx.canvas.height = h;
	const img = ctx.createImageData(w, h);
	for (let q = 0; q < w * h; q++) {
		const v = Math.round(255 * Math.min(1, Math.max(0, data[q])));
		img.data[4 * q] = img.data[4 * q + 1] = img.data[4 * q + 2] = v;
		img.data[4 * q + 3] = 255;
	}
	ctx.putImageData(img, 0, 0);
}

/**
 * One channel of an HWC score map as a diverging heat map: negative blue, zero the background
 * colour `zero`, positive orange, scaled by `scale` (the largest |value| shown at full colour).
 */
export function paintScores(
	ctx: CanvasRenderingContext2D,
	m: { data: Float32Array; width: number; height: number; channels: number },
	channel: number,
	scale: number,
	zero: [number, number, number] = [245, 245, 245]
): void {
	const { width: w, height: h, channels: C } = m;
	if (ctx.canvas.width !== w) ctx.canvas.width = w;
	if (ctx.canvas.height !== h) ctx.canvas.height = h;
	const img = ctx.createImageData(w, h);
	const neg = [33, 102, 172];
	const pos = [214, 96, 24];
	const s = scale > 0 ? scale : 1;
	for (let q = 0; q < w * h; q++) {
		const v = Math.max(-1, Math.min(1, m.data[q * C + channel] / s));
		const to = v < 0 ? neg : pos;
		const t = Math.abs(v);
		for (let k = 0; k < 3; k++) img.data[4 * q + k] = zero[k] + (to[k] - zero[k]) * t;
		img.data[4 * q + 3] = 255;
	}
	ctx.putImageData(img, 0, 0);
}

/** The largest |value| of one channel (the heat map's scale). */
export function channelMaxAbs(
	m: { data: Float32Array; width: number; height: number; channels: number },
	channel: number
): number {
	let mx = 0;
	for (let q = 0; q < m.width * m.height; q++) mx = Math.max(mx, Math.abs(m.data[q * m.channels + channel]));
	return mx;
}
