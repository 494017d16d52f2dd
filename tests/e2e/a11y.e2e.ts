/**
 * Accessibility: axe-core's WCAG 2 A/AA rules (contrast included) on every route, in both themes.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { routes, test } from './harness.ts';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeViolation {
	id: string;
	help: string;
	nodes: { target: string[] }[];
}

export const wcagAA = test(
	'every route passes axe WCAG 2 AA checks (contrast included) in light and dark',
	async (t) => {
		const axeSource = await readFile(axePath, 'utf8');
		const problems: string[] = [];
		for (const theme of ['light', 'dark'] as const) {
			for (const path of routes) {
				const w = await t.open(path, { colorScheme: theme });
				await w.page.evaluate(axeSource);
				const violations = await w.page.evaluate(async () => {
					const axe = (window as unknown as { axe: { run: (o: object) => Promise<{ violations: unknown[] }> } })
						.axe;
					const result = await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
					return result.violations;
				});
				for (const v of violations as AxeViolation[]) {
					problems.push(`${path} (${theme}): ${v.id} — ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
				}
				w.expectClean();
				await w.context.close();
			}
		}
		assert.deepEqual(problems, []);
	},
	{ timeoutMs: 300_000 }
);
