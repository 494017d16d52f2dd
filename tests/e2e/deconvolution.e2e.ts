/**
 * /deconvolution: the zero-insertion construction, parameterised by the transposed convolution's own
 * input as tf.conv2dTranspose takes it, shows the output size from the library (and the associated
 * direct convolution, Dumoulin & Visin, giving the input back), agrees with tf.conv2dTranspose to float32 precision (max abs difference < 1e-5), follows
 * its sliders in the URL, steps under reduced motion, and the bilinear / overlap cells show the
 * library's numbers.
 */
import assert from 'node:assert/strict';
import {
	bilinearKernelSize,
	convOutputSize,
	deconvOutputSize,
	fcn,
	layerGeometry,
	trainedOptions
} from '../../src/lib/fcn/index.ts';
import { test } from './harness.ts';
import type { Page } from 'playwright-core';

/**
 * Clean, except for the 404 of static/weights/manifest.json while the trained weights are not shipped
 * (the live cells then say loudly that they use random weights).
 */
function expectCleanButMissingWeights(w: { errors: string[]; external: string[]; expectClean(): void }) {
	const missing = (e: string) => /404/.test(e) && /weights\/manifest\.json/.test(e);
	w.errors.splice(0, w.errors.length, ...w.errors.filter((e) => !missing(e)));
	w.expectClean();
}

const text = async (page: Page, id: string) => (await page.getByTestId(id).innerText()).trim();

/** The transposed convolution by its own input i (as tf.conv2dTranspose): o, and the direct conv's o → i. */
function sizes(i: number, k: number, s: number, p: number) {
	const outputSize = deconvOutputSize(i, k, s, p);
	return { inputSize: i, outputSize, directOutput: convOutputSize(outputSize, k, s, p) };
}

async function maxAbsDiff(page: Page): Promise<number> {
	await page.getByTestId('deconv-check').scrollIntoViewIfNeeded();
	await page.waitForSelector('[data-testid="deconv-check"][data-status="done"]', { timeout: 30_000 });
	return Number(await page.getByTestId('max-abs-diff').getAttribute('data-value'));
}

export const deconvSizesAndCheck = test(
	'/deconvolution?i=4&k=4&s=2&p=1 shows o = 8 (and 5,3,2,1 → 9, 3,16,8,4 → 24), the direct conv giving i back, and max |zero insertion − tf.conv2dTranspose| < 1e-5',
	async (t) => {
		const cases: [number, number, number, number, number][] = [
			[4, 4, 2, 1, 8],
			[5, 3, 2, 1, 9],
			[3, 16, 8, 4, 24]
		];
		for (const [i, k, s, p, o] of cases) {
			const w = await t.open(`/deconvolution?i=${i}&k=${k}&s=${s}&p=${p}`);
			const z = sizes(i, k, s, p);
			assert.equal(z.outputSize, o);
			assert.equal(await text(w.page, 'input-size'), String(i));
			assert.equal(await text(w.page, 'output-size'), String(o));
			assert.equal(await text(w.page, 'direct-size'), String(z.directOutput));
			assert.equal(z.directOutput, i);
			assert.equal(await w.page.getByTestId('deconv-notice').count(), 0);
			assert.ok((await maxAbsDiff(w.page)) < 1e-5);
			assert.equal(await w.page.locator('.tex-error').count(), 0);
			expectCleanButMissingWeights(w);
		}
	},
	{ timeoutMs: 150_000 }
);

export const deconvSlidersChangeNumbersAndUrl = test(
	'/deconvolution: moving s changes o as the library says (a stays 0, the direct conv gives i back), the URL follows, and the check still passes',
	async (t) => {
		const w = await t.open('/deconvolution?i=6&k=3&s=2&p=0');
		let z = sizes(6, 3, 2, 0);
		assert.equal(await text(w.page, 'output-size'), String(z.outputSize));
		await w.page.getByTestId('slider-s').fill('3');
		z = sizes(6, 3, 3, 0);
		assert.equal(await text(w.page, 'output-size'), String(z.outputSize));
		assert.equal(await text(w.page, 'direct-size'), '6');
		assert.equal(await text(w.page, 'extra-a'), '0');
		await w.page.waitForFunction(() => new URLSearchParams(location.search).get('s') === '3');
		assert.ok((await maxAbsDiff(w.page)) < 1e-5);
		expectCleanButMissingWeights(w);
	},
	{ timeoutMs: 90_000 }
);

export const deconvStepping =
	test('/deconvolution: step buttons and arrow keys move through the output cells; under reduced motion “play” shows all at once', async (t) => {
		const w = await t.open('/deconvolution?i=4&k=4&s=2&p=1');
		const total = sizes(4, 4, 2, 1).outputSize ** 2;
		assert.equal(await text(w.page, 'step-counter'), `step 1 / ${total}`);
		await w.page.getByTestId('step-next').click();
		assert.equal(await text(w.page, 'step-counter'), `step 2 / ${total}`);
		await w.page.getByTestId('construction-stage').focus();
		await w.page.keyboard.press('ArrowRight');
		assert.equal(await text(w.page, 'step-counter'), `step 3 / ${total}`);
		assert.equal(new URL(w.page.url()).pathname, '/deconvolution');
		await w.page.getByTestId('play').click(); // the harness runs with prefers-reduced-motion: reduce
		assert.equal(await text(w.page, 'step-counter'), `step ${total} / ${total}`);
		expectCleanButMissingWeights(w);
	});

export const deconvBilinearAndOverlap =
	test('/deconvolution: f = 32 gives the library’s 64-tap kernel and a 896×896 digit; k = 3, s = 2 overlaps unevenly, k = 4, s = 2 evenly', async (t) => {
		const w = await t.open('/deconvolution?f=32');
		assert.equal(await text(w.page, 'bilinear-size'), String(bilinearKernelSize(32)));
		await w.page.getByTestId('bilinear-digit').scrollIntoViewIfNeeded();
		await w.page.waitForFunction(() =>
			document.querySelector('[data-testid="bilinear-out-size"]')?.textContent?.includes('×')
		);
		assert.equal(await text(w.page, 'bilinear-out-size'), `${28 * 32}×${28 * 32}`);
		await w.page.getByTestId('overlap-checker').click();
		assert.equal(await w.page.getByTestId('overlap-verdict').getAttribute('data-even'), 'false');
		await w.page.getByTestId('overlap-fcn').click();
		assert.equal(await w.page.getByTestId('overlap-verdict').getAttribute('data-even'), 'true');
		await w.page.waitForFunction(() => new URLSearchParams(location.search).get('k') === '4');
		expectCleanButMissingWeights(w);
	});

export const deconvBadUrl =
	test('/deconvolution?i=abc&k=99 clamps, says so, and still renders a valid construction', async (t) => {
		const w = await t.open('/deconvolution?i=abc&k=99&s=0');
		assert.match(await text(w.page, 'deconv-notice'), /k=99: kernel size must be at most 16/);
		assert.ok(Number(await text(w.page, 'output-size')) >= 1);
		expectCleanButMissingWeights(w);
	});

export const deconvFcn32s = test(
	'/deconvolution: the live FCN-32s shows its stride-32 score map (size from the library) and the ×32 upsampled segmentation',
	async (t) => {
		const w = await t.open('/deconvolution?backend=wasm');
		const net = fcn('32s', trainedOptions());
		const geo = layerGeometry(net, [128, 128]);
		const score = geo.get('score_fr')!;
		await w.page.getByTestId('fcn32s-cell').scrollIntoViewIfNeeded();
		await w.page.waitForSelector('[data-testid="fcn32s-cell"][data-status="ready"]', { timeout: 90_000 });
		assert.equal(await text(w.page, 'score-size'), `${score.out[0]}×${score.out[1]}`);
		assert.equal(await text(w.page, 'score-jump'), String(score.field.jump));
		const up = net.layers.find((l) => l.name === 'upscore')!;
		assert.equal(await text(w.page, 'upscore-kernel'), String(up.type === 'deconv' ? up.kernel : NaN));
		assert.equal(await text(w.page, 'upscore-size'), `${geo.get('upscore')!.out[0]}×${geo.get('upscore')!.out[1]}`);
		await w.page.waitForFunction(
			() => /One\s+pass/.test(document.querySelector('[data-testid="fcn32s-cell"]')?.textContent ?? ''),
			null,
			{ timeout: 60_000 }
		);
		expectCleanButMissingWeights(w);
	},
	{ timeoutMs: 180_000 }
);

export const deconvLearnedKernels = test(
	'/deconvolution: in the loaded FCN-8s the fixed final upsampling is still exactly bilinear (change 0), as the definition says',
	async (t) => {
		const w = await t.open('/deconvolution?backend=wasm');
		const net = fcn('8s', trainedOptions());
		await w.page.getByTestId('learned-cell').scrollIntoViewIfNeeded();
		await w.page.waitForSelector('[data-testid="learned-cell"][data-status="ready"]', { timeout: 120_000 });
		for (const l of net.layers) {
			if (l.type !== 'deconv' || l.trainable) continue;
			assert.equal(Number(await w.page.getByTestId(`change-${l.name}`).getAttribute('data-value')), 0, l.name);
		}
		expectCleanButMissingWeights(w);
	},
	{ timeoutMs: 180_000 }
);

export const deconvShiftAndStitch = test(
	'/deconvolution: shift-and-stitch at pool5 (4 shifted passes, interleaved) equals one pass with pool5 at stride 1 and fc6 dilated (max abs diff < 1e-4), before the transposed convolution',
	async (t) => {
		const w = await t.open('/deconvolution?backend=wasm');
		const cell = w.page.getByTestId('shift-and-stitch');
		const order = await w.page.evaluate(() => {
			const a = document.querySelector('[data-testid="shift-and-stitch"]')!;
			const b = document.querySelector('[data-testid="deconv-construction"]')!;
			return a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING;
		});
		assert.ok(order, 'shift-and-stitch comes before the zero-insertion construction');
		await cell.scrollIntoViewIfNeeded();
		await w.page.getByTestId('stitch-run').click();
		await w.page.waitForSelector('[data-testid="shift-and-stitch"][data-status="ready"]', { timeout: 120_000 });
		const diff = Number(await w.page.getByTestId('stitch-max-abs-diff').getAttribute('data-value'));
		assert.ok(Number.isFinite(diff) && diff < 1e-4, `stitched vs dilated: ${diff}`);
		const net = fcn('32s', trainedOptions());
		const score = layerGeometry(net, [128, 128]).get('score_fr')!;
		assert.equal(await text(w.page, 'stitch-rf'), String(score.field.rf));
		assert.equal(await text(w.page, 'stitch-jump'), String(score.field.jump / 2));
		expectCleanButMissingWeights(w);
	},
	{ timeoutMs: 180_000 }
);
