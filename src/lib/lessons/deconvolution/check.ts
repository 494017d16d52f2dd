/**
 * The verdict of a live identity check: a max-abs difference against the float32 tolerance the
 * lessons use (1e-5, as the issue asks), with the number written for the reader.
 */
export const TOLERANCE = 1e-5;

export function checkVerdict(diff: number, tolerance = TOLERANCE): { ok: boolean; text: string } {
	const ok = Number.isFinite(diff) && diff < tolerance;
	const text = !Number.isFinite(diff) ? 'shapes differ' : diff === 0 ? '0' : diff.toExponential(2);
	return { ok, text };
}
