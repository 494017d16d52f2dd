/**
 * /training: the shipped training log and manifest, shown as the paper stages its training. The
 * results table shows the manifest's evaluation (our numbers) beside CVPR 2015 Table 2 (quoted from
 * the skip-fusion lesson's cited table), the curves are drawn from the log, and without the files the
 * page says "not trained yet" and never crashes. Screenshots at laptop and projector sizes.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { CVPR_TABLE2 } from '../../src/lib/fcn/paper.ts';
import { test, viewports, type E2E, type Watched } from './harness.ts';

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

export const trainingScreenshots = test(
	'/training at laptop and projector sizes, light and dark (screenshots)',
	async (t) => {
		for (const viewport of [viewports.laptop, viewports.projector]) {
			for (const theme of ['light', 'dark'] as const) {
				const w = await t.open('/training', { viewport, colorScheme: theme });
				await settled(w.page);
				await t.screenshot(w.page, `training-${viewport.width}x${viewport.height}-${theme}`);
				expectCleanButMissingWeights(w);
			}
		}
	},
	{ timeoutMs: 120_000 }
);
