/** /real-network's pure logic: the samples in the URL, the mask painter, the DAG read from the graph. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { int32Consts, parseModelJson, readModel } from '$lib/fcn';
import { layoutDag } from '$lib/lessons/real-network/dag';
import { boxFractions, paintMask } from '$lib/lessons/real-network/mask';
import { percent, realFromQuery } from '$lib/lessons/real-network/samples';

const file = (p: string) => readFileSync(new URL(`../../../static/weights/${p}`, import.meta.url));

describe('samples', () => {
	it('?sample= names a vendored photo, none, or (absent or garbage) the astronaut', () => {
		expect(realFromQuery('')).toEqual({ sample: 'astronaut', node: null });
		expect(realFromQuery('?sample=chelsea').sample).toBe('chelsea');
		expect(realFromQuery('?sample=coffee&node=x')).toEqual({ sample: 'coffee', node: 'x' });
		expect(realFromQuery('?sample=none').sample).toBeNull();
		// garbage takes the default, as every page's URL state does
		expect(realFromQuery('?sample=../etc').sample).toBe('astronaut');
		expect(percent(0.5449)).toBe('54.5%');
	});
});

describe('mask', () => {
	it('paints probability as opacity on a fixed scale (a near-empty mask stays near clear)', () => {
		const img = paintMask(new Float32Array([0, 0.01, 0.5, 1]), 2, 2);
		expect([img.data[3], img.data[7], img.data[11], img.data[15]]).toEqual([0, 2, 77, 153]);
	});
	it('places a field box as fractions of the photo', () => {
		expect(boxFractions({ ys: [0, 63], xs: [128, 255] }, [256, 256])).toEqual({
			top: 0,
			left: 0.5,
			height: 0.25,
			width: 0.5
		});
	});
});

describe('the DAG of the selfie segmenter', () => {
	const m = parseModelJson(file('selfie/selfie.json').toString('utf8'));
	const bin = file('selfie/selfie.bin');
	const read = readModel(m, {
		consts: int32Consts(m, bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer)
	});
	const dag = layoutDag(read);
	it('goes down to stride 16 and back up, gates left out and counted', () => {
		expect(dag.levels).toBe(4);
		expect(dag.gates).toBe(10);
		expect(dag.nodes.some((n) => n.role === 'gate')).toBe(false);
		expect(dag.nodes.at(-1)).toMatchObject({ name: 'segment', level: 0 });
	});
	it('draws every fuse with a skip edge from the encoder', () => {
		const fuses = dag.nodes.filter((n) => n.role === 'fuse').map((n) => n.name);
		expect(fuses).toHaveLength(6);
		for (const f of fuses) expect(dag.edges.some((e) => e.to === f && e.skip)).toBe(true);
	});
});
