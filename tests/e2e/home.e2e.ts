/**
 * `/`: a new visitor sees what this is before any script runs (the text is prerendered, TensorFlow.js
 * comes later), then a live demo: a canvas already holding a held-out scene, FCN-8s's segmentation of
 * it, updated as the reader draws, and a one-click switch to FCN-32s (the paper's coarse net).
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { test } from './harness.ts';
import { lessons } from '../../src/lib/lessons.ts';

async function segmentation(page: Page, timeout = 120_000): Promise<void> {
	await page.waitForSelector('[data-testid="segmentation"], [data-testid="live-error"]', { timeout });
	const err = await page.$('[data-testid="live-error"]');
	if (err) throw new Error(`the demo failed: ${await err.innerText()}`);
}

/** Pixel counts per class shown under the segmentation. */
async function classPixels(page: Page): Promise<number[]> {
	const out: number[] = [];
	for (let k = 0; k < 11; k++) out.push(Number(await page.getByTestId(`class-pixels-${k}`).innerText()));
	return out;
}

export const textBeforeScripts =
	test('/ without JavaScript still says what this is: the title, the one-paragraph pitch, every lesson with its line, the citation', async (t) => {
		const w = await t.newPage();
		const noScript = await w.context.browser()!.newContext({ javaScriptEnabled: false });
		const page = await noScript.newPage();
		await page.goto(t.url('/'));
		assert.match(await page.locator('h1').first().innerText(), /Fully Convolutional Networks/);
		assert.match(await page.getByTestId('home').innerText(), /every pixel/);
		const items = await page.getByTestId('lesson-list').locator('li').allInnerTexts();
		assert.equal(items.length, lessons.length);
		lessons.forEach((l, i) => assert.ok(items[i].includes(l.title) && items[i].includes(l.summary)));
		assert.match(await page.getByTestId('citation').innerText(), /Long, E\. Shelhamer, T\. Darrell/);
		// The demo cell is there, waiting, with a line that says so.
		assert.ok(await page.getByTestId('demo-cell').isVisible());
		await noScript.close();
	});

export const demoSegmentsAndFollowsTheReader = test(
	'[trained] / holds a held-out scene, FCN-8s labels digit pixels, a stroke drawn on the canvas changes the labels, and one click switches to FCN-32s',
	async (t) => {
		const w = await t.open('/?backend=wasm');
		await segmentation(w.page);
		const before = await classPixels(w.page);
		const digitPixels = before.slice(1).reduce((a, b) => a + b, 0);
		assert.ok(digitPixels > 0, 'the sample scene has pixels labelled as digits');
		// Draw a thick stroke across the canvas.
		const canvas = w.page.locator('[data-testid="live-demo"] canvas').first();
		const box = (await canvas.boundingBox())!;
		await w.page.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.8);
		await w.page.mouse.down();
		for (let i = 1; i <= 10; i++)
			await w.page.mouse.move(box.x + box.width * (0.1 + 0.08 * i), box.y + box.height * (0.8 - 0.05 * i));
		await w.page.mouse.up();
		await w.page.waitForFunction(
			(prev) => {
				const now = Array.from({ length: 11 }, (_, k) =>
					Number(document.querySelector(`[data-testid="class-pixels-${k}"]`)?.textContent)
				);
				return now.some((v, k) => v !== prev[k]);
			},
			before,
			{ timeout: 30_000 }
		);
		// One click: FCN-32s.
		await w.page.getByTestId('demo-net-fcn32s').click();
		await w.page.waitForURL(/net=fcn32s/);
		assert.equal(await w.page.getByTestId('demo-net-fcn32s').getAttribute('aria-pressed'), 'true');
		await segmentation(w.page);
		w.expectClean();
	},
	{ timeoutMs: 240_000 }
);
