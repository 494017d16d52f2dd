/**
 * Presenter mode and shareable links (issue 7, "Sharing and presenting"): `P` or the header button gives
 * large type, no navigation chrome and one cell at a time; space / arrows step through the cells and on
 * into the next lesson; Esc leaves and returns the reader where they were; the address (`present=1&cell=N`)
 * reproduces the slide. Live cells carry a "Copy link" button that copies the address and says so.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { lessons } from '../../src/lib/lessons.ts';
import { test, viewports } from './harness.ts';

/** Top-level cells of the page and which of them are displayed. */
async function cellsShown(page: Page): Promise<{ count: number; shown: number[] }> {
	return page.evaluate(() => {
		const cells = [...document.querySelectorAll<HTMLElement>('main [data-cell]')].filter(
			(el) => !el.parentElement?.closest('[data-cell]')
		);
		const shown = cells.flatMap((c, i) => (c.getClientRects().length > 0 ? [i] : []));
		return { count: cells.length, shown };
	});
}

const query = (page: Page) => new URL(page.url()).searchParams;

async function waitForCell(page: Page, n: number) {
	try {
		await page.waitForFunction((n) => new URL(location.href).searchParams.get('cell') === String(n), n, {
			timeout: 15_000
		});
	} catch {
		const shown = await cellsShown(page);
		throw new Error(`expected cell=${n} in the address; at ${page.url()} with ${JSON.stringify(shown)}`);
	}
}

/** A lesson with at least three cells (the walk needs room to step). */
async function lessonWithCells(t: Parameters<Parameters<typeof test>[1]>[0]) {
	for (const l of lessons) {
		const w = await t.open(l.path, { viewport: viewports.projector });
		const { count } = await cellsShown(w.page);
		if (count >= 3) return { w, lesson: l, index: lessons.indexOf(l), count };
		await w.context.close();
	}
	throw new Error('no lesson has three cells yet');
}

export const presenterWalk = test(
	'presenter mode: P shows one cell in large type without chrome, space/arrows step through cells and into the next lesson, Esc returns the reader to where they were',
	async (t) => {
		const { w, lesson, index, count } = await lessonWithCells(t);
		const { page } = w;
		const fontBefore = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
		// An instant scroll: scrollY is 900 (or the page's end) when scrollTo returns.
		const scrollBefore = await page.evaluate(() => {
			window.scrollTo({ top: 900, behavior: 'instant' });
			return window.scrollY;
		});

		await page.keyboard.press('p');
		await page.waitForSelector('html[data-presenting]', { state: 'attached' });
		assert.equal(await page.locator('.site-header').isVisible(), false, 'header hidden');
		assert.equal(await page.locator('#sidebar').isVisible(), false, 'table of contents hidden');
		const fontIn = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
		assert.ok(fontIn > fontBefore, `larger type (${fontBefore}px → ${fontIn}px)`);
		let state = await cellsShown(page);
		assert.equal(state.shown.length, 1, 'exactly one cell shown');
		const start = state.shown[0];
		assert.equal(query(page).get('present'), '1');
		assert.equal(query(page).get('cell'), String(start + 1));
		assert.equal(await page.getByTestId('presenter-position').innerText(), `Cell ${start + 1} of ${count}`);
		await t.screenshot(page, `presenter-${lesson.slug}-1920x1080`);

		await page.keyboard.press('Home');
		await waitForCell(page, 1);
		await page.keyboard.press(' ');
		await waitForCell(page, 2);
		assert.deepEqual((await cellsShown(page)).shown, [1], 'space → the second cell');
		await page.keyboard.press('ArrowLeft');
		await waitForCell(page, 1);
		assert.deepEqual((await cellsShown(page)).shown, [0], '← → back to the first');
		await page.keyboard.press('End');
		await waitForCell(page, count);

		// Past the last cell: the next lesson, first cell, still presenting.
		const next = lessons[index + 1];
		if (next) {
			await page.keyboard.press('ArrowRight');
			await t.waitForPath(page, next.path);
			await page.waitForFunction(() => new URL(location.href).searchParams.get('present') === '1');
			await waitForCell(page, 1);
			state = await cellsShown(page);
			if (state.count > 0) assert.deepEqual(state.shown, [0], `${next.path}: its first cell`);
			assert.equal(await page.locator('.site-header').isVisible(), false, 'still presenting');
			// And back: the previous lesson's last cell.
			await page.keyboard.press('ArrowLeft');
			await t.waitForPath(page, lesson.path);
			await waitForCell(page, count);
			assert.deepEqual((await cellsShown(page)).shown, [count - 1]);
		}

		await page.keyboard.press('Escape');
		await page.waitForFunction(() => !document.documentElement.hasAttribute('data-presenting'));
		assert.equal(query(page).get('present'), null, 'the address forgets presenter mode');
		assert.equal(await page.locator('.site-header').isVisible(), true, 'header back');
		state = await cellsShown(page);
		assert.equal(state.shown.length, state.count, 'every cell back');
		const scrollAfter = await page.evaluate(() => window.scrollY);
		assert.ok(
			Math.abs(scrollAfter - scrollBefore) < 5,
			`back where the reader was (scrollY ${scrollBefore} → ${scrollAfter})`
		);
		w.expectClean();
	},
	{ timeoutMs: 180_000 }
);

export const presenterLinkAndButton = test(
	'a shared presenter link (?present=1&cell=2) opens that cell; the header button enters and the Exit button leaves',
	async (t) => {
		const { w, lesson, count } = await lessonWithCells(t);
		await w.context.close();
		const v = await t.open(`${lesson.path}?present=1&cell=2`, { viewport: viewports.laptop });
		await v.page.waitForSelector('html[data-presenting]', { state: 'attached' });
		assert.deepEqual((await cellsShown(v.page)).shown, [1]);
		assert.equal(await v.page.getByTestId('presenter-position').innerText(), `Cell 2 of ${count}`);
		await v.page.getByTestId('presenter-exit').click();
		await v.page.waitForFunction(() => !document.documentElement.hasAttribute('data-presenting'));
		await v.page.getByTestId('present-button').click();
		await v.page.waitForSelector('html[data-presenting]', { state: 'attached' });
		assert.equal((await cellsShown(v.page)).shown.length, 1);
		await v.page.keyboard.press('p');
		await v.page.waitForFunction(() => !document.documentElement.hasAttribute('data-presenting'));
		// Garbage in the presenter keys never breaks the page.
		const g = await t.open(`${lesson.path}?present=yes&cell=-40`);
		await g.page.waitForSelector('html[data-presenting]', { state: 'attached' });
		assert.deepEqual((await cellsShown(g.page)).shown, [0], 'cell=-40 → the first cell');
		v.expectClean();
		g.expectClean();
	},
	{ timeoutMs: 120_000 }
);

export const copyLinkAnnounces =
	test('"Copy link" on a live cell copies the address with its state and announces "Link copied"', async (t) => {
		const w = await t.newPage();
		await w.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.baseURL });
		let found: { path: string; query: string } | null = null;
		for (const l of lessons) {
			await w.page.goto(t.url(`${l.path}?zz=1`), { waitUntil: 'load' });
			await w.page.waitForSelector('html[data-hydrated]', { state: 'attached', timeout: 45_000 });
			if ((await w.page.getByTestId('copy-link').count()) > 0) {
				found = { path: l.path, query: 'zz=1' };
				break;
			}
		}
		assert.ok(found, 'some lesson has a live cell with a Copy link button');
		const button = w.page.getByTestId('copy-link').first();
		const anchor = await button.evaluate((b) => b.closest('[data-cell]')?.id ?? '');
		await button.click();
		const status = w.page.getByTestId('copy-link-status').first();
		await status.waitFor({ state: 'attached' });
		await w.page.waitForFunction((el) => el?.textContent === 'Link copied', await status.elementHandle(), {
			timeout: 5000
		});
		assert.equal(await status.getAttribute('role'), 'status', 'announced politely (role=status)');
		const copied = await w.page.evaluate(() => navigator.clipboard.readText());
		const url = new URL(copied);
		assert.equal(url.pathname, found.path);
		assert.equal(url.searchParams.get('zz'), '1', 'the query (the state) is in the link');
		if (anchor) assert.equal(url.hash, `#${anchor}`, 'the link points at the cell');
		w.expectClean();
	});
