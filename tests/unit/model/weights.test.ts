/**
 * Weights are checked against the manifest's sha256 BEFORE use: a tampered or missing file is refused
 * with an error that names it; progress counts bytes of the total.
 */
import { describe, expect, it } from 'vitest';
import { fetchManifest, fetchVerifiedModel, sha256Hex, WeightsError } from '$lib/model/weights';
import { fakeWeightsFolder, sha } from './fake-weights-folder.ts';

function site(overrides: Record<string, Uint8Array | null> = {}) {
	const shard1 = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
	const shard2 = Uint8Array.from({ length: 600 }, (_, i) => (i * 7) % 253);
	const modelJson = new TextEncoder().encode(
		JSON.stringify({
			modelTopology: { class_name: 'Model' },
			weightsManifest: [{ paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: [] }]
		})
	);
	const files: Record<string, Uint8Array> = {
		'model.json': modelJson,
		'group1-shard1of2.bin': shard1,
		'group1-shard2of2.bin': shard2
	};
	return fakeWeightsFolder(files, overrides);
}

describe('fetchVerifiedModel(base, manifest, name)', () => {
	it('returns model.json and the shards concatenated in manifest order, with byte progress up to the total', async () => {
		const { fetchFn, files } = site();
		const manifest = await fetchManifest('/w', fetchFn);
		const seen: { loaded: number; total: number }[] = [];
		const v = await fetchVerifiedModel('/w', manifest, 'fcn8s', (p) => seen.push(p), fetchFn);
		const expected = new Uint8Array([...files['group1-shard1of2.bin'], ...files['group1-shard2of2.bin']]);
		expect(new Uint8Array(v.weightData)).toEqual(expected);
		expect(v.bytes).toBe(files['model.json'].byteLength + expected.byteLength);
		const last = seen[seen.length - 1];
		expect(last.loaded).toBe(v.bytes);
		expect(last.total).toBe(v.bytes);
	});

	it('refuses a shard whose sha256 differs from the manifest, naming the file', async () => {
		const { fetchFn: clean, files } = site();
		const bad = files['group1-shard2of2.bin'].slice();
		bad[300] ^= 0xff;
		const { fetchFn } = site({ '/w/fcn8s/group1-shard2of2.bin': bad });
		const manifest = await fetchManifest('/w', clean);
		const err = await fetchVerifiedModel('/w', manifest, 'fcn8s', undefined, fetchFn).catch((e) => e);
		expect(err).toBeInstanceOf(WeightsError);
		expect(err.file).toBe('fcn8s/group1-shard2of2.bin');
		expect(err.kind).toBe('corrupt');
		expect(err.message).toMatch(/group1-shard2of2\.bin is corrupt/);
	});

	it('reports a missing file or manifest by name', async () => {
		const { fetchFn } = site({ '/w/fcn8s/group1-shard1of2.bin': null });
		const manifest = await fetchManifest('/w', fetchFn);
		await expect(fetchVerifiedModel('/w', manifest, 'fcn8s', undefined, fetchFn)).rejects.toMatchObject({
			file: 'fcn8s/group1-shard1of2.bin',
			kind: 'missing'
		});
		const none = site({ '/w/manifest.json': null });
		await expect(fetchManifest('/w', none.fetchFn)).rejects.toMatchObject({ file: 'manifest.json', kind: 'missing' });
		await expect(fetchVerifiedModel('/w', manifest, 'fcn16s', undefined, fetchFn)).rejects.toThrow(/no model 'fcn16s'/);
	});
});

describe('progress total from the manifest', () => {
	it('uses the manifest’s total bytes of the model from the first byte on', async () => {
		const { fetchFn } = site();
		const manifest = await fetchManifest('/w', fetchFn);
		manifest.models.fcn8s!.bytes = 12345;
		const totals = new Set<number>();
		await fetchVerifiedModel('/w', manifest, 'fcn8s', (p) => totals.add(p.total), fetchFn);
		expect([...totals]).toEqual([12345]);
	});
});

describe('sha256Hex(bytes)', () => {
	it('agrees with node:crypto', async () => {
		const b = new TextEncoder().encode('fully convolutional');
		expect(await sha256Hex(b)).toBe(sha(b));
	});
});
