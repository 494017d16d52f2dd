/**
 * Cross-origin isolation: the two response headers that make a page `crossOriginIsolated`, which
 * SharedArrayBuffer (and so the threaded SIMD build of TensorFlow.js's wasm backend, whose XNNPACK
 * thread pool lives in Emscripten pthread workers) needs. Every resource of this site is same-origin,
 * so `require-corp` blocks nothing of ours. Sent by `npm run dev` and `vite preview` (vite.config.ts),
 * by the e2e / bench server (tests/e2e/server.ts), and, on static hosts that cannot set headers, added
 * by the service worker to every response it serves (src/service-worker.ts): there the FIRST visit is
 * not isolated (the page loads before the worker controls it; it is not reloaded for that, which would
 * cost the first segmentation seconds) and runs wasm on one thread; every later page load is isolated.
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Cross-Origin-Embedder-Policy': 'require-corp',
	// Same-origin resources need no CORP header under require-corp; it states the intent for caches.
	'Cross-Origin-Resource-Policy': 'same-origin'
};

/** A copy of `response` carrying the isolation headers (the body is streamed, not read). */
export function withIsolation(response: Response): Response {
	if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0) return response;
	const headers = new Headers(response.headers);
	for (const [k, v] of Object.entries(ISOLATION_HEADERS)) if (!headers.has(k)) headers.set(k, v);
	return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
