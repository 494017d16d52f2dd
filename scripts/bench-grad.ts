/**
 * Benchmark: training steps (forward + backward + SGD-momentum update) of a VGG-style net on the
 * wasm backend with our Conv2DBackpropFilter kernel, and on the pure-JS cpu backend for comparison.
 *
 * Net: 13 3×3 convs (blocks 2-2-3-3-3, channels 8,16,32,64,64), ReLU, 2×2 max pools, a 1×1 score
 * conv to 11 classes on pool5, a stride-32 64×64 transposed conv back to pixels, per-pixel softmax
 * cross-entropy. Also times the filter-gradient kernel alone for each conv layer.
 *
 *   npx tsx scripts/bench-grad.ts [--size 128] [--batch 16] [--steps 5] [--cpu-steps 1] [--fixed-up] [--stock-input]
 *
 * --stock-input keeps tfjs' own wasm Conv2DBackpropInput (a C++ loop) instead of our XNNPACK one.
 */
import * as tf from '@tensorflow/tfjs';
import { initWasmNode } from '$lib/train/wasm-node';

function flag(name: string, fallback: number): number {
	const i = process.argv.indexOf(`--${name}`);
	if (i < 0) return fallback;
	const v = Number(process.argv[i + 1]);
	if (!Number.isFinite(v) || v < 0) {
		console.error(`bench-grad: --${name} needs a non-negative number, got '${process.argv[i + 1]}'`);
		process.exit(2);
	}
	return v;
}
const SIZE = flag('size', 128);
const BATCH = flag('batch', 16);
const STEPS = flag('steps', 5);
const CPU_STEPS = flag('cpu-steps', 1);
const TRAIN_UP = !process.argv.includes('--fixed-up');
const CLASSES = 11;
const BLOCKS = [
	[8, 8],
	[16, 16],
	[32, 32, 32],
	[64, 64, 64],
	[64, 64, 64]
];

interface Net {
	convs: tf.Variable[];
	biases: tf.Variable[];
	score: tf.Variable;
	up: tf.Variable;
}

function makeNet(): Net {
	const convs: tf.Variable[] = [];
	const biases: tf.Variable[] = [];
	let cin = 1;
	let seed = 1;
	for (const block of BLOCKS)
		for (const cout of block) {
			convs.push(tf.variable(tf.randomNormal([3, 3, cin, cout], 0, Math.sqrt(2 / (9 * cin)), 'float32', seed++)));
			biases.push(tf.variable(tf.zeros([cout])));
			cin = cout;
		}
	const score = tf.variable(tf.randomNormal([1, 1, cin, CLASSES], 0, 0.01, 'float32', seed++));
	const up = tf.variable(tf.randomNormal([64, 64, CLASSES, CLASSES], 0, 0.01, 'float32', seed++), TRAIN_UP);
	return { convs, biases, score, up };
}

function forward(net: Net, x: tf.Tensor4D): tf.Tensor4D {
	let h = x;
	let i = 0;
	for (const block of BLOCKS) {
		for (let j = 0; j < block.length; j++, i++)
			h = tf.relu(tf.add(tf.conv2d(h, net.convs[i] as tf.Tensor4D, 1, 'same'), net.biases[i]) as tf.Tensor4D);
		h = tf.maxPool(h, 2, 2, 'same');
	}
	const s = tf.conv2d(h, net.score as tf.Tensor4D, 1, 'same');
	return tf.conv2dTranspose(s, net.up as tf.Tensor4D, [x.shape[0], x.shape[1], x.shape[2], CLASSES], 32, 'same');
}

async function trainSteps(backend: string, steps: number): Promise<number> {
	await tf.setBackend(backend);
	const net = makeNet();
	const opt = tf.train.momentum(1e-3, 0.9);
	const x = tf.randomUniform([BATCH, SIZE, SIZE, 1], 0, 1, 'float32', 7) as tf.Tensor4D;
	const labels = tf.oneHot(tf.randomUniform([BATCH, SIZE, SIZE], 0, CLASSES, 'int32', 8) as tf.Tensor3D, CLASSES);
	const step = () => {
		const loss = opt.minimize(
			() => tf.losses.softmaxCrossEntropy(labels, forward(net, x), undefined, 0, tf.Reduction.SUM),
			true
		);
		const v = loss!.dataSync()[0];
		loss!.dispose();
		return v;
	};
	step(); // warm-up (operator creation, heap growth)
	const before = tf.memory().numTensors;
	const t0 = performance.now();
	let loss = 0;
	for (let s = 0; s < steps; s++) loss = step();
	const sec = (performance.now() - t0) / 1000;
	const ips = (steps * BATCH) / sec;
	console.log(
		`${backend.padEnd(5)} train ${SIZE}×${SIZE} batch ${BATCH}: ${(sec / steps).toFixed(2)} s/step, ${ips.toFixed(1)} images/s` +
			` (loss ${loss.toFixed(1)}, tensors ${before} → ${tf.memory().numTensors})`
	);
	tf.dispose([x, labels, net.convs, net.biases, net.score, net.up]);
	opt.dispose();
	return ips;
}

/** The kernel itself, as tf.grad calls it ('same' padding). */
function filterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: number[], stride: number): tf.Tensor {
	const attrs = { strides: stride, pad: 'same', dataFormat: 'NHWC', filterShape };
	return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}

function timeKernels(): void {
	// The filter gradient alone vs the forward conv, per layer, on wasm.
	let size = SIZE;
	let cin = 1;
	const rows: string[] = [];
	let totalBwd = 0;
	let totalFwd = 0;
	for (const block of BLOCKS) {
		for (const cout of block) {
			const x = tf.randomNormal([BATCH, size, size, cin]) as tf.Tensor4D;
			const dy = tf.randomNormal([BATCH, size, size, cout]) as tf.Tensor4D;
			const w = tf.randomNormal([3, 3, cin, cout]) as tf.Tensor4D;
			const time = (f: () => tf.Tensor, reps = 3) => {
				tf.dispose(f());
				const t0 = performance.now();
				for (let r = 0; r < reps; r++) {
					const o = f();
					o.dataSync();
					o.dispose();
				}
				return (performance.now() - t0) / reps;
			};
			const fwd = time(() => tf.conv2d(x, w, 1, 'same'));
			const bwd = time(() => filterGrad(x, dy, [3, 3, cin, cout], 1));
			totalBwd += bwd;
			totalFwd += fwd;
			rows.push(`  ${size}×${size} ${cin}→${cout}: forward ${fwd.toFixed(1)} ms, filter grad ${bwd.toFixed(1)} ms`);
			tf.dispose([x, dy, w]);
			cin = cout;
		}
		size = Math.ceil(size / 2);
	}
	const xs = tf.randomNormal([BATCH, SIZE, SIZE, CLASSES]) as tf.Tensor4D;
	const ds = tf.randomNormal([BATCH, SIZE / 32, SIZE / 32, CLASSES]) as tf.Tensor4D;
	const t0 = performance.now();
	filterGrad(xs, ds, [64, 64, CLASSES, CLASSES], 32).dispose();
	rows.push(`  upsampling 64×64/s32 ${CLASSES}→${CLASSES}: filter grad ${(performance.now() - t0).toFixed(1)} ms`);
	tf.dispose([xs, ds]);
	console.log(
		`wasm per-layer (batch ${BATCH}), total forward ${totalFwd.toFixed(0)} ms, total filter grad ${totalBwd.toFixed(0)} ms:`
	);
	console.log(rows.join('\n'));
}

const STOCK_INPUT = process.argv.includes('--stock-input');
await initWasmNode({ fastBackpropInput: !STOCK_INPUT });
console.log(`Conv2DBackpropInput: ${STOCK_INPUT ? 'stock wasm kernel' : 'XNNPACK stride-1 (wasm-backprop-input.ts)'}`);
if (!process.argv.includes('--no-kernels')) timeKernels();
await trainSteps('wasm', STEPS);
if (CPU_STEPS > 0) await trainSteps('cpu', CPU_STEPS);
