/**
 * The JavaScript budget (issue 7, "Budgets"): a lesson without a live cell in view is interactive with
 * ≤ 150 KB of JavaScript (gzip), and TensorFlow.js is fetched only when a live cell scrolls into view.
 *
 * Measured, not estimated: every .js response until the page is interactive (`<html data-hydrated>`, set
 * by the layout once hydrated) is gzipped with node:zlib (level 9 ~ what a static host serves; the test
 * server sends it uncompressed) and summed. TensorFlow.js is recognised by content (isTfjsSource).
 */
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import type { Response } from 'playwright-core';
import { lessons } from '../../src/lib/lessons.ts';
import { routes, test } from './harness.ts';
import { isJs, isTfjsSource, scrollThrough } from './classroom-helpers.ts';

const BUDGET_KB = 150;
/** Lessons whose first screen holds a live model cell by design (the budget does not apply). */
const LIVE_ON_FIRST_SCREEN = new Set<string>(['/', '/network', '/real-network']);

interface Fetched {
	url: string;
	raw: number;
	gzip: number;
	tfjs: boolean;
}

async function measure(response: Response): Promise<Fetched | null> {
	if (!isJs(response)) return null;
	const body = await response.body().catch(() => null);
	if (!body) return null;
	return {
		url: new URL(response.url()).pathname,
		raw: body.length,
		gzip: gzipSync(body, { level: 9 }).length,
		tfjs: isTfjsSource(body.toString('utf8'))
	};
}

const kb = (n: number) => (n / 1024).toFixed(1);

export const jsBudget = test(
	`each lesson is interactive with ≤ ${BUDGET_KB} KB of JavaScript (gzip) and fetches TensorFlow.js only once a live cell scrolls into view`,
	async (t) => {
		const problems: string[] = [];
		const table: string[] = ['route               JS gzip KB (raw KB)  files  tfjs before scroll  tfjs after scroll'];
		for (const path of routes) {
			const w = await t.newPage();
			const pending: Promise<Fetched | null>[] = [];
			let phase: 'load' | 'scroll' = 'load';
			const before: Promise<Fetched | null>[] = [];
			w.page.on('response', (r) => {
				const m = measure(r);
				pending.push(m);
				if (phase === 'load') before.push(m);
			});
			await w.page.goto(t.url(path), { waitUntil: 'load', timeout: 120_000 });
			await w.page.waitForSelector('html[data-hydrated]', { state: 'attached', timeout: 45_000 });
			const interactive = (await Promise.all([...before])).filter((f): f is Fetched => f !== null);
			// Anything a page starts on its own without scrolling (a lazy cell that is wrongly eager).
			await w.page.waitForTimeout(1500);
			const unscrolled = (await Promise.all([...before])).filter((f): f is Fetched => f !== null);
			phase = 'scroll';
			await scrollThrough(w.page, 300);
			await w.page.waitForTimeout(1000);
			const all = (await Promise.all(pending)).filter((f): f is Fetched => f !== null);

			const gzip = interactive.reduce((s, f) => s + f.gzip, 0);
			const raw = interactive.reduce((s, f) => s + f.raw, 0);
			const tfBefore = unscrolled.some((f) => f.tfjs);
			const tfAfter = all.some((f) => f.tfjs);
			const row =
				`${path.padEnd(20)}${kb(gzip).padStart(10)} (${kb(raw)})`.padEnd(41) +
				`${String(interactive.length).padStart(5)}  ${String(tfBefore).padEnd(18)}  ${tfAfter}`;
			table.push(row);
			console.log(`    ${row}`); // as measured (the whole table is printed again at the end)
			if (!LIVE_ON_FIRST_SCREEN.has(path) && lessons.some((l) => l.path === path)) {
				if (gzip > BUDGET_KB * 1024) {
					const top = [...interactive].sort((a, b) => b.gzip - a.gzip).slice(0, 5);
					problems.push(
						`${path}: ${kb(gzip)} KB gzip of JavaScript before interactive (budget ${BUDGET_KB} KB); largest: ` +
							top.map((f) => `${f.url} ${kb(f.gzip)} KB${f.tfjs ? ' (tfjs)' : ''}`).join(', ')
					);
				}
				if (tfBefore) {
					problems.push(
						`${path}: TensorFlow.js fetched before any scrolling: ${unscrolled
							.filter((f) => f.tfjs)
							.map((f) => f.url)
							.join(', ')}`
					);
				}
			}
			await w.context.close();
		}
		console.log(table.map((l) => `    ${l}`).join('\n'));
		assert.deepEqual(problems, []);
	},
	{ timeoutMs: 600_000 }
);

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
