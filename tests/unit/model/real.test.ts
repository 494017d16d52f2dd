/**
 * The selfie segmenter in tfjs (Node, wasm backend): loaded from its verified bytes, a person on
 * the astronaut-like input is not what we test here (the e2e test does, on the real photos); here:
 * the frame's shape, the internal nodes read by their layer names, and no tensor leak over 300 frames.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { openModelFiles, buildReal, runBuilt, type RealFiles } from '$lib/model/real';

const bytes = (p: string) => {
	const b = readFileSync(new URL(`../../../static/weights/${p}`, import.meta.url));
	return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};

let files: RealFiles;
beforeAll(async () => {
	await tf.setBackend('wasm');
	await tf.ready();
	files = await openModelFiles([
		{ name: 'selfie.bin', bytes: bytes('selfie/selfie.bin') },
		{ name: 'selfie.json', bytes: bytes('selfie/selfie.json') }
	]);
});

function noise(w: number, h: number, seed: number) {
	const data = new Uint8ClampedArray(w * h * 4);
	let s = seed;
	for (let i = 0; i < data.length; i++) data[i] = (s = (s * 1103515245 + 12345) >>> 0) >>> 24;
	return { data, width: w, height: h };
}

describe('the selfie segmenter in tfjs', () => {
	it('gives a 256×256 mask and the maps of internal nodes by layer name', async () => {
		const m = await buildReal(tf, files);
		const f = await runBuilt(tf, files, m, noise(320, 240, 1), [
			'Conv2D',
			'up_sampling2d_lambda/resize/ResizeBilinear'
		]);
		expect([f.width, f.height, f.mask.length]).toEqual([256, 256, 65536]);
		expect(f.mask.every((v) => v >= 0 && v <= 1)).toBe(true);
		expect(f.maps.Conv2D).toMatchObject({ width: 128, height: 128, channels: 16 });
		expect(f.maps['up_sampling2d_lambda/resize/ResizeBilinear']).toMatchObject({
			width: 32,
			height: 32,
			channels: 128
		});
		m.graph!.dispose();
	});

	it('leaks no tensor over 300 frames', { timeout: 120_000 }, async () => {
		const m = await buildReal(tf, files);
		await runBuilt(tf, files, m, noise(64, 48, 0), ['depthwise']);
		const before = tf.memory().numTensors;
		for (let i = 0; i < 300; i++) await runBuilt(tf, files, m, noise(64, 48, i), i % 2 ? ['depthwise'] : []);
		expect(tf.memory().numTensors).toBe(before);
		m.graph!.dispose();
	});
});
