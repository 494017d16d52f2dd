/**
 * The numbers of the FC → conv lesson, read from the geometry library: VGG-16's dense head and
 * its convolutionalised form (the paper's §3.1), the same for the small net we trained, and the
 * size of the class-score map for any input. Pure; no DOM, no tfjs.
 */
import { analyze, layerGeometry, type LayerRow, type Shape } from '$lib/fcn/analyze';
import type { NetOptions } from '$lib/fcn/nets';
import { vgg16, vgg16Convolutional } from '$lib/fcn/nets';
import type { DenseLayer, Network } from '$lib/fcn/network';

/** One layer of the head, dense and convolutional. */
export interface HeadRow {
	name: 'fc6' | 'fc7' | 'fc8';
	/** [rows, units] of the dense weight matrix. */
	dense: [number, number];
	/** [k, k, C, units] of the convolution kernel holding the same numbers. */
	conv: [number, number, number, number];
	activation: 'relu' | 'linear';
	/** Weights + biases (equal in both forms). */
	params: number;
	paramsConv: number;
}

export interface Head {
	/** The classifier's fixed input side (224 for VGG-16). */
	input: number;
	/** The map the dense head flattens: [k, k, C] (7×7×512). */
	pool5: Shape;
	/** Length of the flattened vector (25088). */
	flat: number;
	rows: HeadRow[];
	/** Parameters of the whole classifier, dense and convolutionalised (equal). */
	total: number;
	totalConv: number;
	/** Parameters of fc6 + fc7 + fc8. */
	headParams: number;
}

const HEAD = ['fc6', 'fc7', 'fc8'] as const;

function row(rows: LayerRow[], name: string): LayerRow {
	const r = rows.find((l) => l.name === name);
	if (!r) throw new Error(`head: no layer '${name}'`);
	return r;
}

/** The dense head of `vgg16(opts)` beside `vgg16Convolutional(opts)`, at the classifier's input. */
export function headOf(opts: NetOptions = {}): Head {
	const dense: Network = vgg16(opts);
	const conv: Network = vgg16Convolutional(opts);
	const [H, W] = dense.fixedInput!;
	const d = analyze(dense, [H, W]);
	const c = analyze(conv, [H, W]);
	const pool5 = row(d.layers, 'pool5').out;
	const flat = row(d.layers, 'flatten').out[2];
	let fanIn = flat;
	const rows = HEAD.map((name) => {
		const dr = row(d.layers, name);
		const cr = row(c.layers, name);
		const layer = dense.layers.find((l) => l.name === name) as DenseLayer;
		const cin = name === 'fc6' ? pool5[2] : fanIn;
		const k = cr.kernel ?? 1;
		const r: HeadRow = {
			name,
			dense: [fanIn, dr.out[2]],
			conv: [k, k, cin, cr.out[2]],
			activation: layer.activation,
			params: dr.params,
			paramsConv: cr.params
		};
		fanIn = dr.out[2];
		return r;
	});
	return {
		input: H,
		pool5,
		flat,
		rows,
		total: d.totals.params,
		totalConv: c.totals.params,
		headParams: rows.reduce((t, r) => t + r.params, 0)
	};
}

/**
 * The class-score map of the convolutionalised classifier for an H×W input: [h, w, classes]
 * (the library's shape of fc8). Throws the library's GeometryError when the input is too small.
 */
export function scoreMapSize(opts: NetOptions, H: number, W: number): Shape {
	return layerGeometry(vgg16Convolutional(opts), [H, W]).get('fc8')!.out;
}

/** The unit at the centre of an h×w map (the lower-right of the middle four when a side is even). */
export function centreUnit(h: number, w: number): { y: number; x: number } {
	return { y: Math.floor(h / 2), x: Math.floor(w / 2) };
}

/** 123456789 → "123,456,789" (locale-independent so tests can read it back). */
export { groupDigits } from '$lib/fcn/report';

/** "7×7×512×4096". */
export function dims(d: readonly number[]): string {
	return d.join('×');
}
