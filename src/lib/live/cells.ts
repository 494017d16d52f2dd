/**
 * Start-up of the lesson cells that run the trained network (receptive field, deconvolution): the
 * engine started the one way (`engine.start`: the trained files when the weights folder has a
 * manifest, otherwise the untrained definition with seeded random weights, `source: 'random'`, which
 * the cells say loudly; the `?backend=` pin, a remembered or measured choice, else wasm, then cpu).
 * Also the held-out test scenes, cropped to a square the nets' stride divides.
 */
import type { TestScenes } from '$lib/data/test-digits';
import type { GreyImage } from '$lib/fcn/padding';
import { BACKEND_NAMES, type BackendName } from '$lib/model/backend';
import { pinFromQuery } from '$lib/url/site';

/** `?backend=wasm` pins a backend (tests, links), parsed by the one URL module; anything else pins nothing. */
export function backendFromUrl(search: string | URLSearchParams): BackendName | null {
	return pinFromQuery(search, BACKEND_NAMES);
}
import { engine, type WeightsSource } from '$lib/model/engine';

export interface LiveStart {
	source: WeightsSource;
	backend: string;
}

let starting: Promise<LiveStart> | null = null;

/** Start the engine for the lesson cells (once per page; a failure can be retried). */
export function startLive(weightsUrl: string, search: string): Promise<LiveStart> {
	starting ??= engine
		.start({ weightsUrl, pin: backendFromUrl(search), fallback: true })
		.then(({ source, choice }) => ({ source, backend: choice.backend }));
	starting.catch(() => (starting = null));
	return starting;
}

/**
 * Start-up of a cell that runs the trained FCN-8s on a test scene: the engine (as {@link startLive}),
 * the held-out test scenes, and fcn8s loaded. `root` is the site's base path (weights and data below it).
 */
export async function startFcn8s(root: string, search: string): Promise<LiveStart & { scenes: TestScenes }> {
	const live = await startLive(`${root}/weights`, search);
	const scenes = await testScenes(`${root}/data`);
	await engine.loadModel('fcn8s');
	return { ...live, scenes };
}

let scenes: Promise<TestScenes> | null = null;

/** The held-out test scenes from `dataUrl` (once per page). */
export function testScenes(dataUrl: string): Promise<TestScenes> {
	scenes ??= import('$lib/data/test-digits').then((m) => m.loadTestDigits(dataUrl));
	scenes.catch(() => (scenes = null));
	return scenes;
}

/** The top-left size×size square of test scene i (every test scene is at least 128 px a side). */
export function sceneSquare(set: TestScenes, i: number, size = 128): GreyImage {
	const s = set.scene(Math.max(0, Math.min(set.count - 1, i)));
	const data = new Float32Array(size * size);
	for (let y = 0; y < Math.min(size, s.height); y++) {
		for (let x = 0; x < Math.min(size, s.width); x++) data[y * size + x] = s.image[y * s.width + x];
	}
	return { data, width: size, height: size };
}
