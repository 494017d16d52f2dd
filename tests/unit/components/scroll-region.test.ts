import { describe, expect, it } from 'vitest';
import { overflows, setScrollable } from '$lib/components/ui/scroll-region';

/** Just enough of an element for setScrollable: tabIndex and attributes. */
function fakeBox() {
	const attrs = new Map<string, string>();
	return {
		attrs,
		set tabIndex(v: number) {
			attrs.set('tabindex', String(v));
		},
		setAttribute: (k: string, v: string) => void attrs.set(k, v),
		removeAttribute: (k: string) => void attrs.delete(k)
	};
}

describe('overflows', () => {
	it('is true when the content is wider or taller than the box', () => {
		expect(overflows({ scrollWidth: 900, clientWidth: 600, scrollHeight: 100, clientHeight: 100 })).toBe(true);
		expect(overflows({ scrollWidth: 600, clientWidth: 600, scrollHeight: 300, clientHeight: 100 })).toBe(true);
	});
	it('allows a pixel of rounding', () => {
		expect(overflows({ scrollWidth: 601, clientWidth: 600, scrollHeight: 100, clientHeight: 100 })).toBe(false);
	});
});

describe('setScrollable', () => {
	it('makes a scrolling box a named region in the tab order, and takes it out again', () => {
		const box = fakeBox();
		setScrollable(box as unknown as HTMLElement, 'Layer table', true);
		expect(Object.fromEntries(box.attrs)).toEqual({ tabindex: '0', role: 'region', 'aria-label': 'Layer table' });
		setScrollable(box as unknown as HTMLElement, 'Layer table', false);
		expect(box.attrs.size).toBe(0);
	});
});
