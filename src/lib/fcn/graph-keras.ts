/**
 * A TF.js LAYERS model (format 'layers-model': Keras's model config, a Sequential or functional
 * Model) read into the geometry library. Layer names are kept, so our own FCN-8s read this way
 * gives the rows of the network definition it was built from.
 */
import {
	ModelImportError,
	NetBuilder,
	convPadding,
	deconvPadding,
	windowFields,
	type ImportedModel,
	type ModelJson
} from './graph-import';

interface KerasLayer {
	class_name: string;
	name?: string;
	config: Record<string, unknown> & { name?: string };
	inbound_nodes?: unknown[];
}

const VALUE_LAYERS = new Set([
	'Activation',
	'ReLU',
	'LeakyReLU',
	'PReLU',
	'ELU',
	'Softmax',
	'Dropout',
	'SpatialDropout2D',
	'GaussianNoise',
	'BatchNormalization',
	'LayerNormalization',
	'Rescaling'
]);
const num = (v: unknown, i = 0): number => (Array.isArray(v) ? Number(v[i]) : Number(v));

/** Read a layers model. `size`: the input size to analyse when the model does not declare one. */
export function importLayers(model: ModelJson, size: [number, number] = [256, 256], name = 'model'): ImportedModel {
	const topo = model.modelTopology as { model_config?: KerasLayer } & KerasLayer;
	const root = topo.model_config ?? topo;
	const cfg = root?.config as { layers?: KerasLayer[]; name?: string } | KerasLayer[] | undefined;
	const list = Array.isArray(cfg) ? cfg : cfg?.layers;
	if (!Array.isArray(list))
		throw new ModelImportError('not-a-model', `${name}: a layers model needs model_config.config.layers`);
	const sequential = root.class_name === 'Sequential';
	const b = new NetBuilder();
	let input: ImportedModel['input'] | null = null;
	let prev: string | null = null;

	const addInput = (node: string, shape: unknown) => {
		const d = Array.isArray(shape) ? shape.map((v) => (v === null ? -1 : Number(v))) : [];
		if (d.length !== 4) {
			throw new ModelImportError(
				'input-signature',
				`${name}: the input '${node}' has shape [${d.map((v) => (v < 0 ? 'any' : v)).join(', ')}], not an image (batch × height × width × channels)`
			);
		}
		const declared = d[1] > 0 && d[2] > 0;
		const hw: [number, number] = declared ? [d[1], d[2]] : size;
		const channels = d[3] > 0 ? d[3] : 3;
		input = { node, size: hw, channels, declared };
		b.add({ type: 'input', name: node, channels }, [hw[0], hw[1], channels], 'InputLayer');
		prev = node;
	};

	for (const layer of list) {
		const c = layer.config;
		const lname = String(layer.name ?? c.name);
		if (layer.class_name === 'InputLayer') {
			addInput(lname, c.batch_input_shape ?? c.batchInputShape ?? c.batch_shape);
			continue;
		}
		if (!input && sequential) addInput(`${lname}_input`, c.batch_input_shape ?? c.batchInputShape);
		const ins = sequential ? [prev!] : inboundOf(layer);
		prev = lname;
		if (ins.some((i) => b.dead.has(i))) {
			b.dead.add(lname);
			b.skipped.push(lname);
			continue;
		}
		const layers = [...new Set(ins.map((i) => b.alias.get(i)!))];
		const [h, w, ch] = b.shapes.get(layers[0])!;
		const same = c.padding === 'same';
		const cls = layer.class_name;
		if (cls === 'Conv2D' || cls === 'DepthwiseConv2D' || cls === 'Conv2DTranspose') {
			const k = num(c.kernel_size);
			const s = num(c.strides ?? 1);
			const d = num(c.dilation_rate ?? 1);
			if (
				num(c.kernel_size, 1) !== k ||
				num(c.strides ?? 1, 1) !== s ||
				(c.padding !== 'same' && c.padding !== 'valid')
			) {
				b.reject(lname, `${cls} (non-square kernel or stride, or padding ${String(c.padding)})`);
				continue;
			}
			const bias = c.use_bias !== false;
			const activation = c.activation === 'relu' ? 'relu' : 'linear';
			if (cls === 'Conv2DTranspose') {
				const p = deconvPadding(h, k, s, same);
				const f = Number(c.filters);
				const outW = deconvPadding(w, k, s, same).out;
				b.add(
					{
						type: 'deconv',
						...windowFields(lname, layers[0], k, s, p),
						filters: f,
						bias,
						init: 'imported',
						trainable: c.trainable !== false
					},
					[p.out, outW, f],
					cls
				);
				continue;
			}
			const depthwise = cls === 'DepthwiseConv2D';
			const f = depthwise ? ch * num(c.depth_multiplier ?? 1) : Number(c.filters);
			const p = convPadding(h, k, s, d, same);
			const outW = convPadding(w, k, s, d, same).out;
			b.add(
				{
					type: 'conv',
					...windowFields(lname, layers[0], k, s, p),
					dilation: d,
					filters: f,
					groups: depthwise ? ch : 1,
					bias,
					activation
				},
				[p.out, outW, f],
				cls
			);
			continue;
		}
		if (cls === 'MaxPooling2D' || cls === 'AveragePooling2D') {
			const k = num(c.pool_size ?? 2);
			const s = num(c.strides ?? k);
			const p = convPadding(h, k, s, 1, same);
			const outW = convPadding(w, k, s, 1, same).out;
			b.add(
				{
					type: 'pool',
					...windowFields(lname, layers[0], k, s, p),
					mode: cls === 'MaxPooling2D' ? 'max' : 'avg',
					ceil: false
				},
				[p.out, outW, ch],
				cls
			);
			continue;
		}
		if (cls === 'UpSampling2D') {
			const f = num(c.size ?? 2);
			if (num(c.size ?? 2, 1) !== f) {
				b.reject(lname, `${cls} (different factors per axis)`);
				continue;
			}
			const bilinear = c.interpolation === 'bilinear';
			b.add(
				{
					type: 'resize',
					name: lname,
					input: layers[0],
					factor: f,
					mode: bilinear ? 'bilinear' : 'nearest',
					halfPixel: bilinear
				},
				[h * f, w * f, ch],
				cls
			);
			continue;
		}
		if ((cls === 'Add' || cls === 'Multiply' || cls === 'Average' || cls === 'Subtract') && layers.length >= 2) {
			b.combine(lname, layers, cls);
			continue;
		}
		if (VALUE_LAYERS.has(cls) || ((cls === 'Add' || cls === 'Multiply') && layers.length === 1)) {
			b.same(lname, layers[0]);
			continue;
		}
		b.reject(lname, cls);
	}
	if (!input) throw new ModelImportError('input-signature', `${name}: the model declares no input layer`);
	const outs = (root.config as { output_layers?: unknown[][] }).output_layers;
	const output = Array.isArray(outs) && Array.isArray(outs[0]) ? String(outs[0][0]) : undefined;
	return b.imported('layers', name, output, input);
}

/** The layer names a functional model's layer reads (Keras 2 inbound_nodes: [[[name, 0, 0, {}], …]]). */
function inboundOf(layer: KerasLayer): string[] {
	const first = layer.inbound_nodes?.[0];
	if (Array.isArray(first)) return first.map((e) => String((e as unknown[])[0]));
	const args = (first as { args?: { config?: { keras_history?: unknown[] } }[] } | undefined)?.args;
	if (Array.isArray(args)) return args.map((a) => String(a?.config?.keras_history?.[0]));
	return [];
}
