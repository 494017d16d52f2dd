/**
 * Reading TF.js models into the geometry library: the new rules (bilinear resize, adds of unequal
 * paths, squeeze-excitation multiplies, TF 'SAME' padding), the selfie segmenter read from its
 * graph, our own FCN-8s read from its layers JSON, and the malformed-model matrix.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { convPadding, deconvPadding } from '$lib/fcn/graph-import';
import {
	analyze,
	checkShards,
	deconvField,
	fcn,
	INPUT_FIELD,
	int32Consts,
	isTableLayer,
	ModelImportError,
	parseModelJson,
	readModel,
	resizeField,
	seenInterval,
	sumField,
	trainedOptions,
	unionField,
	type ModelJson,
	type Network
} from '$lib/fcn';

const file = (p: string) => readFileSync(new URL(`../../../static/weights/${p}`, import.meta.url));
const selfieJson = () => parseModelJson(file('selfie/selfie.json').toString('utf8'));
const selfieConsts = (m: ModelJson) => {
	const bin = file('selfie/selfie.bin');
	return int32Consts(m, bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer);
};

describe('new geometry rules', () => {
	it('a ×2 bilinear half-pixel resize reads 2 inputs per axis: the fixed deconvolution k=4, s=2, p=1', () => {
		const f = { rf: 7, jump: 4, start: 3 };
		expect(resizeField(f, 2, 'bilinear', true)).toEqual(deconvField(f, 4, 2, 1));
		expect(resizeField(f, 2, 'bilinear', true)).toEqual({ rf: 11, jump: 2, start: 2 });
		expect(resizeField(f, 2, 'nearest', false)).toEqual({ rf: 7, jump: 2, start: 3 });
		expect(resizeField(INPUT_FIELD, 4, 'bilinear', true).start).toBeCloseTo(-0.375);
	});

	it('an add of unequal paths sees the union of both fields; aligned it is the FCN sum', () => {
		const a = { rf: 11, jump: 8, start: 11 };
		expect(unionField(a, { rf: 5, jump: 8, start: 11 })).toEqual(sumField(a, { rf: 5, jump: 8, start: 11 }));
		// [11 − 5, 11 + 5] ∪ [7 − 7, 7 + 7] = [0, 16]: 17 pixels centred on 8.
		expect(unionField(a, { rf: 15, jump: 8, start: 7 })).toEqual({ rf: 17, jump: 8, start: 8 });
		expect(() => sumField(a, { rf: 15, jump: 8, start: 7 })).toThrow(/not aligned/);
		expect(() => unionField(a, { rf: 15, jump: 4, start: 7 }, 'add_5')).toThrow(/add_5: branches have different jumps/);
	});

	it("TF 'SAME' with stride 2 pads the extra row at the end: 256 → 128, unit 0 centred on pixel 1", () => {
		const net: Network = {
			name: 't',
			geometry: 'same',
			output: 'c',
			layers: [
				{ type: 'input', name: 'x', channels: 3 },
				{
					type: 'conv',
					name: 'c',
					input: 'x',
					kernel: 3,
					stride: 2,
					padding: 0,
					padAfter: 1,
					dilation: 1,
					filters: 4,
					groups: 1,
					bias: true,
					activation: 'linear'
				}
			]
		};
		const [row] = analyze(net, [256, 256]).layers;
		expect(row.out).toEqual([128, 128, 4]);
		expect(row).toMatchObject({ rf: 3, jump: 2, start: 1 });
		expect(seenInterval(net, 'c', 0, 256)).toEqual([0, 2]);
	});

	it('a squeeze-excitation multiply keeps the map’s units; its gate must be 1×1', () => {
		const net: Network = {
			name: 'se',
			geometry: 'same',
			output: 'm',
			layers: [
				{ type: 'input', name: 'x', channels: 8 },
				{ type: 'pool', name: 'g', input: 'x', mode: 'avg', kernel: 16, stride: 16, padding: 0, ceil: false },
				{ type: 'scale', name: 'm', inputs: ['x', 'g'] }
			]
		};
		const rows = analyze(net, [16, 16]).layers;
		expect(rows[1]).toMatchObject({ out: [16, 16, 8], rf: 1, jump: 1, start: 0 });
		expect(() => analyze(net, [32, 32])).toThrow(/m: cannot scale .* a gate is 1×1/);
	});
});

describe('the selfie segmenter, read from its graph', () => {
	const m = selfieJson();
	const r = readModel(m, { consts: selfieConsts(m), name: 'selfie' });
	const rows = r.report.layers;
	const of = (t: string) => rows.filter((x) => x.type === t);

	it('reads every node: the input signature, no unsupported op, the output', () => {
		expect(r.format).toBe('graph');
		expect(r.input).toEqual({ node: 'input_1', size: [256, 256], channels: 3, declared: true });
		expect(r.unsupported).toEqual([]);
		expect(r.network.output).toBe('segment');
		expect(r.display.segment).toBe('activation_10');
	});

	it('strides down to 16 and back to 1; the output sees 375 pixels', () => {
		expect(r.bottleneckJump).toBe(16);
		expect(r.output).toMatchObject({ type: 'deconv', kernel: 2, stride: 2, out: [256, 256, 1], jump: 1, rf: 375 });
		const strided = of('conv')
			.filter((x) => x.stride === 2)
			.map((x) => x.jump);
		expect(strided).toEqual([2, 4, 8, 16]);
	});

	it('three ×2 bilinear upsamplings, then adds of unequal paths fusing encoder skips', () => {
		const up = of('resize');
		expect(up.map((x) => [x.jump, x.out[0]])).toEqual([
			[8, 32],
			[4, 64],
			[2, 128]
		]);
		const fuse = rows.filter((x) => r.roles[x.name] === 'fuse').map((x) => x.name);
		expect(fuse).toEqual([
			'add_5__xeno_compat__1',
			'add_6__xeno_compat__1',
			'add_8__xeno_compat__1',
			'add_9__xeno_compat__1',
			'add_11__xeno_compat__1',
			'add_12__xeno_compat__1'
		]);
		// add_5 sums a stride-8 encoder map (unit 0 centred on 7) and an upsampled one (centred on 11).
		const enc = rows.find((x) => x.name === 'ArithmeticOptimizer/AddOpsRewrite_Leaf_1_add__xeno_compat__1')!;
		const dec = rows.find((x) => x.name === 'Conv2D_32')!;
		expect([enc.start, dec.start]).toEqual([7, 11]);
		const add5 = rows.find((x) => x.name === 'add_5__xeno_compat__1')!;
		expect(add5).toMatchObject({ jump: 8, rf: 335, start: 11 });
	});

	it('ten squeeze-excitation gates, each a global pooling', () => {
		expect(of('scale')).toHaveLength(10);
		const gates = of('pool');
		expect(gates.every((g) => g.out[0] === 1 && g.out[1] === 1 && r.roles[g.name] === 'gate')).toBe(true);
		expect(rows.filter((x) => isTableLayer(x.type))).toHaveLength(54 + 10 + 3 + 1 + 14);
	});
});

describe('our own FCN-8s, read from its layers JSON', () => {
	it('gives the rows of the network definition that built it', () => {
		const m = parseModelJson(file('fcn8s/model.json').toString('utf8'));
		const r = readModel(m, { size: [224, 224] });
		expect(r.format).toBe('layers');
		expect(r.unsupported).toEqual([]);
		const pick = (rows: ReturnType<typeof analyze>['layers']) =>
			rows
				.filter((x) => isTableLayer(x.type))
				.map(({ name, type, kernel, stride, padding, out, rf, jump, start }) => ({
					name,
					type,
					kernel,
					stride,
					padding,
					out,
					rf,
					jump,
					start
				}));
		const ours = analyze(fcn('8s', trainedOptions({ classes: 11 })), [224, 224]).layers;
		expect(pick(r.report.layers)).toEqual(pick(ours));
	});
});

const graph = (nodes: object[], extra: object = {}) =>
	JSON.stringify({
		format: 'graph-model',
		modelTopology: { node: nodes },
		weightsManifest: [{ paths: ['w.bin'], weights: [{ name: 'f', shape: [3, 3, 3, 8], dtype: 'float32' }] }],
		...extra
	});
const placeholder = (dims: number[]) => ({
	name: 'x',
	op: 'Placeholder',
	attr: { shape: { shape: { dim: dims.map((d) => ({ size: String(d) })) } } }
});
const conv = {
	name: 'c',
	op: 'Conv2D',
	input: ['x', 'f'],
	attr: { strides: { list: { i: ['1', '2', '2', '1'] } }, padding: { s: btoa('SAME') } }
};

describe('the malformed-model matrix', () => {
	const kind = (f: () => unknown) => {
		try {
			f();
		} catch (e) {
			return e instanceof ModelImportError ? `${e.kind}: ${e.message}` : `other: ${(e as Error).message}`;
		}
		return 'ok';
	};
	it('malformed JSON', () =>
		expect(kind(() => parseModelJson('{"modelTopology": '))).toMatch(/^malformed-json: model.json is not valid JSON/));
	it('JSON that is not a model', () =>
		expect(kind(() => parseModelJson('{"hello": 1}'))).toMatch(/^not-a-model: .*no modelTopology/));
	it('missing shards are named', () => {
		const m = parseModelJson(
			JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['a.bin', 'b.bin'], weights: [] }] })
		);
		expect(kind(() => checkShards(m, ['folder/a.bin']))).toMatch(/^missing-shard: .*missing: b\.bin/);
		expect(kind(() => checkShards(m, ['a.bin', 'b.bin']))).toBe('ok');
	});
	it('a non-image input signature', () => {
		const m = parseModelJson(graph([placeholder([1, 128]), { name: 'r', op: 'Relu', input: ['x'] }]));
		expect(kind(() => readModel(m))).toMatch(/^input-signature: .*\[1, 128\], not an image/);
		const k = parseModelJson(
			JSON.stringify({
				modelTopology: {
					class_name: 'Sequential',
					config: { layers: [{ class_name: 'Dense', config: { name: 'd', batch_input_shape: [null, 10], units: 2 } }] }
				},
				weightsManifest: []
			})
		);
		expect(kind(() => readModel(k))).toMatch(/^input-signature: .*not an image/);
	});
	it('unsupported ops are listed, and what does not depend on them is still analysed', () => {
		const m = parseModelJson(
			graph([
				placeholder([1, 64, 64, 3]),
				conv,
				{ name: 'r', op: 'Relu', input: ['c'] },
				{ name: 'u', op: 'Unique', input: ['r'] },
				{ name: 'after', op: 'Relu', input: ['u'] }
			])
		);
		const r = readModel(m);
		expect(r.unsupported).toEqual([{ node: 'u', op: 'Unique' }]);
		expect(r.skipped).toEqual(['after']);
		expect(r.report.layers.map((x) => [x.name, x.out[0], x.jump])).toEqual([['c', 32, 2]]);
		expect(r.display.c).toBe('r');
	});
	it('a graph with no input', () => {
		expect(kind(() => readModel(parseModelJson(graph([{ name: 'k', op: 'Const' }]))))).toMatch(
			/^input-signature: .*no input/
		);
	});
});

describe('convPadding / deconvPadding (one axis, SAME or VALID)', () => {
	it('VALID pads nothing: ⌊(i − d(k − 1) − 1)/s⌋ + 1, and s(i − 1) + k for the transposed one', () => {
		expect(convPadding(10, 3, 2, 1, false)).toEqual({ out: 4, before: 0, after: 0 });
		expect(convPadding(10, 3, 1, 2, false)).toEqual({ out: 6, before: 0, after: 0 });
		expect(deconvPadding(4, 4, 2, false)).toEqual({ out: 10, before: 0, after: 0 });
	});
	it("SAME is TF's: output ⌈i/s⌉ (i·s transposed), the smaller half before", () => {
		expect(convPadding(10, 3, 2, 1, true)).toEqual({ out: 5, before: 0, after: 1 });
		expect(deconvPadding(4, 4, 2, true)).toEqual({ out: 8, before: 1, after: 1 });
	});
});
