/**
 * Backend choice by measurement, not by name (software WebGL can be 20× slower than wasm, a real GPU
 * 20× faster): the fastest probe wins, the choice is remembered, bad storage is handled.
 */
import { describe, expect, it } from 'vitest';
import {
	describeProbes,
	fastest,
	median,
	readStoredChoice,
	STORAGE_KEY,
	writeStoredChoice,
	type ProbeResult
} from '$lib/model/backend';

const probes: ProbeResult[] = [
	{ backend: 'wasm', ms: 150 },
	{ backend: 'cpu', ms: 850 },
	{ backend: 'webgl', ms: 3200 },
	{ backend: 'webgpu', ms: null, error: 'does not initialise' }
];

describe('fastest(probes)', () => {
	it('picks the backend with the smallest time, whatever its name (here wasm beats software WebGL)', () => {
		expect(fastest(probes)?.backend).toBe('wasm');
		expect(fastest([{ backend: 'webgl', ms: 8 }, ...probes])?.backend).toBe('webgl');
	});
	it('ignores backends that failed and returns null when none worked', () => {
		expect(fastest([{ backend: 'webgpu', ms: null }])).toBeNull();
	});
	it('describeProbes says why, with every other backend’s time or failure', () => {
		const s = describeProbes(fastest(probes)!, probes);
		expect(s).toMatch(/150 ms/);
		expect(s).toMatch(/webgl 3200 ms/);
		expect(s).toMatch(/webgpu unavailable/);
	});
});

describe('remembered choice', () => {
	it('round-trips through storage and ignores unknown or corrupt entries', () => {
		const m = new Map<string, string>();
		const storage = { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
		writeStoredChoice(storage, { backend: 'wasm', reason: 'measured', why: 'fastest' });
		expect(readStoredChoice(storage)).toEqual({ backend: 'wasm', reason: 'measured', why: 'fastest' });
		m.set(STORAGE_KEY, '{"backend":"opengl"}');
		expect(readStoredChoice(storage)).toBeNull();
		m.set(STORAGE_KEY, '{not json');
		expect(readStoredChoice(storage)).toBeNull();
		expect(readStoredChoice(null)).toBeNull();
	});
});

describe('median(xs)', () => {
	it('is the middle value (mean of the two middle ones for an even count; NaN when empty)', () => {
		expect(median([5, 1, 3])).toBe(3);
		expect(median([4, 1, 3, 2])).toBe(2.5);
		expect(median([])).toBeNaN();
	});
});
