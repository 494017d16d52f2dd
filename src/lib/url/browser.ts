/**
 * The page's URL query in the browser, for the cells that mirror their state in it: read once (never
 * while prerendering, where there is no query; parse it with `$lib/url`'s specs) and written back with
 * SvelteKit's shallow `replaceState`, merged with the keys of the other cells on the page, so that a
 * link reproduces the view. The only module of ours that touches the address bar's query.
 */
import { replaceState } from '$app/navigation';
import { page } from '$app/state';
import { browser } from '$app/environment';

/** The current query, or an empty one while prerendering. */
export function readQuery(): URLSearchParams {
	if (!browser) return new URLSearchParams();
	return new URLSearchParams(window.location.search);
}

/** Set (or, with null, delete) keys of the current URL without navigating. */
export function writeQuery(values: Record<string, string | number | null>): void {
	if (!browser) return;
	const url = new URL(window.location.href);
	for (const [key, v] of Object.entries(values)) {
		if (v === null) url.searchParams.delete(key);
		else url.searchParams.set(key, String(v));
	}
	if (url.search === window.location.search) return;
	try {
		// The current page's own URL with another query: there is no route to resolve().
		// eslint-disable-next-line svelte/no-navigation-without-resolve
		replaceState(url, page.state);
	} catch {
		// The router is not ready yet (very first tick): fall back to the History API.
		history.replaceState(history.state, '', url);
	}
}

/** The current address (its query holds the view's state) with `#anchor` when given: a link to share. */
export function shareLink(anchor?: string): string {
	const url = new URL(window.location.href);
	if (anchor) url.hash = anchor;
	return url.href;
}
