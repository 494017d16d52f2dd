/**
 * Runs the browser tests: `npm run test:e2e [-- filter]` (build the site first with `npm run build`).
 *
 * Serves build/ on 127.0.0.1, launches the system Chromium (CHROMIUM_PATH, default /usr/bin/chromium)
 * with a fresh temporary profile, imports every tests/e2e/*.e2e.ts and runs the exported tests, two at
 * a time on a machine with two or more cores (E2E_WORKERS=1 runs them one by one). Prints one line
 * per test as it ends, and then `N passed, N failed`; exits 1 on any failure.
 * A filter argument keeps only tests whose file name or test name contains it.
 */
import { readdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { availableParallelism } from 'node:os';
import { createE2E, isTest, type E2ETest } from './harness.ts';
import { serveStatic } from './server.ts';
import { CHROMIUM_PATH, launchChromium } from './chromium.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');

async function collect(filter: string | undefined): Promise<{ file: string; test: E2ETest }[]> {
	const files = (await readdir(here)).filter((f) => f.endsWith('.e2e.ts')).sort();
	const found: { file: string; test: E2ETest }[] = [];
	for (const file of files) {
		const mod: Record<string, unknown> = await import(pathToFileURL(join(here, file)).href);
		for (const value of Object.values(mod)) {
			if (!isTest(value)) continue;
			if (filter && !file.includes(filter) && !value.name.includes(filter)) continue;
			found.push({ file, test: value });
		}
	}
	return found;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, fail) => {
		timer = setTimeout(() => fail(new Error(`timed out after ${ms} ms`)), ms);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function main(): Promise<number> {
	const filter = process.argv[2];
	const tests = await collect(filter);
	if (tests.length === 0) {
		console.error(filter ? `no e2e test matches "${filter}"` : 'no e2e tests found');
		return 1;
	}
	const server = await serveStatic(join(root, 'build'));
	const browser = await launchChromium();
	const workers = Math.max(1, Number(process.env.E2E_WORKERS ?? Math.min(2, availableParallelism())) || 1);
	console.log(
		`# ${basename(CHROMIUM_PATH)} ${browser.version()} · site ${server.origin} · ${tests.length} tests · ${workers} at a time`
	);

	let passed = 0;
	let failed = 0;
	const queue = [...tests];
	const runOne = async ({ file, test }: { file: string; test: E2ETest }) => {
		const { e2e, dispose } = createE2E(browser, server.origin, join(root, 'test-results'));
		const start = performance.now();
		let error: unknown;
		try {
			await withTimeout(test.fn(e2e), test.timeoutMs);
		} catch (e) {
			error = e;
		} finally {
			await dispose();
		}
		const ms = Math.round(performance.now() - start);
		if (error === undefined) {
			passed++;
			console.log(`✓ ${test.name} (${ms} ms)`);
		} else {
			failed++;
			const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
			console.log(`✗ ${test.name} (${ms} ms) [${file}]\n${text.replace(/^/gm, '    ')}`);
		}
	};
	try {
		// `workers` tests at a time, each in its own browser contexts (one browser).
		await Promise.all(
			Array.from({ length: Math.min(workers, queue.length) }, async () => {
				for (let next = queue.shift(); next; next = queue.shift()) await runOne(next);
			})
		);
	} finally {
		await browser.close();
		await server.close();
	}
	console.log(`${passed} passed, ${failed} failed`);
	return failed === 0 ? 0 : 1;
}

main().then(
	(code) => process.exit(code),
	(e) => {
		console.error(e instanceof Error ? (e.stack ?? e.message) : e);
		console.log('0 passed, 1 failed');
		process.exit(1);
	}
);
