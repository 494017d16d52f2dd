/** True when an error looks like running out of memory (wasm heap, WebGL, ArrayBuffer). */
export function isOutOfMemory(e: unknown): boolean {
	const m = e instanceof Error ? `${e.name} ${e.message}` : String(e);
	return /out of memory|memory access out of bounds|Array buffer allocation failed|allocation failed|Cannot enlarge memory|OOM|RangeError: Invalid typed array length|Failed to compile fragment shader|exceeds the max texture size|WebGL context lost/i.test(
		m
	);
}
