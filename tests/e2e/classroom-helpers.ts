/**
 * Helpers shared by the classroom browser tests (issue 7): poking every control on a page, recording
 * CSP violations, recognising TensorFlow.js in a response. Not a test file (no `.e2e.ts`).
 */
import type { Page, Response } from 'playwright-core';

/** Installs a recorder of Content-Security-Policy violations (read with {@link cspViolations}). */
export async function recordCspViolations(page: Page): Promise<void> {
	await page.addInitScript(() => {
		const w = window as unknown as { __csp: string[] };
		w.__csp = [];
		document.addEventListener('securitypolicyviolation', (e) =>
			w.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`)
		);
	});
}

export async function cspViolations(page: Page): Promise<string[]> {
	return page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
}

/**
 * TensorFlow.js itself, recognised by content (chunk names are hashes): tfjs-core's flags parser
 * (`tfjsflags`), tfjs-core's version constant, or the wasm backend's emscripten loader (which names its
 * worker script). The engine's tf loader (src/lib/model/tf.ts) only names the .wasm files and does not match.
 */
export function isTfjsSource(body: string): boolean {
	return (
		body.includes('tfjsflags') ||
		body.includes('version_core') ||
		body.includes('tfjs-backend-wasm-threaded-simd.worker.js')
	);
}

/** Whether a response is JavaScript (a module, a chunk, the service worker). */
export function isJs(response: Response): boolean {
	const type = response.headers()['content-type'] ?? '';
	return /javascript|ecmascript/.test(type) || /\.m?js(\?|$)/.test(new URL(response.url()).pathname);
}

export interface PokeReport {
	/** Controls acted upon. */
	actions: number;
	/** Controls skipped (hidden, disabled, detached). */
	skipped: number;
}

/**
 * Acts on every control in `<main>` that a student could: clicks each button, drags each slider to its
 * minimum, maximum and middle, types out-of-range numbers, picks each option of each select (first 4),
 * ticks each checkbox / radio. Links, file inputs and the site chrome are left alone. Bounded by
 * `maxActions` and `budgetMs` so a heavy page cannot stall the suite. After each action it waits for
 * the page to render a frame.
 */
export async function pokeEverything(
	page: Page,
	opts: { maxActions?: number; budgetMs?: number } = {}
): Promise<PokeReport> {
	const maxActions = opts.maxActions ?? 80;
	const deadline = Date.now() + (opts.budgetMs ?? 60_000);
	const report: PokeReport = { actions: 0, skipped: 0 };
	const main = page.locator('main');
	const act = async (fn: () => Promise<unknown>) => {
		if (report.actions >= maxActions || Date.now() > deadline) return false;
		try {
			await fn();
			report.actions++;
			await nextFrames(page, 1); // the page has reacted (rendered) before the next action
		} catch {
			report.skipped++;
		}
		return true;
	};
	const usable = async (l: ReturnType<Page['locator']>) =>
		(await l.isVisible().catch(() => false)) && (await l.isEnabled().catch(() => false));

	for (const slider of await main.locator('input[type="range"]').all()) {
		if (!(await usable(slider))) {
			report.skipped++;
			continue;
		}
		const [min, max] = await slider.evaluate((el: HTMLInputElement) => [el.min || '0', el.max || '100']);
		const mid = String(Math.round((Number(min) + Number(max)) / 2));
		for (const v of [max, min, mid]) if (!(await act(() => slider.fill(v, { timeout: 2000 })))) break;
	}
	for (const input of await main.locator('input[type="number"], input[type="text"]:not([readonly])').all()) {
		if (!(await usable(input))) {
			report.skipped++;
			continue;
		}
		for (const v of ['-5', '1e9', 'abc', '3']) if (!(await act(() => input.fill(v, { timeout: 2000 })))) break;
	}
	for (const select of await main.locator('select').all()) {
		if (!(await usable(select))) {
			report.skipped++;
			continue;
		}
		const values = await select.evaluate((el: HTMLSelectElement) => [...el.options].map((o) => o.value));
		for (const v of values.slice(0, 4)) if (!(await act(() => select.selectOption(v, { timeout: 2000 })))) break;
	}
	for (const box of await main.locator('input[type="checkbox"], input[type="radio"]').all()) {
		if (!(await usable(box))) {
			report.skipped++;
			continue;
		}
		await act(() => box.click({ timeout: 2000 }));
	}
	for (const button of await main.locator('button, [role="button"]').all()) {
		if (!(await usable(button))) {
			report.skipped++;
			continue;
		}
		await act(() => button.click({ timeout: 2000 }));
	}
	return report;
}

/**
 * Scrolls to the bottom of the page in steps of 0.8 window heights; after each step it waits for the page
 * to render two frames, so the lazy cells that came into view have been told (IntersectionObserver) and
 * have started.
 */
export async function scrollThrough(page: Page): Promise<void> {
	const step = await page.evaluate(() => window.innerHeight * 0.8);
	for (let y = 0; y <= (await page.evaluate(() => document.documentElement.scrollHeight)); y += step) {
		await page.evaluate((top) => window.scrollTo({ top, behavior: 'instant' }), y);
		await nextFrames(page);
	}
}

/**
 * Resolves once the page has rendered `frames` more frames: by then a scroll or a resize has been laid
 * out, IntersectionObserver and ResizeObserver callbacks have run, and the effects they started have
 * flushed. A wait on the page's rendering, not on the clock.
 */
export async function nextFrames(page: Page, frames = 2): Promise<void> {
	await page.evaluate(async (n) => {
		for (let i = 0; i < n; i++) await new Promise((r) => requestAnimationFrame(r));
	}, frames);
}
