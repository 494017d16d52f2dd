/**
 * The activations that lazy `keep` runs leave on the backend, per slot (one per live cell), until
 * the result or the slot is released or the models are unloaded. These are the only tensors that
 * outlive an engine call.
 */
import type * as TF from '@tensorflow/tfjs';

export class HeldActivations {
	#held = new Map<string, Set<TF.Tensor>>();

	/** Hold `tensors` in `slot`. */
	hold(slot: string, tensors: readonly TF.Tensor[]): void {
		const set = this.#held.get(slot) ?? new Set<TF.Tensor>();
		this.#held.set(slot, set);
		for (const t of tensors) set.add(t);
	}

	/** Dispose `tensors` of `slot` (one result's release; idempotent). */
	releaseSome(slot: string, tensors: readonly TF.Tensor[]): void {
		const set = this.#held.get(slot);
		for (const t of tensors) {
			set?.delete(t);
			if (!t.isDisposed) t.dispose();
		}
	}

	/**
	 * Dispose the held activations of one slot (or of every slot when `slot` is null). After a lost
	 * GPU (`lost`) a failing dispose is ignored: the memory went with the context.
	 */
	release(slot: string | null = null, lost = false): void {
		for (const [k, held] of [...this.#held]) {
			if (slot !== null && k !== slot) continue;
			this.#held.delete(k);
			try {
				for (const t of held) if (!t.isDisposed) t.dispose();
			} catch (e) {
				if (!lost) throw e;
			}
		}
	}
}
