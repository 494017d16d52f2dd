/**
 * The real-network lesson's inputs: the vendored sample photos (static/samples, provenance in
 * static/weights/vendored.json) chosen by `?sample=`, and what the photos are.
 */
export const SAMPLES = ['astronaut', 'chelsea', 'coffee'] as const;
export type SampleName = (typeof SAMPLES)[number];

export const SAMPLE_LABELS: Record<SampleName, string> = {
	astronaut: 'Astronaut (Eileen Collins, NASA, public domain)',
	chelsea: 'Cat (Chelsea, CC0)',
	coffee: 'Coffee cup (CC0)'
};

/** The sample named by `?sample=` (the astronaut when absent; null for an unknown name or 'none'). */
export function sampleFromQuery(search: string | URLSearchParams): SampleName | null {
	const q = typeof search === 'string' ? new URLSearchParams(search) : search;
	const v = q.get('sample');
	if (v === null) return 'astronaut';
	return (SAMPLES as readonly string[]).includes(v) ? (v as SampleName) : null;
}

/** The mask's foreground fraction as the page shows it: a percentage with one decimal. */
export function percent(fraction: number): string {
	return `${(100 * fraction).toFixed(1)}%`;
}
