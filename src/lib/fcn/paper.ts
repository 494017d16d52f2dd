/**
 * The paper's reported results that the skip-fusion and training pages set beside ours. These are quoted, not
 * computed: each carries its source.
 */
export interface PaperRow {
	net: 'fcn32s-fixed' | 'fcn32s' | 'fcn16s' | 'fcn8s';
	label: string;
	/** Mean IU in percent. */
	meanIU: number;
}

/**
 * CVPR 2015, Table 2: FCN-VGG16 with skips, on a subset of PASCAL VOC 2011 val
 * ("FCN-32s-fixed": only the last layer fine-tuned).
 */
export const CVPR_TABLE2: { source: string; rows: readonly PaperRow[] } = {
	source:
		'J. Long, E. Shelhamer, T. Darrell, “Fully Convolutional Networks for Semantic Segmentation”, CVPR 2015, Table 2 (subset of PASCAL VOC 2011 val)',
	rows: [
		{ net: 'fcn32s-fixed', label: 'FCN-32s-fixed', meanIU: 45.4 },
		{ net: 'fcn32s', label: 'FCN-32s', meanIU: 59.4 },
		{ net: 'fcn16s', label: 'FCN-16s', meanIU: 62.4 },
		{ net: 'fcn8s', label: 'FCN-8s', meanIU: 62.7 }
	]
};

/** TPAMI 2017 and the reference implementation's README (PASCAL VOC 2011 val). */
export const TPAMI_2017: { source: string; rows: readonly PaperRow[] } = {
	source:
		'E. Shelhamer, J. Long, T. Darrell, TPAMI 39(4), 2017, and the reference implementation (PASCAL VOC 2011 val)',
	rows: [
		{ net: 'fcn32s', label: 'FCN-32s', meanIU: 63.6 },
		{ net: 'fcn16s', label: 'FCN-16s', meanIU: 65.0 },
		{ net: 'fcn8s', label: 'FCN-8s', meanIU: 65.5 }
	]
};
