/**
 * The head replaced for segmentation (the paper's §4.1): the classifier's last layer (fc8, 1000
 * ImageNet classes; 10 digits for ours) gives way to a 1×1 convolution with linear activation
 * scoring the segmentation classes (21 for PASCAL VOC; 11 for us: background + 10 digits),
 * `score_fr` in FCN-32s. Numbers from the library. Pure.
 */
import { analyze } from '$lib/fcn/analyze';
import { fcn, vgg16Convolutional, type NetOptions } from '$lib/fcn/nets';
import type { ConvLayer } from '$lib/fcn/network';

export interface ScoreLayer {
	name: string;
	kernel: number;
	filters: number;
	inChannels: number;
	activation: string;
	params: number;
}

function scoreLayer(net: ReturnType<typeof fcn>, name: string, input: [number, number]): ScoreLayer {
	const rows = analyze(net, input).layers;
	const layer = net.layers.find((l) => l.name === name) as ConvLayer;
	const row = rows.find((r) => r.name === name)!;
	const prev = rows.find((r) => r.name === layer.input)!;
	return {
		name,
		kernel: layer.kernel,
		filters: layer.filters,
		inChannels: prev.out[2],
		activation: layer.activation,
		params: row.params
	};
}

/** fc8 of the convolutionalised classifier and score_fr of FCN-32s, for the given options. */
export function headSwap(classifierOpts: NetOptions, segOpts: NetOptions): { before: ScoreLayer; after: ScoreLayer } {
	const side = classifierOpts.classifierInput ?? 224;
	return {
		before: scoreLayer(vgg16Convolutional(classifierOpts), 'fc8', [side, side]),
		after: scoreLayer(fcn('32s', segOpts), 'score_fr', [side, side])
	};
}
