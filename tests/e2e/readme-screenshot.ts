/**
 * Regenerates docs/screenshot.png (the README picture): /receptive-field at 1280×880, light theme.
 * `npm run build && npx tsx tests/e2e/readme-screenshot.ts`
 */
import { launchChromium } from './chromium.ts';
import { serveStatic } from './server.ts';

const server = await serveStatic('build');
const browser = await launchChromium();
try {
	const page = await browser.newPage({ viewport: { width: 1280, height: 880 }, colorScheme: 'light' });
	await page.goto(`${server.origin}/receptive-field`);
	await page.waitForSelector('html[data-hydrated]', { state: 'attached', timeout: 60_000 });
	await page.evaluate(() => document.fonts.ready);
	await page.screenshot({ path: 'docs/screenshot.png' });
	console.log('wrote docs/screenshot.png');
} finally {
	await browser.close();
	await server.close();
}
