/**
 * The site shell: every page renders offline and cleanly, the reader can find their way (table of
 * contents, previous/next, ← / →), the theme follows the system until chosen, and formulas are typeset
 * when the site is built.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { lessons } from '../../src/lib/lessons.ts';
import { routes, routeName, test, viewports } from './harness.ts';

export const everyRouteRenders = test(
	'every route renders with a heading, no console error and no request outside the site (1280×800 screenshots)',
	async (t) => {
		for (const path of routes) {
			const w = await t.open(path, { viewport: viewports.laptop });
			const h1 = w.page.locator('main h1');
			assert.equal(await h1.count(), 1, `${path}: one h1 in main`);
			assert.ok((await h1.innerText()).trim().length > 0, `${path}: h1 has text`);
			assert.equal(await w.page.locator('.tex-error').count(), 0, `${path}: no TeX error`);
			await t.screenshot(w.page, `${routeName(path)}-1280x800-light`);
			w.expectClean();
			await w.context.close();
		}
	},
	{ timeoutMs: 240_000 }
);

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

export const arrowKeysMove =
	test('← / → move between lessons, except with a modifier or inside a control', async (t) => {
		const w = await t.open('/');
		const { page } = w;
		await page.keyboard.press('ArrowRight');
		await t.waitForPath(page, lessons[0].path);
		await page.keyboard.press('ArrowRight');
		await t.waitForPath(page, lessons[1].path);
		await page.keyboard.press('ArrowLeft');
		await t.waitForPath(page, lessons[0].path);

		await page.keyboard.press('Shift+ArrowRight');
		await page.waitForTimeout(300);
		assert.equal(t.pathOf(page), lessons[0].path, 'a modified arrow key does not navigate');

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
			await page.keyboard.press('ArrowRight');
			await page.waitForTimeout(200);
			assert.equal(t.pathOf(page), lessons[0].path, `arrow key inside ${html} does not navigate`);
			await page.evaluate(() => document.getElementById('probe')?.remove());
		}
		w.expectClean();
	});

async function background(page: import('playwright-core').Page): Promise<string> {
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

export const phoneMenu = test(
	'on a phone the table of contents is a menu, and nothing scrolls sideways',
	async (t) => {
		for (const path of routes) {
			const w = await t.open(path, { viewport: viewports.phone });
			const overflow = await w.page.evaluate(
				() => document.documentElement.scrollWidth - document.documentElement.clientWidth
			);
			assert.ok(overflow <= 0, `${path}: page is ${overflow}px wider than a 390px screen`);
			await w.context.close();
		}
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
	},
	{ timeoutMs: 240_000 }
);
