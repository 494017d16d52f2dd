/**
 * A fake weights folder `/w` for the engine's weight-loading tests: an FCN-8s entry whose files are
 * listed in a manifest with their sha256, served by a `fetch` replacement. `overrides` replaces what
 * is served at a path (null: 404), after the manifest was written — a tampered or missing file.
 */
import { createHash } from 'node:crypto';
import type { Manifest } from '$lib/model/weights';

export const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
export const utf8 = (s: string) => new TextEncoder().encode(s);

export function fakeWeightsFolder(
	files: Record<string, Uint8Array>,
	overrides: Record<string, Uint8Array | null> = {}
) {
	const manifest: Manifest = {
		version: 1,
		input: { channels: 1, range: [0, 1], ink: 1 },
		classes: ['background', ...'0123456789'],
		ignoreLabel: 255,
		models: {
			fcn8s: {
				path: 'fcn8s/model.json',
				net: 'fcn8s',
				width: 0.125,
				geometry: 'same',
				files: Object.fromEntries(Object.entries(files).map(([k, v]) => [k, sha(v)]))
			}
		}
	};
	const served: Record<string, Uint8Array | null> = {
		'/w/manifest.json': utf8(JSON.stringify(manifest)),
		...Object.fromEntries(Object.entries(files).map(([k, v]) => [`/w/fcn8s/${k}`, v])),
		...overrides
	};
	/** Every URL asked for, in order. */
	const requested: string[] = [];
	const fetchFn = (async (url: string) => {
		requested.push(url);
		const body = served[url];
		if (!body) return new Response('not found', { status: 404 });
		return new Response(body.slice(), { headers: { 'content-length': String(body.byteLength) } });
	}) as typeof fetch;
	return { manifest, files, fetchFn, requested };
}
