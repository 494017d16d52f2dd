/**
 * Receptive fields (the paper's §3: f_ks ∘ g_k′s′ = (f∘g)_{k′+(k−1)s′, ss′}) and Table 1's
 * "rf size" and "max stride" of the convolutionalised nets.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	analyze,
	compose,
	composeStack,
	convField,
	deconvField,
	fcn,
	fcnAlexnet,
	INPUT_FIELD,
	stackField,
	sumField,
	vgg16,
	type KernelStride
} from '$lib/fcn';

const layer = fc.record({ k: fc.integer({ min: 1, max: 9 }), s: fc.integer({ min: 1, max: 4 }) });
const stack = fc.array(layer, { minLength: 1, maxLength: 8 });

describe('compose(f, g): the composition rule', () => {
	it('compose({k: 3, s: 1}, {k: 3, s: 1}) is one 5×5 layer (two 3×3 convs see 5 pixels)', () => {
		expect(compose({ k: 3, s: 1 }, { k: 3, s: 1 })).toEqual({ k: 5, s: 1 });
	});
	it('applies g first: a 3×3 conv after a 2×2 stride-2 pool is {k: 2 + 2·2, s: 2}', () => {
		expect(compose({ k: 3, s: 1 }, { k: 2, s: 2 })).toEqual({ k: 6, s: 2 });
		expect(compose({ k: 2, s: 2 }, { k: 3, s: 1 })).toEqual({ k: 4, s: 2 });
	});
	it('equals the layer-by-layer recurrences rf′ = rf + (k − 1)·jump, jump′ = jump·s on random stacks', () => {
		fc.assert(
			fc.property(stack, (layers) => {
				const c = composeStack(layers);
				const f = stackField(layers.map(({ k, s }) => ({ k, s })));
				expect(c).toEqual({ k: f.rf, s: f.jump });
			})
		);
	});
	it('is associative: f ∘ (g ∘ h) = (f ∘ g) ∘ h', () => {
		fc.assert(
			fc.property(layer, layer, layer, (f: KernelStride, g: KernelStride, h: KernelStride) => {
				expect(compose(f, compose(g, h))).toEqual(compose(compose(f, g), h));
			})
		);
	});
	it('has the 1×1 stride-1 layer as identity on both sides', () => {
		fc.assert(
			fc.property(layer, (f) => {
				expect(compose(f, { k: 1, s: 1 })).toEqual(f);
				expect(compose({ k: 1, s: 1 }, f)).toEqual(f);
			})
		);
	});
});

describe('per-layer recurrences: rf, jump, start', () => {
	it('padding moves the centre of unit 0 but not the field: conv3×3 pad 100 puts unit 0 at −99', () => {
		expect(convField(INPUT_FIELD, 3, 1, 100)).toEqual({ rf: 3, jump: 1, start: -99 });
	});
	it('dilation d widens a kernel to d(k − 1) + 1 without changing the jump', () => {
		expect(convField(INPUT_FIELD, 3, 1, 0, 4)).toEqual({ rf: 9, jump: 1, start: 4 });
	});
	it('a transposed convolution divides the jump by s (fractional input stride 1/s)', () => {
		const f = deconvField(INPUT_FIELD, 4, 2, 1);
		expect(f.jump).toBe(0.5);
		expect(f.start).toBe(-0.25);
		// the stride-2 convolution it transposes maps those units back onto the input grid
		expect(convField(f, 4, 2, 1)).toMatchObject({ jump: 1, start: 0 });
	});
	it('a sum needs aligned branches and sees the larger field; misaligned ones throw naming the layer', () => {
		expect(sumField({ rf: 5, jump: 2, start: 1 }, { rf: 9, jump: 2, start: 1 + 1e-12 })).toMatchObject({
			rf: 9,
			jump: 2
		});
		expect(() => sumField({ rf: 5, jump: 2, start: 1 }, { rf: 9, jump: 2, start: 2 }, 'fuse_pool4')).toThrow(
			/^fuse_pool4: branches are not aligned/
		);
	});
});

describe('Table 1: receptive-field size and max stride of the convolutionalised nets', () => {
	it('FCN-VGG16 score_fr: rf 404, stride 32', () => {
		const r = analyze(fcn('32s'), [500, 500]).layers.find((l) => l.name === 'score_fr')!;
		expect([r.rf, r.jump]).toEqual([404, 32]);
	});
	it('FCN-AlexNet score_fr: rf 355, stride 32', () => {
		const r = analyze(fcnAlexnet(), [500, 500]).layers.find((l) => l.name === 'score_fr')!;
		expect([r.rf, r.jump]).toEqual([355, 32]);
	});
	it('the rf is a property of the layers, not of the input size or geometry', () => {
		const same = analyze(fcn('32s', { geometry: 'same' }), [224, 224]).layers.find((l) => l.name === 'score_fr')!;
		expect([same.rf, same.jump]).toEqual([404, 32]);
		// the classifier's fc6 sees the same 404 pixels: the whole 7×7 pool5 map
		const dense = analyze(vgg16(), [224, 224]).layers.find((l) => l.name === 'fc6')!;
		expect([dense.rf, dense.start]).toEqual([404, 111.5]);
	});
	it("in the 'same' geometry every upsampled output is centred on its pixel: upscore8's unit 0 is at 0 with jump 1", () => {
		const r = analyze(fcn('8s', { geometry: 'same' }), [224, 224]).layers.at(-1)!;
		expect([r.name, r.jump, r.start]).toEqual(['upscore8', 1, 0]);
	});
});
