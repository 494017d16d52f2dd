/**
 * No WebGL, no WebGPU (issue 7, "Bad input"): a school laptop with the GPU blocklisted still runs the
 * live model, on the wasm or cpu backend, and the badge says why. Runs its own Chromium with the 3D APIs
 * switched off (`--disable-3d-apis --disable-webgl --disable-webgl2`, no WebGPU flag).
 */
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from './chromium.ts';
import { test } from './harness.ts';

export const noGpuFallsBack = test(
	'without WebGL and WebGPU the live model runs on wasm or cpu and the badge says why',
	async (t) => {
		const browser = await chromium.launch({
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			headless: true,
			args: [...CHROMIUM_ARGS, '--disable-3d-apis', '--disable-webgl', '--disable-webgl2']
		});
		try {
			const context = await browser.newContext({ serviceWorkers: 'block', reducedMotion: 'reduce' });
			const origin = new URL(t.baseURL).origin;
			const external: string[] = [];
			await context.route('**/*', (route) => {
				const u = route.request().url();
				if (u.startsWith(origin) || /^(data|blob):/.test(u)) return route.continue();
				external.push(u);
				return route.abort('blockedbyclient');
			});
			const page = await context.newPage();
			const errors: string[] = [];
			page.on('pageerror', (e) => errors.push(e.message));
			await page.goto(t.url('/network'), { waitUntil: 'load' });
			await page.waitForSelector('html[data-hydrated]', { state: 'attached', timeout: 45_000 });
			const gl = await page.evaluate(() => {
				const c = document.createElement('canvas');
				return { webgl2: !!c.getContext('webgl2'), webgl: !!c.getContext('webgl'), gpu: 'gpu' in navigator };
			});
			assert.equal(gl.webgl2 || gl.webgl, false, 'WebGL really is off in this browser');
			const badge = page.getByTestId('backend').first();
			const failed = page.getByTestId('live-error-message').first();
			await Promise.race([badge.waitFor({ state: 'attached', timeout: 150_000 }), failed.waitFor({ state: 'attached', timeout: 150_000 })]);
			const backend = (await badge.count()) ? (await badge.textContent())?.trim() : null;
			const why = (await page.getByTestId('backend-why').count()) ? await page.getByTestId('backend-why').first().textContent() : null;
			const notice = (await page.getByTestId('backend-notice').count()) ? await page.getByTestId('backend-notice').first().textContent() : null;
			const error = (await failed.count()) ? await failed.textContent() : null;
			console.log(`    no GPU: backend ${backend ?? '(none)'}; why: ${why ?? '-'}; notice: ${notice ?? '-'}; error: ${error ?? '-'}`);
			assert.ok(backend === 'wasm' || backend === 'cpu', `backend is wasm or cpu (got ${backend ?? 'none'}; error: ${error ?? '-'})`);
			assert.match(`${why ?? ''} ${notice ?? ''}`, /webgl/i, 'the badge tells the reader WebGL was not available');
			assert.deepEqual(errors, []);
			assert.deepEqual(external, []);
		} finally {
			await browser.close();
		}
	},
	{ timeoutMs: 240_000 }
);
