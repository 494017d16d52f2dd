/**
 * Content-Security-Policy (issue 7, "Offline and safe"): every built page carries SvelteKit's CSP as a
 * <meta http-equiv> tag with no remote source and no 'unsafe-eval' ('wasm-unsafe-eval' only, for the tfjs
 * wasm backend), and TensorFlow.js runs under it on the cpu, wasm and webgl backends.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { test } from './harness.ts';
import { cspViolations, recordCspViolations, scrollThrough } from './classroom-helpers.ts';

const buildDir = resolve(import.meta.dirname, '../../build');

function parsePolicy(policy: string): Map<string, string[]> {
	const m = new Map<string, string[]>();
	for (const part of policy.split(';')) {
		const [name, ...sources] = part.trim().split(/\s+/);
		if (name) m.set(name, sources);
	}
	return m;
}

export const cspInEveryPage =
	test('every built page carries a CSP meta tag: self only, no unsafe-eval, hashes for inline scripts', async () => {
		const pages = (await readdir(buildDir, { recursive: true })).filter((f) => String(f).endsWith('.html'));
		assert.ok(pages.length > 0);
		const problems: string[] = [];
		let shown = false;
		for (const file of pages) {
			const html = await readFile(join(buildDir, String(file)), 'utf8');
			const meta = html.match(/<meta http-equiv="content-security-policy" content="([^"]*)"/);
			if (!meta) {
				problems.push(`${file}: no CSP meta tag`);
				continue;
			}
			const policy = meta[1].replaceAll('&#39;', "'").replaceAll('&quot;', '"');
			if (!shown) {
				console.log(`    CSP (${file}): ${policy}`);
				shown = true;
			}
			const d = parsePolicy(policy);
			for (const [name, sources] of d) {
				for (const s of sources) {
					if (/^(https?:|wss?:|\*|'unsafe-eval')/.test(s) || (s.includes('.') && !s.startsWith("'sha"))) {
						problems.push(`${file}: ${name} allows ${s}`);
					}
				}
			}
			const script = d.get('script-src') ?? [];
			if (!script.includes("'self'")) problems.push(`${file}: script-src lacks 'self'`);
			if (script.includes("'unsafe-inline'")) problems.push(`${file}: script-src allows 'unsafe-inline'`);
			// Every inline script must be allowed by a hash (else the browser blocks it and the page is dead).
			const hashes = script.filter((s) => s.startsWith("'sha256-"));
			const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
			const { createHash } = await import('node:crypto');
			for (const body of inline) {
				const h = `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`;
				if (!hashes.includes(h))
					problems.push(`${file}: inline script ${body.slice(0, 40)}… has no hash in script-src`);
			}
			if (d.get('default-src')?.join(' ') !== "'self'") problems.push(`${file}: default-src is not 'self'`);
			if (d.get('object-src')?.join(' ') !== "'none'") problems.push(`${file}: object-src is not 'none'`);
		}
		assert.deepEqual(problems, []);
	});

export const tfjsRunsUnderCsp = test(
	'TensorFlow.js starts under the CSP on cpu, wasm and webgl (no violation, no eval error); the model runs when the weights are there',
	async (t) => {
		const problems: string[] = [];
		const lines: string[] = [];
		for (const backend of ['cpu', 'wasm', 'webgl'] as const) {
			const w = await t.newPage();
			await recordCspViolations(w.page);
			const evalErrors: string[] = [];
			w.page.on('console', (m) => {
				if (/unsafe-eval|EvalError|Content Security Policy/i.test(m.text())) evalErrors.push(m.text());
			});
			await w.page.goto(t.url(`/network?backend=${backend}`), { waitUntil: 'load' });
			await w.page.waitForSelector('html[data-hydrated]', { state: 'attached', timeout: 45_000 });
			await scrollThrough(w.page);
			const badge = w.page.getByTestId('backend').first();
			const error = w.page.getByTestId('live-error-message').first();
			await Promise.race([
				badge.waitFor({ state: 'attached', timeout: 90_000 }),
				error.waitFor({ state: 'attached', timeout: 90_000 })
			]).catch(() => undefined);
			const chosen = (await badge.count()) ? (await badge.textContent())?.trim() : null;
			// Wait for a first inference when the model can load (ms per inference becomes a number).
			let ms: string | null = null;
			if (chosen) {
				ms = await w.page
					.waitForFunction(
						() => {
							const el = document.querySelector('[data-testid="ms-per-inference"]');
							const err = document.querySelector('[data-testid="live-error-message"]');
							if (err) return 'error: ' + err.textContent;
							return el && /\d/.test(el.textContent ?? '') ? el.textContent : null;
						},
						undefined,
						{ timeout: 90_000 }
					)
					.then((h) => h.jsonValue() as Promise<string>)
					.catch(() => null);
			}
			const errText = (await error.count()) ? await error.textContent() : null;
			lines.push(
				`${backend}: backend shown ${chosen ?? '(none)'}; inference ${ms ?? 'not reached'}${errText ? `; live error: ${errText}` : ''}`
			);
			if (chosen !== backend)
				problems.push(
					`${backend}: the badge shows ${chosen ?? 'nothing'} (did the backend fail to start under the CSP?)`
				);
			for (const v of await cspViolations(w.page)) problems.push(`${backend}: CSP violation: ${v}`);
			for (const e of evalErrors) problems.push(`${backend}: ${e}`);
			await w.context.close();
		}
		console.log(lines.map((l) => `    ${l}`).join('\n'));
		assert.deepEqual(problems, []);
	},
	{ timeoutMs: 420_000 }
);
