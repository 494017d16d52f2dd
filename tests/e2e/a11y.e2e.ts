/**
 * Accessibility: axe-core's WCAG 2.0 / 2.1 A and AA rules (contrast included) on every route, in both
 * themes, with every lazy cell rendered (the page is scrolled through first), and again in presenter mode;
 * and every slider and number field speaks its value in words ("kernel 3 by 3", "brush 14 pixels wide").
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import type { CDPSession, Page } from 'playwright-core';
import { routes, test, viewports } from './harness.ts';
import { scrollThrough } from './classroom-helpers.ts';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

interface AxeViolation {
	id: string;
	help: string;
	nodes: { target: string[] }[];
}

/** axe's WCAG 2.1 AA violations on the page as it is now, one line each. */
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

export const wcagAA = test(
	'every route passes axe WCAG 2.1 AA checks (contrast included) in light and dark, lazy cells rendered',
	async (t) => {
		const problems: string[] = [];
		for (const theme of ['light', 'dark'] as const) {
			for (const path of routes) {
				const w = await t.open(`${path}?backend=wasm`, { colorScheme: theme });
				await scrollThrough(w.page, 150);
				await w.page.evaluate(() => window.scrollTo(0, 0));
				problems.push(...(await axeViolations(w.page, `${path} (${theme})`)));
				w.expectClean();
				await w.context.close();
			}
		}
		assert.deepEqual(problems, []);
	},
	{ timeoutMs: 420_000 }
);

export const wcagAAPresenting = test(
	'presenter mode passes axe WCAG 2.1 AA checks on every route in light and dark (projector size)',
	async (t) => {
		const problems: string[] = [];
		for (const theme of ['light', 'dark'] as const) {
			for (const path of routes) {
				const w = await t.open(`${path}?backend=wasm&present=1&cell=1`, {
					colorScheme: theme,
					viewport: viewports.projector
				});
				await w.page.waitForSelector('html[data-presenting]', { state: 'attached' });
				problems.push(...(await axeViolations(w.page, `${path} presenting (${theme})`)));
				w.expectClean();
				await w.context.close();
			}
		}
		assert.deepEqual(problems, []);
	},
	{ timeoutMs: 300_000 }
);

/** Every slider-like control: range inputs, custom ARIA sliders, number fields (spin buttons). */
const VALUE_CONTROLS = 'input[type="range"], [role="slider"], input[type="number"]';

/** Cells that add their sliders only once their model has loaded: wait until they are settled. */
const SETTLED: Record<string, string> = {
	'/fc-to-conv': '[data-testid="live-classifier"]:not([data-status="loading"])'
};

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

export const slidersSpeakInWords = test(
	'every slider and number field on every route has an accessible name and an aria-valuetext in words holding its value, and the words follow the value (ArrowRight / ArrowUp)',
	async (t) => {
		const problems: string[] = [];
		const counts: string[] = [];
		let checked = 0;
		let stepped = 0;
		for (const path of routes) {
			const w = await t.open(`${path}?backend=wasm`);
			const page = w.page;
			await scrollThrough(page, 150);
			if (SETTLED[path]) await page.waitForSelector(SETTLED[path], { timeout: 120_000 });
			const cdp = await w.context.newCDPSession(page);
			const controls = page.locator(VALUE_CONTROLS);
			const n = await controls.count();
			counts.push(`${path}: ${n}`);
			for (let i = 0; i < n; i++) {
				const el = controls.nth(i);
				const where = `${path} control ${i + 1} (${(await el.getAttribute('data-testid')) ?? (await el.evaluate((e) => e.outerHTML.slice(0, 80)))})`;
				const value = () =>
					el.evaluate((e) => (e instanceof HTMLInputElement ? e.value : (e.getAttribute('aria-valuenow') ?? '')));
				const before = await axValue(cdp, i);
				const v0 = await value();
				checked++;
				if (!before?.name) problems.push(`${where}: no accessible name`);
				if (!before?.valuetext) {
					problems.push(`${where}: no aria-valuetext (a screen reader reads only the bare number ${v0})`);
					continue;
				}
				if (!/\p{L}{2,}/u.test(before.valuetext))
					problems.push(`${where}: aria-valuetext "${before.valuetext}" has no word`);
				if (v0 !== '' && !holdsNumber(before.valuetext, v0))
					problems.push(`${where}: aria-valuetext "${before.valuetext}" does not hold the value ${v0}`);
				if (!(await el.isVisible()) || !(await el.isEnabled())) continue;
				// Step the value with the keyboard, as a reader would, and listen again.
				const range = (await el.getAttribute('type')) !== 'number';
				await el.focus();
				await el.press(range ? 'ArrowRight' : 'ArrowUp');
				if ((await value()) === v0) await el.press(range ? 'ArrowLeft' : 'ArrowDown');
				const v1 = await value();
				if (v1 === v0) {
					problems.push(`${where}: the arrow keys do not change its value ${v0}`);
					continue;
				}
				await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
				const after = await axValue(cdp, i);
				stepped++;
				if (!after?.valuetext || after.valuetext === before.valuetext) {
					problems.push(`${where}: aria-valuetext stayed "${before.valuetext}" when the value went ${v0} → ${v1}`);
				} else if (!holdsNumber(after.valuetext, v1)) {
					problems.push(`${where}: after ${v0} → ${v1}, aria-valuetext "${after.valuetext}" does not hold ${v1}`);
				}
			}
			w.expectClean();
			await w.context.close();
		}
		console.log(
			`    value controls per route: ${counts.join(', ')}; ${checked} checked, ${stepped} stepped with the keyboard`
		);
		assert.deepEqual(problems, []);
		// Not vacuous: the lessons are full of sliders (the receptive-field stack alone has a dozen).
		assert.ok(checked >= 20 && stepped >= 20, `only ${checked} controls found, ${stepped} stepped`);
	},
	{ timeoutMs: 420_000 }
);
