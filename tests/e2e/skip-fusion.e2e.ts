/**
 * /skip-fusion: the graphs show the geometry library's sizes, strides and crop offsets for the input
 * size in the URL; the live cell sums the score maps as the paper's equations say (a skip switched off
 * leaves the sum equal to the upsampled coarse scores); the browser's evaluation on the held-out
 * scenes reproduces `npm run eval`'s numbers recorded in the manifest (within 0.01).
 *
 * Live tests pin `?backend=wasm` and need the trained weights in static/weights.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { test } from './harness.ts';
import { nextFrames } from './classroom-helpers.ts';
import { analyze, fcn, trainedOptions } from '../../src/lib/fcn/index.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const paperNet = (v: '32s' | '16s' | '8s') => fcn(v, { classes: 21 });
const ourNet = (v: '32s' | '16s' | '8s') => fcn(v, trainedOptions({ classes: 11 }));
const fmtSize = (out: number[]) => `${out[0]}×${out[1]}`;

async function text(page: Page, selector: string): Promise<string> {
	return ((await page.locator(selector).first().textContent()) ?? '').trim();
}

/** Distinct colours of a canvas (a blank map is one colour). */
async function distinctColours(page: Page, testid: string): Promise<number> {
	return page.$eval(`[data-testid="${testid}"]`, (c) => {
		const canvas = c as HTMLCanvasElement;
		const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
		const seen = new Set<number>();
		for (let i = 0; i < d.length && seen.size < 64; i += 4) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
		return seen.size;
	});
}

async function pixels(page: Page, testid: string): Promise<number[]> {
	return page.$eval(`[data-testid="${testid}"]`, (c) => {
		const canvas = c as HTMLCanvasElement;
		return Array.from(canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data);
	});
}

/** Scroll the live cell into view (it loads tfjs lazily) and wait for FCN-8s's prediction. */
async function liveReady(page: Page, timeout = 120_000): Promise<void> {
	await page.getByTestId('fusion-cell').scrollIntoViewIfNeeded();
	await page.waitForSelector('[data-testid="stage-fcn8s-score"], [data-testid="live-error"]', { timeout });
	const err = await page.$('[data-testid="live-error"]');
	if (err) throw new Error(`the live cell failed: ${await err.innerText()}`);
}

async function manifest(): Promise<{
	models: Record<
		string,
		{
			eval?: {
				meanIU: number;
				pixelAcc: number;
				testScenes?: number;
				subset?: { scenes: number; meanIU: number; pixelAcc: number };
			};
		}
	>;
}> {
	// The manifest the built site serves (a copy of static/weights/manifest.json).
	return JSON.parse(await readFile(join(root, 'build/weights/manifest.json'), 'utf8'));
}

export const graphsShowLibraryGeometry =
	test('/skip-fusion?size=500&g=caffe: every node shows the size and stride analyze() computes, and the Crop offsets (5, 9, 31 for FCN-8s) come from the library', async (t) => {
		const w = await t.open('/skip-fusion?size=500&g=caffe&net=8s');
		for (const v of ['32s', '16s', '8s'] as const) {
			const report = analyze(paperNet(v), [500, 500]);
			for (const name of ['pool1', 'pool4', 'pool5', 'fc7', 'score_fr']) {
				const row = report.layers.find((l) => l.name === name)!;
				assert.equal(
					await text(w.page, `[data-testid="graph-fcn${v}"] [data-testid="node-size-${name}"]`),
					fmtSize(row.out)
				);
				assert.equal(
					await text(w.page, `[data-testid="graph-fcn${v}"] [data-testid="node-stride-${name}"]`),
					`/${row.jump}`
				);
			}
			for (const c of report.crops) {
				assert.equal(
					await text(w.page, `[data-testid="graph-fcn${v}"] [data-testid="node-stride-${c.name}"]`),
					`crop ${c.offset}`
				);
			}
		}
		// The alignment table: the library's offset, and the same offset recomputed from the starts.
		for (const c of analyze(paperNet('8s'), [500, 500]).crops) {
			assert.equal(await text(w.page, `[data-testid="crop-offset-${c.name}"]`), String(c.offset));
		}
		w.expectClean();
	});

export const sizeSliderUpdatesGraphsAndUrl =
	test('the input-size slider changes the sizes (the strides stay) and writes size= into the URL', async (t) => {
		const w = await t.open('/skip-fusion?size=224&g=caffe');
		const slider = w.page.getByTestId('slider-size');
		await slider.focus();
		for (let i = 0; i < 5; i++) await w.page.keyboard.press('ArrowRight');
		await w.page.waitForURL(/size=229/);
		assert.equal(await text(w.page, '[data-testid="input-size"]'), '229×229');
		const row = analyze(paperNet('16s'), [229, 229]).layers.find((l) => l.name === 'upscore2')!;
		assert.equal(
			await text(w.page, '[data-testid="graph-fcn16s"] [data-testid="node-size-upscore2"]'),
			fmtSize(row.out)
		);
		assert.equal(await text(w.page, '[data-testid="graph-fcn16s"] [data-testid="node-stride-upscore2"]'), '/16');
		w.expectClean();
	});

export const sameGeometryNeedsMultiplesOf32 =
	test('?g=same: a multiple of 32 aligns with no crop; 100 px leaves FCN-8s 96 px short; 104 px cannot be summed (library message)', async (t) => {
		const w = await t.open('/skip-fusion?size=160&g=same&net=8s');
		assert.match(await text(w.page, '[data-testid="sizes-match-upscore8"]'), /equal/);
		assert.equal(await w.page.locator('[data-testid^="crop-offset-"]').count(), 0);
		await w.page.goto(t.url('/skip-fusion?size=100&g=same&net=8s'));
		await w.page.waitForSelector('html[data-hydrated]', { state: 'attached' });
		const out = analyze(ourNet('8s'), [100, 100]).layers.find((l) => l.name === 'upscore8')!.out;
		assert.match(await text(w.page, '[data-testid="sizes-match-upscore8"]'), new RegExp(`differ.*${out[0]}×${out[1]}`));
		await w.page.goto(t.url('/skip-fusion?size=104&g=same&net=8s'));
		await w.page.waitForSelector('html[data-hydrated]', { state: 'attached' });
		let expected = '';
		try {
			analyze(ourNet('8s'), [104, 104]);
		} catch (e) {
			expected = (e as Error).message;
		}
		assert.ok(expected, 'the library refuses 104×104 for FCN-8s in the same geometry');
		assert.ok((await text(w.page, '[data-testid="graph-error-fcn8s"]')).includes(expected));
		w.expectClean();
	});

export const garbageQueryIsClamped =
	test('/skip-fusion?size=abc&g=nope&scene=9999: clamped values and a notice, never a crash', async (t) => {
		const w = await t.open('/skip-fusion?size=abc&g=nope&scene=9999&n=-3');
		assert.equal(await text(w.page, '[data-testid="input-size"]'), '224×224');
		assert.equal(await w.page.getByTestId('geometry-caffe').isChecked(), true);
		assert.equal(await text(w.page, '[data-testid="scene-index"]'), '199');
		assert.ok((await w.page.getByRole('status').allInnerTexts()).some((s) => s.includes('size=abc')));
		w.expectClean();
	});

export const liveFusionSumsAsThePaperSays = test(
	'[trained] live: the layer-by-layer head equals the model (residual < 1e-4), maps are not blank, and with the pool4 skip off fuse_pool4 = upscore2',
	async (t) => {
		const w = await t.open('/skip-fusion?backend=wasm&scene=3');
		await liveReady(w.page);
		await w.page.waitForSelector('[data-testid="fusion-residual"]', { timeout: 60_000 });
		assert.ok(Number(await text(w.page, '[data-testid="fusion-residual"]')) < 1e-4);
		// The prediction labels several classes (background and the digits), not one flat colour.
		assert.ok((await distinctColours(w.page, 'stage-fcn8s-score')) >= 2, 'FCN-8s prediction is not blank');
		assert.ok((await distinctColours(w.page, 'zoom-fcn8s')) >= 2, 'the zoom shows a boundary');
		// One class's scores as a heat map: not blank either.
		await w.page.getByTestId('show-select').selectOption('1');
		await w.page.waitForURL(/show=1/);
		assert.ok((await distinctColours(w.page, 'stage-fcn8s-score_fr')) >= 2, 'score_fr heat map is not blank');
		await w.page.getByTestId('show-select').selectOption('argmax');
		// Switch the pool4 skip off: its term leaves the sum.
		const runs = Number(await w.page.getByTestId('fusion-live').getAttribute('data-runs'));
		await w.page.getByTestId('skip-pool4').uncheck();
		await w.page.waitForURL(/p4=0/);
		await w.page.waitForFunction(() =>
			document
				.querySelector('[data-testid="stage-fcn16s-score_pool4"]')
				?.closest('.tile')
				?.classList.contains('dropped')
		);
		// The run with the skip off has finished and its maps are painted (settled: the shown results are
		// for the current skips), not a pause that a slow machine may outlast.
		await w.page.waitForFunction(
			(n) => {
				const live = document.querySelector('[data-testid="fusion-live"]');
				return Number(live?.getAttribute('data-runs')) > n && live?.getAttribute('data-settled') === 'true';
			},
			runs,
			{ timeout: 60_000 }
		);
		await nextFrames(w.page);
		assert.deepEqual(await pixels(w.page, 'stage-fcn16s-fuse_pool4'), await pixels(w.page, 'stage-fcn16s-upscore2'));
		w.expectClean();
	},
	{ timeoutMs: 240_000 }
);

export const browserEvaluationMatchesNode = test(
	'[trained] evaluating the three nets on the first 40 held-out scenes in the browser gives the mean IU and pixel accuracy npm run eval recorded for them (±0.01), and FCN-32s ≤ FCN-16s ≤ FCN-8s as in the paper',
	async (t) => {
		const m = await manifest();
		const subset = m.models.fcn8s.eval?.subset;
		assert.ok(subset, 'the manifest records the subset scores (eval.subset)');
		const n = subset.scenes;
		const w = await t.open(`/skip-fusion?backend=wasm&n=${n}`);
		await w.page.getByTestId('eval-section').scrollIntoViewIfNeeded();
		await w.page.getByTestId('eval-run').click();
		await w.page.getByTestId('eval-progress').waitFor({ timeout: 60_000 });
		await w.page.locator('[data-testid="mean-iu-fcn8s"]:not([data-value=""])').waitFor({ timeout: 420_000 });
		const got: Record<string, number> = {};
		for (const net of ['fcn32s', 'fcn16s', 'fcn8s']) {
			const rec = m.models[net].eval!.subset!;
			const meanIU = Number(await w.page.getByTestId(`mean-iu-${net}`).getAttribute('data-value'));
			const pixelAcc = Number(await w.page.getByTestId(`pixel-acc-${net}`).getAttribute('data-value'));
			assert.ok(Math.abs(meanIU - rec.meanIU) <= 0.01, `${net}: browser mean IU ${meanIU} vs Node ${rec.meanIU}`);
			assert.ok(
				Math.abs(pixelAcc - rec.pixelAcc) <= 0.01,
				`${net}: browser pixel acc ${pixelAcc} vs Node ${rec.pixelAcc}`
			);
			got[net] = meanIU;
			console.log(`    ${net}: browser mean IU ${meanIU.toFixed(4)}, Node ${rec.meanIU.toFixed(4)} (${n} scenes)`);
		}
		assert.ok(got.fcn32s <= got.fcn16s + 0.005 && got.fcn16s <= got.fcn8s + 0.005, 'the paper’s ordering');
		// Strict: every pixel scored (the band as background, void ink as its digit): lower for every net.
		for (const net of ['fcn32s', 'fcn16s', 'fcn8s']) {
			const strict = Number(await w.page.getByTestId(`strict-mean-iu-${net}`).getAttribute('data-value'));
			assert.ok(strict > 0 && strict < got[net], `${net}: strict mean IU ${strict} below the band's ${got[net]}`);
			console.log(`    ${net}: strict mean IU ${strict.toFixed(4)} (with the band ${got[net].toFixed(4)})`);
		}
		assert.ok((await w.page.getByTestId('confusion-matrix').locator('rect').count()) === 11 * 11);
		w.expectClean();
	},
	{ timeoutMs: 480_000 }
);

export const evaluationCanBeCancelled = test(
	'[trained] the browser evaluation shows its progress and stops when Cancel is clicked',
	async (t) => {
		const w = await t.open('/skip-fusion?backend=wasm');
		await w.page.getByTestId('eval-section').scrollIntoViewIfNeeded();
		await w.page.getByTestId('eval-run').click();
		await w.page.waitForFunction(
			() => Number((document.querySelector('[data-testid="eval-progress"]') as HTMLProgressElement | null)?.value) > 0,
			null,
			{
				timeout: 120_000
			}
		);
		await w.page.getByTestId('eval-cancel').click();
		assert.match(await w.page.getByTestId('eval-error').innerText(), /Cancelled/);
		assert.ok(await w.page.getByTestId('eval-run').isVisible());
		assert.equal(await w.page.getByTestId('mean-iu-fcn8s').getAttribute('data-value'), '');
		w.expectClean();
	},
	{ timeoutMs: 180_000 }
);

export const weightsFetchedOnce = test(
	'[trained] a first visit without a pinned backend fetches each weights file once, though both the backend probe and the lesson use FCN-8s',
	async (t) => {
		const w = await t.newPage();
		const fetched = new Map<string, number>();
		w.page.on('request', (r) => {
			const path = new URL(r.url()).pathname;
			if (path.startsWith('/weights/') && !path.endsWith('manifest.json'))
				fetched.set(path, (fetched.get(path) ?? 0) + 1);
		});
		await w.page.goto(t.url('/skip-fusion?scene=3'));
		await liveReady(w.page);
		await w.page.waitForSelector('[data-testid="fusion-residual"]', { timeout: 60_000 });
		assert.ok(
			[...fetched.keys()].some((p) => p.startsWith('/weights/fcn8s/')),
			`FCN-8s was fetched: ${[...fetched.keys()].join(', ')}`
		);
		const twice = [...fetched].filter(([, n]) => n > 1).map(([p, n]) => `${p} ×${n}`);
		assert.deepEqual(twice, []);
		w.expectClean();
	},
	{ timeoutMs: 240_000 }
);

export const sceneSliderDropsStaleRuns = test(
	"[trained] a fast drag of the scene slider never has two runs of the nets at once, and the page settles on the last scene's results",
	async (t) => {
		const w = await t.open('/skip-fusion?backend=wasm&scene=0');
		await liveReady(w.page);
		const live = w.page.getByTestId('fusion-live');
		const settled = () =>
			w.page.waitForFunction(
				() => document.querySelector('[data-testid="fusion-live"]')?.getAttribute('data-settled') === 'true',
				null,
				{ timeout: 60_000 }
			);
		await settled();
		const before = Number(await live.getAttribute('data-runs'));
		// 40 input events, each in its own task, faster than the nets run: what a quick drag sends.
		await w.page.evaluate(async () => {
			const slider = document.querySelector('[data-testid="slider-scene"]') as HTMLInputElement;
			for (let i = 1; i <= 40; i++) {
				slider.value = String(i);
				slider.dispatchEvent(new Event('input', { bubbles: true }));
				// yield to the event loop: the next event comes in a task of its own (a message), as from a mouse
				await new Promise((r) => {
					const channel = new MessageChannel();
					channel.port1.onmessage = r;
					channel.port2.postMessage(null);
				});
			}
		});
		assert.equal(await w.page.getByTestId('scene-index').innerText(), '40');
		await settled();
		// On wasm a run blocks the page's thread, so events rarely outpace it; on a GPU backend runs are
		// asynchronous and the scheduler is what keeps them from piling up.
		const runs = Number(await live.getAttribute('data-runs')) - before;
		assert.equal(await live.getAttribute('data-max-in-flight'), '1');
		assert.ok(runs >= 1 && runs <= 40, `40 scene changes started ${runs} runs`);
		await w.page.waitForURL(/scene=40/);
		w.expectClean();
	},
	{ timeoutMs: 180_000 }
);
