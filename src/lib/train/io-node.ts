/**
 * Saving and loading TensorFlow.js layers models from Node (no tfjs-node here): model.json +
 * binary weight shards, exactly the files `tf.loadLayersModel(url)` reads in the browser, with
 * the sha256 of every file; and the training checkpoints (weights + optimiser state + log) with
 * a size/sha256 record so that a corrupt or partial checkpoint is detected and skipped.
 */
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const SHARD_BYTES = 4 * 1024 * 1024;

export function sha256(data: Uint8Array | string): string {
	return createHash('sha256').update(data).digest('hex');
}

export function sha256File(path: string): string {
	return sha256(readFileSync(path));
}

/** Write bytes atomically (temp file, then rename) so a crash never leaves a half-written file. */
export function writeAtomic(path: string, data: Uint8Array | string): void {
	const tmp = `${path}.tmp-${process.pid}`;
	writeFileSync(tmp, data);
	renameSync(tmp, path);
}

function joinWeightData(data: ArrayBuffer | ArrayBuffer[]): Uint8Array {
	if (!Array.isArray(data)) return new Uint8Array(data);
	const total = data.reduce((a, b) => a + b.byteLength, 0);
	const out = new Uint8Array(total);
	let o = 0;
	for (const b of data) {
		out.set(new Uint8Array(b), o);
		o += b.byteLength;
	}
	return out;
}

export interface SavedModel {
	dir: string;
	/** file name → sha256, model.json first. */
	files: Record<string, string>;
	bytes: number;
}

/** Save `model` into `dir` as model.json + group1-shardKofN.bin (≤ 4 MB each). */
export async function saveModelNode(model: tf.LayersModel, dir: string): Promise<SavedModel> {
	mkdirSync(dir, { recursive: true });
	for (const f of readdirSync(dir))
		if (f === 'model.json' || /^group\d+-shard\d+of\d+\.bin$/.test(f)) rmSync(join(dir, f));
	let saved: SavedModel | null = null;
	await model.save(
		tf.io.withSaveHandler(async (artifacts) => {
			const weights = joinWeightData(artifacts.weightData as ArrayBuffer | ArrayBuffer[]);
			const n = Math.max(1, Math.ceil(weights.byteLength / SHARD_BYTES));
			const paths: string[] = [];
			const files: Record<string, string> = {};
			const shardFiles: [string, Uint8Array][] = [];
			for (let k = 0; k < n; k++) {
				const name = `group1-shard${k + 1}of${n}.bin`;
				const part = weights.subarray(k * SHARD_BYTES, Math.min(weights.byteLength, (k + 1) * SHARD_BYTES));
				paths.push(name);
				shardFiles.push([name, part]);
			}
			const json = JSON.stringify({
				format: 'layers-model',
				generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
				convertedBy: null,
				modelTopology: artifacts.modelTopology,
				weightsManifest: [{ paths, weights: artifacts.weightSpecs }]
			});
			writeAtomic(join(dir, 'model.json'), json);
			files['model.json'] = sha256(json);
			let bytes = Buffer.byteLength(json);
			for (const [name, part] of shardFiles) {
				writeAtomic(join(dir, name), part);
				files[name] = sha256(part);
				bytes += part.byteLength;
			}
			saved = { dir, files, bytes };
			return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
		})
	);
	if (!saved) throw new Error(`saveModelNode: nothing was saved into ${dir}`);
	return saved;
}

/** Load a layers model saved by saveModelNode (or the tfjs converter) from a folder. */
export async function loadModelNode(dir: string): Promise<tf.LayersModel> {
	const jsonPath = join(dir, 'model.json');
	if (!existsSync(jsonPath)) throw new Error(`loadModelNode: ${jsonPath} does not exist`);
	const json = JSON.parse(readFileSync(jsonPath, 'utf8'));
	const specs: tf.io.WeightsManifestEntry[] = [];
	const parts: Uint8Array[] = [];
	for (const group of json.weightsManifest as tf.io.WeightsManifestConfig) {
		specs.push(...group.weights);
		for (const p of group.paths) parts.push(readFileSync(join(dir, p)));
	}
	const weightData = joinWeightData(
		parts.map((p) => p.buffer.slice(p.byteOffset, p.byteOffset + p.byteLength) as ArrayBuffer)
	).buffer as ArrayBuffer;
	return tf.loadLayersModel({
		load: async () => ({
			modelTopology: json.modelTopology,
			weightSpecs: specs,
			weightData,
			format: json.format,
			generatedBy: json.generatedBy
		})
	});
}

// ---------------------------------------------------------------- checkpoints

export interface CheckpointRecord {
	file: string;
	stage: string;
	epoch: number;
	/** Fingerprint of the configuration the checkpoint belongs to. */
	config: string;
	bytes: number;
	sha256: string;
}

export interface CheckpointIndex {
	/** Fingerprint of the training configuration the checkpoints belong to. */
	config: string;
	checkpoints: CheckpointRecord[];
}

const INDEX = 'checkpoints.json';

export function readCheckpointIndex(dir: string): CheckpointIndex | null {
	const p = join(dir, INDEX);
	if (!existsSync(p)) return null;
	try {
		return JSON.parse(readFileSync(p, 'utf8')) as CheckpointIndex;
	} catch {
		return null;
	}
}

/**
 * A checkpoint file: 4-byte little-endian header length, a JSON header ({ meta, tensors: [{name,
 * shape, offset, length}] }), then the float32 values.
 */
export function writeCheckpoint(
	dir: string,
	index: CheckpointIndex,
	stage: string,
	epoch: number,
	config: string,
	meta: unknown,
	tensors: { name: string; shape: number[]; values: Float32Array }[]
): CheckpointRecord {
	mkdirSync(dir, { recursive: true });
	let offset = 0;
	const entries = tensors.map((t) => {
		const e = { name: t.name, shape: t.shape, offset, length: t.values.length };
		offset += t.values.length;
		return e;
	});
	const header = Buffer.from(JSON.stringify({ meta, tensors: entries }));
	const body = new Float32Array(offset);
	for (let i = 0; i < tensors.length; i++) body.set(tensors[i].values, entries[i].offset);
	const len = Buffer.alloc(4);
	len.writeUInt32LE(header.byteLength);
	const data = Buffer.concat([len, header, Buffer.from(body.buffer, body.byteOffset, body.byteLength)]);
	const file = `${stage}-epoch${String(epoch).padStart(3, '0')}.ckpt`;
	writeAtomic(join(dir, file), data);
	const record: CheckpointRecord = { file, stage, epoch, config, bytes: data.byteLength, sha256: sha256(data) };
	index.checkpoints = index.checkpoints.filter((c) => c.file !== file);
	index.checkpoints.push(record);
	writeAtomic(join(dir, INDEX), JSON.stringify(index, null, 1));
	return record;
}

export interface LoadedCheckpoint {
	meta: unknown;
	tensors: Map<string, { shape: number[]; values: Float32Array }>;
}

/** Read and verify a checkpoint; null (with the reason) when it is missing, truncated or corrupt. */
export function readCheckpoint(
	dir: string,
	record: CheckpointRecord
): { ok: true; ckpt: LoadedCheckpoint } | { ok: false; reason: string } {
	const p = join(dir, record.file);
	if (!existsSync(p)) return { ok: false, reason: 'missing' };
	const data = readFileSync(p);
	if (data.byteLength !== record.bytes)
		return { ok: false, reason: `size ${data.byteLength} ≠ recorded ${record.bytes}` };
	if (sha256(data) !== record.sha256) return { ok: false, reason: 'sha256 mismatch' };
	const hlen = data.readUInt32LE(0);
	const header = JSON.parse(data.subarray(4, 4 + hlen).toString('utf8')) as {
		meta: unknown;
		tensors: { name: string; shape: number[]; offset: number; length: number }[];
	};
	const bodyBytes = data.subarray(4 + hlen);
	const body = new Float32Array(
		bodyBytes.buffer.slice(bodyBytes.byteOffset, bodyBytes.byteOffset + bodyBytes.byteLength)
	);
	const tensors = new Map<string, { shape: number[]; values: Float32Array }>();
	for (const t of header.tensors)
		tensors.set(t.name, { shape: t.shape, values: body.subarray(t.offset, t.offset + t.length) });
	return { ok: true, ckpt: { meta: header.meta, tensors } };
}
