/**
 * The start-up state of a live cell: `idle` until it starts (usually when it scrolls into view),
 * `loading` while `run`'s work is under way, then `ready`, or `error` with the message for RetryError
 * (whose retry runs the work again).
 */
export class CellStart {
	status = $state<'idle' | 'loading' | 'ready' | 'error'>('idle');
	error = $state<string | null>(null);

	/** Runs the cell's start-up `work`, marking the cell loading, then ready, or error with its message. */
	async run(work: () => Promise<void>): Promise<void> {
		this.status = 'loading';
		this.error = null;
		try {
			await work();
			this.status = 'ready';
		} catch (e) {
			this.status = 'error';
			this.error = e instanceof Error ? e.message : String(e);
		}
	}
}
