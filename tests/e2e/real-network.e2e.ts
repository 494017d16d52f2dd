/**
 * /real-network: the vendored selfie segmenter on the sample photos (a plausible person mask on the
 * astronaut, far less on the coffee cup; the cat, a close-up subject, it masks too), the network read
 * from its graph (output jump and receptive field from the geometry library), the malformed models'
 * named errors, and the webcam through Chromium's fake camera playing a .y4m of the astronaut photo.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchChromium } from './chromium.ts';
import { fakeCameraFlags } from './fake-camera.ts';
import { test, type Watched } from './harness.ts';
import { int32Consts, parseModelJson, readModel } from '../../src/lib/fcn/index.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const weights = (p: string) => readFile(join(root, 'static/weights', p));

async function expected() {
	const m = parseModelJson((await weights('selfie/selfie.json')).toString('utf8'));
	const bin = await weights('selfie/selfie.bin');
	return readModel(m, {
		consts: int32Consts(m, bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer)
	});
}

/** The person fraction shown once the mask is on screen, as a number in [0, 1]. */
async function fraction(page: Page): Promise<number> {
	await page.waitForSelector('[data-testid="real-mask"][data-fraction]:not([data-fraction=""])', { timeout: 120_000 });
	return Number(await page.getByTestId('real-mask').getAttribute('data-fraction'));
}

export const samplesAndGeometry = test(
	'the selfie segmenter masks the astronaut plausibly and each sample photo gets its own mask; its geometry is read from its graph',
	async (t) => {
		const want = await expected();
		const w: Watched = await t.open('/real-network?backend=wasm&sample=astronaut');
		const astronaut = await fraction(w.page);
		assert.ok(astronaut > 0.2 && astronaut < 0.8, `astronaut: ${astronaut}`);
		assert.equal(await w.page.getByTestId('real-person-fraction').innerText(), `${(100 * astronaut).toFixed(1)}%`);
		assert.equal(await w.page.getByTestId('real-output-jump').innerText(), String(want.output.jump));
		assert.equal(await w.page.getByTestId('real-output-rf').innerText(), String(want.output.rf));
		const rows = want.report.layers.filter((r) => ['conv', 'pool', 'sum', 'resize', 'deconv'].includes(r.type));
		assert.equal(await w.page.getByTestId('layer-row').count(), rows.length);
		await t.screenshot(w.page, 'real-network-astronaut');
		// The cat and the cup: what this "selfie" segmenter learned is the subject of a selfie, not a person
		// (measured in Node and in Chromium, every backend: the cat 90.5 %, the cup 21.2 %, see the report),
		// so the test checks that each photo gets its own mask and the cup far less than the astronaut.
		const seen: Record<string, number> = { astronaut };
		for (const s of ['chelsea', 'coffee']) {
			const before = await w.page.getByTestId('real-mask').getAttribute('data-fraction');
			await w.page.getByTestId(`sample-${s}`).click();
			await w.page.waitForFunction(
				(b) => document.querySelector('[data-testid="real-mask"]')?.getAttribute('data-fraction') !== b,
				before,
				{ timeout: 60_000 }
			);
			seen[s] = await fraction(w.page);
			assert.equal(new URL(w.page.url()).searchParams.get('sample'), s);
		}
		console.log(`    person fraction: ${JSON.stringify(seen)}`);
		// A unit of the chosen node's maps: its theoretical field appears on the photo.
		await w.page.getByTestId('feature-map-canvas').click({ position: { x: 5, y: 5 } });
		await w.page.getByTestId('real-unit-rf').waitFor({ timeout: 10_000 });
		// An upload that is not a picture is refused with the same message as /network's.
		await w.page
			.getByTestId('upload')
			.setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('hello') });
		assert.match(await w.page.getByTestId('upload-error').innerText(), /could not be read as an image/);
		assert.ok(seen.coffee < seen.astronaut / 2, `the cup (${seen.coffee}) vs the astronaut (${astronaut})`);
		w.expectClean();
	},
	{ timeoutMs: 180_000 }
);

export const malformedModels = test(
	'opening a broken model names what is wrong, and our own FCN-8s opened from disk is read',
	async (t) => {
		const w = await t.open('/real-network?backend=wasm&sample=none');
		await w.page.waitForSelector('[data-testid="real-output-rf"]', { timeout: 120_000 });
		const open = (files: { name: string; mimeType: string; buffer: Buffer }[]) =>
			w.page.getByTestId('open-model').setInputFiles(files);
		const json = (name: string, text: string) => ({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
		await open([json('model.json', '{"modelTopology": ')]);
		assert.match(await w.page.getByTestId('open-model-error').innerText(), /malformed json/);
		const fcn8s = (await weights('fcn8s/model.json')).toString('utf8');
		await open([json('model.json', fcn8s)]);
		assert.match(await w.page.getByTestId('open-model-error').innerText(), /missing shard: .*group1-shard1of1\.bin/);
		await open([
			json('model.json', fcn8s),
			{
				name: 'group1-shard1of1.bin',
				mimeType: 'application/octet-stream',
				buffer: await weights('fcn8s/group1-shard1of1.bin')
			}
		]);
		await w.page.waitForSelector('[data-testid="real-model-name"]');
		assert.equal(await w.page.locator('[data-testid="layer-row"][data-name="upscore8"]').count(), 1);
		w.expectClean();
	},
	{ timeoutMs: 180_000 }
);

export const webcamFakeCamera = test(
	'the webcam (a fake camera playing the astronaut) is asked for only on click, segmented live, and released by Stop',
	async (t) => {
		const w = await t.open('/real-network?backend=wasm&sample=none');
		const browser = await launchChromium(await fakeCameraFlags(w.page, 'astronaut'));
		try {
			const context = await browser.newContext({ serviceWorkers: 'block' });
			const page = await context.newPage();
			await page.addInitScript(`(() => {
				window.__camAsked = 0;
				const g = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
				navigator.mediaDevices.getUserMedia = (c) => { window.__camAsked++; return g(c); };
			})()`);
			await page.goto(t.url('/real-network?backend=wasm&sample=none'));
			await page.waitForSelector('[data-testid="real-output-rf"]', { timeout: 120_000 });
			assert.equal(await page.evaluate('window.__camAsked'), 0, 'no camera before the click');
			await page.getByTestId('webcam-start').click();
			await page.waitForSelector('[data-testid="real-fps"]', { timeout: 120_000 });
			const f = await fraction(page);
			assert.ok(f > 0.2 && f < 0.8, `webcam astronaut: ${f}`);
			const fps = Number(await page.getByTestId('real-fps').innerText());
			console.log(`    webcam: ${(100 * f).toFixed(1)}% person, ${fps.toFixed(1)} frames/s (wasm)`);
			await page.getByTestId('webcam-stop').click();
			const live = await page.evaluate(`(() => {
				const v = document.querySelector('video'); return v && v.srcObject ? v.srcObject.getTracks().length : 0;
			})()`);
			assert.equal(live, 0, 'Stop releases the camera');
			await page.getByTestId('webcam-start').waitFor();
		} finally {
			await browser.close();
		}
	},
	{ timeoutMs: 240_000 }
);

export const webcamRefused = test(
	'a camera that is refused or absent gets a plain message, and the photos still work',
	async (t) => {
		const w = await t.open('/real-network?backend=wasm&sample=astronaut');
		await fraction(w.page);
		await w.page.context().clearPermissions();
		await w.page.getByTestId('webcam-start').click();
		const msg = await w.page.getByTestId('webcam-error').innerText({ timeout: 30_000 });
		assert.match(msg, /not allowed|No camera|in use|could not be started/);
		await w.page.getByTestId('webcam-start').waitFor();
		await w.page.getByTestId('sample-coffee').click();
		await w.page.waitForFunction(() => new URL(location.href).searchParams.get('sample') === 'coffee');
		w.expectClean();
	},
	{ timeoutMs: 120_000 }
);
