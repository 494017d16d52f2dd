/** Shift-and-stitch arithmetic (src/lib/lessons/deconvolution/stitch.ts): offsets, interleave, rarefy, costs. */
import { describe, expect, it } from 'vitest';
import { analyze, fcn, trainedOptions } from '$lib/fcn';
import { interleave, rarefy, shiftOffsets, stitchCosts, type Map3 } from '$lib/fcn/shiftStitch';

describe('shift-and-stitch arithmetic', () => {
	it('shiftOffsets(f): the f² shifts, row-major', () => {
		expect(shiftOffsets(2)).toEqual([
			[0, 0],
			[0, 1],
			[1, 0],
			[1, 1]
		]);
		expect(shiftOffsets(3)).toHaveLength(9);
		expect(() => shiftOffsets(0)).toThrow();
	});

	it('interleave puts shift (dy, dx)’s cell (r, c) at (f·r + dy, f·c + dx), also for odd sizes', () => {
		// a 3×5 map of value 10·y + x, cut into its four phases
		const H = 3;
		const W = 5;
		const phase = (dy: number, dx: number): Map3 => {
			const rows = Math.ceil((H - dy) / 2);
			const cols = Math.ceil((W - dx) / 2);
			const data = new Float32Array(rows * cols);
			for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) data[r * cols + c] = 10 * (2 * r + dy) + 2 * c + dx;
			return { data, height: rows, width: cols, channels: 1 };
		};
		const out = interleave(
			shiftOffsets(2).map(([dy, dx]) => phase(dy, dx)),
			2
		);
		expect([out.height, out.width]).toEqual([H, W]);
		expect(Array.from(out.data)).toEqual(Array.from({ length: H * W }, (_, n) => 10 * Math.floor(n / W) + (n % W)));
		expect(() => interleave([phase(0, 0)], 2)).toThrow();
	});

	it('rarefy: pool5 at stride 1, fc6 dilated 2 with padding 2; same receptive field, half the jump', () => {
		const net = fcn('32s', trainedOptions());
		const { net: dil, f } = rarefy(net, 'pool5', 'score_fr');
		expect(f).toBe(2);
		const fc6 = dil.layers.find((l) => l.name === 'fc6')!;
		expect(fc6.type === 'conv' && [fc6.dilation, fc6.padding]).toEqual([2, 2]);
		const a = analyze(
			{ ...net, layers: net.layers.filter((l) => l.name !== 'upscore'), output: 'score_fr' },
			[128, 128]
		);
		const b = analyze(dil, [128, 128]);
		const last = (r: typeof a) => r.layers[r.layers.length - 1];
		expect(last(b).rf).toBe(last(a).rf);
		expect(last(b).jump).toBe(last(a).jump / 2);
		expect(last(b).out.slice(0, 2)).toEqual([7, 7]);
		expect(() => rarefy(net, 'fc6', 'score_fr')).toThrow();
	});

	it('stitchCosts: f² shifted inputs cost f² passes; shifting the pool’s input costs what dilating does', () => {
		const c = stitchCosts(fcn('32s', trainedOptions()), 'pool5', 'score_fr', [128, 128]);
		expect(c.f).toBe(2);
		expect(c.shiftInput).toBe(4 * c.coarse);
		// 4×4 coarse positions; the shifted maps give 4×4 + 4×3 + 3×4 + 3×3 = 49 = the dilated 7×7
		expect(c.shiftPool).toBe(c.below + (c.above * 49) / 16);
		expect(c.shiftPool).toBeCloseTo(c.dilated, 0);
		expect(c.dilated).toBeGreaterThan(c.coarse);
		expect(c.dilated).toBeLessThan(c.shiftInput);
		expect(c.upsampling).toBeGreaterThan(c.coarse);
		expect(c.upsampling).toBeLessThan(c.shiftInput);
		expect(c.totalStride).toBe(32);
		expect(c.denseShift).toBe(1024 * c.coarse);
	});
});
