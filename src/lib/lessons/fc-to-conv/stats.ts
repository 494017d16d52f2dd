/** Min, max and mean of a grid's values (a heat map that is not blank has a spread; tests read it). */
export function gridStats(g: ArrayLike<number>): { min: number; max: number; mean: number } {
	let min = Infinity;
	let max = -Infinity;
	let s = 0;
	for (let i = 0; i < g.length; i++) {
		min = Math.min(min, g[i]);
		max = Math.max(max, g[i]);
		s += g[i];
	}
	return { min, max, mean: s / g.length };
}
