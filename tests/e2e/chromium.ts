import { chromium, type Browser } from 'playwright-core';

/** Chromium flags for every browser run: no network chatter, no sandbox (containers), no GPU. */
export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];

/** The Chromium every browser run drives: Debian's package, or `CHROMIUM_PATH`. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Launch that Chromium headless with {@link CHROMIUM_ARGS} and `extraArgs` (e.g. `--enable-unsafe-webgpu`). */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
	return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}
