/**
 * latestOnly(): while the reader draws, inference reruns at most once per animation frame and a
 * result computed for an outdated drawing is never shown (issue 4: "stale results are dropped").
 */
import { describe, expect, it } from 'vitest';
import { latestOnly } from '$lib/model/engine-scheduler';

/** A manual frame clock and manually resolved runs. */
function harness() {
	const frames: (() => void)[] = [];
	const runs: { input: number; resolve: (r: string) => void }[] = [];
	const delivered: string[] = [];
	const discarded: string[] = [];
	const r = latestOnly<number, string>(
		(input) => new Promise((resolve) => runs.push({ input, resolve })),
		(res) => delivered.push(res),
		(e) => {
			throw e;
		},
		(cb) => frames.push(cb),
		(res) => discarded.push(res)
	);
	const frame = async () => {
		const f = frames.splice(0);
		f.forEach((cb) => cb());
		await Promise.resolve();
	};
	const settle = () => new Promise((res) => setTimeout(res, 0));
	return { r, frames, runs, delivered, discarded, frame, settle };
}

describe('latestOnly(run, deliver)', () => {
	it('coalesces many requests within one frame into one run on the newest input', async () => {
		const h = harness();
		h.r.request(1);
		h.r.request(2);
		h.r.request(3);
		expect(h.frames.length).toBe(1);
		await h.frame();
		expect(h.runs.map((x) => x.input)).toEqual([3]);
	});

	it('never runs two inferences at once, and drops a result whose input was superseded', async () => {
		const h = harness();
		h.r.request(1);
		await h.frame();
		h.r.request(2); // arrives while run(1) is in flight
		await h.frame();
		expect(h.runs.length).toBe(1);
		h.runs[0].resolve('result-1');
		await h.settle();
		expect(h.delivered).toEqual([]); // stale: input 2 is newer
		await h.frame();
		expect(h.runs.map((x) => x.input)).toEqual([1, 2]);
		h.runs[1].resolve('result-2');
		await h.settle();
		expect(h.delivered).toEqual(['result-2']);
		// what a dropped result holds (a lazy run's maps on the backend) is handed back to be freed
		expect(h.discarded).toEqual(['result-1']);
		expect(h.r.stats).toMatchObject({ started: 2, delivered: 1, dropped: 1 });
	});

	it('cancel() forgets pending input and drops the result in flight', async () => {
		const h = harness();
		h.r.request(1);
		await h.frame();
		h.r.cancel();
		h.runs[0].resolve('late');
		await h.settle();
		expect(h.delivered).toEqual([]);
		expect(h.discarded).toEqual(['late']);
	});
});
