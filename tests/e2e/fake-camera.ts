/**
 * Chromium's fake camera for the webcam tests and `npm run bench:real`: a .y4m video made from a
 * sample photo (decoded by the browser itself), and the flags that make Chromium play it as the
 * camera and grant the permission without a prompt.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/** A one-frame YUV4MPEG2 (I420, BT.601) video of an RGBA picture (even width and height). */
export function y4m(rgba: Uint8Array, width: number, height: number): Buffer {
	const y = Buffer.alloc(width * height);
	const u = Buffer.alloc((width / 2) * (height / 2));
	const v = Buffer.alloc((width / 2) * (height / 2));
	for (let j = 0; j < height; j++)
		for (let i = 0; i < width; i++) {
			const o = 4 * (j * width + i);
			const [r, g, b] = [rgba[o], rgba[o + 1], rgba[o + 2]];
			y[j * width + i] = Math.round(16 + 0.257 * r + 0.504 * g + 0.098 * b);
			if (j % 2 === 0 && i % 2 === 0) {
				const k = (j / 2) * (width / 2) + i / 2;
				u[k] = Math.round(128 - 0.148 * r - 0.291 * g + 0.439 * b);
				v[k] = Math.round(128 + 0.439 * r - 0.368 * g - 0.071 * b);
			}
		}
	return Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\nFRAME\n`), y, u, v]);
}

/**
 * Write a .y4m of the sample photo `name` (static/samples) at size×size, decoded by `page` (a page of
 * the served site), into a temporary folder; returns the Chromium flags that play it as the camera.
 */
export async function fakeCameraFlags(page: Page, name: string, size = 320): Promise<string[]> {
	const pixels: number[] = await page.evaluate(`(async () => {
		const img = new Image(); img.src = new URL('samples/${name}.png', document.baseURI).href; await img.decode();
		const c = document.createElement('canvas'); c.width = ${size}; c.height = ${size};
		const x = c.getContext('2d'); x.drawImage(img, 0, 0, ${size}, ${size});
		return Array.from(x.getImageData(0, 0, ${size}, ${size}).data);
	})()`);
	const file = join(await mkdtemp(join(tmpdir(), 'fake-cam-')), `${name}.y4m`);
	await writeFile(file, y4m(Uint8Array.from(pixels), size, size));
	return [
		'--use-fake-device-for-media-stream',
		'--use-fake-ui-for-media-stream',
		`--use-file-for-fake-video-capture=${file}`
	];
}
