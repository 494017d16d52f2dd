/**
 * /training: the shipped training log and manifest, shown as the paper stages its training. The
 * results table shows the manifest's evaluation (our numbers) beside CVPR 2015 Table 2 (quoted from
 * the skip-fusion lesson's cited table), the curves are drawn from the log, and without the files the
 * page says "not trained yet" and never crashes. (Screenshots: route-matrix.e2e.ts.)
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { CVPR_TABLE2 } from '../../src/lib/fcn/paper.ts';
import { test, type E2E, type Watched } from './harness.ts';

const text = async (page: Page, id: string) => (await page.getByTestId(id).innerText()).trim();

interface ShippedManifest {
	models?: Partial<
		Record<
			'classifier' | 'fcn32s' | 'fcn16s' | 'fcn8s',
			{ eval?: { meanIU?: number; pixelAcc?: number; accuracy?: number } | null }
		>
	>;
}

/** The shipped manifest, as the site serves it (null when not shipped). */
async function shippedManifest(t: E2E): Promise<ShippedManifest | null> {
	const res = await fetch(t.url('/weights/manifest.json'));
	if (!res.ok) return null;
	try {
		return (await res.json()) as ShippedManifest;
	} catch {
		return null;
	}
}

function expectCleanButMissingWeights(w: Watched) {
	const missing = (e: string) => /404|Failed to load resource/.test(e);
	w.errors.splice(0, w.errors.length, ...w.errors.filter((e) => !missing(e)));
	w.expectClean();
}

async function settled(page: Page) {
	await page.waitForSelector('[data-testid="timeline"]');
	await page.waitForFunction(() => !document.body.textContent?.includes('Reading the training log'));
}

export const trainingShowsManifestAndPaper = test(
	"/training shows our mean IU per net from the manifest's evaluation beside the paper's Table 2 (59.4 / 62.4 / 62.7), the stages and the curves from the log",
	async (t) => {
		const w = await t.open('/training');
		await settled(w.page);
		for (const s of ['fcn32s', 'fcn16s', 'fcn8s'] as const) {
			const paper = CVPR_TABLE2.rows.find((r) => r.net === s)!;
			assert.equal(await text(w.page, `paper-mean-iu-${s}`), paper.meanIU.toFixed(1));
		}
		const m = await shippedManifest(t);
		if (!m) {
			assert.match(await text(w.page, 'not-trained'), /Not trained yet.*npm run train/s);
			expectCleanButMissingWeights(w);
			return;
		}
		for (const s of ['fcn32s', 'fcn16s', 'fcn8s'] as const) {
			const e: { meanIU?: number; pixelAcc?: number } | null | undefined = m.models?.[s]?.eval;
			if (!e || typeof e.meanIU !== 'number' || typeof e.pixelAcc !== 'number') continue;
			assert.equal(await text(w.page, `train-mean-iu-${s}`), (100 * e.meanIU).toFixed(1));
			assert.equal(await text(w.page, `train-pixel-acc-${s}`), (100 * e.pixelAcc).toFixed(1));
		}
		const accuracy = m.models?.classifier?.eval?.accuracy;
		if (typeof accuracy === 'number') {
			assert.equal(await text(w.page, 'classifier-accuracy'), `${(100 * accuracy).toFixed(1)} %`);
		}
		// The curves are drawn from the log: one loss path per stage, with points.
		const log = (await (await fetch(t.url('/weights/training-log.json'))).json()) as {
			log: Record<string, { loss: unknown[] }>;
		};
		for (const s of Object.keys(log.log)) {
			const d = await w.page.getByTestId(`loss-${s}`).locator('path').first().getAttribute('d');
			assert.ok(d && d.split(/[LM]/).length - 1 >= Math.min(2, log.log[s].loss.length), `loss curve of ${s} is empty`);
		}
		assert.ok((await w.page.getByTestId('val-fcn').locator('circle').count()) > 0);
		assert.match(await text(w.page, 'reproduce'), /npm run train[\s\S]*npm run eval/);
		w.expectClean();
	},
	{ timeoutMs: 60_000 }
);

export const trainingWithoutFiles = test(
	'/training without a manifest or log says "not trained yet", still shows the paper\'s side, and does not crash',
	async (t) => {
		const w = await t.newPage();
		await w.page.route('**/weights/**', (r) => r.fulfill({ status: 404, body: 'not here' }));
		await w.page.goto(t.url('/training'));
		await w.page.waitForSelector('html[data-hydrated]', { state: 'attached' });
		await settled(w.page);
		assert.match(await text(w.page, 'not-trained'), /Not trained yet/);
		assert.equal(
			await text(w.page, 'paper-mean-iu-fcn8s'),
			CVPR_TABLE2.rows.find((r) => r.net === 'fcn8s')!.meanIU.toFixed(1)
		);
		assert.equal(await w.page.getByTestId('cell-curves').count(), 0);
		expectCleanButMissingWeights(w);
	},
	{ timeoutMs: 60_000 }
);

export const trainingMalformedLog = test(
	'/training with a malformed training log names the problem instead of crashing',
	async (t) => {
		const w = await t.newPage();
		await w.page.route('**/weights/training-log.json', (r) =>
			r.fulfill({ status: 200, contentType: 'application/json', body: '{"log": {"fcn8s": {"loss": "oops"}}}' })
		);
		await w.page.goto(t.url('/training'));
		await w.page.waitForSelector('html[data-hydrated]', { state: 'attached' });
		await settled(w.page);
		assert.match(await text(w.page, 'not-trained'), /fcn8s has no loss curve/);
		expectCleanButMissingWeights(w);
	},
	{ timeoutMs: 60_000 }
);

export const trainingCurvesReadOut = test(
	'[trained] /training: a curve reads out its step and value on hover and from the keyboard (End, ←), the training-loss / validation toggles hide their charts and live in the URL, and each FCN stage links to its net live',
	async (t) => {
		const w = await t.open('/training');
		await settled(w.page);
		const log = (await (await fetch(t.url('/weights/training-log.json'))).json()) as {
			log: Record<string, { loss: [number, number][] }>;
		};
		const loss = log.log.fcn8s.loss;
		// keyboard: the chart is a slider over its logged steps
		const scrub = w.page.getByTestId('loss-fcn8s-scrub');
		await scrub.focus();
		await w.page.keyboard.press('End');
		const readout = w.page.getByTestId('loss-fcn8s-readout');
		const [s1, v1] = loss.at(-1)!;
		await w.page.waitForFunction(
			(want) => document.querySelector('[data-testid="loss-fcn8s-readout"]')?.textContent?.includes(want),
			`step ${s1}: FCN-8s ${v1.toFixed(3)}`
		);
		assert.equal(await scrub.getAttribute('aria-valuenow'), String(s1));
		await w.page.keyboard.press('ArrowLeft');
		const [s2, v2] = loss.at(-2)!;
		assert.match(await readout.innerText(), new RegExp(`step ${s2}: FCN-8s ${v2.toFixed(3)}`));
		assert.equal(new URL(w.page.url()).pathname.replace(/\.html$/, ''), '/training', 'arrows stay with the chart');
		// pointer: hovering the validation chart reads a point out
		const val = w.page.getByTestId('val-fcn-scrub');
		await val.scrollIntoViewIfNeeded();
		const box = (await val.boundingBox())!;
		await w.page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
		await w.page.waitForFunction(() =>
			/epoch .*: FCN-\d+s \d+\.\d %/.test(document.querySelector('[data-testid="val-fcn-readout"]')?.textContent ?? '')
		);
		// toggles
		await w.page.getByTestId('show-loss').uncheck();
		await w.page.getByTestId('loss-charts').waitFor({ state: 'detached' });
		await w.page.waitForFunction(() => new URL(location.href).searchParams.get('loss') === '0');
		assert.ok(await w.page.getByTestId('val-charts').isVisible());
		const w2 = await t.open('/training?loss=0&val=0');
		await settled(w2.page);
		await w2.page.getByTestId('cell-curves').waitFor();
		assert.equal(await w2.page.getByTestId('show-loss').isChecked(), false);
		assert.equal(await w2.page.getByTestId('show-val').isChecked(), false);
		assert.equal(await w2.page.getByTestId('loss-charts').count(), 0);
		assert.equal(await w2.page.getByTestId('val-charts').count(), 0);
		// the stages link to their nets, live
		for (const s of ['fcn32s', 'fcn16s', 'fcn8s']) {
			assert.match(
				(await w.page.getByTestId(`stage-${s}-link-0`).getAttribute('href'))!,
				new RegExp(`/network\\?net=${s}$`)
			);
			assert.match(await w.page.getByTestId(`stage-${s}-test`).innerText(), /^\d+\.\d %$/);
		}
		await w.page.getByTestId('stage-fcn16s-link-0').click();
		await w.page.waitForURL(/\/network\?net=fcn16s/);
		await w.page.waitForFunction(
			() => (document.querySelector('[data-testid="net-select"]') as HTMLSelectElement | null)?.value === 'fcn16s'
		);
		w.expectClean();
		w2.expectClean();
	},
	{ timeoutMs: 90_000 }
);
