/**
 * Teachers hand out links, and students mangle them (issue 7, "Bad input"): no address, however garbled,
 * breaks a page. One smoke test per route; what each bad value becomes, and the notice shown, is the
 * URL-state module's unit test. (Poking every control is in route-matrix.e2e.ts.)
 */
import assert from 'node:assert/strict';
import { routes, test } from './harness.ts';
import { nextFrames } from './classroom-helpers.ts';

/**
 * What a student's mangled link may hold, all at once: out of range, not a number, huge, empty,
 * repeated, unknown keys and values, markup, a NUL key.
 */
const GARBAGE =
	'k=-5&k=2&s=abc&i=1e9&p=NaN&n=-0&size=&net=fcn4s&layer=%3Cscript%3E&scene=-1&sample=1e308&unit=x,y' +
	'&backend=quantum&cell=x&zoom=1e308&grid=maybe&preset=nope&order=zyx&zzz=1&%00=%FF';

/** Console noise that is not the page's fault (none expected; kept explicit). */
function pageErrors(errors: string[]): string[] {
	return errors.filter((e) => !/Failed to load resource: the server responded with a status of 404/.test(e));
}

export const urlGarbageNeverCrashes = test(
	'every route survives garbage in its query (k=-5, s=abc, i=1e9, repeated and unknown keys…): no uncaught error, content rendered',
	async (t) => {
		const problems: string[] = [];
		for (const path of routes) {
			const w = await t.open(`${path}?${GARBAGE}`);
			// The effects that parse the query run once the page has hydrated; their result is on screen
			// after the next frames.
			await nextFrames(w.page);
			const h1 = (
				await w.page
					.locator('main h1')
					.first()
					.innerText()
					.catch(() => '')
			).trim();
			const text = (await w.page.locator('main').innerText()).trim();
			if (!h1) problems.push(`${path}: no heading in main`);
			if (text.length < 200) problems.push(`${path}: main has only ${text.length} characters`);
			for (const e of pageErrors(w.errors)) problems.push(`${path}: ${e}`);
			for (const u of w.external) problems.push(`${path}: request outside the site: ${u}`);
			await w.context.close();
		}
		assert.deepEqual(problems, []);
	},
	{ timeoutMs: 180_000 }
);
