import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * sha256 sources for the inline scripts of src/app.html (the theme script that runs before first paint),
 * computed from the file itself so an edit there cannot silently break the policy. SvelteKit hashes its
 * own inline bootstrap script; it does not see the ones in app.html.
 */
function appHtmlScriptHashes() {
	const html = readFileSync(new URL('./src/app.html', import.meta.url), 'utf8');
	return [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
		(m) => `sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}`
	);
}

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ fallback: '404.html' }),
		prerender: { handleHttpError: 'fail', handleMissingId: 'fail' },
		/*
		 * Content-Security-Policy. The site is prerendered, so SvelteKit writes it into every page as
		 * <meta http-equiv="content-security-policy"> with sha256 hashes of its inline scripts ('auto' =
		 * hashes when prerendering). Nothing may come from another origin: everything is 'self', plus
		 * data:/blob: where the page itself makes images (canvas exports, the reader's own pictures, which
		 * never leave the browser).
		 */
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				// 'wasm-unsafe-eval': TensorFlow.js's wasm backend compiles its WebAssembly binary (served by
				// this site) with WebAssembly.instantiate, which CSP blocks without it. It allows compiling
				// WebAssembly only, not JavaScript eval / new Function: 'unsafe-eval' stays off (tfjs
				// cpu, webgl and wasm run without it; checked by tests/e2e/classroom-csp.e2e.ts).
				// 'blob:': the page is cross-origin isolated (src/lib/isolation.ts), so tfjs picks its threaded
				// SIMD wasm build, whose Emscripten pthread workers start from a blob: URL and importScripts()
				// the module factory from another blob: URL (tfjs sets mainScriptUrlOrBlob to a Blob; tfjs has
				// no option for a same-origin file instead). Without blob: here every thread fails to start and
				// the page closes during wasm set-up. Accepted: a blob: URL can only be minted by script that
				// already runs in this page (URL.createObjectURL), so it admits no code from outside; injected
				// markup cannot name one that page script did not make. Remote origins stay blocked.
				'script-src': ['self', 'wasm-unsafe-eval', 'blob:', ...appHtmlScriptHashes()],
				// Svelte, d3 and KaTeX set style attributes (positions, sizes, colours). Styles cannot run code.
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self', 'data:'],
				// Weights, digits and the wasm binaries: this site only. data:/blob: for tensors/images made in the page.
				'connect-src': ['self', 'data:', 'blob:'],
				// The service worker (src/service-worker.ts); tfjs may start workers from blob: URLs.
				'worker-src': ['self', 'blob:'],
				'media-src': ['self', 'blob:'],
				'object-src': ['none'],
				'frame-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'manifest-src': ['self']
			}
		}
	}
};

export default config;
