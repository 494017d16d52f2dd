/**
 * Crop offsets, derived from the coordinate maps between blobs as the reference implementation's
 * coord_map.py does (never typed in), and checked against the reference nets' offsets.
 */
import { describe, expect, it } from 'vitest';
import {
	analyze,
	composeMaps,
	coordMapFromTo,
	cropOffsets,
	fcn,
	fcnAlexnet,
	inverseMap,
	layerCoordMap,
	type Layer,
	type Network
} from '$lib/fcn';

const offsets = (net: Network) => Object.fromEntries(cropOffsets(net));

describe('cropOffsets(net): the reference implementation’s offsets', () => {
	it('fcn8s: score_pool4c 5, score_pool3c 9, score 31', () => {
		expect(offsets(fcn('8s'))).toEqual({ score_pool4c: 5, score_pool3c: 9, score: 31 });
	});
	it('fcn16s: score_pool4c 5, score 27', () => {
		expect(offsets(fcn('16s'))).toEqual({ score_pool4c: 5, score: 27 });
	});
	it('fcn32s: score 19', () => {
		expect(offsets(fcn('32s'))).toEqual({ score: 19 });
	});
	it('fcn-alexnet: score 18', () => {
		expect(offsets(fcnAlexnet())).toEqual({ score: 18 });
	});
	it("the 'same' geometry has no Crop layer at all", () => {
		expect(offsets(fcn('8s', { geometry: 'same' }))).toEqual({});
	});
	it('every crop aligns its input with its reference: same jump, same centre of unit 0', () => {
		for (const net of [fcn('8s'), fcn('16s'), fcn('32s'), fcnAlexnet()]) {
			const rows = new Map(analyze(net, [500, 375]).layers.map((l) => [l.name, l]));
			for (const l of net.layers) {
				if (l.type !== 'crop') continue;
				const ref = l.reference === 'data' ? { jump: 1, start: 0 } : rows.get(l.reference)!;
				expect([rows.get(l.name)!.jump, rows.get(l.name)!.start], `${net.name} ${l.name}`).toEqual([
					ref.jump,
					ref.start
				]);
			}
		}
	});
	it('the offset follows the padding: conv1_1 padded by 99 instead of 100 moves fcn32s’s score offset by 1', () => {
		const net = fcn('32s');
		const c = net.layers.find((l) => l.name === 'conv1_1') as Extract<Layer, { type: 'conv' }>;
		const shifted = { ...net, layers: net.layers.map((l) => (l === c ? { ...c, padding: 99 } : l)) };
		expect(offsets(shifted)).toEqual({ score: 18 });
	});
	it('a misaligned crop (non-integer offset) throws naming the crop layer', () => {
		const net = fcn('32s');
		const layers = net.layers.map((l) => (l.type === 'deconv' ? { ...l, kernel: 63 } : l));
		expect(() => cropOffsets({ ...net, layers })).toThrow(/^score: cannot crop by a non-integer offset 18.5/);
	});
});

describe('layerCoordMap, composeMaps, inverseMap, coordMapFromTo: coordinate maps (y = scale·x + shift, bottom → top)', () => {
	it('a conv k=3, p=100 shifts by 99; a 2×2 stride-2 pool halves and shifts by −1/4; a deconv k=64, s=32 scales by 32 and shifts by 31.5', () => {
		const net = fcn('32s');
		const map = (n: string) => layerCoordMap(net.layers.find((l) => l.name === n)!);
		expect(map('conv1_1')).toEqual({ scale: 1, shift: 99 });
		expect(map('pool1')).toEqual({ scale: 0.5, shift: -0.25 });
		expect(map('upscore')).toEqual({ scale: 32, shift: 31.5 });
	});
	it('coordMapFromTo(fcn32s, upscore, data) is y = x − 19, and composing a map with its inverse is the identity', () => {
		const m = coordMapFromTo(fcn('32s'), 'upscore', 'data');
		expect(m).toEqual({ scale: 1, shift: -19 });
		expect(composeMaps(m, inverseMap(m))).toEqual({ scale: 1, shift: 0 });
	});
});
