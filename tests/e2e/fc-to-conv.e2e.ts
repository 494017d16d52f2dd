/**
 * /fc-to-conv: the paper's §3.1 made checkable. The head's full-size numbers are the library's;
 * the index map sends a dense row to the library's kernel tap and the live check shows the right
 * reshape equal to the dense layer (< 1e-4) and the wrong-order reshape different; the trained
 * classifier's dense and convolutionalised heads agree (max |Δ| < 1e-4); a larger input gives the
 * library's output size and heat maps that are not blank; the URL holds the state; bad links are
 * repaired with a notice; a model that is not a VGG-16 gets a clear message. (Screenshots: route-matrix.e2e.ts.)
 */
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { denseRowToTap, tapToDenseRow, trainedOptions, TRAINED } from '../../src/lib/fcn/index.ts';
import { dims, groupDigits, headOf, scoreMapSize } from '../../src/lib/lessons/fc-to-conv/head.ts';
import { test, type Watched } from './harness.ts';

const text = async (page: Page, id: string) => (await page.getByTestId(id).innerText()).trim();
const value = async (page: Page, id: string) => Number(await page.getByTestId(id).getAttribute('data-value'));

/** Clean, except for the 404 of the weights while they are not shipped (the page then says "not trained yet"). */
function expectCleanButMissingWeights(w: Watched) {
	const missing = (e: string) => /404|Failed to load resource/.test(e);
	w.errors.splice(0, w.errors.length, ...w.errors.filter((e) => !missing(e)));
	w.expectClean();
}

async function indexCheck(page: Page, order: 'hwc' | 'chw', k: string) {
	await page.getByTestId('index-check').scrollIntoViewIfNeeded();
	await page.waitForSelector(`[data-testid="index-check"][data-status="done"][data-order="${order}"][data-k="${k}"]`, {
		timeout: 60_000
	});
	return { diff: await value(page, 'index-max-abs-diff'), naive: await value(page, 'index-naive-diff') };
}

/** Waits for the live classifier cell; returns false when the weights are not shipped (and checks the message). */
async function liveReady(page: Page): Promise<boolean> {
	await page.getByTestId('cell-live').scrollIntoViewIfNeeded();
	await page.waitForSelector(
		'[data-testid="live-classifier"][data-status="done"], [data-testid="live-classifier"][data-status="not-trained"], [data-testid="live-classifier"][data-status="error"]',
		{ timeout: 120_000 }
	);
	const status = await page.getByTestId('live-classifier').getAttribute('data-status');
	assert.notEqual(status, 'error', `the live cell failed: ${await page.getByTestId('live-classifier').innerText()}`);
	if (status === 'not-trained') {
		assert.match(await text(page, 'not-trained'), /Not trained yet.*npm run train/s);
		return false;
	}
	return true;
}

export const fcHeadNumbers = test(
	'/fc-to-conv shows VGG-16 decapitated: fc6 25088×4096 → 7×7×512×4096 etc. and every parameter count, as the library computes them',
	async (t) => {
		const w = await t.open('/fc-to-conv');
		const vgg = headOf();
		for (const r of vgg.rows) {
			assert.equal(await text(w.page, `vgg-${r.name}-dense`), dims(r.dense));
			assert.equal(await text(w.page, `vgg-${r.name}-conv`), dims(r.conv));
			assert.equal(await text(w.page, `vgg-${r.name}-params`), groupDigits(r.params));
		}
		assert.equal(await text(w.page, 'vgg-total-params'), groupDigits(vgg.total));
		assert.equal(await text(w.page, 'vgg-flat'), groupDigits(vgg.flat));
		const ours = headOf(trainedOptions({ classes: TRAINED.digitClasses }));
		assert.equal(await text(w.page, 'ours-fc6-conv'), dims(ours.rows[0].conv));
		assert.equal(await w.page.locator('.tex-error').count(), 0);
		expectCleanButMissingWeights(w);
	},
	{ timeoutMs: 60_000 }
);

export const fcIndexMapAndWrongReshape = test(
	"/fc-to-conv?order=chw: dense row → the library's tap (row, col, channel); reshaping Caffe's channels-first rows as channels-last gives different outputs, the right reshape does not (< 1e-4); the URL follows",
	async (t) => {
		const w = await t.open('/fc-to-conv?order=chw&row=5&k=3&c=4&backend=cpu');
		const tap = denseRowToTap(5, [3, 3, 4], 'chw');
		assert.equal(await text(w.page, 'tap-row'), String(tap.row));
		assert.equal(await text(w.page, 'tap-col'), String(tap.col));
		assert.equal(await text(w.page, 'tap-channel'), String(tap.channel));
		let c = await indexCheck(w.page, 'chw', '3x4');
		assert.ok(c.diff < 1e-4, `right reshape differs by ${c.diff}`);
		assert.ok(c.naive > 1e-3, `the wrong-order reshape should differ, got ${c.naive}`);

		// Hover a column: the selected row and its tap follow, and so does the URL.
		await w.page.getByTestId('dense-col-17').dispatchEvent('mouseenter');
		const tap17 = denseRowToTap(17, [3, 3, 4], 'chw');
		assert.equal(await text(w.page, 'dense-row'), '17');
		assert.equal(await text(w.page, 'tap-channel'), String(tap17.channel));
		await w.page.waitForFunction(() => new URLSearchParams(location.search).get('row') === '17');
		// Hover a tap: its dense row is selected.
		await w.page.getByTestId('tap-2-1-3').dispatchEvent('mouseenter');
		assert.equal(
			await text(w.page, 'dense-row'),
			String(tapToDenseRow({ row: 2, col: 1, channel: 3 }, [3, 3, 4], 'chw'))
		);

		// Channels-last: the plain reshape is right.
		await w.page.getByTestId('order-hwc').check();
		await w.page.waitForFunction(() => new URLSearchParams(location.search).get('order') === 'hwc');
		c = await indexCheck(w.page, 'hwc', '3x4');
		assert.ok(c.diff < 1e-4 && c.naive < 1e-4, `channels-last: ${c.diff}, ${c.naive}`);
		// The sliders change the toy map and the check follows.
		await w.page.getByTestId('slider-c').fill('2');
		c = await indexCheck(w.page, 'hwc', '3x2');
		assert.ok(c.diff < 1e-4);
		expectCleanButMissingWeights(w);
	},
	{ timeoutMs: 120_000 }
);

export const fcRepairsBadLinks = test(
	'/fc-to-conv with garbage in the query clamps every value, says so, and still works',
	async (t) => {
		const w = await t.open('/fc-to-conv?k=99&c=-3&order=xyz&w=abc&row=1e9&backend=cpu');
		const notice = await text(w.page, 'fc-notice');
		for (const bad of ['k=99', 'c=-3', 'order=xyz', 'w=abc', 'row=1e9'])
			assert.ok(notice.includes(bad), `the notice should mention ${bad}: ${notice}`);
		assert.equal(await w.page.getByTestId('slider-k').inputValue(), '4');
		assert.equal(await w.page.getByTestId('slider-c').inputValue(), '1');
		assert.equal(await text(w.page, 'dense-row'), String(4 * 4 * 1 - 1));
		const c = await indexCheck(w.page, 'hwc', '4x1');
		assert.ok(c.diff < 1e-4);
		expectCleanButMissingWeights(w);
	},
	{ timeoutMs: 90_000 }
);

export const fcLiveClassifier = test(
	"/fc-to-conv live: the trained classifier and its convolutionalised twin give the same logits (< 1e-4); a 320×128 input gives the library's score-map size and heat maps that are not blank; W follows its slider and the URL",
	async (t) => {
		const w = await t.open('/fc-to-conv?backend=wasm&digit=3&w=320&h=128&n=3');
		if (!(await liveReady(w.page))) {
			expectCleanButMissingWeights(w);
			return;
		}
		const diff = await value(w.page, 'max-abs-diff');
		assert.ok(diff < 1e-4, `max |dense − conv| = ${diff}`);
		assert.equal(await text(w.page, 'dense-class'), await text(w.page, 'conv-class'));
		const opts = trainedOptions({ classes: TRAINED.digitClasses });
		const size = scoreMapSize(opts, 128, 320);
		assert.equal(await text(w.page, 'output-size'), `${size[1]}×${size[0]}`);
		assert.equal(await text(w.page, 'model-output-size'), `${size[1]}×${size[0]}`);
		// Heat maps are not blank: the painted pixels vary, and the probabilities spread.
		const spread = await w.page.evaluate(() => {
			const c = document.querySelector('[data-testid="heatmap-0"]') as HTMLCanvasElement;
			const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
			let min = 255,
				max = 0;
			for (let i = 0; i < d.length; i += 4) {
				min = Math.min(min, d[i]);
				max = Math.max(max, d[i]);
			}
			return max - min;
		});
		assert.ok(spread > 30, `heat map 0 is blank (red channel spread ${spread})`);
		const centre = await value(w.page, 'centre-class');
		assert.ok(Number.isInteger(centre) && centre >= 0 && centre < TRAINED.digitClasses);
		const top = Number(await w.page.getByTestId(`heatmap-${centre}`).getAttribute('data-max'));
		assert.ok(top > 0 && top <= 1);

		await w.page.getByTestId('slider-w').fill('416');
		await w.page.waitForFunction(() => new URLSearchParams(location.search).get('w') === '416');
		const bigger = scoreMapSize(opts, 128, 416);
		await w.page.waitForFunction(
			(s) => document.querySelector('[data-testid="model-output-size"]')?.textContent?.trim() === s,
			`${bigger[1]}×${bigger[0]}`,
			{ timeout: 60_000 }
		);
		assert.equal(await text(w.page, 'output-size'), `${bigger[1]}×${bigger[0]}`);
		await t.screenshot(w.page, 'fc-to-conv-live');
		w.expectClean();
	},
	{ timeoutMs: 240_000 }
);

/** A small Keras-style classifier (conv → flatten → dense) in the tfjs layers format, written to a folder. */
async function smallModelFiles(): Promise<string[]> {
	const tf = await import('@tensorflow/tfjs');
	await tf.setBackend('cpu');
	const m = tf.sequential({
		layers: [
			tf.layers.conv2d({ inputShape: [32, 32, 3], filters: 4, kernelSize: 3, activation: 'relu' }),
			tf.layers.maxPooling2d({ poolSize: 2 }),
			tf.layers.flatten(),
			tf.layers.dense({ units: 5, activation: 'softmax' })
		]
	});
	const dir = await mkdtemp(join(tmpdir(), 'fc-byo-'));
	await m.save(
		tf.io.withSaveHandler(async (a) => {
			await writeFile(join(dir, 'group1-shard1of1.bin'), Buffer.from(a.weightData as ArrayBuffer));
			await writeFile(
				join(dir, 'model.json'),
				JSON.stringify({
					modelTopology: a.modelTopology,
					format: 'layers-model',
					weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: a.weightSpecs }]
				})
			);
			return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
		})
	);
	return [join(dir, 'model.json'), join(dir, 'group1-shard1of1.bin')];
}

export const fcByoRefusesOtherModels = test(
	'/fc-to-conv bring-your-own: a model that is not a VGG-16, a missing shard and a non-JSON file each get a clear message, nothing crashes',
	async (t) => {
		const w = await t.open('/fc-to-conv?backend=cpu');
		const files = await smallModelFiles();
		const input = w.page.getByTestId('byo-files');
		await input.setInputFiles(files);
		await w.page.waitForSelector('[data-testid="byo-error"]', { timeout: 60_000 });
		assert.match(await text(w.page, 'byo-error'), /not a VGG-16.*1 convolutions.*13/s);
		await input.setInputFiles([files[0]]);
		await w.page.waitForFunction(() =>
			/missing/.test(document.querySelector('[data-testid="byo-error"]')?.textContent ?? '')
		);
		const bogus = join(await mkdtemp(join(tmpdir(), 'fc-bogus-')), 'model.json');
		await writeFile(bogus, 'this is not json');
		await input.setInputFiles([bogus]);
		await w.page.waitForFunction(() =>
			/not valid JSON/.test(document.querySelector('[data-testid="byo-error"]')?.textContent ?? '')
		);
		assert.equal(await w.page.getByTestId('byo-photo').count(), 0);
		expectCleanButMissingWeights(w);
	},
	{ timeoutMs: 90_000 }
);
