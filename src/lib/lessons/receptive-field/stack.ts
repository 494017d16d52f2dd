/**
 * The layer stack of the receptive-field lesson: a chain of convolution and pooling layers, its
 * URL encoding (parsed with clamping, never throwing), and presets read from the library's network
 * definitions (src/lib/fcn/nets.ts), never typed in.
 *
 * No DOM, no tfjs.
 */
import { fcn, fcnAlexnet, inputsOf, layerByName, trainedOptions, vgg16Convolutional, type Network } from '$lib/fcn';
import { clampTo, intParam, parseQuery, textParam } from '$lib/url';

/** One layer of the stack. Pooling has no dilation (d = 1); `ceil` is Caffe's rounding (presets only). */
export interface StackLayer {
	kind: 'conv' | 'pool';
	/** Name shown in the diagram (conv1_1, pool5, … for presets; generated for hand-built stacks). */
	name: string;
	k: number;
	s: number;
	p: number;
	d: number;
	ceil: boolean;
}

/**
 * Ranges of the sliders, as `$lib/url` integer specs (garbage becomes the default). Padding goes up to
 * k − 1 by hand; a preset may carry more (AlexNet's 100).
 */
export const LIMITS = {
	k: intParam({ label: 'kernel size', min: 1, max: 11, default: 3 }),
	s: intParam({ label: 'stride', min: 1, max: 4, default: 1 }),
	p: intParam({ label: 'padding', min: 0, max: 100, default: 0 }),
	d: intParam({ label: 'dilation', min: 1, max: 4, default: 1 }),
	/** Layers a reader may build by hand ("Add layer" stops here). */
	handLayers: 8,
	/** Layers a stack may hold at all (the longest preset, VGG-16 to fc7, has 20). */
	layers: 24
} as const;

/** The largest padding the slider offers for a layer: k_e − 1, or the layer's own padding if larger. */
export function paddingMax(l: Pick<StackLayer, 'k' | 'd' | 'p'>): number {
	return Math.max(l.d * (l.k - 1), l.p);
}

export type PresetName = 'vgg16-pool5' | 'vgg16-fc7' | 'alexnet' | 'trained';

export interface Preset {
	name: PresetName;
	label: string;
	/** Where the layers come from, in words. */
	source: string;
	net: () => Network;
	/** The last layer of the chain. */
	until: string;
}

export const PRESETS: readonly Preset[] = [
	{
		name: 'vgg16-pool5',
		label: 'VGG-16 to pool5',
		source: 'vgg16Convolutional(), conv1_1 … pool5',
		net: () => vgg16Convolutional(),
		until: 'pool5'
	},
	{
		name: 'vgg16-fc7',
		label: 'VGG-16 to fc7',
		source: 'vgg16Convolutional(), conv1_1 … fc7 (fc6 as a 7×7 convolution)',
		net: () => vgg16Convolutional(),
		until: 'fc7'
	},
	{
		name: 'alexnet',
		label: 'AlexNet to fc7',
		source: 'fcnAlexnet(), conv1 … fc7 (conv1 padded by 100 as in the reference FCN)',
		net: () => fcnAlexnet(),
		until: 'fc7'
	},
	{
		name: 'trained',
		label: 'Our trained net to fc7',
		source: "fcn('8s', trainedOptions()), conv1_1 … fc7",
		net: () => fcn('8s', trainedOptions()),
		until: 'fc7'
	}
];

export function presetByName(name: string): Preset | undefined {
	return PRESETS.find((p) => p.name === name);
}

/**
 * The convolution and pooling layers on the path from the input to `until`, input first.
 * Geometry-neutral layers (dropout, LRN) are skipped; anything else on the path is an error.
 */
export function chainOf(net: Network, until: string): StackLayer[] {
	const out: StackLayer[] = [];
	let layer = layerByName(net, until);
	while (layer.type !== 'input') {
		if (layer.type === 'conv') {
			out.push({
				kind: 'conv',
				name: layer.name,
				k: layer.kernel,
				s: layer.stride,
				p: layer.padding,
				d: layer.dilation,
				ceil: false
			});
		} else if (layer.type === 'pool') {
			out.push({
				kind: 'pool',
				name: layer.name,
				k: layer.kernel,
				s: layer.stride,
				p: layer.padding,
				d: 1,
				ceil: layer.ceil
			});
		} else if (layer.type !== 'dropout' && layer.type !== 'lrn') {
			throw new Error(`${net.name}: '${layer.name}' (${layer.type}) is not a convolution or pooling layer`);
		}
		layer = layerByName(net, inputsOf(layer)[0]);
	}
	return out.reverse();
}

export function presetStack(name: PresetName): StackLayer[] {
	const p = presetByName(name)!;
	return chainOf(p.net(), p.until);
}

/** The stack a first visit shows: two 3×3 convolutions and a 2×2 pooling, as in a VGG block. */
export const DEFAULT_STACK: readonly StackLayer[] = Object.freeze([
	{ kind: 'conv', name: 'conv1', k: 3, s: 1, p: 1, d: 1, ceil: false },
	{ kind: 'conv', name: 'conv2', k: 3, s: 1, p: 1, d: 1, ceil: false },
	{ kind: 'pool', name: 'pool1', k: 2, s: 2, p: 0, d: 1, ceil: false },
	{ kind: 'conv', name: 'conv3', k: 3, s: 1, p: 1, d: 1, ceil: false }
] satisfies StackLayer[]);

/** Names for a hand-built stack: conv1, conv2, pool1, … counted per kind. */
export function renameStack(layers: readonly StackLayer[]): StackLayer[] {
	const count = { conv: 0, pool: 0 };
	return layers.map((l) => ({ ...l, name: `${l.kind}${++count[l.kind]}` }));
}

/**
 * `c3.1.1.1` = conv k3 s1 p1 d1; `p2.2.0` = pool k2 s2 p0 (floor); `p2.2.0c` = pool with Caffe's
 * ceil rounding. Layers are joined by `_`.
 */
export function serializeStack(layers: readonly StackLayer[]): string {
	return layers
		.map((l) => (l.kind === 'conv' ? `c${l.k}.${l.s}.${l.p}.${l.d}` : `p${l.k}.${l.s}.${l.p}${l.ceil ? 'c' : ''}`))
		.join('_');
}

/** A value read from text with its grammar, and what had to be repaired. */
export interface Repaired<T> {
	value: T;
	/** What was wrong with the input and what was done about it; empty when the input was fine. */
	notices: string[];
}

/** Clamp every field of a layer into its slider range. */
export function clampLayer(l: StackLayer): StackLayer {
	const k = clampTo(LIMITS.k, l.k);
	const d = l.kind === 'pool' ? 1 : clampTo(LIMITS.d, l.d);
	const s = clampTo(LIMITS.s, l.s);
	const p = clampTo(LIMITS.p, l.p);
	return { ...l, k, s, d, p, ceil: l.kind === 'pool' && l.ceil };
}

const TOKEN = /^([cp])(\d+)\.(\d+)\.(\d+)(?:\.(\d+))?(c?)$/;

/**
 * Parse the `stack` query value. Unreadable layers are dropped, values out of range clamped, a
 * too-long stack cut; every such repair is reported in `notices`. Never throws. An empty or wholly
 * unreadable value gives the default stack.
 */
export function parseStack(text: string | null | undefined): Repaired<StackLayer[]> {
	const notices: string[] = [];
	if (text == null || text.trim() === '') return { value: DEFAULT_STACK.map((l) => ({ ...l })), notices };
	const layers: StackLayer[] = [];
	for (const token of text.split('_')) {
		const m = TOKEN.exec(token.trim());
		if (!m) {
			notices.push(`ignored the unreadable layer “${token.slice(0, 20)}”`);
			continue;
		}
		const kind = m[1] === 'c' ? 'conv' : 'pool';
		const raw: StackLayer = {
			kind,
			name: '',
			k: Number(m[2]),
			s: Number(m[3]),
			p: Number(m[4]),
			d: m[5] === undefined ? 1 : Number(m[5]),
			ceil: m[6] === 'c'
		};
		const l = clampLayer(raw);
		if (l.k !== raw.k || l.s !== raw.s || l.p !== raw.p || l.d !== raw.d || l.ceil !== raw.ceil) {
			notices.push(`layer ${layers.length + 1}: values outside the sliders' ranges were clamped`);
		}
		layers.push(l);
	}
	if (layers.length > LIMITS.layers) {
		notices.push(`kept the first ${LIMITS.layers} of ${layers.length} layers`);
		layers.length = LIMITS.layers;
	}
	if (layers.length === 0) {
		notices.push('no readable layer: showing the default stack');
		return { value: DEFAULT_STACK.map((l) => ({ ...l })), notices };
	}
	return { value: renameStack(layers), notices };
}

/** The stack's URL state: `stack` (the {@link serializeStack} text) or `preset` (a preset's name). */
export const STACK_SPECS = {
	stack: textParam({ label: 'layer stack' }),
	preset: textParam({ label: 'preset' })
};

/**
 * The stack a URL describes: `preset=NAME` (the preset's layers, with their names) unless `stack=`
 * is given, which wins. An unknown preset is reported and ignored.
 */
export function stackFromQuery(query: URLSearchParams): Repaired<{ layers: StackLayer[]; preset: PresetName | null }> {
	const { stack: stackText, preset: presetName } = parseQuery(STACK_SPECS, query, { reportUnknown: false }).values;
	const notices: string[] = [];
	if (stackText !== null) {
		const parsed = parseStack(stackText);
		return { value: { layers: parsed.value, preset: null }, notices: parsed.notices };
	}
	if (presetName !== null) {
		const preset = presetByName(presetName);
		if (preset) return { value: { layers: presetStack(preset.name), preset: preset.name }, notices };
		notices.push(`unknown preset “${presetName.slice(0, 20)}”: showing the default stack`);
	}
	return { value: { layers: DEFAULT_STACK.map((l) => ({ ...l })), preset: null }, notices };
}
