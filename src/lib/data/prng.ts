/**
 * A small seeded pseudo-random generator (mulberry32) so that every scene, split and training step
 * is reproducible bit-for-bit from a seed, in Node and in the browser alike.
 */
export interface Rng {
	/** Uniform in [0, 1). */
	next(): number;
	/** Uniform in [lo, hi). */
	uniform(lo: number, hi: number): number;
	/** Integer uniform in [lo, hi] (inclusive). */
	int(lo: number, hi: number): number;
	/** Standard normal (Box–Muller). */
	normal(): number;
	/** One element of a non-empty array. */
	pick<T>(items: readonly T[]): T;
}

/** mulberry32: a 32-bit state generator, good enough for data synthesis and cheap to seed. */
export function mulberry32(seed: number): Rng {
	let a = seed >>> 0;
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const rng: Rng = {
		next,
		uniform: (lo, hi) => lo + (hi - lo) * next(),
		int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
		normal: () => {
			const u = Math.max(next(), 1e-12);
			const v = next();
			return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
		},
		pick: (items) => items[Math.floor(next() * items.length)]
	};
	return rng;
}

/** Derive an independent seed from a base seed and a few integers (stage, epoch, step, ...). */
export function deriveSeed(base: number, ...parts: number[]): number {
	let h = (base ^ 0x9e3779b9) >>> 0;
	for (const p of parts) {
		h = Math.imul(h ^ (p >>> 0), 0x85ebca6b) >>> 0;
		h = (h ^ (h >>> 13)) >>> 0;
		h = Math.imul(h, 0xc2b2ae35) >>> 0;
		h = (h ^ (h >>> 16)) >>> 0;
	}
	return h;
}
