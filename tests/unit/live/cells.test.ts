/**
 * $lib/live's start-up of the lesson cells (src/lib/live/cells.ts): the engine started the one way
 * (no weights folder: the untrained definition, said as `source: 'random'`; `?backend=` pins), and
 * the test scenes cropped to the square the cells run on.
 */
import { describe, expect, it, vi } from 'vitest';
import { sceneSquare, startLive } from '$lib/live/cells';
import { engine } from '$lib/model/engine';
import type { TestScenes } from '$lib/data/test-digits';

describe('startLive(weightsUrl, search)', () => {
	it("without a weights manifest starts on the pinned backend with source 'random', once per page", async () => {
		vi.stubGlobal('fetch', async () => new Response('', { status: 404 }));
		try {
			const a = startLive('/weights', '?backend=cpu');
			expect(startLive('/weights', '?backend=cpu')).toBe(a);
			expect(await a).toEqual({ source: 'random', backend: 'cpu' });
			expect(engine.config).toMatchObject({ weightsUrl: '/weights', source: 'random' });
			expect(engine.choice?.reason).toBe('url');
		} finally {
			vi.unstubAllGlobals();
		}
	});
});

describe('sceneSquare(set, i, size)', () => {
	const set = {
		count: 2,
		scene: (i: number) => ({
			image: Float32Array.from({ length: 3 * 4 }, (_, k) => i * 100 + k),
			width: 4,
			height: 3
		})
	} as unknown as TestScenes;

	it('sceneSquare(set, 1, 2) is the top-left 2×2 of scene 1', () => {
		expect(sceneSquare(set, 1, 2)).toEqual({ data: Float32Array.from([100, 101, 104, 105]), width: 2, height: 2 });
	});
	it('pads a scene smaller than the square with background, and clamps i to the set', () => {
		const s = sceneSquare(set, 9, 5);
		expect(s.data[4 * 5 + 3]).toBe(0);
		expect(s.data[2 * 5 + 3]).toBe(100 + 2 * 4 + 3);
	});
});
