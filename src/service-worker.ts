/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * Offline: after the first visit the whole explorer works without a network (a classroom on bad Wi-Fi).
 *
 * - install: precache the app (JS, CSS, the tfjs wasm binaries: `build`), every prerendered page
 *   (`prerendered`) and every static file (`files`: static/weights/**, static/data/**, the icon). The app
 *   and the pages must all cache or the install fails (and is retried on the next visit); a static file
 *   that fails is skipped (cached later when it is fetched).
 * - fetch, same origin, GET only:
 *   · navigations: network first (a new deployment shows at once), the cached page when offline
 *     (matched by path: the query holds lesson state), then the cached 404 page;
 *   · precached files: cache first (their names are hashed, or they change only with a new version);
 *   · anything else of this site: network, cached as it passes, the cache when offline.
 *   Nothing is ever fetched from another origin (the CSP forbids it anyway).
 * - activate: caches of older versions are deleted; the worker takes control of open pages at once.
 * - every response it serves carries the cross-origin isolation headers (COOP + COEP,
 *   src/lib/isolation.ts), so the wasm backend can run threads on hosts that cannot set headers. The
 *   first visit is not isolated (it loads before the worker controls it, and is deliberately not
 *   reloaded: that would delay the first segmentation); every later load is.
 */
import { build, files, prerendered, version } from '$service-worker';
import { withIsolation } from '$lib/isolation';

const sw = self as unknown as ServiceWorkerGlobalScope;

const CACHE = `fcn-explorer-${version}`;
/** The app and its pages: all or nothing. */
const APP = [...build, ...prerendered];
/** Static files (weights, digits): best effort. */
const STATIC = files;
const PRECACHED = new Set([...APP, ...STATIC]);
/** adapter-static's fallback page (also serves unknown paths offline). */
const FALLBACK = '/404.html';

sw.addEventListener('install', (event) => {
	event.waitUntil(
		(async () => {
			const cache = await caches.open(CACHE);
			await cache.addAll(APP);
			await Promise.allSettled(STATIC.map((f) => cache.add(f)));
			await sw.skipWaiting();
		})()
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
			await sw.clients.claim();
		})()
	);
});

/** The cached copy of a page: `/x`, `/x.html`, `/x/` and `/x/index.html` are the same page. */
async function cachedPage(cache: Cache, pathname: string): Promise<Response | undefined> {
	const bare = pathname.length > 1 ? pathname.replace(/\/+$/, '').replace(/(\/index)?\.html$/, '') : '/';
	for (const candidate of [pathname, bare, bare === '/' ? '/index.html' : `${bare}.html`]) {
		const hit = await cache.match(candidate, { ignoreSearch: true });
		if (hit) return hit;
	}
	return undefined;
}

async function navigate(request: Request, url: URL): Promise<Response> {
	const cache = await caches.open(CACHE);
	try {
		const response = await fetch(request);
		if (response.ok && PRECACHED.has(url.pathname)) await cache.put(url.pathname, response.clone());
		return response;
	} catch (offline) {
		const page = (await cachedPage(cache, url.pathname)) ?? (await cache.match(FALLBACK));
		if (page) return page;
		throw offline;
	}
}

async function precached(request: Request, url: URL): Promise<Response> {
	const cache = await caches.open(CACHE);
	const hit = await cache.match(url.pathname, { ignoreSearch: true });
	if (hit) return hit;
	const response = await fetch(request);
	if (response.ok && response.status === 200) await cache.put(url.pathname, response.clone());
	return response;
}

async function networkThenCache(request: Request): Promise<Response> {
	const cache = await caches.open(CACHE);
	try {
		const response = await fetch(request);
		if (response.ok && response.status === 200 && response.type === 'basic') await cache.put(request, response.clone());
		return response;
	} catch (offline) {
		const hit = await cache.match(request);
		if (hit) return hit;
		throw offline;
	}
}

sw.addEventListener('fetch', (event) => {
	const { request } = event;
	if (request.method !== 'GET' || request.headers.has('range')) return;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	if (request.mode === 'navigate') event.respondWith(navigate(request, url).then(withIsolation));
	else if (PRECACHED.has(url.pathname)) event.respondWith(precached(request, url).then(withIsolation));
	else event.respondWith(networkThenCache(request).then(withIsolation));
});
