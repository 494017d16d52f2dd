/**
 * No WebGL, no WebGPU (issue 7, "Bad input"): a school laptop with the GPU blocklisted still runs the
 * live model, on the wasm or cpu backend, and the badge says why. Runs its own Chromium with the 3D APIs
 * switched off (`--disable-3d-apis --disable-webgl --disable-webgl2`, no WebGPU flag) and, because
 * OffscreenCanvas WebGL survives those flags in headless Chromium, an init script that makes every
 * getContext('webgl*') return null and removes navigator.gpu (what a blocklisted GPU looks like to a page).
 */
import assert from 'node:assert/strict';
import { launchChromium } from './chromium.ts';
import { test } from './harness.ts';

export const noGpuFallsBack = test(
	'without WebGL and WebGPU the live model runs on wasm or cpu and the badge says why',
	async (t) => {
		const browser = await launchChromium(['--disable-3d-apis', '--disable-webgl', '--disable-webgl2']);
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
			// A string, not a function: tsx would wrap inner functions in a helper the page does not have.
			await context.addInitScript(`(() => {
				for (const C of [globalThis.HTMLCanvasElement, globalThis.OffscreenCanvas]) {
					if (!C) continue;
					const original = C.prototype.getContext;
					C.prototype.getContext = function (type, ...rest) {
						return /webgl|webgpu/i.test(String(type)) ? null : original.call(this, type, ...rest);
					};
				}
				delete Navigator.prototype.gpu;
				if (globalThis.WorkerNavigator) delete WorkerNavigator.prototype.gpu;
			})();`);
			const page = await context.newPage();
			const errors: string[] = [];
			page.on('pageerror', (e) => errors.push(e.message));
			await page.goto(t.url('/network'), { waitUntil: 'load' });
			await page.waitForSelector('html[data-hydrated]', { state: 'attached', timeout: 45_000 });
			const gl = await page.evaluate(() => {
				const c = document.createElement('canvas');
				const o = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(8, 8).getContext('webgl2') : null;
				return {
					webgl2: !!c.getContext('webgl2'),
					webgl: !!c.getContext('webgl'),
					offscreen: !!o,
					gpu: 'gpu' in navigator
				};
			});
			assert.deepEqual(
				gl,
				{ webgl2: false, webgl: false, offscreen: false, gpu: false },
				'WebGL and WebGPU really are off'
			);
			const badge = page.getByTestId('backend').first();
			const failed = page.getByTestId('live-error-message').first();
			await Promise.race([
				badge.waitFor({ state: 'attached', timeout: 150_000 }),
				failed.waitFor({ state: 'attached', timeout: 150_000 })
			]);
			// A first visit runs on wasm at once and measures the others after the first result (issue 13):
			// the badge names what was unavailable once that measurement is in.
			if (await badge.count())
				await page.waitForSelector('[data-testid="backend-badge"][data-reason="measured"]', { timeout: 120_000 });
			const backend = (await badge.count()) ? (await badge.textContent())?.trim() : null;
			const why = (await page.getByTestId('backend-why').count())
				? await page.getByTestId('backend-why').first().textContent()
				: null;
			const notice = (await page.getByTestId('backend-notice').count())
				? await page.getByTestId('backend-notice').first().textContent()
				: null;
			const error = (await failed.count()) ? await failed.textContent() : null;
			console.log(
				`    no GPU: backend ${backend ?? '(none)'}; why: ${why ?? '-'}; notice: ${notice ?? '-'}; error: ${error ?? '-'}`
			);
			assert.ok(
				backend === 'wasm' || backend === 'cpu',
				`backend is wasm or cpu (got ${backend ?? 'none'}; error: ${error ?? '-'})`
			);
			assert.match(
				`${why ?? ''} ${notice ?? ''}`,
				/webgl (unavailable|does not|not available)/i,
				'the badge tells the reader WebGL was not available'
			);
			assert.deepEqual(errors, []);
			assert.deepEqual(external, []);
		} finally {
			await browser.close();
		}
	},
	{ timeoutMs: 240_000 }
);
