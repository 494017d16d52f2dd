/**
 * The site shell: an unknown path gets a 404 page, the reader can find their way (table of contents,
 * previous/next, ← / →, a menu on a phone), the theme follows the system until chosen, and formulas are
 * typeset when the site is built (KaTeX is loaded on demand after a move to another lesson). Every
 * route's rendering (h1, console, screenshots, sideways scrolling) is in route-matrix.e2e.ts.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { lessons } from '../../src/lib/lessons.ts';
import type { Page } from 'playwright-core';
import { test, viewports } from './harness.ts';

export const unknownRouteIs404 = test('an unknown path gets the 404 page with links to every lesson', async (t) => {
	const w = await t.newPage();
	const response = await w.page.goto(t.url('/no-such-lesson'));
	assert.equal(response?.status(), 404);
	await w.page.waitForSelector('[data-testid="error-page"]');
	for (const l of lessons) assert.equal(await w.page.locator(`main a[href="${l.path}"]`).count(), 1, l.path);
	assert.deepEqual(w.external, []);
});

export const tocNavigates =
	test('the table of contents lists the lessons in order and marks the current one', async (t) => {
		const w = await t.open('/');
		const toc = w.page.getByTestId('toc');
		const hrefs = await toc.locator('ol a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
		assert.deepEqual(
			hrefs,
			lessons.map((l) => l.path)
		);
		assert.equal(await toc.locator('[aria-current="page"]').getAttribute('href'), '/');
		for (const l of [lessons[2], lessons[5], lessons[0]]) {
			await toc.getByRole('link', { name: l.title }).click();
			await t.waitForPath(w.page, l.path);
			assert.equal(await w.page.locator('main h1').innerText(), l.title);
			const current = toc.locator('[aria-current="page"]');
			assert.equal(await current.count(), 1);
			assert.equal(await current.getAttribute('href'), l.path);
		}
		w.expectClean();
	});

export const prevNextChain =
	test('previous/next links at the end of each lesson follow the lesson order', async (t) => {
		const w = await t.open(lessons[0].path);
		for (let i = 0; i < lessons.length; i++) {
			await t.waitForPath(w.page, lessons[i].path);
			const prev = w.page.getByTestId('prev-lesson');
			assert.equal(await prev.getAttribute('href'), i === 0 ? '/' : lessons[i - 1].path);
			const next = w.page.getByTestId('next-lesson');
			if (i === lessons.length - 1) {
				assert.equal(await next.count(), 0, 'no next link on the last lesson');
			} else {
				assert.equal(await next.getAttribute('href'), lessons[i + 1].path);
				await next.click();
			}
		}
		w.expectClean();
	});

/**
 * Presses `key` and returns whether the page acted on it: the layout's key handler calls preventDefault()
 * on a key it uses. Read by a keydown listener added after the layout's own (so it runs after it) once
 * the key has been dispatched: "did the page navigate?" is answered when the key is handled, not after
 * a pause.
 */
async function pressAndAsk(page: Page, key: string): Promise<boolean> {
	const seen = await page.evaluate(() => {
		const w = window as unknown as { __keys?: boolean[] };
		if (!w.__keys) {
			const keys: boolean[] = [];
			w.__keys = keys;
			window.addEventListener('keydown', (e) => keys.push(e.defaultPrevented));
		}
		return w.__keys.length;
	});
	await page.keyboard.press(key);
	const handle = await page.waitForFunction((n) => {
		const keys = (window as unknown as { __keys: boolean[] }).__keys;
		return keys.length > n ? { acted: keys[n] } : null;
	}, seen);
	return ((await handle.jsonValue()) as { acted: boolean }).acted;
}

export const arrowKeysMove =
	test('← / → move between lessons, except with a modifier or inside a control', async (t) => {
		const w = await t.open('/');
		const { page } = w;
		assert.equal(await pressAndAsk(page, 'ArrowRight'), true, 'the page acts on a bare →');
		await t.waitForPath(page, lessons[0].path);
		await page.keyboard.press('ArrowRight');
		await t.waitForPath(page, lessons[1].path);
		await page.keyboard.press('ArrowLeft');
		await t.waitForPath(page, lessons[0].path);

		assert.equal(await pressAndAsk(page, 'Shift+ArrowRight'), false, 'a modified arrow key does not navigate');
		assert.equal(t.pathOf(page), lessons[0].path);

		for (const html of [
			'<input type="range" min="0" max="9">',
			'<input type="text">',
			'<select><option>a</option><option>b</option></select>',
			'<textarea></textarea>',
			'<div contenteditable="true">x</div>',
			'<div role="slider" tabindex="0" aria-valuenow="1"></div>'
		]) {
			await page.evaluate((h) => {
				const box = document.createElement('div');
				box.id = 'probe';
				box.innerHTML = h;
				document.querySelector('main')!.prepend(box);
				(box.firstElementChild as HTMLElement).focus();
			}, html);
			assert.equal(await pressAndAsk(page, 'ArrowRight'), false, `arrow key inside ${html} does not navigate`);
			assert.equal(t.pathOf(page), lessons[0].path);
			await page.evaluate(() => document.getElementById('probe')?.remove());
		}
		w.expectClean();
	});

async function background(page: Page): Promise<string> {
	return page.evaluate(() => getComputedStyle(document.body).backgroundColor);
}

export const themeFollowsSystemAndToggle =
	test('the theme follows the system, the toggle switches it and the choice survives a reload', async (t) => {
		const dark = await t.open('/', { colorScheme: 'dark' });
		const darkBg = await background(dark.page);
		await dark.context.close();

		const w = await t.open('/receptive-field', { colorScheme: 'light' });
		const lightBg = await background(w.page);
		assert.notEqual(lightBg, darkBg, 'system dark and system light paint different backgrounds');
		assert.equal(await w.page.evaluate(() => document.documentElement.dataset.theme), undefined);

		await w.page.getByTestId('theme-toggle').click();
		assert.equal(await w.page.evaluate(() => document.documentElement.dataset.theme), 'dark');
		assert.equal(await background(w.page), darkBg);

		await w.page.reload({ waitUntil: 'domcontentloaded' });
		// applied by the inline script in app.html, before the app's JavaScript runs
		assert.equal(await w.page.evaluate(() => document.documentElement.dataset.theme), 'dark');
		assert.equal(await background(w.page), darkBg);
		await w.page.waitForSelector('html[data-hydrated]', { state: 'attached' });
		assert.match((await w.page.getByTestId('theme-toggle').getAttribute('aria-label')) ?? '', /light/);

		await w.page.getByTestId('theme-toggle').click();
		assert.equal(await background(w.page), lightBg);
		await w.page.reload();
		assert.equal(await background(w.page), lightBg);
		w.expectClean();
	});

export const katexAtBuildTime =
	test('formulas are typeset when the site is built, with KaTeX fonts served from the site itself', async (t) => {
		for (const page of ['receptive-field', 'deconvolution']) {
			const html = await readFile(`build/${page}.html`, 'utf8');
			assert.match(html, /class="katex-display"/, `${page}.html holds a typeset display formula`);
		}
		const assets = await readdir('build/_app/immutable/assets');
		assert.ok(
			assets.some((f) => /^KaTeX_Main-Regular\..*\.woff2$/.test(f)),
			'KaTeX_Main woff2 bundled'
		);
		assert.ok(
			assets.some((f) => /^KaTeX_Math-Italic\..*\.woff2$/.test(f)),
			'KaTeX_Math woff2 bundled'
		);

		const w = await t.open('/receptive-field');
		const fontRequests: string[] = [];
		w.page.on('request', (r) => {
			if (r.resourceType() === 'font') fontRequests.push(r.url());
		});
		const loaded = await w.page.evaluate(async () => {
			await document.fonts.ready;
			return document.fonts.check('20px KaTeX_Main') && document.fonts.check('italic 20px KaTeX_Math');
		});
		assert.ok(loaded, 'KaTeX fonts are loaded');
		for (const u of fontRequests) assert.ok(u.startsWith(t.baseURL), `font from the site: ${u}`);
		w.expectClean();
	});

export const formulasAfterNavigation =
	test('KaTeX is not in the initial JavaScript, yet formulas are typeset after a client-side move to another lesson', async (t) => {
		const w = await t.open('/training');
		const target = lessons.find((l) => l.slug === 'deconvolution') ?? lessons[0];
		const prerendered = await w.page.evaluate(async (p) => {
			const html = await (await fetch(p)).text();
			return (html.match(/class="katex"/g) ?? []).length;
		}, target.path);
		await w.page.getByTestId('toc').getByRole('link', { name: target.title }).click();
		await t.waitForPath(w.page, target.path);
		await w.page.waitForFunction(
			(n) =>
				document.querySelectorAll('main .tex-pending').length === 0 &&
				document.querySelectorAll('main .katex').length >= n,
			prerendered,
			{ timeout: 30_000 }
		);
		assert.equal(await w.page.locator('main .tex-error').count(), 0);
		w.expectClean();
	});

export const phoneMenu = test('on a phone the table of contents is a menu that closes after navigating', async (t) => {
	const w = await t.open('/', { viewport: viewports.phone });
	const toc = w.page.getByTestId('toc');
	const button = w.page.getByTestId('menu-button');
	assert.ok(await button.isVisible());
	assert.ok(!(await toc.isVisible()), 'menu closed at first');
	await button.click();
	assert.equal(await button.getAttribute('aria-expanded'), 'true');
	assert.ok(await toc.isVisible());
	await toc.getByRole('link', { name: lessons[3].title }).click();
	await t.waitForPath(w.page, lessons[3].path);
	assert.ok(!(await toc.isVisible()), 'menu closes after navigating');
	w.expectClean();
});
