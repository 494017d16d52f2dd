/**
 * The change handler of an `<input type="file">`: takes the picked file and clears the input (so the
 * same file can be picked again), then runs `use` on it. `error` is told null when a file was picked,
 * and the message when `use` throws (a refused or undecodable picture). Nothing picked: nothing happens.
 *
 * ```svelte
 * <input type="file" onchange={(e) => pickFile(e, open, (m) => (uploadError = m))} />
 * ```
 */
export async function pickFile(
	e: Event,
	use: (file: File) => Promise<void>,
	error: (message: string | null) => void
): Promise<void> {
	const input = e.currentTarget as HTMLInputElement;
	const file = input.files?.[0];
	input.value = '';
	if (!file) return;
	error(null);
	try {
		await use(file);
	} catch (err) {
		error((err as Error).message);
	}
}
