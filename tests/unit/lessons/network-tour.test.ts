/**
 * The guided tour of /network (src/lib/lessons/network/tour.ts): its steps select layers of the net
 * that runs and quote that net's geometry, and a layer opens on a unit that fires.
 */
import { describe, expect, it } from 'vitest';
import { analyze, fcn, trainedOptions } from '$lib/fcn';
import { firingUnit, tourIndex, tourSteps } from '$lib/lessons/network/tour';
import { networkFromQuery } from '$lib/lessons/network/query';

const report = (v: '8s' | '16s' | '32s', hw: [number, number] = [160, 192]) =>
	analyze(fcn(v, trainedOptions({ classes: 11 })), hw);

describe('tourSteps(): a short tour through the running net', () => {
	it('FCN-8s: input, conv1, a pool, fc6, score_fr, the fuse layers, upscore8, each on a layer the net has', () => {
		const r = report('8s');
		const steps = tourSteps(r);
		expect(steps.map((s) => s.id)).toEqual(['input', 'conv1', 'pool', 'fc6', 'score_fr', 'fuse', 'upscore']);
		expect(steps.map((s) => s.layer)).toEqual([
			'conv1_1',
			'conv1_2',
			'pool1',
			'fc6',
			'score_fr',
			'fuse_pool3',
			'upscore8'
		]);
		const names = new Set(r.layers.map((l) => l.name));
		for (const s of steps) expect(names.has(s.layer)).toBe(true);
	});

	it("the final upsampling is called fixed or learned as the net's definition says", () => {
		const net = fcn('8s', trainedOptions({ classes: 11 }));
		const up = net.layers.find((l) => l.name === 'upscore8')!;
		const text = tourSteps(report('8s'), net).at(-1)!.text;
		expect(up.type === 'deconv' && up.trainable ? /then learned/.test(text) : /fixed to bilinear/.test(text)).toBe(
			true
		);
	});

	it('FCN-32s has no fuse step; FCN-16s ends on upscore16', () => {
		expect(tourSteps(report('32s')).map((s) => s.id)).not.toContain('fuse');
		expect(tourSteps(report('32s')).at(-1)!.layer).toBe('upscore');
		expect(tourSteps(report('16s')).at(-1)!.layer).toBe('upscore16');
		expect(tourSteps(report('16s')).find((s) => s.id === 'fuse')!.layer).toBe('fuse_pool4');
	});

	it("every number in a step's text is the report's: they follow the input size and the net", () => {
		const small = tourSteps(report('8s', [160, 192]));
		const large = tourSteps(report('8s', [256, 320]));
		const byId = (st: typeof small, id: string) => st.find((s) => s.id === id)!.text;
		const r = report('8s', [256, 320]);
		const row = (n: string) => r.layers.find((l) => l.name === n)!;
		expect(byId(large, 'input')).toContain('256×320');
		expect(byId(small, 'input')).toContain('160×192');
		expect(byId(large, 'pool')).toContain(`${row('conv1_2').jump} → ${row('pool1').jump} px`);
		expect(byId(large, 'pool')).toContain(`${row('pool1').out[0]}×${row('pool1').out[1]}`);
		expect(byId(large, 'fc6')).toContain(`${row('fc6').kernel}×${row('fc6').kernel}`);
		expect(byId(large, 'fc6')).toContain(`${row('fc6').rf} px`);
		expect(byId(large, 'score_fr')).toContain(`every ${row('score_fr').jump} px`);
		expect(byId(large, 'score_fr')).toContain(`${row('score_fr').out[2]} class scores`);
		expect(byId(large, 'fuse')).toContain(
			`${row('score_fr').jump} → ${row('fuse_pool4').jump} → ${row('fuse_pool3').jump} px`
		);
		expect(byId(large, 'upscore')).toContain(`kernel ${row('upscore8').kernel}, stride ${row('upscore8').stride}`);
		expect(byId(small, 'score_fr')).not.toBe(byId(large, 'score_fr'));
	});

	it('tourIndex: 0 closes, steps are 1-based and clamped to the steps there are', () => {
		expect(tourIndex(0, 7)).toBeNull();
		expect(tourIndex(1, 7)).toBe(0);
		expect(tourIndex(7, 7)).toBe(6);
		expect(tourIndex(12, 6)).toBe(5);
		expect(tourIndex(3, 0)).toBeNull();
	});

	it('?tour=K is read by the URL spec (garbage: closed)', () => {
		expect(networkFromQuery(new URLSearchParams('tour=3')).tour).toBe(3);
		expect(networkFromQuery(new URLSearchParams('tour=x')).tour).toBe(0);
		expect(networkFromQuery(new URLSearchParams('')).tour).toBe(0);
	});
});

describe('firingUnit(): a layer opens on a unit that fires', () => {
	const map = (W: number, H: number, C: number, set: [number, number, number, number][]) => {
		const data = new Float32Array(W * H * C);
		for (const [y, x, c, v] of set) data[(y * W + x) * C + c] = v;
		return { name: 'pool1', data, width: W, height: H, channels: C };
	};

	it('picks the strongest unit of the central half, over every channel', () => {
		// a stronger unit at the border loses to the strongest one near the centre
		const m = map(8, 8, 3, [
			[0, 0, 0, 9],
			[4, 3, 2, 5],
			[3, 4, 1, 2]
		]);
		expect(firingUnit(m)).toEqual({ layer: 'pool1', channel: 2, y: 4, x: 3 });
	});

	it('ties go to the unit nearest the centre', () => {
		const m = map(9, 9, 1, [
			[2, 2, 0, 1],
			[4, 5, 0, 1],
			[6, 6, 0, 1]
		]);
		expect(firingUnit(m)).toEqual({ layer: 'pool1', channel: 0, y: 4, x: 5 });
	});

	it('falls back to the whole map when nothing fires in the centre, and is null when nothing fires at all', () => {
		expect(firingUnit(map(8, 8, 2, [[0, 7, 1, 0.5]]))).toEqual({ layer: 'pool1', channel: 1, y: 0, x: 7 });
		expect(firingUnit(map(8, 8, 2, []))).toBeNull();
		expect(firingUnit(map(1, 1, 1, [[0, 0, 0, 2]]))).toEqual({ layer: 'pool1', channel: 0, y: 0, x: 0 });
	});

	it('the unit it picks is above zero (its ReLU is on), for random maps', () => {
		let seed = 1;
		const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
		for (let k = 0; k < 20; k++) {
			const W = 3 + (k % 7),
				H = 2 + (k % 5),
				C = 1 + (k % 4);
			const data = Float32Array.from({ length: W * H * C }, () => Math.max(0, rnd()));
			const u = firingUnit({ name: 'x', data, width: W, height: H, channels: C });
			if (data.some((v) => v > 0)) expect(data[(u!.y * W + u!.x) * C + u!.channel!]).toBeGreaterThan(0);
		}
	});
});
