/**
 * The KaTeX renderer used while pages are prerendered, handed over by src/routes/+layout.ts (which imports
 * $lib/tex only on the server). Keeping KaTeX out of every static import chain keeps it out of the
 * browser's JavaScript: a prerendered formula needs only KaTeX's CSS and fonts.
 */
export type TexRenderer = (tex: string, display: boolean) => string;

let renderer: TexRenderer | null = null;

export function provideTexRenderer(r: TexRenderer): void {
	renderer = r;
}

/** The server-side renderer, or null when none was provided (the browser). */
export function texRenderer(): TexRenderer | null {
	return renderer;
}
