import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { analyze, composeStack, layerGeometry, fcn, trainedOptions, vgg16Convolutional, fcnAlexnet } from '$lib/fcn';
import {
	chainOf,
	DEFAULT_STACK,
	LIMITS,
	parseStack,
	presetStack,
	PRESETS,
	serializeStack,
	stackFromQuery,
	type StackLayer
} from '$lib/lessons/receptive-field/stack';
import {
	agreement,
	asKernelStride,
	compositionSteps,
	recurrenceTable,
	stepTex
} from '$lib/lessons/receptive-field/composition';
import { autoInput, dependencies, diagramLevels, unitCentre } from '$lib/lessons/receptive-field/diagram';

const layerArb = fc
	.record({
		kind: fc.constantFrom<'conv' | 'pool'>('conv', 'pool'),
		k: fc.integer({ min: 1, max: 7 }),
		s: fc.integer({ min: 1, max: 3 }),
		p: fc.integer({ min: 0, max: 3 }),
		d: fc.integer({ min: 1, max: 3 })
	})
	.map((l): StackLayer => ({
		...l,
		d: l.kind === 'pool' ? 1 : l.d,
		p: Math.min(l.p, l.k - 1),
		name: 'x',
		ceil: false
	}));

describe('the stack in the URL', () => {
	it('serializeStack ∘ parseStack is the identity on valid stacks (a link reproduces the view)', () => {
		fc.assert(
			fc.property(fc.array(layerArb, { minLength: 1, maxLength: 8 }), (layers) => {
				const parsed = parseStack(serializeStack(layers));
				expect(parsed.notices).toEqual([]);
				expect(serializeStack(parsed.value)).toBe(serializeStack(layers));
			})
		);
	});

	it('parseStack clamps values out of range and says so, never throws', () => {
		const parsed = parseStack('c99.0.1.9_p2.2.0');
		expect(parsed.value[0]).toMatchObject({ k: LIMITS.k.max, s: LIMITS.s.min, d: LIMITS.d.max });
		expect(parsed.notices.length).toBe(1);
		for (const garbage of ['', 'zzz', '%%%_c', 'c3.1.1.1_'.repeat(40)]) {
			const r = parseStack(garbage);
			expect(r.value.length).toBeGreaterThan(0);
			expect(r.value.length).toBeLessThanOrEqual(LIMITS.layers);
		}
	});

	it('stackFromQuery prefers stack= over preset= and reports an unknown preset', () => {
		expect(stackFromQuery(new URLSearchParams('preset=vgg16-pool5')).value.preset).toBe('vgg16-pool5');
		expect(stackFromQuery(new URLSearchParams('preset=vgg16-pool5&stack=c3.1.0.1')).value.layers).toHaveLength(1);
		const bad = stackFromQuery(new URLSearchParams('preset=lenet'));
		expect(bad.notices[0]).toMatch(/unknown preset/);
		expect(bad.value.layers).toHaveLength(DEFAULT_STACK.length);
	});
});

describe('presets come from the network definitions', () => {
	it('VGG-16 to fc7 has the 404-pixel field and stride 32 of the paper’s Table 1 (FCN-VGG16)', () => {
		const rows = recurrenceTable(presetStack('vgg16-fc7'));
		const last = rows[rows.length - 1].field;
		const lib = analyze(vgg16Convolutional(), [224, 224]).layers.find((r) => r.name === 'fc7')!;
		expect(last.rf).toBe(404);
		expect(last.jump).toBe(32);
		expect(last.rf).toBe(lib.rf);
		expect(last.start).toBe(lib.start);
	});

	it('AlexNet to fc7 has the 355-pixel field and stride 32 of Table 1 (FCN-AlexNet)', () => {
		const f = recurrenceTable(presetStack('alexnet')).at(-1)!.field;
		expect([f.rf, f.jump]).toEqual([355, 32]);
		expect(chainOf(fcnAlexnet(), 'fc7').map((l) => l.name)).toEqual([
			'conv1',
			'pool1',
			'conv2',
			'pool2',
			'conv3',
			'conv4',
			'conv5',
			'pool5',
			'fc6',
			'fc7'
		]);
	});

	it('every preset agrees with analyze() of its network at its last layer', () => {
		for (const p of PRESETS) {
			const last = recurrenceTable(presetStack(p.name)).at(-1)!.field;
			const row = layerGeometry(p.net(), [512, 512], p.until).get(p.until)!.field;
			expect([last.rf, last.jump, last.start]).toEqual([row.rf, row.jump, row.start]);
		}
		expect(presetStack('trained').map((l) => l.name)).toEqual(
			chainOf(fcn('8s', trainedOptions()), 'fc7').map((l) => l.name)
		);
	});
});

describe('composition rule = recurrences (paper §3: f_ks ∘ g_k′s′ = (f∘g)_{k′+(k−1)s′, ss′})', () => {
	it('the composed (k, s) of any stack equals the last row’s (rf, jump)', () => {
		fc.assert(
			fc.property(fc.array(layerArb, { minLength: 0, maxLength: 10 }), (layers) => {
				const steps = compositionSteps(layers);
				const a = agreement(steps, recurrenceTable(layers));
				expect(a.agree).toBe(true);
				expect(a.composed).toEqual(composeStack(layers.map(asKernelStride)));
			})
		);
	});

	it('stepTex substitutes the numbers of each step', () => {
		const [, second] = compositionSteps(DEFAULT_STACK);
		// conv3 after conv3: k′ + (k − 1)s′ = 3 + 2·1 = 5
		expect(stepTex(second)).toContain('3 + (3 - 1)\\cdot 1');
		expect(second.result).toEqual({ k: 5, s: 1 });
	});
});

describe('the 1-D diagram', () => {
	it('level sizes are the library’s output sizes; autoInput shows the top unit’s whole field', () => {
		const layers = presetStack('vgg16-pool5');
		const n = autoInput(layers);
		const d = diagramLevels(layers, n);
		const row = analyze(vgg16Convolutional(), [n, n]).layers.find((r) => r.name === 'pool5')!;
		expect(d.levels.at(-1)!.size).toBe(row.out[0]);
		expect(n).toBeGreaterThanOrEqual(row.rf);
	});

	it('the units one unit depends on span exactly rf input pixels, centred on start + u·jump', () => {
		fc.assert(
			fc.property(fc.array(layerArb, { minLength: 1, maxLength: 6 }), fc.nat(), (layers, pick) => {
				let d;
				try {
					d = diagramLevels(layers, autoInput(layers));
				} catch {
					return; // a stack that cannot run on its input is reported, not drawn
				}
				const top = d.levels.length - 1;
				const u = pick % d.levels[top].size;
				const deps = dependencies(layers, d, top, u);
				const rf = d.levels[top].field.rf;
				expect(deps[0].hi - deps[0].lo + 1).toBe(rf);
				expect((deps[0].lo + deps[0].hi) / 2).toBeCloseTo(unitCentre(d.levels[top], u), 9);
			})
		);
	});

	it('dependencies rejects a unit outside its level', () => {
		const d = diagramLevels(DEFAULT_STACK, 16);
		expect(() => dependencies(DEFAULT_STACK, d, 1, 99)).toThrow(/invalid unit/);
	});
});
