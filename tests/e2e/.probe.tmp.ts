import { chromium } from 'playwright-core';
import { serveStatic } from './server.ts';
import { CHROMIUM_ARGS } from './chromium.ts';
const server = await serveStatic('build');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
const page = await browser.newPage();
await page.goto(server.origin + '/network/bench');
await page.waitForFunction(() => 'fcnBench' in window);
const size = Number(process.argv[2] ?? 128);
const r = await page.evaluate(async (size) => {
	const b = (window as any).fcnBench;
	await b.setup('wasm', 'trained');
	return b.probe(size, 15);
}, size);
console.log(JSON.stringify(r, null, 0));
await browser.close();
await server.close();
