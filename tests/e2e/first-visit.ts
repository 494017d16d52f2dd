/**
 * A first visit, timed as a new visitor has it (issue 13): a fresh browser (its own temporary profile:
 * no remembered backend, no cache, no service worker), no `?backend=` pin, from navigation to the first
 * painted segmentation (the segmentation canvas has pixels, seen on an animation frame). Shared by
 * tests/e2e/first-visit.e2e.ts (a generous bound) and `npm run bench` (median of 5 against 2.5 s).
 */
import { launchChromium } from './chromium.ts';

export interface FirstVisit {
	path: string;
	/** performance.now() (from navigation start) when the first segmentation was on screen, ms. */
	ms: number;
	/** The backend and why, from the badge, at that moment. */
	backend: string;
	reason: string;
	crossOriginIsolated: boolean;
	/** Console errors and uncaught exceptions. */
	errors: string[];
}

/** The first painted segmentation's time after navigation, in a browser of its own. */
export async function firstVisit(origin: string, path: string, timeoutMs = 120_000): Promise<FirstVisit> {
	const browser = await launchChromium();
	try {
		const page = await browser.newPage();
		const errors: string[] = [];
		page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
		page.on('pageerror', (e) => errors.push(e.message));
		await page.goto(origin + path, { waitUntil: 'commit' });
		const shown = await page.waitForFunction(
			() => {
				const c = document.querySelector('[data-testid="segmentation-canvas"]') as HTMLCanvasElement | null;
				return c && c.width > 0 ? performance.now() : null;
			},
			null,
			{ polling: 'raf', timeout: timeoutMs }
		);
		const ms = (await shown.jsonValue()) as number;
		const badge = page.locator('[data-testid="backend-badge"]');
		return {
			path,
			ms,
			backend: await page.locator('[data-testid="backend"]').innerText(),
			reason: (await badge.getAttribute('data-reason')) ?? '',
			crossOriginIsolated: await page.evaluate(() => crossOriginIsolated),
			errors
		};
	} finally {
		await browser.close();
	}
}
