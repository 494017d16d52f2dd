/**
 * Accessibility: axe-core's WCAG 2.0 / 2.1 A and AA rules (contrast included) on every route, in both
 * themes, with every lazy cell rendered (the page is scrolled through first), and again in presenter mode.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
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
				const w = await t.open(`${path}?backend=wasm&present=1&cell=1`, { colorScheme: theme, viewport: viewports.projector });
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
