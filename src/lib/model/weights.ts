/**
 * Loading trained weights in the browser: the manifest (static/weights/manifest.json, schema in
 * design.md), every file fetched with byte progress, checked against the manifest's sha256 BEFORE
 * it is used, and assembled into tfjs ModelArtifacts for `tf.io.fromMemory`.
 *
 * No tfjs import here: this module only moves bytes. Works in browsers (crypto.subtle) and Node ≥ 20.
 */

/** The name of a trained model in the manifest. */
export type ModelName = 'classifier' | 'fcn32s' | 'fcn16s' | 'fcn8s';
export const MODEL_NAMES: readonly ModelName[] = ['classifier', 'fcn32s', 'fcn16s', 'fcn8s'];

/** One model's entry in manifest.json. */
export interface ManifestModel {
	/** model.json, relative to the manifest's folder (e.g. 'fcn8s/model.json'). */
	path: string;
	/** 'fcn8s', 'classifier', ... (a name src/lib/fcn/nets.ts understands). */
	net: string;
	width: number;
	geometry: 'same' | 'caffe';
	/** sha256 (hex) of every file of the model, by file name relative to the model.json's folder. */
	files: Record<string, string>;
	/**
	 * Optional sizes for an exact progress total before any download: the model's total bytes
	 * (all files), or bytes per file. Without it the total comes from Content-Length.
	 */
	bytes?: number | Record<string, number>;
	/** Number of classes of the model's output (when the manifest records it). */
	classes?: number;
	eval?: { pixelAcc: number; meanAcc: number; meanIU: number; fwIU: number; perClassIU: number[] };
}

export interface Manifest {
	version: number;
	input: { channels: number; range: [number, number]; ink: number; note?: string };
	classes: string[];
	ignoreLabel: number;
	models: Partial<Record<ModelName, ManifestModel>>;
	[key: string]: unknown;
}

/** Progress of a model download: bytes received of the total (total 0 while unknown). */
export interface LoadProgress {
	loaded: number;
	total: number;
	/** The file being fetched. */
	file: string;
}

/** A failure while loading weights; `file` names what failed (the manifest, model.json, a shard). */
export class WeightsError extends Error {
	constructor(
		readonly file: string,
		message: string,
		readonly kind: 'missing' | 'corrupt' | 'invalid' = 'invalid'
	) {
		super(message);
		this.name = 'WeightsError';
	}
}

/** The verified files of one model: the parsed model.json and the concatenated weight bytes. */
export interface VerifiedModel {
	name: ModelName;
	entry: ManifestModel;
	/** The tfjs layers-format model.json, parsed. */
	modelJson: {
		modelTopology: unknown;
		weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[];
		[key: string]: unknown;
	};
	/** All weight shards concatenated in weightsManifest order. */
	weightData: ArrayBuffer;
	/** Total bytes downloaded (model.json + shards). */
	bytes: number;
}

/** Lowercase hex sha256 of `bytes` (crypto.subtle). */
export async function sha256Hex(bytes: ArrayBuffer | Uint8Array): Promise<string> {
	const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
	const digest = await crypto.subtle.digest('SHA-256', view as Uint8Array<ArrayBuffer>);
	return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Join a folder URL and a relative path ('weights' + 'fcn8s/model.json'). */
export function joinUrl(base: string, path: string): string {
	return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** Fetch and parse manifest.json from `baseUrl` (the weights folder). */
export async function fetchManifest(baseUrl: string, fetchFn: typeof fetch = fetch): Promise<Manifest> {
	const url = joinUrl(baseUrl, 'manifest.json');
	let res: Response;
	try {
		res = await fetchFn(url);
	} catch (e) {
		throw new WeightsError('manifest.json', `could not fetch ${url}: ${(e as Error).message}`, 'missing');
	}
	if (!res.ok) {
		throw new WeightsError('manifest.json', `the weights manifest ${url} is missing (HTTP ${res.status})`, 'missing');
	}
	let m: Manifest;
	try {
		m = (await res.json()) as Manifest;
	} catch {
		throw new WeightsError('manifest.json', `the weights manifest ${url} is not valid JSON`, 'corrupt');
	}
	if (!m || typeof m !== 'object' || !m.models || !Array.isArray(m.classes)) {
		throw new WeightsError('manifest.json', `the weights manifest ${url} has no 'models' or 'classes'`, 'invalid');
	}
	return m;
}

/**
 * Fetch one file fully, reporting bytes as they arrive. `onBytes(n)` receives the running count
 * for this file; `onTotal(n)` the Content-Length when the server sends one.
 */
async function fetchBytes(
	url: string,
	file: string,
	fetchFn: typeof fetch,
	onBytes: (n: number) => void,
	onTotal: (n: number) => void
): Promise<Uint8Array> {
	let res: Response;
	try {
		res = await fetchFn(url);
	} catch (e) {
		throw new WeightsError(file, `could not fetch ${file}: ${(e as Error).message}`, 'missing');
	}
	if (!res.ok) throw new WeightsError(file, `${file} is missing (HTTP ${res.status} for ${url})`, 'missing');
	const len = Number(res.headers.get('content-length'));
	if (len > 0) onTotal(len);
	if (!res.body) {
		const buf = new Uint8Array(await res.arrayBuffer());
		onBytes(buf.byteLength);
		return buf;
	}
	const reader = res.body.getReader();
	const chunks: Uint8Array[] = [];
	let n = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		chunks.push(value);
		n += value.byteLength;
		onBytes(n);
	}
	return concat(chunks, n);
}

function concat(chunks: Uint8Array[], n: number): Uint8Array {
	const out = new Uint8Array(n);
	let o = 0;
	for (const c of chunks) {
		out.set(c, o);
		o += c.byteLength;
	}
	return out;
}

async function verify(file: string, bytes: Uint8Array, expected: string | undefined): Promise<void> {
	if (!expected)
		throw new WeightsError(file, `${file} is not listed in the manifest, so it cannot be verified`, 'invalid');
	const got = await sha256Hex(bytes);
	if (got !== expected.toLowerCase()) {
		throw new WeightsError(
			file,
			`${file} is corrupt: its sha256 is ${got.slice(0, 12)}…, the manifest says ${expected.slice(0, 12)}…`,
			'corrupt'
		);
	}
}

/**
 * Download one model's files (model.json, then every shard it lists), verify each against the
 * manifest's sha256 before parsing or using it, and return the verified bytes.
 * Progress totals come from the manifest's `bytes` when present, else from Content-Length.
 * Throws a WeightsError naming the file on any missing, unlisted or corrupt file.
 */
export async function fetchVerifiedModel(
	baseUrl: string,
	manifest: Manifest,
	name: ModelName,
	onProgress?: (p: LoadProgress) => void,
	fetchFn: typeof fetch = fetch
): Promise<VerifiedModel> {
	const entry = manifest.models[name];
	if (!entry) throw new WeightsError('manifest.json', `the weights manifest has no model '${name}'`, 'missing');
	const folder = entry.path.includes('/') ? entry.path.slice(0, entry.path.lastIndexOf('/')) : '';
	const jsonFile = entry.path.slice(folder.length ? folder.length + 1 : 0);
	const files = Object.keys(entry.files);
	const known: Record<string, number> = typeof entry.bytes === 'object' && entry.bytes ? entry.bytes : {};
	const fixedTotal = typeof entry.bytes === 'number' && entry.bytes > 0 ? entry.bytes : null;
	const totals = new Map<string, number>(files.map((f) => [f, known[f] ?? 0]));
	const loaded = new Map<string, number>();
	const report = (file: string) =>
		onProgress?.({
			file,
			loaded: [...loaded.values()].reduce((a, b) => a + b, 0),
			total: fixedTotal ?? [...totals.values()].reduce((a, b) => a + b, 0)
		});
	const get = async (file: string) => {
		const url = joinUrl(baseUrl, folder ? `${folder}/${file}` : file);
		const bytes = await fetchBytes(
			url,
			`${name}/${file}`,
			fetchFn,
			(n) => {
				loaded.set(file, n);
				report(file);
			},
			(n) => {
				if (!known[file]) totals.set(file, n);
			}
		);
		await verify(`${name}/${file}`, bytes, entry.files[file]);
		return bytes;
	};

	const jsonBytes = await get(jsonFile);
	let modelJson: VerifiedModel['modelJson'];
	try {
		modelJson = JSON.parse(new TextDecoder().decode(jsonBytes));
	} catch {
		throw new WeightsError(`${name}/${jsonFile}`, `${name}/${jsonFile} is not valid JSON`, 'corrupt');
	}
	if (!modelJson?.modelTopology || !Array.isArray(modelJson.weightsManifest)) {
		throw new WeightsError(`${name}/${jsonFile}`, `${name}/${jsonFile} is not a tfjs layers model`, 'invalid');
	}
	const paths = modelJson.weightsManifest.flatMap((g) => g.paths);
	const shards = await Promise.all(paths.map(get));
	const size = shards.reduce((a, s) => a + s.byteLength, 0);
	return {
		name,
		entry,
		modelJson,
		weightData: concat(shards, size).buffer as ArrayBuffer,
		bytes: size + jsonBytes.byteLength
	};
}
