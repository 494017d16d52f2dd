/**
 * seenInterval (src/lib/fcn/interval.ts): the input pixels one unit of a layer sees, through plain
 * stacks, transposed convolutions and dense layers, clipped to the image when its size is given.
 */
import { describe, expect, it } from 'vitest';
import { analyze, fcn, seenInterval, vgg16 } from '$lib/fcn';

describe('seenInterval(net, layer, u): which input pixels unit u sees', () => {
	it('spans rf pixels centred on start + u·jump for a plain stack', () => {
		const net = fcn('32s');
		const r = analyze(net, [500, 500]).layers.find((l) => l.name === 'pool5')!;
		for (const u of [0, 3, 21]) {
			const c = r.start + u * r.jump;
			expect(seenInterval(net, 'pool5', u)).toEqual([c - (r.rf - 1) / 2, c + (r.rf - 1) / 2]);
		}
	});
	it('is clipped to the image when the input size is given (unit 0 of conv1_1 with pad 100 sees nothing)', () => {
		const net = fcn('32s');
		expect(seenInterval(net, 'conv1_1', 0, 500)).toBeNull();
		expect(seenInterval(net, 'conv1_1', 99, 500)).toEqual([0, 1]);
		expect(seenInterval(net, 'conv1_1', 100, 500)).toEqual([0, 2]);
		expect(seenInterval(net, 'score', 0, 500)![0]).toBe(0);
	});
	it('a ×2 transposed convolution unit reads ⌈k/s⌉ = 2 input units', () => {
		const net = fcn('16s');
		const fr = analyze(net, [500, 500]).layers.find((l) => l.name === 'score_fr')!;
		const [lo, hi] = seenInterval(net, 'upscore2', 5)!;
		expect(hi - lo + 1).toBe(fr.rf + fr.jump);
	});
	it('a dense classifier unit sees the whole image', () => {
		expect(seenInterval(vgg16(), 'fc8', 0, 224)).toEqual([0, 223]);
	});
});
