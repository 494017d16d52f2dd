/** The class-probability map of /fc-to-conv over its input, each score cell where its unit sits. */
import { describe, expect, it } from 'vitest';
import { colormapLut, paintClassOverlay } from '$lib/viz';

describe('paintClassOverlay(input, H, W, grid, at)', () => {
	// A 4×4 input with no ink; one 2×2 score cell centred at 2 (jump 2): pixels 1…2 on each axis.
	const img = paintClassOverlay(
		new Float32Array(16),
		4,
		4,
		{ data: Float32Array.from([1]), width: 1, height: 1 },
		{ start: 2, jump: 2 }
	);
	const px = (x: number, y: number) => Array.from(img.data.subarray(4 * (y * 4 + x), 4 * (y * 4 + x) + 4));
	it('shows the dimmed input (grey 40) outside every score cell', () => {
		expect(px(0, 0)).toEqual([40, 40, 40, 255]);
		expect(px(3, 3)).toEqual([40, 40, 40, 255]);
	});
	it('mixes inferno(p) in at opacity 0.25 + 0.7p inside the cell', () => {
		const lut = colormapLut('inferno');
		const want = [...Uint8ClampedArray.from([0, 1, 2].map((k) => 0.05 * 40 + 0.95 * lut[4 * 255 + k]))];
		expect(px(1, 1).slice(0, 3)).toEqual(want);
		expect(px(2, 2)).toEqual(px(1, 1));
	});
});
