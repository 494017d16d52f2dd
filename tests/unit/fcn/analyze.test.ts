/**
 * analyze(net, [H, W]) (src/lib/fcn/analyze.ts): every layer's output shape, parameter count and
 * geometry for whole networks, and the reference implementation's geometry of FCN-8s on a 500×500
 * PASCAL-sized input.
 */
import { describe, expect, it } from 'vitest';
import { alexnet, analyze, fcn, fcnAlexnet, layerGeometry, vgg16, vgg16Convolutional, type Network } from '$lib/fcn';

const row = (net: Network, input: [number, number], name: string) => {
	const r = analyze(net, input).layers.find((l) => l.name === name);
	if (!r) throw new Error(`no row ${name}`);
	return r;
};

describe('analyze(net, [H, W]): shapes of whole networks', () => {
	it('VGG-16 at 224×224 has 138,357,544 parameters (Simonyan & Zisserman; the paper’s 134M is FCN-VGG16)', () => {
		const r = analyze(vgg16(), [224, 224]);
		expect(r.totals.params).toBe(138_357_544);
		expect(row(vgg16(), [224, 224], 'pool5').out).toEqual([7, 7, 512]);
		expect(row(vgg16(), [224, 224], 'fc8').out).toEqual([1, 1, 1000]);
	});
	it('AlexNet (grouped conv2, conv4, conv5) at 227×227 has 60,965,224 parameters', () => {
		expect(analyze(alexnet(), [227, 227]).totals.params).toBe(60_965_224);
		expect(row(alexnet(), [227, 227], 'pool5').out).toEqual([6, 6, 256]);
	});
	it('convolutionalising VGG-16 keeps every parameter (§3.1: the dense layers are reshaped, not retrained)', () => {
		expect(analyze(vgg16Convolutional(), [224, 224]).totals.params).toBe(analyze(vgg16(), [224, 224]).totals.params);
		expect(row(vgg16Convolutional(), [224, 224], 'fc8').out).toEqual([1, 1, 1000]);
		// on a larger input the convolutional form yields a map of class scores (§3.1, Fig. 2)
		expect(row(vgg16Convolutional(), [384, 384], 'fc8').out).toEqual([6, 6, 1000]);
	});
	it('FLOPs are 2 × multiply–accumulates: VGG-16 at 224 is 30.9 GFLOPs (15.5 G MACs)', () => {
		const r = analyze(vgg16(), [224, 224]);
		const macs = 224 * 224 * 64 * 27; // conv1_1 alone
		expect(r.layers[0].flops).toBe(2 * macs);
		expect(r.totals.flops / 2 / 1e9).toBeCloseTo(15.47, 2);
	});
	it('fcn8s (caffe) at 500×500 follows the reference: pool5 22, score_fr 16, upscore2 34, upscore_pool4 70, upscore8 568, score 500', () => {
		const net = fcn('8s');
		const out = (n: string) => row(net, [500, 500], n).out;
		expect(out('conv1_1')).toEqual([698, 698, 64]);
		expect(out('pool5')).toEqual([22, 22, 512]);
		expect(out('score_fr')).toEqual([16, 16, 21]);
		expect(out('upscore2')).toEqual([34, 34, 21]);
		expect(out('score_pool4c')).toEqual([34, 34, 21]);
		expect(out('upscore_pool4')).toEqual([70, 70, 21]);
		expect(out('upscore8')).toEqual([568, 568, 21]);
		expect(out('score')).toEqual([500, 500, 21]);
	});
	it('rectangular inputs: fcn32s (caffe) maps 375×500 back to 375×500', () => {
		expect(row(fcn('32s'), [375, 500], 'score').out).toEqual([375, 500, 21]);
	});
	it("the 'same' geometry needs no crop: fcn8s at 96×96 outputs 96×96, with 11 classes at width 1/8", () => {
		const net = fcn('8s', { geometry: 'same', width: 0.125, classes: 11, classifierInput: 96, inputChannels: 1 });
		const r = analyze(net, [96, 96]);
		expect(r.crops).toEqual([]);
		expect(r.layers.at(-1)!.out).toEqual([96, 96, 11]);
	});
	it('a sum of mismatched shapes throws, naming the sum layer', () => {
		const net = fcn('8s', { geometry: 'same' });
		expect(() => analyze(net, [500, 500])).toThrow(
			/^fuse_pool4: cannot sum 'upscore2' \(30×30×21\) and 'score_pool4' \(31×31×21\)/
		);
	});
	it('a dense head accepts only its fixed input: the error names the flatten layer', () => {
		expect(() => analyze(vgg16(), [500, 500])).toThrow(/^flatten: vgg16's dense head accepts only a 224×224 input/);
		// …but its convolutional layers can still be looked at for any size
		expect(layerGeometry(vgg16(), [500, 500], 'pool5').get('pool5')!.out).toEqual([16, 16, 512]);
	});
	it('too small an input throws naming the first layer that cannot cope', () => {
		expect(() => analyze(fcn('32s', { geometry: 'same' }), [8, 8])).toThrow(/^pool4: kernel 2 is larger/);
		expect(() => analyze(fcnAlexnet(), [0, 10])).toThrow(/invalid input height: 0/);
	});
	it('the report has exactly the JSON fields of design.md', () => {
		const r = analyze(fcn('8s'), [500, 500]);
		expect(Object.keys(r)).toEqual(['net', 'geometry', 'input', 'layers', 'crops', 'totals']);
		expect(Object.keys(r.layers[0])).toEqual([
			'name',
			'type',
			'kernel',
			'stride',
			'padding',
			'out',
			'rf',
			'jump',
			'start',
			'params',
			'flops'
		]);
		expect(r.input).toEqual([500, 500, 3]);
		expect(r.layers[0]).toMatchObject({ name: 'conv1_1', kernel: 3, stride: 1, padding: 100, start: -99 });
		expect(r.totals.params).toBe(r.layers.reduce((t, l) => t + l.params, 0));
	});
});
