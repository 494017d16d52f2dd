/**
 * Presenter mode: large type, navigation chrome hidden, one notebook cell at a time, for projecting in
 * class. `P` (or the header button) enters and leaves it; space / → / ↓ / PageDown step forward, ← / ↑ /
 * PageUp back, Home / End jump; past the last cell it goes on to the next lesson (before the first, back
 * to the previous lesson's last cell); Esc leaves and returns the reader where they were.
 *
 * The cells are the elements with `data-cell` inside `<main>` (Cell.svelte sets it), in document order;
 * a page without cells is shown whole. The presented cell gets `data-present-current`, its ancestors
 * `data-present-path`; `<html data-presenting="cells|page">` switches the CSS (app.css). The state is in
 * the URL (`?present=1&cell=3`, 1-based) so a teacher can share the exact slide.
 */
import { tick } from 'svelte';
import { CELL_KEY, LAST, PRESENT_KEY, presentFromQuery, type CellRequest } from '$lib/url';
import { readQuery, writeQuery } from '$lib/url/browser';

const CURRENT = 'data-present-current';
const PATH = 'data-present-path';

/** The cells of the page, in document order (nested cells belong to their outer cell). */
export function findCells(root: ParentNode = document): HTMLElement[] {
	const main = root.querySelector('main') ?? root;
	return [...main.querySelectorAll<HTMLElement>('[data-cell]')].filter(
		(el) => !el.parentElement?.closest('[data-cell]')
	);
}

function resolveRequest(r: CellRequest, count: number): number {
	return r === LAST ? Math.max(0, count - 1) : clampIndex(r, count);
}

function clampIndex(i: number, count: number): number {
	return Math.min(Math.max(0, i), Math.max(0, count - 1));
}

interface ReturnPoint {
	path: string;
	scrollY: number;
}

export interface PresenterHooks {
	/** Go to another lesson (the layout passes SvelteKit's goto). */
	navigate(href: string): Promise<void> | void;
	/** The neighbouring lessons of a path (paths, or undefined at the ends). */
	neighbours(pathname: string): { prev?: string; next?: string };
}

class Presenter {
	/** Whether presenter mode is on. */
	active = $state(false);
	/** 0-based index of the cell shown. */
	index = $state(0);
	/** Number of cells on the page (0: the page is shown whole). */
	count = $state(0);
	#hooks: PresenterHooks | null = null;
	#returnTo: ReturnPoint | null = null;
	#enteredFullscreen = false;
	#observer: MutationObserver | null = null;
	/** What the address asked for, kept until the reader steps (cells may render after navigation). */
	#requested: CellRequest | null = null;

	/** Connects the layout's navigation functions (once, on mount). */
	connect(hooks: PresenterHooks): void {
		this.#hooks = hooks;
	}

	/** Enter presenter mode at `request` (default: the cell nearest the top of the window). */
	async enter(request?: CellRequest, opts: { fullscreen?: boolean } = {}): Promise<void> {
		if (!this.active) {
			this.#returnTo = { path: location.pathname, scrollY: window.scrollY };
		}
		this.active = true;
		if (opts.fullscreen ?? true) this.#requestFullscreen();
		await tick();
		const cells = findCells();
		this.#requested = request ?? null;
		this.#show(cells, request === undefined ? nearestCell(cells) : resolveRequest(request, cells.length));
		this.#watch();
	}

	/** Leave presenter mode; back to where the reader was (or to the presented cell on another page). */
	leave(): void {
		if (!this.active) return;
		const cells = findCells();
		const shown = cells[this.index];
		this.active = false;
		this.#requested = null;
		this.#unwatch();
		unmark();
		document.documentElement.removeAttribute('data-presenting');
		this.#writeUrl(null);
		if (this.#enteredFullscreen && document.fullscreenElement) document.exitFullscreen().catch(() => undefined);
		this.#enteredFullscreen = false;
		const back = this.#returnTo;
		this.#returnTo = null;
		if (back && back.path === location.pathname) window.scrollTo({ top: back.scrollY, behavior: 'instant' });
		else shown?.scrollIntoView({ block: 'start', behavior: 'instant' });
	}

	toggle(): void {
		if (this.active) this.leave();
		else void this.enter();
	}

	/** One step forward: the next cell, or the next lesson's first cell. */
	async next(): Promise<void> {
		if (!this.active) return;
		if (this.index < this.count - 1) return this.goTo(this.index + 1);
		const next = this.#hooks?.neighbours(location.pathname).next;
		if (next) await this.#hooks?.navigate(`${next}?${PRESENT_KEY}=1&${CELL_KEY}=1`);
	}

	/** One step back: the previous cell, or the previous lesson's last cell. */
	async prev(): Promise<void> {
		if (!this.active) return;
		if (this.index > 0) return this.goTo(this.index - 1);
		const prev = this.#hooks?.neighbours(location.pathname).prev;
		if (prev) await this.#hooks?.navigate(`${prev}?${PRESENT_KEY}=1&${CELL_KEY}=${LAST}`);
	}

	goTo(index: number): void {
		if (!this.active) return;
		this.#requested = null;
		this.#show(findCells(), index);
	}

	/**
	 * Before a navigation: stop following the old page's cells (its DOM is about to be replaced) and
	 * remember which cell of the new page to show.
	 */
	navigating(to: URL | null): void {
		if (!this.active) return;
		this.#unwatch();
		this.#requested = (to && presentFromQuery(to.searchParams)) ?? 0;
	}

	/**
	 * After every navigation (and on first load): follow `?present=…` if the address asks for it, or
	 * re-apply presenter mode to the new page's cells when already presenting.
	 */
	async sync(): Promise<void> {
		await tick();
		const cells = findCells();
		const wanted = presentFromQuery(readQuery());
		if (wanted !== null) {
			if (!this.active) {
				// Opened from a shared link: no fullscreen (browsers allow it only on a key press or click).
				return this.enter(wanted, { fullscreen: false });
			}
			this.#requested = wanted;
			this.#show(cells, resolveRequest(wanted, cells.length));
			this.#watch();
		} else if (this.active) {
			// Navigated (e.g. a link in a cell) while presenting: start the new page at its first cell.
			this.#requested = null;
			this.#show(cells, 0);
			this.#watch();
		}
	}

	/** Called when the browser leaves full screen (Esc is taken by the browser there): leave too. */
	onFullscreenChange(): void {
		if (!document.fullscreenElement && this.#enteredFullscreen) {
			this.#enteredFullscreen = false;
			this.leave();
		}
	}

	#requestFullscreen() {
		const el = document.documentElement;
		if (document.fullscreenElement || !el.requestFullscreen) return;
		el.requestFullscreen()
			.then(() => (this.#enteredFullscreen = true))
			.catch(() => undefined); // not allowed here (no user gesture, iframe, test browser): fine
	}

	#show(cells: HTMLElement[], index: number) {
		this.count = cells.length;
		this.index = clampIndex(index, cells.length);
		unmark();
		const html = document.documentElement;
		const cell = cells[this.index];
		html.setAttribute('data-presenting', cell ? 'cells' : 'page');
		if (cell) {
			cell.setAttribute(CURRENT, '');
			for (let p = cell.parentElement; p && p !== document.body; p = p.parentElement) p.setAttribute(PATH, '');
		}
		window.scrollTo({ top: 0, behavior: 'instant' });
		this.#writeUrl(cell ? this.index : 0);
	}

	/** Keeps the marks when the page re-renders the presented cell (e.g. an `{#if}` around it). */
	#watch() {
		if (this.#observer) return;
		const main = document.querySelector('main');
		if (!main) return;
		this.#observer = new MutationObserver(() => {
			if (!this.active) return;
			const cells = findCells();
			const current = cells[this.index];
			if (cells.length !== this.count || (current && !current.hasAttribute(CURRENT))) {
				const index = this.#requested === null ? this.index : resolveRequest(this.#requested, cells.length);
				this.#show(cells, index);
			}
		});
		this.#observer.observe(main, { childList: true, subtree: true });
	}

	#unwatch() {
		this.#observer?.disconnect();
		this.#observer = null;
	}

	#writeUrl(index: number | null) {
		writeQuery({ [PRESENT_KEY]: index === null ? null : 1, [CELL_KEY]: index === null ? null : index + 1 });
	}
}

function unmark() {
	for (const el of document.querySelectorAll(`[${CURRENT}]`)) el.removeAttribute(CURRENT);
	for (const el of document.querySelectorAll(`[${PATH}]`)) el.removeAttribute(PATH);
}

/** The first cell whose bottom is below the top quarter of the window (what the reader is looking at). */
function nearestCell(cells: HTMLElement[]): number {
	const line = window.innerHeight * 0.25;
	const i = cells.findIndex((c) => c.getBoundingClientRect().bottom > line);
	return i < 0 ? Math.max(0, cells.length - 1) : i;
}

/** The one presenter of the page. */
export const presenter = new Presenter();
