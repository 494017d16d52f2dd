/**
 * Network definitions as plain data: a DAG of named layers.
 *
 * This is the single source of truth for every architecture in the explorer. The geometry library
 * (shapes, receptive fields, crops, parameter counts) reads these definitions, and the tfjs model
 * builder (src/lib/model) builds the runnable model from the very same objects, so the geometry a
 * page shows is the geometry that runs.
 *
 * No DOM, no tfjs.
 */

export type Activation = 'linear' | 'relu';

interface LayerBase {
	/** Unique name, as in the reference implementation (conv1_1, pool5, fc6, score_fr, upscore2, ...). */
	name: string;
}

/** The data blob. Spatial size is not part of the definition: an FCN takes any input size. */
export interface InputLayer extends LayerBase {
	type: 'input';
	channels: number;
}

/** Convolution y_ij = f_ks({x_{si+δi, sj+δj}}): kernel k, stride s, symmetric zero padding p, dilation d. */
export interface ConvLayer extends LayerBase {
	type: 'conv';
	input: string;
	kernel: number;
	stride: number;
	padding: number;
	/**
	 * Bottom/right padding when it differs from the top/left `padding`: TF's 'SAME' pads an odd total
	 * with the extra row at the end (a graph read from TF.js). Absent: symmetric.
	 */
	padAfter?: number;
	dilation: number;
	filters: number;
	/** Caffe's grouped convolution (AlexNet conv2/4/5); 1 everywhere else. */
	groups: number;
	bias: boolean;
	activation: Activation;
	/** How the weights start before training ('zeros' for the score layers added for skips). */
	init?: 'zeros';
}

/** Max (or average) pooling. Caffe rounds the output size up (`ceil`), most frameworks down. */
export interface PoolLayer extends LayerBase {
	type: 'pool';
	input: string;
	mode: 'max' | 'avg';
	kernel: number;
	stride: number;
	padding: number;
	/** Bottom/right padding when it differs from `padding` (TF 'SAME'); absent: symmetric. */
	padAfter?: number;
	ceil: boolean;
}

/**
 * Transposed convolution ("deconvolution"): a convolution with fractional input stride 1/s.
 * o' = s(i' − 1) + a + k − 2p, with a = 0 here.
 */
export interface DeconvLayer extends LayerBase {
	type: 'deconv';
	input: string;
	kernel: number;
	stride: number;
	padding: number;
	/** Bottom/right padding when it differs from `padding` (TF 'SAME'); absent: symmetric. */
	padAfter?: number;
	filters: number;
	bias: boolean;
	/**
	 * 'bilinear': initialised to bilinear interpolation (one channel to itself, zero across channels).
	 * 'imported': weights read from a trained graph (nothing to initialise).
	 */
	init: 'bilinear' | 'imported';
	/** The final upsampling of the reference implementation is fixed bilinear (trainable: false). */
	trainable: boolean;
}

/**
 * Caffe's Crop layer: crop `input` spatially to the size of `reference`. The offset is NOT part of
 * the definition: it is derived from the coordinate mapping between the two blobs (see crop.ts).
 */
export interface CropLayer extends LayerBase {
	type: 'crop';
	input: string;
	reference: string;
}

/** Element-wise sum of two aligned blobs of equal shape (fuse_pool4, fuse_pool3). */
export interface SumLayer extends LayerBase {
	type: 'sum';
	inputs: [string, string];
	/**
	 * `true`: the branches may be misaligned (a graph built without Caffe's crops: the centres of
	 * unit 0 differ), and a unit sees the union of both fields. Absent: they must be aligned.
	 */
	union?: boolean;
}

/**
 * A fixed resize by an integer `factor` (a graph's ResizeBilinear / ResizeNearestNeighbor): an
 * upsampling with no weights. `halfPixel`: output y samples input (y + ½)/f − ½ (TF's
 * half_pixel_centers, PyTorch's align_corners=False); otherwise y/f.
 */
export interface ResizeLayer extends LayerBase {
	type: 'resize';
	input: string;
	factor: number;
	mode: 'bilinear' | 'nearest';
	halfPixel: boolean;
}

/**
 * Squeeze-excitation: `inputs[0]` (a map) multiplied channel by channel by `inputs[1]`, a gate of
 * spatial size 1×1 computed from a global pooling. The gate reweights channels; it does not move
 * the map's units.
 */
export interface ScaleLayer extends LayerBase {
	type: 'scale';
	inputs: [string, string];
}

/** Geometry-neutral layers: they change neither the spatial size nor the receptive field. */
export interface DropoutLayer extends LayerBase {
	type: 'dropout';
	input: string;
	rate: number;
}
export interface LrnLayer extends LayerBase {
	type: 'lrn';
	input: string;
	size: number;
}

/** The classifier's dense head: flatten (channels-last, HWC order) and fully connected layers. */
export interface FlattenLayer extends LayerBase {
	type: 'flatten';
	input: string;
}
export interface DenseLayer extends LayerBase {
	type: 'dense';
	input: string;
	units: number;
	activation: Activation;
}

export type Layer =
	| InputLayer
	| ConvLayer
	| PoolLayer
	| DeconvLayer
	| CropLayer
	| SumLayer
	| ResizeLayer
	| ScaleLayer
	| DropoutLayer
	| LrnLayer
	| FlattenLayer
	| DenseLayer;

export type LayerType = Layer['type'];

/**
 * `caffe`: the reference implementation's geometry (conv1_1 padded by 100, fc6 an unpadded k×k
 * convolution, ceil-mode pooling, deconvolutions with kernel 2×stride and no bias, Crop layers).
 * `same`: padding chosen so that every stride divides the size; no crop is needed when the input
 * is a multiple of the net's stride.
 */
export type Geometry = 'caffe' | 'same';

export interface Network {
	/** 'vgg16', 'fcn32s', ... */
	name: string;
	geometry: Geometry;
	/** Layers in a topological order: every layer comes after its inputs. */
	layers: Layer[];
	/** The name of the output layer. */
	output: string;
	/** For classifiers with a dense head: the one input size the dense head accepts ([H, W]). */
	fixedInput?: [number, number];
}

/** The names of a layer's inputs (none for the input layer). */
export function inputsOf(layer: Layer): string[] {
	switch (layer.type) {
		case 'input':
			return [];
		case 'sum':
		case 'scale':
			return [...layer.inputs];
		case 'crop':
			return [layer.input, layer.reference];
		default:
			return [layer.input];
	}
}

/** Look a layer up by name; throws with the name when it is missing. */
export function layerByName(net: Network, name: string): Layer {
	const layer = net.layers.find((l) => l.name === name);
	if (!layer) throw new Error(`${net.name}: no layer named '${name}'`);
	return layer;
}
