/**
 * /skip-fusion, "Train the skip yourself" (the skip lab): Train makes steps and raises the
 * validation mean IU above its start, Pause stops the step counter, Reset returns to step 0 and
 * FCN-32s's start; the controls' state is read from the URL. Waits on the page's state, never on
 * fixed sleeps. Pins `?backend=wasm` and needs the trained weights in static/weights.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { test } from './harness.ts';

const num = async (page: Page, testid: string) => Number((await page.getByTestId(testid).textContent())?.trim());

/** Wait until `testid`'s number is above `gt` (or equal to `eq`). */
async function until(page: Page, testid: string, want: { gt?: number; eq?: number }, timeout = 120_000): Promise<void> {
	await page.waitForFunction(
		([id, gt, eq]) => {
			const v = Number(document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim());
			return Number.isFinite(v) && (eq === null ? v > (gt as number) : v === eq);
		},
		[testid, want.gt ?? null, want.eq ?? null] as const,
		{ timeout }
	);
}

async function status(page: Page, want: string, timeout = 120_000): Promise<void> {
	await page.waitForSelector(`[data-testid="skip-lab"][data-status="${want}"]`, { timeout });
}

export const trainPauseReset = test(
	'skip lab: Train makes steps and raises mean IU, Pause stops the steps, Reset returns to FCN-32s',
	async (t) => {
		const w = await t.open('/skip-fusion?backend=wasm');
		await w.page.getByTestId('skip-lab').scrollIntoViewIfNeeded();
		await w.page.getByTestId('lab-train').click();
		await status(w.page, 'training', 180_000);
		const start = await num(w.page, 'lab-mean-iu');
		const fcn32s = await num(w.page, 'lab-fcn32s');
		assert.ok(Number.isFinite(start) && Number.isFinite(fcn32s), 'the start and FCN-32s were measured');
		await until(w.page, 'lab-steps', { gt: 0 });
		// Re-measured every 2 s: the mean IU rises above where it started.
		await until(w.page, 'lab-mean-iu', { gt: start + 3 });
		assert.ok((await w.page.getByTestId('lab-loss').getAttribute('data-points')) !== '0', 'the loss curve has points');

		await w.page.getByTestId('lab-pause').click();
		await status(w.page, 'paused');
		// The loop ends at the end of its current chunk; from then on no step can be taken.
		await w.page.waitForSelector('[data-testid="skip-lab"][data-looping="false"]');
		const paused = await num(w.page, 'lab-steps');
		// Still the same count after the page has painted twice more.
		await w.page.evaluate(
			() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0))))
		);
		assert.equal(await num(w.page, 'lab-steps'), paused, 'Pause stops the step counter');

		await w.page.getByTestId('lab-reset').click();
		await until(w.page, 'lab-steps', { eq: 0 });
		await w.page.waitForFunction(
			(v) => Number(document.querySelector('[data-testid="lab-mean-iu"]')?.textContent) === v,
			start,
			{ timeout: 30_000 }
		);
		assert.equal(await num(w.page, 'lab-fcn32s'), fcn32s);
		w.expectClean();
	},
	{ timeoutMs: 360_000 }
);

export const controlsFromUrl =
	test('skip lab: ?lab=8s&init=random&up=learned&lr=0.003&fk=s sets the controls; garbage falls back to the defaults', async (t) => {
		const w = await t.open('/skip-fusion?lab=8s&init=random&up=learned&lr=0.003&fk=s');
		assert.equal(await w.page.getByTestId('lab-skips').inputValue(), '8s');
		assert.equal(await w.page.getByTestId('lab-init').inputValue(), 'random');
		assert.equal(await w.page.getByTestId('lab-up').inputValue(), 'learned');
		assert.equal(await w.page.getByTestId('lab-lr').inputValue(), '0.003');
		assert.equal(await w.page.getByTestId('lab-final').inputValue(), 's');
		await w.page.getByTestId('lab-init').selectOption('zero');
		await w.page.waitForFunction(() => !new URL(location.href).searchParams.has('init'));
		const v = await t.open('/skip-fusion?lab=99&init=maybe');
		assert.equal(await v.page.getByTestId('lab-skips').inputValue(), '16s');
		assert.equal(await v.page.getByTestId('lab-init').inputValue(), 'zero');
		w.expectClean();
	});
