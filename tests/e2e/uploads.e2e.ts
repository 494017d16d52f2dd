/**
 * Uploads on /network, a classroom's worst files: each gets a clear message or a sensible result,
 * never a blank page or a frozen tab, and after a refused file the page still works. Every
 * picture is built in code (tests/fixtures/images.ts); expected pixels come from the library.
 * (A text file named .png is tested in live-network.e2e.ts.)
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, type E2E, type Watched } from './harness.ts';
import { gifAnimated, pngBits, pngGrey, pngRgba } from '../fixtures/images.ts';
import { UPLOAD_LIMITS } from '../../src/lib/data/decode.ts';
import { rgbaToGrey } from '../../src/lib/data/grey.ts';
import { sniffImage } from '../../src/lib/data/sniff.ts';
import { testScenesFrom, type TestDigitsIndex } from '../../src/lib/data/test-digits.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const LIVE = '/network?weights=random&backend=wasm&sample=none';

// --- shared set-up --------------------------------------------------------------------------------

/** /network's live cell with random weights, once its first segmentation is on screen. */
async function openLive(t: E2E): Promise<Watched> {
	const w = await t.open(LIVE);
	await segmentation(w);
	return w;
}

async function segmentation(w: Watched): Promise<void> {
	await w.page.waitForSelector('[data-testid="segmentation"], [data-testid="live-error"]', { timeout: 90_000 });
	const err = await w.page.$('[data-testid="live-error"]');
	if (err) throw new Error(`the live cell failed: ${await err.innerText()}`);
}

/** Chooses a file in the drawing canvas's upload input. */
async function upload(w: Watched, name: string, mimeType: string, buffer: Buffer): Promise<void> {
	await w.page.getByTestId('upload').setInputFiles({ name, mimeType, buffer });
}

/** Uploads a file that must be refused; returns the message shown (and checks no notice claims a new picture). */
async function refused(w: Watched, name: string, mimeType: string, buffer: Buffer): Promise<string> {
	const before = await drawnPicture(w);
	await upload(w, name, mimeType, buffer);
	const message = await w.page.getByTestId('upload-error').innerText({ timeout: 30_000 });
	const after = await drawnPicture(w);
	assert.deepEqual(
		[after.width, after.height],
		[before.width, before.height],
		'a refused file leaves the drawing as it was'
	);
	return message;
}

/** Waits until the drawing canvas is width×height and the segmentation has followed it. */
async function showsSize(w: Watched, width: number, height: number): Promise<void> {
	await w.page.waitForFunction(
		// (No helper function inside: tsx would name it with `__name`, which the page does not have.)
		([wd, ht]) => {
			const seg = document.querySelector('[data-testid="segmentation-canvas"]') as HTMLCanvasElement | null;
			const cw = document.querySelector('[data-testid="canvas-width"]') as HTMLInputElement | null;
			const ch = document.querySelector('[data-testid="canvas-height"]') as HTMLInputElement | null;
			return cw?.value === String(wd) && ch?.value === String(ht) && seg?.width === wd && seg?.height === ht;
		},
		[width, height],
		{ timeout: 60_000 }
	);
}

/** After a refusal the page still works: a good picture uploads, the error goes, and it is segmented at its size. */
async function stillWorks(w: Watched): Promise<void> {
	const W = 96;
	const H = 72;
	await upload(
		w,
		'good.png',
		'image/png',
		pngBits(W, H, (x, y) => x > 20 && x < 40 && y > 10 && y < 60)
	);
	await showsSize(w, W, H);
	assert.equal(await w.page.getByTestId('upload-error').count(), 0, 'the error message is gone');
}

/** The drawing canvas's picture: grey 0…255 per pixel (its red channel; it is painted grey). */
async function drawnPicture(w: Watched): Promise<{ grey: number[]; width: number; height: number }> {
	return w.page.$eval('[data-testid="draw-surface"]', (c) => {
		const canvas = c as HTMLCanvasElement;
		const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
		const grey: number[] = [];
		for (let i = 0; i < d.length; i += 4) grey.push(d[i]);
		return { grey, width: canvas.width, height: canvas.height };
	});
}

async function noticeText(w: Watched): Promise<string> {
	await w.page.getByTestId('upload-notice').first().waitFor({ timeout: 30_000 });
	return (await w.page.getByTestId('upload-notice').allInnerTexts()).join('\n');
}

/** How the library turns an RGBA picture into the canvas's grey bytes (what DrawCanvas paints). */
function expectedGrey(width: number, height: number, rgba: Uint8Array): number[] {
	return Array.from(rgbaToGrey({ data: rgba, width, height }).image.data, (v) => Math.round(v * 255));
}

function maxDifference(a: number[], b: number[]): number {
	assert.equal(a.length, b.length);
	return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}

// --- the cases ------------------------------------------------------------------------------------

export const emptyFile = test(
	'an empty file is refused with a message naming it and its 0 bytes, and the page still works afterwards',
	async (t) => {
		const w = await openLive(t);
		assert.match(
			await refused(w, 'empty.png', 'image/png', Buffer.alloc(0)),
			/^“empty\.png” is empty \(0 bytes\); choose a PNG, JPEG, WebP or GIF picture\.$/
		);
		await stillWorks(w);
		w.expectClean();
	},
	{ timeoutMs: 150_000 }
);

export const hugePng = test(
	'a valid 20000×20000 PNG is refused by its header (size in pixels and the limit named), never decoded, and the tab stays responsive',
	async (t) => {
		const W = 20000;
		const H = 20000;
		const file = pngBits(W, H);
		assert.deepEqual(sniffImage(file), { format: 'png', width: W, height: H, frames: 1 }); // the header says so
		const w = await openLive(t);
		const started = Date.now();
		const message = await refused(w, 'huge.png', 'image/png', file);
		const mp = (W * H) / 1e6;
		assert.match(
			message,
			new RegExp(
				`^“huge\\.png” is ${W}×${H} pixels \\(${mp} megapixels\\); pictures up to ${UPLOAD_LIMITS.maxPixels / 1e6} megapixels are read`
			)
		);
		// Refused from its 50 kB header, not after decoding 400 million pixels: quick, and the page answers at once.
		assert.ok(Date.now() - started < 20_000, `refused after ${Date.now() - started} ms`);
		await t.screenshot(w.page, 'uploads-error-huge-png');
		await stillWorks(w);
		w.expectClean();
	},
	{ timeoutMs: 150_000 }
);

export const svgFile = test(
	'an SVG is refused with a message that vector drawings are not read and to export it as a PNG; the page still works',
	async (t) => {
		const w = await openLive(t);
		const svg =
			'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><path d="M10 10 L50 50" stroke="black" stroke-width="6"/></svg>\n';
		assert.match(
			await refused(w, 'seven.svg', 'image/svg+xml', Buffer.from(svg)),
			/^“seven\.svg” is an SVG, a vector drawing, and vector drawings are not read here: export it as a PNG/
		);
		await stillWorks(w);
		w.expectClean();
	},
	{ timeoutMs: 150_000 }
);

export const animatedGif = test(
	'an animated GIF gives its first frame (pixel for pixel) and a notice naming its frame count; it is segmented',
	async (t) => {
		const W = 96;
		const H = 72;
		const squares = [8, 38, 68]; // each frame a bright square further right
		const frames = squares.map((left) => {
			const f = new Uint8Array(W * H);
			for (let y = 20; y < 44; y++) for (let x = left; x < left + 20; x++) f[y * W + x] = 1;
			return f;
		});
		const w = await openLive(t);
		await upload(
			w,
			'moving.gif',
			'image/gif',
			gifAnimated(
				W,
				H,
				[
					[0, 0, 0],
					[255, 255, 255]
				],
				frames
			)
		);
		assert.match(
			await noticeText(w),
			new RegExp(`^Animated GIF \\(${frames.length} frames\\): the first frame is used\\.$`, 'm')
		);
		await showsSize(w, W, H);
		const drawn = await drawnPicture(w);
		assert.deepEqual(
			drawn.grey,
			Array.from(frames[0], (i) => i * 255),
			'the canvas shows the first frame'
		);
		assert.equal(await w.page.getByTestId('upload-error').count(), 0);
		w.expectClean();
	},
	{ timeoutMs: 150_000 }
);

export const transparentPng = test(
	'a dark drawing on a transparent PNG shows up as bright ink (transparency read as paper, with a notice saying so) and is segmented',
	async (t) => {
		// Held-out test scene 4, cropped to 144×112: dark blue-grey ink whose alpha is the digit's ink, on a transparent background.
		const index = JSON.parse(await readFile(join(root, 'static/data/test-digits.json'), 'utf8')) as TestDigitsIndex;
		const scene = testScenesFrom(
			index,
			new Uint8Array(await readFile(join(root, 'static/data', index.bin.path)))
		).scene(4);
		const W = 144;
		const H = 112;
		const rgba = new Uint8Array(W * H * 4);
		for (let y = 0; y < H; y++) {
			for (let x = 0; x < W; x++) {
				const v = y < scene.height && x < scene.width ? scene.image[y * scene.width + x] : 0;
				rgba.set([40, 40, 70, Math.round(Math.min(1, Math.max(0, v)) * 255)], 4 * (y * W + x));
			}
		}
		const w = await openLive(t);
		await upload(w, 'transparent.png', 'image/png', pngRgba(W, H, rgba));
		assert.match(
			await noticeText(w),
			/Transparent background read as white paper, so the dark strokes on it were turned into bright ink/
		);
		await showsSize(w, W, H);
		const drawn = await drawnPicture(w);
		// The ink is bright where the drawing is (nearly) opaque: over black it would be at most 70 of 255 and vanish …
		const strokes = [...Array(W * H).keys()].filter((p) => rgba[4 * p + 3] >= 204);
		assert.ok(strokes.length > 100, 'the fixture has strokes');
		const inkMean = strokes.reduce((s, p) => s + drawn.grey[p], 0) / strokes.length;
		assert.ok(inkMean > 150, `strokes are bright ink (mean ${inkMean.toFixed(0)} of 255)`);
		// … and, pixel for pixel, what the library computes (alpha × (1 − luma)), up to the browser's premultiplied alpha.
		assert.ok(maxDifference(drawn.grey, expectedGrey(W, H, rgba)) <= 3);
		await t.screenshot(w.page, 'uploads-notice-transparent-png');
		w.expectClean();
	},
	{ timeoutMs: 150_000 }
);

export const onePixel = test(
	'a one-pixel picture is padded to 64×64 (with a notice), its pixel kept at the top left, and it is segmented',
	async (t) => {
		const w = await openLive(t);
		const value = 100;
		await upload(w, 'dot.png', 'image/png', pngGrey(1, 1, Uint8Array.of(value)));
		assert.match(await noticeText(w), /Padded with background to 64×64/);
		await showsSize(w, 64, 64);
		const drawn = await drawnPicture(w);
		const expected = new Array(64 * 64).fill(0);
		expected[0] = expectedGrey(1, 1, Uint8Array.of(value, value, value, 255))[0];
		assert.deepEqual(drawn.grey, expected);
		assert.ok(await w.page.getByTestId('segmentation').isVisible());
		assert.equal(await w.page.getByTestId('upload-error').count(), 0);
		w.expectClean();
	},
	{ timeoutMs: 150_000 }
);

export const chromiumEncodedHeaders =
	test('sniffImage reads the size of PNG, JPEG and WebP files as Chromium encodes them (lossy, lossless and with alpha)', async (t) => {
		const w = await t.newPage();
		const files = await w.page.evaluate(async () => {
			const out: { type: string; quality: number; alpha: boolean; bytes: number[] }[] = [];
			for (const [type, quality, alpha] of [
				['image/png', 1, false],
				['image/jpeg', 0.8, false],
				['image/webp', 0.8, false],
				['image/webp', 1, false],
				['image/webp', 0.8, true]
			] as const) {
				const c = new OffscreenCanvas(123, 45);
				const ctx = c.getContext('2d')!;
				ctx.fillStyle = alpha ? 'rgba(0, 0, 0, 0.5)' : '#fff';
				ctx.fillRect(0, 0, 123, 45);
				ctx.fillStyle = '#000';
				ctx.fillRect(10, 10, 30, 20);
				const blob = await c.convertToBlob({ type, quality });
				out.push({ type: blob.type, quality, alpha, bytes: Array.from(new Uint8Array(await blob.arrayBuffer())) });
			}
			return out;
		});
		for (const f of files) {
			const s = sniffImage(Uint8Array.from(f.bytes));
			assert.equal(`image/${s.format}`, f.type, `${f.type} q=${f.quality} alpha=${f.alpha}`);
			assert.deepEqual([s.width, s.height, s.frames], [123, 45, 1], `${f.type} q=${f.quality} alpha=${f.alpha}`);
		}
		w.expectClean();
	});
