/**
 * The garbage table (issue 12, item 3): for every route's URL parameters, what a bad value becomes and
 * the notice the reader is shown. Each route's parser is its lesson's typed specs read by $lib/url's
 * one parser (lessons/<x>/query.ts, deconvolution/params.ts, receptive-field/stack.ts and probe.ts).
 * A row: the query, the values it gives (those that matter), and the notices, word for word ([] = none).
 */
import { describe, expect, it } from 'vitest';
import { fcn, trainedOptions } from '$lib/fcn';
import { parseQuery } from '$lib/url';
import { parseFcState } from '$lib/lessons/fc-to-conv/query';
import { deconvFromQuery, UPSAMPLING_SPECS } from '$lib/lessons/deconvolution/params';
import { stackFromQuery } from '$lib/lessons/receptive-field/stack';
import { probeFromQuery } from '$lib/lessons/receptive-field/probe';
import { archFromQuery, evalFromQuery, fusionFromQuery } from '$lib/lessons/skip-fusion/query';
import { demoFromQuery } from '$lib/lessons/demo/query';
import { networkFromQuery } from '$lib/lessons/network/query';

type Row = [query: string, values: Record<string, unknown>, notices: string[]];
const Q = (s: string) => new URLSearchParams(s);

function table(name: string, rows: Row[], parse: (q: URLSearchParams) => { values: object; notices: string[] }) {
	describe(name, () => {
		for (const [query, values, notices] of rows) {
			it(`?${query}`, () => {
				const r = parse(Q(query));
				expect(r.values).toMatchObject(values);
				expect(r.notices).toEqual(notices);
			});
		}
	});
}

table(
	'/fc-to-conv (order, k, c, row, digit, w, h, n)',
	[
		['', { order: 'hwc', k: 3, c: 4, row: 5, digit: 0, w: 320, h: 128, n: 3 }, []],
		['k=-5', { k: 2 }, ['k=-5: map side must be at least 2; using 2.']],
		['k=2.6', { k: 3 }, ['k=2.6: map side must be a whole number; using 3.']],
		['k=', { k: 3 }, ['k=: map side must be a number; using the default 3.']],
		[
			'k=99&c=-3&order=xyz&w=abc&row=1e9',
			{ order: 'hwc', k: 4, c: 1, row: 15, w: 320 },
			[
				'order=xyz: flattening order must be one of hwc, chw; using the default hwc.',
				'k=99: map side must be at most 4; using 4.',
				'c=-3: channels must be at least 1; using 1.',
				'row=1e9: dense row must be at most 15; using 15.',
				'w=abc: input width must be a number; using the default 320.'
			]
		],
		[
			'order=CHW&row=-1&digit=1e400',
			{ order: 'chw', row: 0, digit: 0 },
			[
				'row=-1: dense row must be at least 0; using 0.',
				'digit=1e400: test digit must be a number; using the default 0.'
			]
		],
		[
			'n=0x10&h=Infinity',
			{ n: 3, h: 128 },
			[
				'h=Infinity: input height must be a number; using the default 128.',
				'n=0x10: digits across must be a number; using the default 3.'
			]
		],
		['k=2&c=1&row=9', { row: 3 }, ['row=9: dense row must be at most 3; using 3.']]
	],
	(q) => {
		const r = parseFcState(q);
		return { values: r.state, notices: r.notices };
	}
);

table(
	'/deconvolution (i, k, s, p, seed, f): each in its range, then 2p ≤ k − 1',
	[
		['', { params: { i: 4, k: 4, s: 2, p: 1 }, seed: 1, factor: 4 }, []],
		['i=3&k=16&s=8&p=4', { params: { i: 3, k: 16, s: 8, p: 4 } }, []],
		[
			'i=abc&k=99&s=0',
			{ params: { i: 4, k: 16, s: 1, p: 1 } },
			[
				'i=abc: input size must be a number; using the default 4.',
				'k=99: kernel size must be at most 16; using 16.',
				's=0: stride must be at least 1; using 1.'
			]
		],
		[
			'k=-5&s=abc&i=1e9',
			{ params: { i: 6, k: 1, s: 2, p: 0 } },
			[
				'i=1e9: input size must be at most 6; using 6.',
				'k=-5: kernel size must be at least 1; using 1.',
				's=abc: stride must be a number; using the default 2.',
				'p (default 1): padding must be at most ⌊(k − 1)/2⌋ = 0; using 0.'
			]
		],
		['k=4&p=3', { params: { k: 4, p: 1 } }, ['p=3: padding must be at most ⌊(k − 1)/2⌋ = 1; using 1.']],
		[
			's=9&p=8',
			{ params: { s: 8, p: 1 } },
			['s=9: stride must be at most 8; using 8.', 'p=8: padding must be at most ⌊(k − 1)/2⌋ = 1; using 1.']
		],
		['p=abc', { params: { p: 1 } }, ['p=abc: padding must be a number; using the default 1.']],
		[
			'seed=0&f=abc',
			{ seed: 1, factor: 4 },
			['seed=0: seed must be at least 1; using 1.', 'f=abc: upsampling factor must be a number; using the default 4.']
		],
		[
			'f=1e9&seed=3.5',
			{ seed: 4, factor: 32 },
			['seed=3.5: seed must be a whole number; using 4.', 'f=1e9: upsampling factor must be at most 32; using 32.']
		]
	],
	(q) => {
		const r = deconvFromQuery(q);
		return { values: r.value, notices: r.notices };
	}
);

table(
	'/deconvolution, the live FCN-32s cell (scene; no notice shown)',
	[
		['', { scene: 2 }, []],
		['scene=-1', { scene: 0 }, ['scene=-1: scene must be at least 0; using 0.']],
		['scene=abc', { scene: 2 }, ['scene=abc: scene must be a number; using the default 2.']]
	],
	(q) => {
		const r = parseQuery(UPSAMPLING_SPECS, q, { reportUnknown: false });
		return { values: r.values, notices: r.notices.map((n) => n.message) };
	}
);

table(
	'/receptive-field, the stack (stack wins over preset)',
	[
		['', { preset: null }, []],
		['preset=vgg16-fc7', { preset: 'vgg16-fc7' }, []],
		['preset=nope', { preset: null }, ['unknown preset “nope”: showing the default stack']],
		[
			'stack=zz_c99.0.1.1&preset=nope',
			{ preset: null, layers: [{ kind: 'conv', k: 11, s: 1, p: 1, d: 1 }] },
			['ignored the unreadable layer “zz”', "layer 1: values outside the sliders' ranges were clamped"]
		],
		['stack=', { preset: null }, []],
		[
			'stack=zzz',
			{ preset: null },
			['ignored the unreadable layer “zzz”', 'no readable layer: showing the default stack']
		],
		[`stack=${Array(30).fill('c3.1.1.1').join('_')}`, {}, ['kept the first 24 of 30 layers']]
	],
	(q) => {
		const r = stackFromQuery(q);
		return { values: r.value, notices: r.notices };
	}
);

const fcn8s = fcn('8s', trainedOptions());
table(
	'/receptive-field, the probe cell at 128×128 (layer, scene, uy, ux; no notice shown)',
	[
		['', { layer: 'pool3', scene: 0, unit: null }, []],
		[
			'layer=nope&scene=abc&uy=999&ux=-2',
			{ layer: 'pool3', scene: 0, unit: { y: 15, x: 0 } },
			[
				'layer=nope: layer must be one of conv1_1, conv1_2, pool1, conv2_1, conv2_2, pool2, conv3_1, conv3_2, conv3_3, pool3, conv4_1, conv4_2, conv4_3, pool4, conv5_1, conv5_2, conv5_3, pool5, fc6, fc7, score_fr; using the default pool3.',
				'scene=abc: scene must be a number; using the default 0.',
				'uy=999: unit row must be at most 15; using 15.',
				'ux=-2: unit column must be at least 0; using 0.'
			]
		],
		['layer=conv1_1&scene=1e9', { layer: 'conv1_1', scene: 199 }, ['scene=1e9: scene must be at most 199; using 199.']],
		['uy=3', { unit: null }, []]
	],
	(q) => {
		const { notices, ...values } = probeFromQuery(q, fcn8s, 128);
		return { values, notices: notices.map((n) => n.message) };
	}
);

table(
	'/skip-fusion, the architecture cell (size, g, net)',
	[
		['', { size: 224, g: 'caffe', net: '8s' }, []],
		[
			'size=abc&g=nope&net=4s',
			{ size: 224, g: 'caffe', net: '8s' },
			[
				'size=abc: input size must be a number; using the default 224.',
				'g=nope: geometry must be one of caffe, same; using the default caffe.',
				'net=4s: net must be one of 32s, 16s, 8s; using the default 8s.'
			]
		],
		['size=5000&g=SAME', { size: 640, g: 'same' }, ['size=5000: input size must be at most 640; using 640.']],
		['size=100.5', { size: 101 }, ['size=100.5: input size must be a whole number; using 101.']]
	],
	archFromQuery
);

table(
	'/skip-fusion, the live fusion cell (scene, p4, p3, show, zx, zy; the zoom is clamped silently)',
	[
		['', { scene: 0, skips: { pool4: true, pool3: true }, show: 'argmax', zoom: null }, []],
		[
			'scene=9999&p4=maybe&p3=no&show=abc',
			{ scene: 199, skips: { pool4: true, pool3: false }, show: 0 },
			[
				'scene=9999: scene must be at most 199; using 199.',
				'p4=maybe: pool4 skip must be 1 or 0; using the default 1.',
				'show=abc: class must be a number; using the default 0.'
			]
		],
		['show=99&zx=abc&zy=5000', { show: 10, zoom: { x: 0, y: 1023 } }, ['show=99: class must be at most 10; using 10.']],
		['show=argmax&scene=-1', { show: 'argmax', scene: 0 }, ['scene=-1: scene must be at least 0; using 0.']],
		['p4=0&show=3&zx=5', { skips: { pool4: false, pool3: true }, show: 3, zoom: null }, []]
	],
	fusionFromQuery
);

table(
	'/skip-fusion, the evaluation cell (n, cm; the first notice is shown)',
	[
		['', { n: 200, cm: 'fcn8s' }, []],
		['n=-3&cm=fcn4s', { n: 1, cm: 'fcn8s' }, ['n=-3: scene count must be at least 1; using 1.']],
		['n=1e9', { n: 200 }, ['n=1e9: scene count must be at most 200; using 200.']],
		[
			'cm=x',
			{ cm: 'fcn8s' },
			['cm=x: confusion matrix net must be one of fcn32s, fcn16s, fcn8s; using the default fcn8s.']
		]
	],
	(q) => {
		const r = evalFromQuery(q);
		return { values: r.values, notices: r.notice ? [r.notice] : [] };
	}
);

table(
	'/ (the home demo: net, scene)',
	[
		['', { net: 'fcn8s', scene: 0 }, []],
		[
			'net=fcn4s&scene=-1',
			{ net: 'fcn8s', scene: 0 },
			[
				'net=fcn4s: net must be one of fcn8s, fcn32s; using the default fcn8s.',
				'scene=-1: scene must be at least 0; using 0.'
			]
		],
		['scene=abc', { scene: 0 }, ['scene=abc: scene must be a number; using the default 0.']],
		['net=FCN32s&scene=250', { net: 'fcn32s', scene: 199 }, ['scene=250: scene must be at most 199; using 199.']]
	],
	demoFromQuery
);

table(
	'/network (net, weights, scale, sample, layer, unit; no notice shown)',
	[
		['', { net: 'fcn8s', random: false, scale: 'channel', sample: 0, layer: null, unit: null }, []],
		[
			'net=fcn4s&weights=x&scale=y&sample=-3&layer=%3Cscript%3E&unit=a,b,c',
			{ net: 'fcn8s', random: false, scale: 'channel', sample: 0, layer: '<script>', unit: null },
			[]
		],
		['sample=none&unit=sum,2,3&layer=pool2', { sample: null, unit: { layer: 'pool2', y: 2, x: 3 } }, []],
		['weights=random&unit=4,2,3&layer=pool2', { random: true, unit: { layer: 'pool2', y: 2, x: 3, channel: 4 } }, []],
		['sample=abc&unit=1,2', { sample: 0, unit: null }, []],
		['sample=1e9', { sample: 9999 }, []]
	],
	(q) => ({ values: networkFromQuery(q), notices: [] })
);
