/**
 * The real-network lesson's inputs: the vendored sample photos (static/samples, provenance in
 * static/weights/vendored.json) chosen by `?sample=`, and what the photos are.
 */
import { enumParam, parseQuery, textParam } from '$lib/url';

export const SAMPLES = ['astronaut', 'chelsea', 'coffee'] as const;
export type SampleName = (typeof SAMPLES)[number];

export const SAMPLE_LABELS: Record<SampleName, string> = {
	astronaut: 'Astronaut (Eileen Collins, NASA, public domain)',
	chelsea: 'Cat (Chelsea, CC0)',
	coffee: 'Coffee cup (CC0)'
};

/**
 * The page's URL state as typed specs ($lib/url): `sample` (astronaut | chelsea | coffee | none; none:
 * an upload or the webcam) and `node` (a graph node whose feature maps are shown; checked against the
 * graph by the page).
 */
export const REAL_SPECS = {
	sample: enumParam({ label: 'sample', values: [...SAMPLES, 'none'] as const, default: 'astronaut' }),
	node: textParam({ label: 'node' })
};

/** The sample named by `?sample=` (the astronaut when absent or unknown; null for 'none'), and the node. */
export function realFromQuery(search: string | URLSearchParams): { sample: SampleName | null; node: string | null } {
	const q = typeof search === 'string' ? new URLSearchParams(search) : search;
	const { values } = parseQuery(REAL_SPECS, q, { reportUnknown: false });
	return { sample: values.sample === 'none' ? null : values.sample, node: values.node || null };
}

/** The mask's foreground fraction as the page shows it: a percentage with one decimal. */
export function percent(fraction: number): string {
	return `${(100 * fraction).toFixed(1)}%`;
}
