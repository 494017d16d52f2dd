/**
 * Screenshots of every route at projector and phone sizes, in both themes, into test-results/
 * (`<route>-<w>x<h>-<theme>.png`). Each page must also render cleanly at those sizes.
 */
import { routes, test, viewports } from './harness.ts';

export const projectorAndPhoneScreenshots = test(
	'every route renders cleanly at 1920×1080 and 390×844 in light and dark (screenshots)',
	async (t) => {
		for (const path of routes) {
			for (const theme of ['light', 'dark'] as const) {
				await t.shoot(path, viewports.projector, theme);
				await t.shoot(path, viewports.phone, theme);
			}
		}
		await t.shoot('/', viewports.laptop, 'dark');
	},
	{ timeoutMs: 420_000 }
);
