/**
 * The live engine on /network: one forward pass gives a segmentation and every layer's feature maps,
 * the backend is named, uploads are converted or refused with a clear message, weights are verified
 * before use, and tensors do not leak. Tests pin `?backend=wasm` (software WebGL takes seconds here).
 *
 * Tests marked [trained] need static/weights (the trained models); the others run on any build.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { test, type Watched } from './harness.ts';
import { launchChromium } from './chromium.ts';
import { classColors } from '../../src/lib/viz/palette.ts';
import { testScenesFrom, type TestDigitsIndex } from '../../src/lib/data/test-digits.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const fixtures = join(root, 'tests/fixtures/live');

/** Wait until the segmentation is on screen (or the live cell reports an error). */
async function segmentation(w: Watched, timeout = 90_000): Promise<void> {
	await w.page.waitForSelector('[data-testid="segmentation"], [data-testid="live-error"]', { timeout });
	const err = await w.page.$('[data-testid="live-error"]');
	if (err) throw new Error(`the live cell failed: ${await err.innerText()}`);
}

/** Fraction of non-black pixels of a canvas (a blank tile grid is all one colour). */
async function distinctColours(page: Page, selector: string): Promise<number> {
	return page.$eval(selector, (c) => {
		const canvas = c as HTMLCanvasElement;
		const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
		const seen = new Set<number>();
		for (let i = 0; i < d.length && seen.size < 64; i += 4) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
		return seen.size;
	});
}

/** Predicted class per pixel, read back from the segmentation overlay's colours. */
async function predictedLabels(
	page: Page,
	classes: number
): Promise<{ labels: Uint8Array; width: number; height: number }> {
	const { data, width, height } = await page.$eval('[data-testid="segmentation-canvas"]', (c) => {
		const canvas = c as HTMLCanvasElement;
		const img = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
		return { data: Array.from(img.data), width: img.width, height: img.height };
	});
	const colours = classColors(classes);
	const labels = new Uint8Array(width * height);
	for (let p = 0; p < width * height; p++) {
		if (data[4 * p + 3] === 0) continue;
		// Nearest class colour (the canvas stores premultiplied alpha, so colours come back rounded).
		let best = 0;
		let dist = Infinity;
		colours.forEach(([r, g, b], k) => {
			const d = (r - data[4 * p]) ** 2 + (g - data[4 * p + 1]) ** 2 + (b - data[4 * p + 2]) ** 2;
			if (k > 0 && d < dist) [best, dist] = [k, d];
		});
		labels[p] = best;
	}
	return { labels, width, height };
}

export const randomWeightsRenders = test(
	'/network?weights=random renders a segmentation, non-blank feature-map tiles and a backend badge (engine path without trained weights)',
	async (t) => {
		const w = await t.open('/network?weights=random&backend=wasm&sample=3');
		await segmentation(w);
		assert.equal(await w.page.getByTestId('backend').innerText(), 'wasm');
		await w.page.waitForSelector('[data-testid="feature-map-canvas"]');
		assert.ok(
			(await distinctColours(w.page, '[data-testid="feature-map-canvas"]')) > 4,
			'feature-map tiles are not blank'
		);
		assert.ok(await w.page.getByTestId('random-weights-banner').isVisible(), 'untrained weights are announced');
		w.expectClean();
	},
	{ timeoutMs: 120_000 }
);

export const keyboardSelectsUnit = test(
	'a layer opens on a unit that fires; a unit can be chosen from the keyboard: arrows move it within its map, Page Down changes channel, the URL, the live text and the receptive field follow, and after a new stroke the field is measured again',
	async (t) => {
		const w = await t.open('/network?weights=random&backend=wasm&sample=3&layer=pool2');
		await segmentation(w);
		const grid = w.page.getByTestId('feature-map-keys');
		await grid.waitFor();
		const [h, wd] = await grid.evaluate((el) => {
			const m = /(\d+)×(\d+) each/.exec(el.getAttribute('aria-label') ?? '');
			return m ? [Number(m[1]), Number(m[2])] : [0, 0];
		});
		assert.ok(h > 1 && wd > 1, `pool2 map size from the grid's label: ${h}×${wd}`);
		const channels = Number(/^(\d+) feature maps/.exec((await grid.getAttribute('aria-label')) ?? '')?.[1]);
		// The layer opens on a unit that fires (its strongest near the centre), in the URL at once.
		const unitOf = () => new URL(w.page.url()).searchParams.get('unit');
		await w.page.waitForFunction(() => new URL(location.href).searchParams.has('unit'));
		const [c0, y0, x0] = unitOf()!.split(',').map(Number);
		assert.ok(Number(await w.page.getByTestId('unit-value').innerText()) > 0, 'the default unit fires');
		await grid.focus();
		await w.page.keyboard.press('ArrowRight');
		const x1 = Math.min(x0 + 1, wd - 1);
		const y1 = Math.min(y0 + 1, h - 1);
		const c1 = Math.min(c0 + 1, channels - 1);
		if (x1 !== x0)
			await w.page.waitForFunction((u) => new URL(location.href).searchParams.get('unit') === u, `${c0},${y0},${x1}`);
		await w.page.keyboard.press('ArrowDown');
		await w.page.keyboard.press('PageDown');
		await w.page.waitForFunction((u) => new URL(location.href).searchParams.get('unit') === u, `${c1},${y1},${x1}`);
		assert.match(
			await w.page.getByTestId('feature-map-unit').innerText(),
			new RegExp(`pool2, channel ${c1} of \\d+, row ${y1}, column ${x1}`)
		);
		// Home goes to the top-left unit; arrows never leave the map.
		await w.page.keyboard.press('Home');
		await w.page.keyboard.press('ArrowUp');
		await w.page.keyboard.press('ArrowLeft');
		await w.page.waitForFunction((u) => new URL(location.href).searchParams.get('unit') === u, `${c1},0,0`);
		// The page stays on /network: the grid owns the arrow keys (no lesson navigation).
		assert.equal(new URL(w.page.url()).pathname.replace(/\.html$/, ''), '/network');
		await w.page.getByTestId('erf-heatmap').waitFor({ timeout: 60_000 });
		// A new stroke clears the measured field (it was the old input's); once the drawing pauses the
		// selected unit's field is measured again for the new input, without another click.
		const area = w.page.getByTestId('effective-rf-area');
		assert.match(await area.innerText(), /^[\d,]+$/);
		const surface = w.page.getByTestId('draw-surface');
		await surface.scrollIntoViewIfNeeded();
		const box = (await surface.boundingBox())!;
		await w.page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.8);
		await w.page.mouse.down();
		await w.page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.7, { steps: 4 });
		await w.page.mouse.up();
		await w.page.waitForFunction(
			() => document.querySelector('[data-testid="effective-rf-area"]')?.textContent === 'measuring…',
			null,
			{ polling: 10 }
		);
		await w.page.waitForFunction(
			() => /^[\d,]+$/.test(document.querySelector('[data-testid="effective-rf-area"]')?.textContent ?? ''),
			null,
			{ timeout: 60_000 }
		);
		await w.page.getByTestId('erf-heatmap').waitFor({ timeout: 10_000 });
		assert.equal(new URL(w.page.url()).searchParams.get('unit'), `${c1},0,0`);
		w.expectClean();
	},
	{ timeoutMs: 120_000 }
);

export const guidedTourStepsThroughLayers = test(
	"the guided tour (?tour=K) selects a layer per step, quotes the strip's geometry, opens each layer on a unit that fires, steps with its buttons and ← / → without moving presenter mode, and keeps its step in the URL",
	async (t) => {
		const w = await t.open('/network?weights=random&backend=wasm&sample=3&tour=1');
		await segmentation(w);
		const tourOf = () => new URL(w.page.url()).searchParams.get('tour');
		const step = async () => Number(await w.page.getByTestId('tour-step').innerText());
		/** The tour's layer is the one shown, and it opens on a unit of it that fires. */
		const shows = async () => {
			const layer = (await w.page.getByTestId('tour-text').getAttribute('data-layer'))!;
			await w.page.waitForFunction(
				(l) => document.querySelector('[data-testid="layer-name"]')?.textContent === l,
				layer,
				{ timeout: 30_000 }
			);
			await w.page.waitForFunction(
				(l) =>
					new URL(location.href).searchParams.get('layer') === l && new URL(location.href).searchParams.has('unit'),
				layer,
				{ timeout: 30_000 }
			);
			assert.ok(Number(await w.page.getByTestId('unit-value').innerText()) > 0, `${layer}: the unit fires`);
			return layer;
		};
		assert.equal(await step(), 1);
		assert.equal(await shows(), 'conv1_1');
		const total = Number(/of (\d+)/.exec(await w.page.getByTestId('tour').innerText())![1]);
		assert.ok(total >= 6 && total <= 8, `${total} steps`);
		// Presenter mode on: the tour's keys are its own, presenter's cell does not move.
		await w.page.keyboard.press('p');
		await w.page.waitForSelector('html[data-presenting]', { state: 'attached' });
		// step the presenter (→ with nothing focused) to the live cell, where the tour is
		const live = '[data-testid="network-live"][data-present-current]';
		for (let i = 0; i < 4 && !(await w.page.$(live)); i++) {
			const before = new URL(w.page.url()).searchParams.get('cell');
			await w.page.keyboard.press('ArrowRight');
			await w.page.waitForFunction((c) => new URL(location.href).searchParams.get('cell') !== c, before);
		}
		await w.page.waitForSelector(live, { state: 'attached' });
		const cell = new URL(w.page.url()).searchParams.get('cell');
		await w.page.getByTestId('tour-next').focus();
		const layers: string[] = [];
		for (let k = 2; k <= total; k++) {
			await w.page.keyboard.press(k % 2 ? 'ArrowRight' : 'Enter');
			await w.page.waitForFunction((k) => new URL(location.href).searchParams.get('tour') === String(k), k);
			layers.push(await shows());
			if (layers.at(-1) === 'pool1') {
				// the step's numbers are the strip's (the geometry of the running net)
				const text = await w.page.getByTestId('tour-text').innerText();
				const j1 = await w.page.getByTestId('jump-conv1_2').innerText();
				const j2 = await w.page.getByTestId('jump-pool1').innerText();
				assert.ok(text.includes(`${j1} → ${j2} px`), text);
			}
		}
		assert.deepEqual(layers.slice(0, 4), ['conv1_2', 'pool1', 'fc6', 'score_fr']);
		assert.equal(layers.at(-1), 'upscore8');
		assert.equal(new URL(w.page.url()).searchParams.get('cell'), cell, 'presenter stayed on its cell');
		await w.page.keyboard.press('ArrowLeft');
		await w.page.waitForFunction((k) => new URL(location.href).searchParams.get('tour') === String(k), total - 1);
		await w.page.keyboard.press('Escape');
		await w.page.waitForSelector('html:not([data-presenting])', { state: 'attached' });
		await w.page.getByTestId('tour-close').click();
		await w.page.waitForFunction(() => !new URL(location.href).searchParams.has('tour'));
		assert.equal(tourOf(), null);
		await w.page.getByTestId('tour-start').waitFor();
		w.expectClean();
	},
	{ timeoutMs: 180_000 }
);

export const defaultUnitFires = test(
	'[trained] /network opens its default layer on a unit that fires: a non-zero value and a measured gradient that is not zero everywhere',
	async (t) => {
		const w = await t.open('/network?backend=wasm&sample=3');
		await segmentation(w);
		await w.page.waitForFunction(() => new URL(location.href).searchParams.has('unit'));
		assert.ok(Number(await w.page.getByTestId('unit-value').innerText()) > 0);
		await w.page.waitForFunction(
			() => /^[\d,]+$/.test(document.querySelector('[data-testid="effective-rf-area"]')?.textContent ?? ''),
			null,
			{ timeout: 60_000 }
		);
		assert.equal(await w.page.getByTestId('erf-zero').count(), 0);
		assert.ok(Number((await w.page.getByTestId('effective-rf-area').innerText()).replace(/,/g, '')) > 0);
		w.expectClean();
	},
	{ timeoutMs: 120_000 }
);

export const sampleSegmentsDigits = test(
	"[trained] /network?sample=3 labels each digit's ink with its class (majority vote per digit), tiles not blank, badge names the backend",
	async (t) => {
		const w = await t.open('/network?backend=wasm&sample=3');
		await segmentation(w);
		assert.match(await w.page.getByTestId('backend').innerText(), /^(wasm|cpu|webgl|webgpu)$/);
		assert.ok(
			(await distinctColours(w.page, '[data-testid="feature-map-canvas"]')) > 4,
			'feature-map tiles are not blank'
		);
		const index = JSON.parse(await readFile(join(root, 'static/data/test-digits.json'), 'utf8')) as TestDigitsIndex;
		const bin = new Uint8Array(await readFile(join(root, 'static/data', index.bin.path)));
		const scene = testScenesFrom(index, bin).scene(3);
		const pred = await predictedLabels(w.page, 11);
		assert.equal(pred.width, scene.width);
		assert.equal(pred.height, scene.height);
		// For each digit of the scene, the majority prediction over its ink (label d + 1) is d + 1.
		for (const d of new Set(scene.digits.map((g) => g.digit))) {
			const votes = new Array(11).fill(0);
			for (let p = 0; p < scene.label.length; p++) if (scene.label[p] === d + 1) votes[pred.labels[p]]++;
			const best = votes.indexOf(Math.max(...votes));
			assert.equal(best, d + 1, `digit ${d}: majority class ${best - 1} (votes ${votes.join(',')})`);
		}
		w.expectClean();
	},
	{ timeoutMs: 120_000 }
);

export const uploadPngSegments = test(
	'an uploaded dark-on-light PNG is inverted (with a notice) and segmented; a text file renamed .png gets a clear message',
	async (t) => {
		const w = await t.open('/network?weights=random&backend=wasm&sample=none');
		await segmentation(w);
		const before = await w.page.getByTestId('run-ms').innerText();
		await w.page.getByTestId('upload').setInputFiles(join(fixtures, 'digits-dark-on-light.png'));
		await w.page.getByTestId('upload-notice').first().waitFor();
		assert.match(
			await w.page
				.getByTestId('upload-notice')
				.allInnerTexts()
				.then((a) => a.join(' ')),
			/Inverted/
		);
		// The canvas takes the picture's size and the segmentation follows it.
		await w.page.waitForFunction(
			() => (document.querySelector('[data-testid="canvas-width"]') as HTMLInputElement)?.value === '160'
		);
		await w.page.waitForFunction(
			() => (document.querySelector('[data-testid="segmentation-canvas"]') as HTMLCanvasElement)?.width === 160
		);
		assert.ok(before.length > 0);
		await w.page.getByTestId('upload').setInputFiles({
			name: 'notes.png',
			mimeType: 'image/png',
			buffer: Buffer.from('these are notes, not a picture\n')
		});
		const msg = await w.page.getByTestId('upload-error').innerText();
		assert.match(msg, /notes\.png.*could not be read as an image/);
		w.expectClean();
	},
	{ timeoutMs: 120_000 }
);

export const noLeakOver300Runs = test(
	'300 inferences (segmentation + every layer) leave tf.memory() numTensors and numBytes at their baseline, both when every map is read back and when maps stay on the backend until shown (lazy runs, released)',
	async (t) => {
		const w = await t.open('/network/bench');
		await w.page.waitForFunction(() => 'fcnBench' in window);
		for (const lazy of [false, true]) {
			const r = await w.page.evaluate(async (lazy) => {
				const b = (window as unknown as { fcnBench: import('../../src/routes/network/bench/bench-api.ts').BenchApi })
					.fcnBench;
				await b.setup('wasm', 'random');
				return b.leak(300, 64, lazy);
			}, lazy);
			const mode = lazy ? 'lazy' : 'read back';
			assert.equal(
				r.after.numTensors,
				r.before.numTensors,
				`${mode}: tensors ${r.before.numTensors} → ${r.after.numTensors}`
			);
			assert.equal(r.after.numBytes, r.before.numBytes, `${mode}: bytes ${r.before.numBytes} → ${r.after.numBytes}`);
			assert.equal(r.runs, 300);
		}
		w.expectClean();
	},
	{ timeoutMs: 300_000 }
);

/**
 * The live cell's error says the weights failed (naming the file), never that the browser has no
 * working backend: the backend probe runs the real model, so it must not report a weights failure as
 * "no TensorFlow.js backend works".
 */
async function expectWeightsBlamed(w: Watched, file: RegExp, where: string): Promise<string> {
	const error = w.page.getByTestId('live-error');
	await error.waitFor({ timeout: 60_000 });
	assert.equal(await error.getAttribute('data-kind'), 'weights', `${where}: the error is classed as the weights'`);
	assert.match(await w.page.getByTestId('live-error-title').innerText(), /weights failed to load/, where);
	const shown = await w.page.getByTestId('live-error-file').innerText();
	assert.match(shown, file, `${where}: names the file`);
	assert.doesNotMatch(await error.innerText(), /backend/i, `${where}: does not blame the backend`);
	assert.ok(await w.page.getByTestId('live-retry').isVisible(), `${where}: offers Retry`);
	return shown;
}

export const missingWeightsRetry = test(
	'missing weights show what failed (the manifest, not "no backend works") and a Retry button, with a pinned backend and with the backend probe, and the rest of /network still works',
	async (t) => {
		for (const query of ['?backend=wasm', '']) {
			const w = await t.newPage();
			await w.page.route('**/weights/manifest.json', (route) => route.fulfill({ status: 404, body: 'not found' }));
			await w.page.goto(t.url(`/network${query}`));
			await expectWeightsBlamed(w, /^manifest\.json$/, `/network${query}`);
			assert.match(await w.page.getByTestId('live-error-message').innerText(), /manifest.*404/);
			// The geometry table does not need the model.
			assert.ok((await w.page.locator('[data-testid="compare-table"] tbody tr').count()) > 10);
			if (!query) await t.screenshot(w.page, 'live-network-weights-missing');
			await w.context.close();
		}
	},
	{ timeoutMs: 120_000 }
);

/** Serves the site's weight shards with one byte flipped while `tamper()` says so; records the last tampered path. */
async function tamperShards(w: Watched, tamper: () => boolean): Promise<{ last: string }> {
	const seen = { last: '' };
	await w.page.route('**/weights/**/*.bin', async (route) => {
		const res = await route.fetch();
		const body = Buffer.from(await res.body());
		if (tamper()) {
			body[body.length >> 1] ^= 0xff;
			seen.last = new URL(route.request().url()).pathname;
		}
		await route.fulfill({ response: res, body });
	});
	return seen;
}

export const tamperedShardRetry = test(
	"[trained] a tampered weight shard is refused before use (sha256), named in the error as the weights' fault, and Retry recovers once it is intact",
	async (t) => {
		const w = await t.newPage();
		let tamper = true;
		const tampered = await tamperShards(w, () => tamper);
		await w.page.goto(t.url('/network?backend=wasm&sample=1'));
		const file = await expectWeightsBlamed(w, /\.bin$/, 'pinned wasm');
		assert.ok(tampered.last.endsWith(file.split('/').pop()!), `error names ${file}, tampered ${tampered.last}`);
		assert.match(await w.page.getByTestId('live-error-message').innerText(), /corrupt|sha256/);
		tamper = false;
		await w.page.getByTestId('live-retry').click();
		await segmentation(w);
	},
	{ timeoutMs: 120_000 }
);

export const tamperedShardNotBlamedOnBackend = test(
	'[trained] without a pinned backend (the probe runs the model on every backend), a tampered shard is still reported as that file\'s fault, not as "no TensorFlow.js backend works"',
	async (t) => {
		const w = await t.newPage();
		const tampered = await tamperShards(w, () => true);
		await w.page.goto(t.url('/network?sample=1'));
		const file = await expectWeightsBlamed(w, /\.bin$/, 'backend probe');
		assert.ok(tampered.last.endsWith(file.split('/').pop()!), `error names ${file}, tampered ${tampered.last}`);
		assert.match(await w.page.getByTestId('live-error-message').innerText(), /corrupt/);
	},
	{ timeoutMs: 120_000 }
);

export const webglContextLossRecovers = test(
	'losing the WebGL context moves the engine to another backend with a notice, and inference still works',
	async (t) => {
		const w = await t.open('/network/bench');
		await w.page.waitForFunction(() => 'fcnBench' in window);
		const r = await w.page.evaluate(async () => {
			const b = (window as unknown as { fcnBench: import('../../src/routes/network/bench/bench-api.ts').BenchApi })
				.fcnBench;
			const s = await b.setup('webgl', 'random');
			if (!s.ok) return { ok: false, error: `webgl unavailable: ${s.error}` };
			await b.measure(64, 1, 0);
			return b.loseGpu();
		});
		assert.ok(r.ok, r.error);
		assert.notEqual(r.backend, 'webgl');
		assert.match(r.notice ?? '', /context was lost/);
		assert.equal(r.ran, true);
	},
	{ timeoutMs: 180_000 }
);

export const webgpuDeviceLossRecovers = test(
	'losing the WebGPU device moves the engine to wasm with a notice, and inference still works',
	async (t) => {
		// WebGPU needs a flag in headless Chromium (SwiftShader's adapter): a browser of its own.
		const browser = await launchChromium(['--enable-unsafe-webgpu']);
		try {
			const page = await browser.newPage();
			const errors: string[] = [];
			page.on('pageerror', (e) => errors.push(e.message));
			await page.goto(t.url('/network/bench'));
			await page.waitForFunction(() => 'fcnBench' in window);
			const r = await page.evaluate(async () => {
				const b = (window as unknown as { fcnBench: import('../../src/routes/network/bench/bench-api.ts').BenchApi })
					.fcnBench;
				const s = await b.setup('webgpu', 'random');
				if (!s.ok) return { ok: false, error: `webgpu unavailable: ${s.error}` };
				await b.leak(1, 64, true); // runs as /network makes them (lazy; read back at once on WebGPU)
				return b.loseGpu();
			});
			assert.ok(r.ok, r.error);
			assert.equal(r.backend, 'wasm');
			assert.match(r.notice ?? '', /WebGPU\) device was lost; the engine moved to wasm/);
			assert.equal(r.ran, true);
			assert.deepEqual(errors, []);
		} finally {
			await browser.close();
		}
	},
	{ timeoutMs: 180_000 }
);
