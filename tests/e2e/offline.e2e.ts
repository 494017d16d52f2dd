/**
 * Offline after the first visit (issue 7, "A service worker caches the site and weights so the explorer
 * works offline after the first visit"): src/service-worker.ts precaches the app, every prerendered page
 * and every static file; with the network gone, a reload and a move to another lesson still render.
 *
 * "Gone" is made sure of twice: the browser context is set offline AND every request that still reaches
 * the network layer is aborted; a fetch of an uncached address must then fail (proving the pages came
 * from the cache, not the test server).
 */
import assert from 'node:assert/strict';
import { lessons } from '../../src/lib/lessons.ts';
import { routes, test } from './harness.ts';

export const worksOffline = test(
	'after one visit the site works offline: reload, move to another lesson, open every route from the cache',
	async (t) => {
		const first = lessons[0];
		const w = await t.open(first.path, { serviceWorkers: 'allow' });
		const { page, context } = w;
		// Installed (precache done) and controlling this page.
		await page.evaluate(async () => {
			await navigator.serviceWorker.ready;
			if (!navigator.serviceWorker.controller) {
				await new Promise<void>((ok) =>
					navigator.serviceWorker.addEventListener('controllerchange', () => ok(), { once: true })
				);
			}
		});
		const cached = await page.evaluate(async () => {
			const keys = await caches.keys();
			const cache = await caches.open(keys.find((k) => k.startsWith('fcn-explorer-'))!);
			return (await cache.keys()).map((r) => new URL(r.url).pathname);
		});
		console.log(`    service worker cache: ${cached.length} entries`);
		for (const path of routes) assert.ok(cached.includes(path), `${path} precached`);
		assert.ok(
			cached.some((p) => p.endsWith('.wasm')),
			'the tfjs wasm binaries are precached'
		);
		assert.ok(
			cached.some((p) => p.startsWith('/data/')),
			'static/data is precached'
		);

		await context.setOffline(true);
		await context.route('**/*', (route) => route.abort('internetdisconnected'));
		const reached = await page.evaluate(async () => {
			try {
				await fetch(`/not-cached-${Date.now()}.txt`);
				return true;
			} catch {
				return false;
			}
		});
		assert.equal(reached, false, 'the network is really gone for the page and its service worker');

		await page.reload({ waitUntil: 'load' });
		await page.waitForSelector('html[data-hydrated]', { state: 'attached', timeout: 45_000 });
		assert.equal(await page.locator('main h1').innerText(), first.title, 'reloaded offline');

		const second = lessons[2];
		await page.getByTestId('toc').getByRole('link', { name: second.title }).click();
		await t.waitForPath(page, second.path);
		await page.waitForFunction((title) => document.querySelector('main h1')?.textContent === title, second.title);

		for (const path of routes) {
			await page.goto(t.url(`${path}?k=3`), { waitUntil: 'load' });
			await page.waitForSelector('html[data-hydrated]', { state: 'attached', timeout: 45_000 });
			const h1 = (await page.locator('main h1').first().innerText()).trim();
			assert.ok(h1.length > 0, `${path} renders offline`);
		}
		// Expected noise: the probe fetch above, and the live cells' weights (not cached when missing from the build).
		const problems = w.errors.filter(
			(e) => !/not-cached-\d+\.txt|net::ERR_INTERNET_DISCONNECTED|Failed to fetch|status of 404/.test(e)
		);
		assert.deepEqual(problems, [], 'no page error offline');
	},
	{ timeoutMs: 180_000 }
);
