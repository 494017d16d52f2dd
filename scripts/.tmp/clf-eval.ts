import * as tf from '@tensorflow/tfjs';
import { initWasmNode } from '../../src/lib/model/wasm-node.ts';
import { loadMnist } from '../../src/lib/data/mnist-node.ts';
import { fullConfig, stageNetwork } from '../../src/lib/model/pipeline.ts';
import { buildModel } from '../../src/lib/model/build.ts';
import { readCheckpoint, readCheckpointIndex } from '../../src/lib/model/io-node.ts';
import { digitBatch, EASY_DIGITS } from '../../src/lib/model/train.ts';
import { classifierAccuracy } from '../../src/lib/model/evaluate.ts';
import { digitSplit } from '../../src/lib/data/split.ts';
import { mulberry32, deriveSeed } from '../../src/lib/data/prng.ts';
await initWasmNode();
const dir = process.argv[2] ?? '.train';
const epoch = Number(process.argv[3] ?? 24);
const config = fullConfig(1);
const model = buildModel(stageNetwork('classifier', config), { seed: 1 });
const index = readCheckpointIndex(dir)!;
const rec = index.checkpoints.find((c) => c.stage === 'classifier' && c.epoch === epoch)!;
const res = readCheckpoint(dir, rec);
if (!res.ok) throw new Error(res.reason);
for (const layer of model.layers) {
	const n = layer.getWeights().length;
	if (!n) continue;
	layer.setWeights(Array.from({ length: n }, (_, i) => { const t = res.ckpt.tensors.get(`${layer.name}/${i}`)!; return tf.tensor(t.values, t.shape); }));
}
const source = loadMnist();
const split = digitSplit();
const S = config.classifierInput;
for (const [name, aug] of [['varied', {}], ['no scribbles', { maxScribbles: 0, noise: 0.02 }], ['centred', EASY_DIGITS], ['train varied', {}]] as const) {
	const ranges = name === 'train varied' ? split.train : split.test;
	const b = digitBatch(source, ranges, mulberry32(deriveSeed(31337, name.length)), 1000, S, aug);
	console.log(name, (await classifierAccuracy(model, b.x, b.digits, S)).toFixed(4));
}
