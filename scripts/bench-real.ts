/**
 * npm run bench:real [-- --no-build] [--backends wasm,cpu,webgl,webgpu] [--seconds 10]
 *
 * Frames per second of /real-network's selfie segmenter at its 256×256 input, on each backend, as
 * the reader gets them: the built site served on 127.0.0.1, Chromium's fake camera playing the
 * astronaut photo (320×320 frames), the page's webcam path end to end (frame grab, resize, the
 * network, the mask painted; latest-only scheduling). After a warm-up the page's own frames/s
 * (`real-fps`, frames delivered over the last 2 s) and ms a frame (`real-ms`) are sampled each second
 * for `seconds`; the medians are reported. Prints a table, writes bench-results/bench-real-<date>.json.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '../tests/e2e/server.ts';
import { launchChromium } from '../tests/e2e/chromium.ts';
import { fakeCameraFlags } from '../tests/e2e/fake-camera.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name: string, dflt: string) => {
	const i = args.indexOf(`--${name}`);
	return i >= 0 && args[i + 1] ? args[i + 1] : dflt;
};
const backends = flag('backends', 'wasm,cpu,webgl,webgpu').split(',');
const seconds = Math.max(3, Number(flag('seconds', '10')));
if (!args.includes('--no-build')) {
	console.log('building the site (npm run build)…');
	execSync('npm run build', { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}
const median = (xs: number[]) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length ? s[Math.floor(s.length / 2)] : NaN;
};

const server = await serveStatic(resolve(root, 'build'));
const decoder = await launchChromium();
const page0 = await decoder.newPage();
await page0.goto(`${server.origin}/`);
const camera = await fakeCameraFlags(page0, 'astronaut');
await decoder.close();
const browser = await launchChromium([...camera, '--enable-unsafe-webgpu']);
const chromium = browser.version();
const rows: { backend: string; fps?: number; msPerFrame?: number; person?: number; error?: string }[] = [];
try {
	for (const backend of backends) {
		const page = await browser.newPage();
		try {
			await page.goto(`${server.origin}/real-network?backend=${backend}&sample=none`);
			await page.waitForSelector('[data-testid="real-output-rf"]', { timeout: 120_000 });
			const shown = (await page.getByTestId('backend').innerText()).trim();
			if (shown !== backend) throw new Error(`the page runs on ${shown}, not ${backend}`);
			await page.getByTestId('webcam-start').click();
			await page.waitForSelector('[data-testid="real-fps"]', { timeout: 120_000 });
			await page.waitForTimeout(3000);
			const fps: number[] = [];
			const ms: number[] = [];
			for (let s = 0; s < seconds; s++) {
				await page.waitForTimeout(1000);
				fps.push(Number(await page.getByTestId('real-fps').innerText()));
				ms.push(Number(await page.getByTestId('real-ms').innerText()));
			}
			const person = Number(await page.getByTestId('real-mask').getAttribute('data-fraction'));
			rows.push({ backend, fps: median(fps), msPerFrame: median(ms), person });
			console.log(
				`${backend}: ${median(fps).toFixed(1)} frames/s, ${median(ms).toFixed(0)} ms a frame, ${(100 * person).toFixed(1)}% person`
			);
		} catch (e) {
			const error = (e as Error).message.split('\n')[0];
			rows.push({ backend, error });
			console.log(`${backend}: failed (${error})`);
		} finally {
			await page.close().catch(() => {});
		}
	}
} finally {
	await browser.close();
	await server.close();
}
const out = {
	date: new Date().toISOString(),
	model: 'selfie (static/weights/selfie, 256×256 input)',
	input: 'fake camera: the astronaut photo at 320×320',
	cpus: cpus().length,
	chromium,
	rows
};
mkdirSync(join(root, 'bench-results'), { recursive: true });
const file = join(root, 'bench-results', `bench-real-${out.date.slice(0, 19).replace(/[:T]/g, '-')}.json`);
writeFileSync(file, JSON.stringify(out, null, 1));
console.table(rows);
console.log(`written ${file}`);
