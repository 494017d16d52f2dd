/**
 * The browser-test harness: a tiny replacement for @playwright/test that drives Debian's Chromium through
 * playwright-core. Test files are `tests/e2e/*.e2e.ts`; every named export made with {@link test} is a
 * test case, run in sequence by `tests/e2e/run.ts`. See tests/e2e/README.md.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { lessons } from '../../src/lib/lessons.ts';

/** How long `open()` waits for the app to hydrate (generous: the test machine may be busy). */
const HYDRATION_MS = 45_000;
/** Default navigation timeout of every page (playwright's 30 s is too short on a loaded 2-core machine). */
const NAVIGATION_MS = 90_000;

/** Every prerendered route, the overview first. */
export const routes: readonly string[] = ['/', ...lessons.map((l) => l.path)];

/** A file-system friendly name for a route: `/` → `home`, `/fc-to-conv` → `fc-to-conv`. */
export function routeName(path: string): string {
	return path === '/' ? 'home' : path.replace(/^\/+|\/+$/g, '').replace(/[^a-z0-9-]+/gi, '_');
}

/** Viewports used across the suite. */
export const viewports = {
	laptop: { width: 1280, height: 800 },
	projector: { width: 1920, height: 1080 },
	phone: { width: 390, height: 844 }
} as const;

export type Viewport = { width: number; height: number };
export type ThemeName = 'light' | 'dark';

export interface OpenOptions {
	/** Default 1280×800. */
	viewport?: Viewport;
	/** The system setting the page sees (`prefers-color-scheme`); default `light`. */
	colorScheme?: ThemeName;
	/** A theme stored as the reader's choice before the page loads (what the toggle would remember). */
	storedTheme?: ThemeName;
	/** Let the site's service worker run (default `block`: tests see the network, not a cache). */
	serviceWorkers?: 'allow' | 'block';
}

/** A page with everything it did recorded. */
export interface Watched {
	page: Page;
	context: BrowserContext;
	/** Console errors and uncaught exceptions, in order. */
	errors: string[];
	/** Requests to anything but the test server (they are aborted, never sent). */
	external: string[];
	/** Throws if the page logged an error or tried to reach outside the site. */
	expectClean(): void;
}

export interface E2E {
	/** `http://127.0.0.1:<port>` of the static server that serves `build/`. */
	baseURL: string;
	/** Absolute URL of a site path. */
	url(path: string): string;
	/** A fresh browser context (empty storage) with one watched page, not navigated yet. */
	newPage(options?: OpenOptions): Promise<Watched>;
	/** `newPage` + go to `path` + wait until the app has hydrated (`<html data-hydrated>`). */
	open(path: string, options?: OpenOptions): Promise<Watched>;
	/** Full-page PNG at `test-results/<name>.png`; returns the path. */
	screenshot(page: Page, name: string): Promise<string>;
	/** Waits until the page's pathname is `path` (the query, which holds lesson state, is ignored). */
	waitForPath(page: Page, path: string): Promise<void>;
	/** The page's current pathname. */
	pathOf(page: Page): string;
	/** Folder for screenshots and other artefacts (`test-results/`). */
	outDir: string;
}

export interface E2ETest {
	readonly kind: 'e2e-test';
	readonly name: string;
	readonly timeoutMs: number;
	readonly fn: (t: E2E) => Promise<void>;
}

/**
 * Declares a browser test. Export it under any name from a `*.e2e.ts` file:
 * `export const tocNavigates = test('the table of contents navigates', async (t) => { ... })`.
 * Contexts opened through `t` are closed after the test. Assert with node:assert/strict.
 */
export function test(name: string, fn: (t: E2E) => Promise<void>, options: { timeoutMs?: number } = {}): E2ETest {
	return { kind: 'e2e-test', name, fn, timeoutMs: options.timeoutMs ?? 60_000 };
}

export function isTest(value: unknown): value is E2ETest {
	return typeof value === 'object' && value !== null && (value as E2ETest).kind === 'e2e-test';
}

/** Builds the `t` object of one test; `dispose()` closes every context it opened. */
export function createE2E(browser: Browser, baseURL: string, outDir: string) {
	const contexts: BrowserContext[] = [];
	const origin = new URL(baseURL).origin;

	async function newPage(options: OpenOptions = {}): Promise<Watched> {
		const context = await browser.newContext({
			viewport: options.viewport ?? viewports.laptop,
			colorScheme: options.colorScheme ?? 'light',
			reducedMotion: 'reduce',
			serviceWorkers: options.serviceWorkers ?? 'block'
		});
		contexts.push(context);
		const errors: string[] = [];
		const external: string[] = [];
		await context.route('**/*', (route) => {
			const url = route.request().url();
			if (isLocal(url, origin)) return route.continue();
			external.push(url);
			return route.abort('blockedbyclient');
		});
		if (options.storedTheme) {
			await context.addInitScript((theme) => localStorage.setItem('fcn-theme', theme), options.storedTheme);
		}
		const page = await context.newPage();
		page.setDefaultNavigationTimeout(NAVIGATION_MS);
		page.on('console', (msg) => {
			if (msg.type() === 'error') errors.push(`console: ${msg.text()} (${msg.location().url})`);
		});
		page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
		return {
			page,
			context,
			errors,
			external,
			expectClean() {
				if (errors.length || external.length) {
					throw new Error(
						[
							...errors.map((e) => `error on ${page.url()}: ${e}`),
							...external.map((u) => `request outside the site from ${page.url()}: ${u}`)
						].join('\n')
					);
				}
			}
		};
	}

	async function open(path: string, options: OpenOptions = {}): Promise<Watched> {
		const w = await newPage(options);
		await w.page.goto(new URL(path, baseURL).href, { waitUntil: 'load' });
		try {
			await w.page.waitForSelector('html[data-hydrated]', { state: 'attached', timeout: HYDRATION_MS });
		} catch {
			const why = [...w.errors, ...w.external.map((u) => `outside request: ${u}`)];
			throw new Error(`${path} did not hydrate within ${HYDRATION_MS} ms${why.length ? ':\n' + why.join('\n') : ''}`);
		}
		return w;
	}

	async function screenshot(page: Page, name: string): Promise<string> {
		await mkdir(outDir, { recursive: true });
		const file = join(outDir, `${name}.png`);
		await page.evaluate(() => document.fonts.ready);
		await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
		return file;
	}

	const e2e: E2E = {
		baseURL,
		url: (path) => new URL(path, baseURL).href,
		newPage,
		open,
		screenshot,
		waitForPath: (page, path) => page.waitForURL((u) => u.pathname === path, { timeout: 30_000 }),
		pathOf: (page) => new URL(page.url()).pathname,
		outDir
	};
	return {
		e2e,
		async dispose() {
			await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
		}
	};
}

function isLocal(url: string, origin: string): boolean {
	if (url.startsWith('data:') || url.startsWith('blob:') || url.startsWith('about:')) return true;
	try {
		return new URL(url).origin === origin;
	} catch {
		return false;
	}
}
