/**
 * Whether a keydown should move between lessons: a bare ← or → while no control has focus. Ignored with
 * any modifier, and when focus is in an input, select, textarea, contenteditable, slider or another
 * widget that uses arrow keys itself. An element (and its subtree) can claim the arrow keys with the
 * attribute `data-own-arrows`.
 */
export function lessonKey(event: KeyboardEvent): 'prev' | 'next' | undefined {
	if (event.defaultPrevented || event.isComposing) return undefined;
	if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return undefined;
	if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return undefined;
	const target = event.target instanceof Element ? event.target : null;
	const active = document.activeElement;
	for (const el of [target, active]) {
		if (el instanceof Element && ownsArrows(el)) return undefined;
	}
	return event.key === 'ArrowLeft' ? 'prev' : 'next';
}

const ARROW_ROLES =
	'[role="slider"],[role="spinbutton"],[role="listbox"],[role="option"],[role="tablist"],[role="tab"],' +
	'[role="radiogroup"],[role="radio"],[role="menu"],[role="menuitem"],[role="grid"],[role="tree"],' +
	'[role="textbox"],[role="combobox"],[data-own-arrows]';

function ownsArrows(el: Element): boolean {
	if (el.closest('input, select, textarea, [contenteditable=""], [contenteditable="true"]')) return true;
	if (el instanceof HTMLElement && el.isContentEditable) return true;
	return el.closest(ARROW_ROLES) !== null;
}

export type PresenterAction = 'toggle' | 'leave' | 'next' | 'prev' | 'first' | 'last';

/**
 * What a keydown means for presenter mode: `P` toggles it (always, outside text fields); while
 * presenting, space / → / ↓ / PageDown step forward, Shift+space / ← / ↑ / PageUp back, Home / End jump,
 * Esc leaves. Arrows stay with sliders and other arrow-key widgets, space with buttons and links.
 */
export function presenterKey(event: KeyboardEvent, presenting: boolean): PresenterAction | undefined {
	if (event.defaultPrevented || event.isComposing) return undefined;
	if (event.altKey || event.ctrlKey || event.metaKey) return undefined;
	const target = event.target instanceof Element ? event.target : null;
	const active = document.activeElement;
	const els = [target, active].filter((e): e is Element => e instanceof Element);
	const typing = els.some((el) =>
		el.closest('input, select, textarea, [contenteditable=""], [contenteditable="true"]')
	);
	if ((event.key === 'p' || event.key === 'P') && !event.shiftKey) return typing ? undefined : 'toggle';
	if (!presenting) return undefined;
	if (event.key === 'Escape') return 'leave';
	if (event.key === ' ') {
		if (
			typing ||
			els.some((el) => el.closest('button, a[href], summary, [role="button"], [role="checkbox"], [role="switch"]'))
		)
			return undefined;
		return event.shiftKey ? 'prev' : 'next';
	}
	if (event.shiftKey) return undefined;
	if (event.key === 'PageDown') return 'next';
	if (event.key === 'PageUp') return 'prev';
	if (['ArrowRight', 'ArrowDown', 'ArrowLeft', 'ArrowUp', 'Home', 'End'].includes(event.key)) {
		if (els.some(ownsArrows)) return undefined;
		if (event.key === 'Home') return 'first';
		if (event.key === 'End') return 'last';
		return event.key === 'ArrowRight' || event.key === 'ArrowDown' ? 'next' : 'prev';
	}
	return undefined;
}
