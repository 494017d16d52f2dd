/**
 * Issue 13, "a result first, the measurement after" and "threads where they pay": a fresh profile with
 * no `?backend=` pin sees a segmentation from the first backend that works (wasm) within a generous
 * bound (the benchmark, `npm run bench`, holds the real 2.5 s target), the other backends are then
 * measured in the background and the badge says so; the site is cross-origin isolated (the e2e server
 * sends COOP/COEP as `vite preview` does) with no CSP violation, and on a host that cannot send the
 * headers the service worker adds them from the second load on.
 */
import assert from 'node:assert/strict';
import { test } from './harness.ts';
import { cspViolations, recordCspViolations } from './classroom-helpers.ts';
import { firstVisit } from './first-visit.ts';
import { serveStatic } from './server.ts';
import { launchChromium } from './chromium.ts';
import { resolve } from 'node:path';

/** Generous: a loaded 2-core test machine; the benchmark holds the 2.5 s target. */
const FIRST_VISIT_BOUND_MS = 15_000;

async function firstVisitWithin(origin: string, path: string) {
	const v = await firstVisit(origin, path);
	console.log(`    ${path}: first segmentation ${v.ms.toFixed(0)} ms after navigation on ${v.backend} (${v.reason})`);
	assert.deepEqual(v.errors, [], 'no console error');
	assert.equal(v.crossOriginIsolated, true, 'cross-origin isolated');
	assert.equal(v.reason, 'first', 'the first result comes from the first backend that works, before any probe');
	assert.equal(v.backend, 'wasm');
	assert.ok(
		v.ms < FIRST_VISIT_BOUND_MS,
		`first segmentation after ${v.ms.toFixed(0)} ms (bound ${FIRST_VISIT_BOUND_MS})`
	);
}

export const firstVisitHome = test(
	'first visit to / (fresh profile, no pin): a segmentation from wasm first, within the bound',
	(t) => firstVisitWithin(t.baseURL, '/'),
	{ timeoutMs: 90_000 }
);

export const firstVisitNetwork = test(
	'first visit to /network (fresh profile, no pin): a segmentation from wasm first, within the bound',
	(t) => firstVisitWithin(t.baseURL, '/network'),
	{ timeoutMs: 90_000 }
);

export const measuredInBackground = test(
	'after the first result the other backends are measured in the background: the badge says so, the choice is remembered, no CSP violation',
	async (t) => {
		const w = await t.newPage();
		await recordCspViolations(w.page);
		await w.page.goto(t.url('/network'));
		const badge = w.page.locator('[data-testid="backend-badge"]');
		await badge.waitFor({ timeout: 60_000 });
		await w.page.waitForSelector('[data-testid="backend-badge"][data-reason="measured"]', { timeout: 120_000 });
		const why = await w.page.locator('[data-testid="backend-why"]').innerText();
		console.log(`    badge: ${await w.page.locator('[data-testid="backend"]').innerText()}: ${why}`);
		assert.match(why, /measured in the background/);
		assert.match(why, /webgl/, 'webgl was timed (or named unavailable)');
		const stored = await w.page.evaluate(() => localStorage.getItem('fcn-explorer.backend'));
		assert.match(stored ?? '', /"reason":"measured"/, 'the measured choice is remembered');
		const threads = await w.page.evaluate(() => localStorage.getItem('fcn-explorer.wasm-threads'));
		assert.match(threads ?? '', /^\d+$/, 'the thread count measured (the page is isolated) is remembered');
		assert.ok((await w.page.locator('[data-testid="segmentation"]').count()) > 0, 'the segmentation stays');
		assert.deepEqual(await cspViolations(w.page), [], 'no CSP violation (threads start from blob: workers)');
		// the next visit uses the remembered choice at once (no measurement)
		await w.page.reload();
		await w.page.waitForSelector('[data-testid="backend-badge"][data-reason="remembered"]', { timeout: 60_000 });
		w.expectClean();
	},
	{ timeoutMs: 180_000 }
);

export const isolatedByServiceWorker = test(
	'on a host that cannot send headers the service worker makes the site cross-origin isolated from the second load (the first is not reloaded)',
	async () => {
		const server = await serveStatic(resolve(import.meta.dirname, '../../build'), { isolate: false });
		const browser = await launchChromium();
		try {
			const page = await browser.newPage();
			const errors: string[] = [];
			page.on('pageerror', (e) => errors.push(e.message));
			await page.goto(`${server.origin}/`);
			await page.waitForSelector('html[data-hydrated]', { state: 'attached', timeout: 45_000 });
			assert.equal(await page.evaluate(() => crossOriginIsolated), false, 'first load: not isolated, not reloaded');
			await page.evaluate(async () => {
				await navigator.serviceWorker.ready;
				if (!navigator.serviceWorker.controller)
					await new Promise<void>((ok) =>
						navigator.serviceWorker.addEventListener('controllerchange', () => ok(), { once: true })
					);
			});
			await page.reload();
			await page.waitForSelector('html[data-hydrated]', { state: 'attached', timeout: 45_000 });
			assert.equal(await page.evaluate(() => crossOriginIsolated), true, 'second load: isolated by the worker');
			assert.deepEqual(errors, []);
		} finally {
			await browser.close();
			await server.close();
		}
	},
	{ timeoutMs: 120_000 }
);
