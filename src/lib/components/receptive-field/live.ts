/**
 * Start-up of the lesson cells that run the trained network: TensorFlow.js, a backend (the URL's
 * `?backend=` pin, a remembered or measured choice, else wasm / cpu), and where the weights come
 * from: the trained files when static/weights/manifest.json exists, otherwise the untrained
 * definition with seeded random weights (`source: 'random'`, which the cells say loudly).
 * Also the held-out test scenes, cropped to a square the nets' stride divides.
 */
import { base } from '$app/paths';
import { engine, loadTf } from '$lib/model/engine';
import { backendFromUrl } from '$lib/model/backend';
import { fetchManifest } from '$lib/model/weights';
import type { GreyImage } from '$lib/model/input';
import type { TestScenes } from '$lib/data/test-digits';

export interface LiveStart {
	source: 'trained' | 'random';
	backend: string;
	tf: Awaited<ReturnType<typeof loadTf>>;
}

let starting: Promise<LiveStart> | null = null;

export function startLive(): Promise<LiveStart> {
	starting ??= (async () => {
		const tf = await loadTf();
		let source: 'trained' | 'random' = 'trained';
		try {
			await fetchManifest(`${base}/weights`);
		} catch {
			source = 'random';
		}
		engine.configure({ weightsUrl: `${base}/weights`, source });
		try {
			await engine.chooseBackend({ pin: backendFromUrl(window.location.search) });
		} catch {
			if (!(await tf.setBackend('wasm').catch(() => false))) await tf.setBackend('cpu');
			await tf.ready();
		}
		return { source, backend: tf.getBackend(), tf };
	})();
	starting.catch(() => (starting = null));
	return starting;
}

let scenes: Promise<TestScenes> | null = null;

export function testScenes(): Promise<TestScenes> {
	scenes ??= import('$lib/data/test-digits').then((m) => m.loadTestDigits(`${base}/data`));
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
