import katex from 'katex';

/**
 * Renders TeX to an HTML string with KaTeX. Synchronous, so it runs while a page is prerendered: the
 * built HTML already holds the typeset formula and the browser only needs KaTeX's CSS and fonts (bundled
 * by Vite from the katex package, never from a CDN).
 *
 * Bad TeX never throws: it returns a visible `<span class="tex-error" role="alert">` naming the problem,
 * and the browser tests fail on any page that contains one.
 *
 * @param tex     the formula, without surrounding `$` (e.g. `o = \lfloor (i + 2p - k)/s \rfloor + 1`)
 * @param display `true` for a centred block formula, `false` (default) for inline
 */
export function renderTex(tex: string, display = false): string {
	try {
		return katex.renderToString(tex, {
			displayMode: display,
			throwOnError: true,
			output: 'htmlAndMathml',
			strict: 'error',
			trust: false
		});
	} catch (e) {
		const message = e instanceof Error ? e.message : String(e);
		return `<span class="tex-error" role="alert">TeX error: ${escapeHtml(message)}</span>`;
	}
}

function escapeHtml(s: string): string {
	return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
