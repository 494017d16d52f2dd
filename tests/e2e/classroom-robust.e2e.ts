/**
 * Students poke at everything and teachers hand out links (issue 7, "Bad input" and "Offline and safe"):
 * no address, however garbled, breaks a page; and no control, however pushed, makes the page reach
 * outside the site.
 */
import assert from 'node:assert/strict';
import { routes, test } from './harness.ts';
import { cspViolations, pokeEverything, recordCspViolations, scrollThrough } from './classroom-helpers.ts';

/** What a student's mangled link may hold: out of range, not a number, huge, unknown, empty, repeated. */
const GARBAGE = [
	'k=-5&s=abc&i=1e9&zzz=1',
	'k=&s=&p=NaN&i=Infinity&net=fcn4s&layer=%3Cscript%3E&scene=-1&backend=quantum&cell=x&zoom=1e308',
	'k=1&k=2&s=0x10&i=999999999999999999999&n=-0&grid=maybe&%00=%FF'
];

/** Console noise that is not the page's fault (none expected; kept explicit). */
function pageErrors(errors: string[]): string[] {
	return errors.filter((e) => !/Failed to load resource: the server responded with a status of 404/.test(e));
}

export const urlGarbageNeverCrashes = test(
	'every route survives garbage in its query (k=-5, s=abc, i=1e9, unknown keys…): no uncaught error, content rendered',
	async (t) => {
		const problems: string[] = [];
		for (const path of routes) {
			for (const query of GARBAGE) {
				const w = await t.open(`${path}?${query}`);
				await w.page.waitForTimeout(500); // effects that parse the query run after hydration
				const h1 = (
					await w.page
						.locator('main h1')
						.first()
						.innerText()
						.catch(() => '')
				).trim();
				const text = (await w.page.locator('main').innerText()).trim();
				if (!h1) problems.push(`${path}?${query}: no heading in main`);
				if (text.length < 200) problems.push(`${path}?${query}: main has only ${text.length} characters`);
				for (const e of pageErrors(w.errors)) problems.push(`${path}?${query}: ${e}`);
				for (const u of w.external) problems.push(`${path}?${query}: request outside the site: ${u}`);
				await w.context.close();
			}
		}
		assert.deepEqual(problems, []);
	},
	{ timeoutMs: 420_000 }
);

export const pokingStaysOnSite = test(
	'clicking every button, dragging every slider and picking every option on every route sends no request outside the site and raises no error or CSP violation',
	async (t) => {
		const problems: string[] = [];
		const lines: string[] = [];
		for (const path of routes) {
			const w = await t.newPage();
			await recordCspViolations(w.page);
			// wasm: the fast backend on this machine (software WebGL takes seconds per inference)
			await w.page.goto(t.url(`${path}?backend=wasm`), { waitUntil: 'load' });
			await w.page.waitForSelector('html[data-hydrated]', { state: 'attached', timeout: 45_000 });
			await scrollThrough(w.page, 150);
			const report = await pokeEverything(w.page, { maxActions: 90, budgetMs: 45_000 });
			await w.page.waitForTimeout(1000);
			lines.push(`${path}: ${report.actions} actions, ${report.skipped} skipped`);
			for (const e of pageErrors(w.errors)) problems.push(`${path}: ${e}`);
			for (const u of w.external) problems.push(`${path}: request outside the site: ${u}`);
			for (const v of await cspViolations(w.page)) problems.push(`${path}: CSP violation: ${v}`);
			await w.context.close();
		}
		console.log(lines.map((l) => `    ${l}`).join('\n'));
		assert.deepEqual(problems, []);
	},
	{ timeoutMs: 480_000 }
);
