/**
 * The skip-fusion lesson's helpers: the condensed graph of FCN-32s/16s/8s and the alignment table.
 * Paper §4.2 and the reference implementation: FCN-16s sums upscore2(score_fr) with score_pool4,
 * FCN-8s then sums upscore_pool4 with score_pool3; in Caffe's geometry Crop layers align them.
 */
import { describe, expect, it } from 'vitest';
import { analyze, fcn, trainedOptions } from '../../src/lib/fcn/index.ts';
import { netGraph } from '../../src/lib/lessons/skip-fusion/graph.ts';
import { alignmentPoints } from '../../src/lib/lessons/skip-fusion/alignment.ts';
import { defaultZoomCentre, zoomWindow } from '../../src/lib/lessons/skip-fusion/zoom.ts';

const paper = (v: '32s' | '16s' | '8s') => fcn(v, { classes: 21 });
const ours = (v: '32s' | '16s' | '8s') => fcn(v, trainedOptions({ classes: 11 }));

describe('netGraph(net, analyze(net, input))', () => {
	it('labels every node with the size and jump that analyze() reports for that layer', () => {
		for (const v of ['32s', '16s', '8s'] as const) {
			for (const [net, size] of [
				[paper(v), 500],
				[ours(v), 160]
			] as const) {
				const report = analyze(net, [size, size]);
				const rows = new Map(report.layers.map((r) => [r.name, r]));
				for (const n of netGraph(net, report).nodes) {
					if (n.name === 'data') continue;
					expect(n.out).toEqual(rows.get(n.name)!.out);
					expect(n.jump).toBe(rows.get(n.name)!.jump);
				}
			}
		}
	});

	it('keeps the five pools, the score layers, every upsampling, sum and crop; folds the size-keeping 3×3 convolutions and dropout', () => {
		const net = paper('8s');
		const g = netGraph(net, analyze(net, [500, 500]));
		const names = g.nodes.map((n) => n.name);
		for (const keep of [
			'conv1_1',
			'pool1',
			'pool2',
			'pool3',
			'pool4',
			'pool5',
			'fc6',
			'fc7',
			'score_fr',
			'upscore2',
			'score_pool4',
			'score_pool4c',
			'fuse_pool4',
			'upscore_pool4',
			'score_pool3',
			'score_pool3c',
			'fuse_pool3',
			'upscore8',
			'score'
		]) {
			expect(names).toContain(keep);
		}
		for (const gone of ['conv1_2', 'conv3_3', 'conv5_1', 'drop6', 'drop7']) expect(names).not.toContain(gone);
		// Every layer of the definition is shown by exactly one node.
		const covered = g.nodes.flatMap((n) => n.covers);
		expect(new Set(covered).size).toBe(covered.length);
		expect(new Set(covered)).toEqual(new Set(net.layers.map((l) => l.name)));
	});

	it('puts the skip branches on row 1, just before the sum they feed, with an edge from their pool', () => {
		const net = paper('16s');
		const g = netGraph(net, analyze(net, [500, 500]));
		const at = (n: string) => g.nodes.find((x) => x.name === n)!;
		expect(at('score_pool4').row).toBe(1);
		expect(at('score_pool4c').row).toBe(1);
		expect(at('score_pool4c').col).toBe(at('fuse_pool4').col - 1);
		expect(g.edges).toContainEqual({ from: 'pool4', to: 'score_pool4', kind: 'data' });
		expect(g.edges).toContainEqual({ from: 'upscore2', to: 'score_pool4c', kind: 'size' });
		expect(g.edges).toContainEqual({ from: 'score_pool4c', to: 'fuse_pool4', kind: 'data' });
	});
});

describe('alignmentPoints(net, report)', () => {
	it('caffe geometry: the Crop offset derived by the library equals (start_ref − start_other)/jump at every sum and at the output', () => {
		for (const v of ['16s', '8s'] as const) {
			for (const size of [37, 224, 500]) {
				const net = paper(v);
				const pts = alignmentPoints(net, analyze(net, [size, size]));
				expect(pts.length).toBe(v === '8s' ? 3 : 2);
				for (const p of pts) {
					expect(p.crop).not.toBeNull();
					expect(p.crop!.offset).toBe(p.shiftCells);
					expect(p.sizesMatch).toBe(true);
				}
			}
		}
	});

	it('same geometry: no crop, the branches start at the same pixel, sizes match when the input is a multiple of 32', () => {
		const net = ours('8s');
		for (const p of alignmentPoints(net, analyze(net, [160, 192]))) {
			expect(p.crop).toBeNull();
			expect(p.shiftCells).toBe(0);
			expect(p.sizesMatch).toBe(true);
		}
		const out = alignmentPoints(net, analyze(net, [100, 100])).at(-1)!;
		expect(out.sizesMatch).toBe(false);
	});
});

describe('zoomWindow(data, w, h, cx, cy, size)', () => {
	it('copies the size×size window around (cx, cy), kept inside the map', () => {
		const data = Uint8Array.from({ length: 100 }, (_, i) => i);
		const win = zoomWindow(data, 10, 10, 5, 5, 4);
		expect(Array.from(win)).toEqual([33, 34, 35, 36, 43, 44, 45, 46, 53, 54, 55, 56, 63, 64, 65, 66]);
		const corner = zoomWindow(data, 10, 10, 0, 0, 3);
		expect(Array.from(corner)).toEqual([0, 1, 2, 10, 11, 12, 20, 21, 22]);
		expect(zoomWindow(new Float32Array(4).fill(1), 2, 2, 1, 1, 3).length).toBe(9);
	});

	it('defaultZoomCentre is the middle of the first digit, or of the scene when it has none', () => {
		expect(
			defaultZoomCentre({
				width: 100,
				height: 80,
				digits: [{ digit: 3, index: 800, box: { x: 10, y: 20, w: 30, h: 40 } }]
			})
		).toEqual({ x: 25, y: 40 });
		expect(defaultZoomCentre({ width: 100, height: 80, digits: [] })).toEqual({ x: 50, y: 40 });
	});
});
