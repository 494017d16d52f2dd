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
