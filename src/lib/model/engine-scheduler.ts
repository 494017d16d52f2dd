/**
 * "At most one inference per animation frame, stale results dropped": a latest-only runner.
 *
 * `request(x)` records x as the newest input and schedules a tick (one per frame). A tick starts
 * a run for the newest input unless one is already in flight; when a run finishes, its result is
 * delivered only if no newer input arrived meanwhile (otherwise it is stale and dropped, and the
 * newest input runs next). No DOM needed: `schedule` defaults to requestAnimationFrame.
 */
export interface LatestOnly<I> {
	/** Ask for a run on `input` (replaces any input not yet started). */
	request(input: I): void;
	/** Stop: pending inputs are forgotten, results of runs in flight are dropped. */
	cancel(): void;
	/** Counters, for tests and the debug panel. */
	readonly stats: { requested: number; started: number; delivered: number; dropped: number };
}

export function latestOnly<I, R>(
	run: (input: I) => Promise<R>,
	deliver: (result: R, input: I) => void,
	onError: (e: unknown) => void = (e) => console.error(e),
	schedule: (cb: () => void) => void = (cb) => requestAnimationFrame(() => cb()),
	/** Called with each result that is dropped (stale or cancelled), to free what it holds. */
	discard: (result: R) => void = () => {}
): LatestOnly<I> {
	let pending: { input: I; seq: number } | null = null;
	let seq = 0;
	let busy = false;
	let ticking = false;
	let cancelled = false;
	const stats = { requested: 0, started: 0, delivered: 0, dropped: 0 };

	const tick = () => {
		ticking = false;
		if (cancelled || busy || !pending) return;
		const job = pending;
		pending = null;
		busy = true;
		stats.started++;
		run(job.input).then(
			(r) => {
				busy = false;
				if (cancelled || job.seq !== seq) {
					stats.dropped++;
					discard(r);
				} else {
					stats.delivered++;
					deliver(r, job.input);
				}
				kick();
			},
			(e) => {
				busy = false;
				if (!cancelled && job.seq === seq) onError(e);
				kick();
			}
		);
	};
	const kick = () => {
		if (!ticking && pending && !cancelled) {
			ticking = true;
			schedule(tick);
		}
	};
	return {
		request(input: I) {
			cancelled = false;
			stats.requested++;
			pending = { input, seq: ++seq };
			kick();
		},
		cancel() {
			cancelled = true;
			pending = null;
		},
		stats
	};
}
