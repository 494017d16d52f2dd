import type { Attachment } from 'svelte/attachments';

/**
 * Makes a box that scrolls (`overflow: auto`) reachable from the keyboard while, and only while, its
 * content overflows it: then it is a named region in the tab order (`tabindex="0"`, `role="region"`,
 * `aria-label`), so a keyboard user can focus it and scroll with the arrow keys (WCAG 2.1.1, axe's
 * scrollable-region-focusable). A box that fits adds no tab stop.
 *
 * ```svelte
 * <div class="table-wrap" {@attach scrollRegion('Layer table')}>…</div>
 * ```
 */
export function scrollRegion(label: string): Attachment<HTMLElement> {
	return (box) => {
		const update = () => setScrollable(box, label, overflows(box));
		const resized = new ResizeObserver(update);
		const observeChildren = () => {
			resized.disconnect();
			resized.observe(box);
			for (const child of box.children) resized.observe(child);
			update();
		};
		const changed = new MutationObserver(observeChildren);
		changed.observe(box, { childList: true });
		observeChildren();
		return () => {
			resized.disconnect();
			changed.disconnect();
			setScrollable(box, label, false);
		};
	};
}

/** Whether the content of `box` is wider or taller than the box (a pixel of rounding allowed). */
export function overflows(box: Pick<HTMLElement, 'scrollWidth' | 'clientWidth' | 'scrollHeight' | 'clientHeight'>) {
	return box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
}

/** Puts `box` in the tab order as a region named `label`, or takes it out. */
export function setScrollable(box: HTMLElement, label: string, scrollable: boolean): void {
	if (scrollable) {
		box.tabIndex = 0;
		box.setAttribute('role', 'region');
		box.setAttribute('aria-label', label);
	} else {
		box.removeAttribute('tabindex');
		box.removeAttribute('role');
		box.removeAttribute('aria-label');
	}
}
