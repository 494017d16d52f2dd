/**
 * Checks the route matrix (route-matrix.e2e.ts) runs on every page: axe-core's WCAG 2.1 AA rules, the
 * words every slider speaks, the JavaScript a page needs before it is interactive, and waits on the
 * page's own state (a rendered frame, every live cell settled). Not a test file (no `.e2e.ts`).
 */
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import type { CDPSession, Page, Request } from 'playwright-core';
import { isJs, isTfjsSource, nextFrames } from './classroom-helpers.ts';

export { nextFrames };

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

interface AxeViolation {
	id: string;
	help: string;
	nodes: { target: string[] }[];
}

/** axe's WCAG 2.1 AA violations (contrast included) on the page as it is now, one line each. */
export async function axeViolations(page: Page, where: string): Promise<string[]> {
	if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(await readFile(axePath, 'utf8'));
	const violations = await page.evaluate(async (tags) => {
		const axe = (window as unknown as { axe: { run: (o: object) => Promise<{ violations: unknown[] }> } }).axe;
		const result = await axe.run({ runOnly: { type: 'tag', values: tags } });
		return result.violations;
	}, TAGS);
	return (violations as AxeViolation[]).map(
		(v) => `${where}: ${v.id} — ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`
	);
}

/** What a live cell says while it works: `data-status` loading / running, or `data-settled="false"`. */
const BUSY = '[data-status="loading"], [data-status="running"], [data-settled="false"]';

/** Waits until no live cell on the page is loading or running (each shows the result for its current input). */
export async function settle(page: Page, timeout = 120_000): Promise<void> {
	try {
		await page.waitForFunction((busy) => document.querySelectorAll(busy).length === 0, BUSY, { timeout });
	} catch {
		const busy = await page.evaluate(
			(sel) => [...document.querySelectorAll(sel)].map((e) => e.getAttribute('data-testid') ?? e.tagName),
			BUSY
		);
		throw new Error(`live cells still busy after ${timeout} ms: ${busy.join(', ')}`);
	}
}

/** Every slider-like control: range inputs, custom ARIA sliders, number fields (spin buttons). */
const VALUE_CONTROLS = 'input[type="range"], [role="slider"], input[type="number"]';

/**
 * What a screen reader gets for the `index`-th control: its accessible name as Chromium's accessibility
 * tree computes it (through the DevTools protocol), and its aria-valuetext. (The protocol's own
 * `valuetext` property of a native range or number input is the bare number, so the words are read
 * from the attribute, which Chromium hands to screen readers as the value.)
 */
async function axValue(
	cdp: CDPSession,
	index: number
): Promise<{ role: string; name: string; valuetext: string | null } | null> {
	const { root } = (await cdp.send('DOM.getDocument', { depth: 0 })) as { root: { nodeId: number } };
	const { nodeIds } = (await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: VALUE_CONTROLS })) as {
		nodeIds: number[];
	};
	if (index >= nodeIds.length) return null;
	const { nodes } = (await cdp.send('Accessibility.getPartialAXTree', {
		nodeId: nodeIds[index],
		fetchRelatives: false
	})) as {
		nodes: {
			role?: { value?: string };
			name?: { value?: string };
			properties?: { name: string; value: { value?: unknown } }[];
		}[];
	};
	const node = nodes[0];
	const { attributes } = (await cdp.send('DOM.getAttributes', { nodeId: nodeIds[index] })) as { attributes: string[] };
	const at = attributes.indexOf('aria-valuetext');
	const valuetext = at >= 0 && at % 2 === 0 ? attributes[at + 1] : null;
	return { role: String(node?.role?.value ?? ''), name: String(node?.name?.value ?? '').trim(), valuetext };
}

/** Whether `text` holds `value` as a number of its own ("kernel 3 by 3" holds 3, not 33). */
function holdsNumber(text: string, value: string): boolean {
	const escaped = value.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
	return new RegExp(`(^|[^\\d.])${escaped}([^\\d.]|$)`).test(text);
}

/**
 * Every slider and number field on the page: it has an accessible name and an aria-valuetext in words
 * holding its value, and the words follow the value when it is stepped with the keyboard (ArrowRight /
 * ArrowUp, or back where the value is at its end). Returns the problems and how many controls were
 * checked and stepped.
 */
export async function valueControlProblems(
	page: Page,
	where: string
): Promise<{ problems: string[]; checked: number; stepped: number }> {
	const cdp = await page.context().newCDPSession(page);
	const controls = page.locator(VALUE_CONTROLS);
	const n = await controls.count();
	const problems: string[] = [];
	let checked = 0;
	let stepped = 0;
	for (let i = 0; i < n; i++) {
		const el = controls.nth(i);
		const at = `${where} control ${i + 1} (${(await el.getAttribute('data-testid')) ?? (await el.evaluate((e) => e.outerHTML.slice(0, 80)))})`;
		const value = () =>
			el.evaluate((e) => (e instanceof HTMLInputElement ? e.value : (e.getAttribute('aria-valuenow') ?? '')));
		const before = await axValue(cdp, i);
		const v0 = await value();
		checked++;
		if (!before?.name) problems.push(`${at}: no accessible name`);
		if (!before?.valuetext) {
			problems.push(`${at}: no aria-valuetext (a screen reader reads only the bare number ${v0})`);
			continue;
		}
		if (!/\p{L}{2,}/u.test(before.valuetext)) problems.push(`${at}: aria-valuetext "${before.valuetext}" has no word`);
		if (v0 !== '' && !holdsNumber(before.valuetext, v0))
			problems.push(`${at}: aria-valuetext "${before.valuetext}" does not hold the value ${v0}`);
		if (!(await el.isVisible()) || !(await el.isEnabled())) continue;
		// Step the value with the keyboard, as a reader would, and listen again.
		const range = (await el.getAttribute('type')) !== 'number';
		await el.focus();
		await el.press(range ? 'ArrowRight' : 'ArrowUp');
		if ((await value()) === v0) await el.press(range ? 'ArrowLeft' : 'ArrowDown');
		const v1 = await value();
		if (v1 === v0) {
			problems.push(`${at}: the arrow keys do not change its value ${v0}`);
			continue;
		}
		await nextFrames(page, 1);
		const after = await axValue(cdp, i);
		stepped++;
		if (!after?.valuetext || after.valuetext === before.valuetext) {
			problems.push(`${at}: aria-valuetext stayed "${before.valuetext}" when the value went ${v0} → ${v1}`);
		} else if (!holdsNumber(after.valuetext, v1)) {
			problems.push(`${at}: after ${v0} → ${v1}, aria-valuetext "${after.valuetext}" does not hold ${v1}`);
		}
	}
	await cdp.detach();
	return { problems, checked, stepped };
}

/** One JavaScript file the page fetched: its path, raw and gzip (level 9) size, and whether it is tfjs. */
export interface Fetched {
	url: string;
	raw: number;
	gzip: number;
	tfjs: boolean;
}

/**
 * Records every request of `page` from now on, so that {@link JsLog.scripts} can tell which JavaScript
 * was fetched up to a moment (measured: the body gzipped with node:zlib at level 9, about what a static
 * host serves; the test server sends it uncompressed; tfjs recognised by content).
 */
export function logRequests(page: Page) {
	const requests: Request[] = [];
	page.on('request', (r) => requests.push(r));
	return {
		/** How many requests the page has made so far (a moment to pass to `scripts`). */
		mark: () => requests.length,
		/** The JavaScript among the first `upTo` requests, once their responses are in. */
		async scripts(upTo = requests.length): Promise<Fetched[]> {
			const out = await Promise.all(
				requests.slice(0, upTo).map(async (r): Promise<Fetched | null> => {
					const response = await r.response().catch(() => null);
					if (!response || !isJs(response)) return null;
					const body = await response.body().catch(() => null);
					if (!body) return null;
					return {
						url: new URL(response.url()).pathname,
						raw: body.length,
						gzip: gzipSync(body, { level: 9 }).length,
						tfjs: isTfjsSource(body.toString('utf8'))
					};
				})
			);
			return out.filter((f): f is Fetched => f !== null);
		}
	};
}

/** Horizontal overflow of the page in CSS pixels (> 0: something scrolls sideways). */
export function sidewaysOverflow(page: Page): Promise<number> {
	return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}
