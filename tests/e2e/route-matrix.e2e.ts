/**
 * The route matrix: every route × light and dark × a laptop, a projector and a phone width, plus presenter
 * mode, on the page as a reader sees it (live cells run, every lazy cell scrolled into view). At each
 * point: axe-core's WCAG 2.1 A/AA rules (contrast included), nothing scrolls sideways, and a screenshot
 * `test-results/<route>-<w>x<h>-<theme>.png` (`<route>-present-…` in presenter mode). Over the whole
 * visit: no console error, no request outside the site, no Content-Security-Policy violation.
 *
 * The same visit also checks what used to take a sweep of its own: one h1 and no TeX error; the
 * JavaScript budget (a lesson without a live cell on its first screen is interactive with ≤ 150 KB gzip
 * and fetches TensorFlow.js only once a live cell scrolls into view); every slider speaks its value in
 * words (light); and a student poking every control reaches nothing outside the site (dark, last).
 *
 * One test per route, so the runner spreads them over its workers. Each theme is one browser context
 * (the system setting a page loads with), loaded once; the widths are window resizes of that page.
 * `?backend=wasm` pins the fast backend (software WebGL takes seconds per inference here).
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { routeName, routes, test, type E2E, type ThemeName, type Viewport, type Watched } from './harness.ts';
import { cspViolations, pokeEverything, recordCspViolations, scrollThrough } from './classroom-helpers.ts';
import {
	axeViolations,
	logRequests,
	nextFrames,
	settle,
	sidewaysOverflow,
	valueControlProblems,
	type Fetched
} from './checks.ts';

/** The common laptop screen (1366×768 is still the most common laptop resolution). */
const LAPTOP: Viewport = { width: 1366, height: 768 };
/**
 * A classroom projector: XGA, 1024×768, the native resolution of most projectors bolted to school
 * ceilings (a laptop mirrored to one is scaled down to it). It is also the narrowest desktop layout,
 * so it catches what a wide screen hides: a sidebar squeezing the text, a figure wider than the column.
 * (The harness's `viewports.projector`, 1920×1080, is a newer, larger one; the presenter tests use it.)
 */
const PROJECTOR: Viewport = { width: 1024, height: 768 };
/** A phone (the layout's narrowest: the table of contents becomes a menu). */
const PHONE: Viewport = { width: 390, height: 844 };
const WIDTHS = [LAPTOP, PROJECTOR, PHONE] as const;

const BUDGET_KB = 150;

/**
 * axe violations known today and not yet fixed: printed, not failed, until the page is fixed (then the
 * entry goes). None today: boxes that scroll sideways take keyboard focus (ui/scroll-region.ts).
 */
const KNOWN_AXE: { rule: string; widths: readonly number[] }[] = [];

/** Splits axe lines (`where: rule — help: nodes`) at `width` into new problems and known ones. */
function triage(lines: string[], width: number): { fresh: string[]; known: string[] } {
	const isKnown = (line: string) => KNOWN_AXE.some((k) => k.widths.includes(width) && line.includes(`: ${k.rule} — `));
	return { fresh: lines.filter((l) => !isKnown(l)), known: lines.filter(isKnown) };
}

interface RouteCase {
	/** Lesson state that puts the live cells in a representative state (besides `backend=wasm`). */
	query: string;
	/** Waits until the route's live cells show a result; throws if one failed. */
	ready(page: Page): Promise<void>;
	/** A live cell is on the first screen by design: the JavaScript budget does not apply. */
	liveOnFirstScreen?: boolean;
	/** The page has at least this many sliders and number fields (so the words check is not vacuous). */
	valueControls: number;
}

/** Waits for `selector` (scrolling `cell` into view first); throws with the cell's text if `failed` shows up. */
async function waitFor(page: Page, selector: string, opts: { cell?: string; failed?: string; timeout?: number } = {}) {
	if (opts.cell) await page.getByTestId(opts.cell).scrollIntoViewIfNeeded();
	const failed = opts.failed ?? '[data-testid="live-error"]';
	await page.waitForSelector(`${selector}, ${failed}`, { timeout: opts.timeout ?? 120_000 });
	const error = await page.$(failed);
	if (error) throw new Error(`${selector}: the live cell failed: ${await error.innerText()}`);
}

const CASES: Record<string, RouteCase> = {
	'/': {
		query: '',
		liveOnFirstScreen: true,
		valueControls: 3,
		ready: (page) => waitFor(page, '[data-testid="segmentation"]')
	},
	'/receptive-field': {
		query: 'preset=trained',
		valueControls: 15,
		async ready(page) {
			for (const cell of ['probe-cell', 'patchwise-cell'])
				await waitFor(page, `[data-testid="${cell}"][data-status="ready"]`, {
					cell,
					failed: `[data-testid="${cell}"][data-status="error"]`
				});
			await page.waitForSelector('[data-testid="patch-diff"]', { timeout: 60_000 });
		}
	},
	'/fc-to-conv': {
		query: 'order=chw',
		valueControls: 6,
		async ready(page) {
			await waitFor(page, '[data-testid="index-check"][data-status="done"][data-order="chw"][data-k="3x4"]', {
				cell: 'index-check',
				failed: '[data-testid="index-check"][data-status="error"]'
			});
			await waitFor(page, '[data-testid="live-classifier"][data-status="done"]', {
				cell: 'cell-live',
				failed: '[data-testid="live-classifier"]:is([data-status="error"], [data-status="not-trained"])'
			});
		}
	},
	'/deconvolution': {
		query: 'i=5&k=3&s=2&p=1',
		valueControls: 8,
		async ready(page) {
			await waitFor(page, '[data-testid="deconv-check"][data-status="done"]', {
				cell: 'deconv-check',
				failed: '[data-testid="deconv-check"][data-status="error"]'
			});
			await page.getByTestId('fcn32s-cell').scrollIntoViewIfNeeded();
			await page.waitForFunction(
				() => /One\s+pass/.test(document.querySelector('[data-testid="fcn32s-cell"]')?.textContent ?? ''),
				null,
				{ timeout: 120_000 }
			);
		}
	},
	'/skip-fusion': {
		query: 'scene=3',
		valueControls: 3,
		async ready(page) {
			await waitFor(page, '[data-testid="stage-fcn8s-score"]', { cell: 'fusion-cell' });
			await page.waitForSelector('[data-testid="fusion-live"][data-settled="true"]', { timeout: 120_000 });
		}
	},
	'/network': {
		query: 'sample=3&layer=conv3_1&unit=2,10,12',
		liveOnFirstScreen: true,
		valueControls: 4,
		async ready(page) {
			await waitFor(page, '[data-testid="segmentation"]');
			await waitFor(page, '[data-testid="erf-heatmap"]');
		}
	},
	'/real-network': {
		query: 'sample=astronaut',
		liveOnFirstScreen: true,
		valueControls: 0,
		async ready(page) {
			await waitFor(page, '[data-testid="real-mask"][data-fraction]:not([data-fraction=""])');
		}
	},
	'/training': {
		query: '',
		valueControls: 0,
		async ready(page) {
			await page.waitForSelector('[data-testid="timeline"]');
			await page.waitForFunction(() => !document.body.textContent?.includes('Reading the training log'));
		}
	}
};

/** Goes to `url` and waits until the app has hydrated. */
async function open(page: Page, url: string): Promise<void> {
	await page.goto(url, { waitUntil: 'load' });
	await page.waitForSelector('html[data-hydrated]', { state: 'attached', timeout: 45_000 });
}

const kb = (n: number) => (n / 1024).toFixed(1);

/** The JavaScript budget, from the requests made until hydration and until the first frames after it. */
function budgetProblems(path: string, interactive: Fetched[], unscrolled: Fetched[]): string[] {
	const gzip = interactive.reduce((s, f) => s + f.gzip, 0);
	const raw = interactive.reduce((s, f) => s + f.raw, 0);
	console.log(
		`    ${path}: ${kb(gzip)} KB gzip (${kb(raw)} KB raw) of JavaScript in ${interactive.length} files before interactive; ` +
			`tfjs before scrolling: ${unscrolled.some((f) => f.tfjs)}`
	);
	if (CASES[path].liveOnFirstScreen) return [];
	const problems: string[] = [];
	if (gzip > BUDGET_KB * 1024) {
		const top = [...interactive].sort((a, b) => b.gzip - a.gzip).slice(0, 5);
		problems.push(
			`${path}: ${kb(gzip)} KB gzip of JavaScript before interactive (budget ${BUDGET_KB} KB); largest: ` +
				top.map((f) => `${f.url} ${kb(f.gzip)} KB${f.tfjs ? ' (tfjs)' : ''}`).join(', ')
		);
	}
	const early = unscrolled.filter((f) => f.tfjs).map((f) => f.url);
	if (early.length) problems.push(`${path}: TensorFlow.js fetched before any scrolling: ${early.join(', ')}`);
	return problems;
}

/** Presenter mode at the projector size, on the first cell: axe and a screenshot; then back out. */
async function presenting(t: E2E, page: Page, name: string, theme: ThemeName): Promise<string[]> {
	await page.setViewportSize(PROJECTOR);
	await page.getByTestId('present-button').click();
	await page.waitForSelector('html[data-presenting]', { state: 'attached' });
	if ((await page.evaluate(() => document.documentElement.dataset.presenting)) === 'cells') {
		await page.keyboard.press('Home');
		await page.waitForFunction(() => new URL(location.href).searchParams.get('cell') === '1');
	}
	await nextFrames(page);
	const where = `${name} presenting ${PROJECTOR.width}×${PROJECTOR.height} (${theme})`;
	const problems = await axeViolations(page, where);
	await t.screenshot(page, `${name}-present-${PROJECTOR.width}x${PROJECTOR.height}-${theme}`);
	await page.keyboard.press('Escape');
	await page.waitForFunction(() => !document.documentElement.hasAttribute('data-presenting'));
	return problems;
}

/** Everything the page did that it must not: console errors, outside requests, CSP violations. */
async function misdeeds(w: Watched, where: string): Promise<string[]> {
	return [
		...w.errors.map((e) => `${where}: ${e}`),
		...w.external.map((u) => `${where}: request outside the site: ${u}`),
		...(await cspViolations(w.page)).map((v) => `${where}: CSP violation: ${v}`)
	];
}

// A new route must join the matrix (a case above and a test below): fail loudly at import, not silently.
const uncovered = routes.filter((r) => !(r in CASES));
if (uncovered.length) throw new Error(`route-matrix.e2e.ts has no case for ${uncovered.join(', ')}`);

function routeTest(path: string) {
	const c = CASES[path];
	const name = routeName(path);
	return test(
		`${path} in light and dark, ${WIDTHS.map((v) => v.width).join(' / ')} px wide and presenting: axe WCAG 2.1 AA, no sideways scroll, no console error, nothing off-site, no CSP violation (screenshots ${name}-*.png); JavaScript budget; sliders speak in words; poking every control stays on the site`,
		async (t) => {
			const problems: string[] = [];
			for (const theme of ['light', 'dark'] as const) {
				const w = await t.newPage({ viewport: LAPTOP, colorScheme: theme });
				const { page } = w;
				await recordCspViolations(page);
				const url = `${path}?backend=wasm${c.query ? `&${c.query}` : ''}`;
				if (theme === 'light') {
					// The budget is for a first visit to the bare route (a state in the query may need more, e.g.
					// KaTeX to typeset a formula with other numbers), in this fresh context (empty cache). A route
					// whose first screen is live is only measured, on the visit under test (not left mid-run).
					const first = c.liveOnFirstScreen ? url : path;
					const log = logRequests(page);
					await open(page, t.url(first));
					const hydrated = log.mark();
					// What a lazy cell wrongly started on its own would have requested by the first frames.
					await nextFrames(page);
					problems.push(...budgetProblems(path, await log.scripts(hydrated), await log.scripts()));
					if (first !== url) await open(page, t.url(url));
				} else {
					await open(page, t.url(url));
				}
				let poked = Infinity; // index of the first error logged once the poking began
				await c.ready(page);
				await scrollThrough(page);
				await settle(page);
				await page.evaluate(() => window.scrollTo({ top: 0, behavior: 'instant' }));

				const h1 = page.locator('main h1');
				assert.equal(await h1.count(), 1, `${path}: one h1 in main`);
				assert.ok((await h1.innerText()).trim().length > 0, `${path}: the h1 has text`);
				assert.equal(await page.locator('.tex-error').count(), 0, `${path}: no TeX error`);

				for (const viewport of WIDTHS) {
					const size = `${viewport.width}x${viewport.height}`;
					await page.setViewportSize(viewport);
					await nextFrames(page);
					await settle(page);
					const overflow = await sidewaysOverflow(page);
					if (overflow > 0) problems.push(`${path} ${size} (${theme}): ${overflow}px wider than the window`);
					const axe = triage(await axeViolations(page, `${path} ${size} (${theme})`), viewport.width);
					problems.push(...axe.fresh);
					for (const line of axe.known) console.log(`    known, not failed: ${line}`);
					await t.screenshot(page, `${name}-${size}-${theme}`);
				}
				problems.push(...(await presenting(t, page, name, theme)));
				await page.setViewportSize(LAPTOP);

				if (theme === 'light') {
					const words = await valueControlProblems(page, path);
					problems.push(...words.problems);
					assert.ok(
						words.checked >= c.valueControls && words.stepped >= c.valueControls,
						`${path}: ${words.checked} sliders and number fields found, ${words.stepped} stepped (expected ${c.valueControls})`
					);
				} else {
					poked = w.errors.length;
					const report = await pokeEverything(page, { maxActions: 90, budgetMs: 45_000 });
					console.log(`    ${path}: poked ${report.actions} controls, ${report.skipped} skipped`);
				}
				// Every run the checks and the poking started has finished: its errors would be in by now.
				await settle(page);
				// A poked control may ask for a file the build lacks (the server answers 404): not the page's fault.
				const notFound = /Failed to load resource: the server responded with a status of 404/;
				w.errors.splice(poked, Infinity, ...w.errors.slice(poked).filter((e) => !notFound.test(e)));
				problems.push(...(await misdeeds(w, `${path} (${theme})`)));
				await w.context.close();
			}
			assert.deepEqual(problems, []);
		},
		{ timeoutMs: 420_000 }
	);
}

export const homeMatrix = routeTest('/');
export const receptiveFieldMatrix = routeTest('/receptive-field');
export const fcToConvMatrix = routeTest('/fc-to-conv');
export const deconvolutionMatrix = routeTest('/deconvolution');
export const skipFusionMatrix = routeTest('/skip-fusion');
export const networkMatrix = routeTest('/network');
export const realNetworkMatrix = routeTest('/real-network');
export const trainingMatrix = routeTest('/training');
