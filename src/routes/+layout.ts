import { provideTexRenderer } from '$lib/components/shell/tex-renderer';

export const prerender = true;
export const trailingSlash = 'never';

/**
 * While prerendering, hand KaTeX to <Tex> (see tex-renderer.ts). The branch is dead code in the browser
 * build, so KaTeX is not in any page's JavaScript; <Tex> loads it lazily in the rare case it must typeset
 * in the browser.
 */
export async function load() {
	if (import.meta.env.SSR) {
		const { renderTex } = await import('$lib/tex');
		provideTexRenderer(renderTex);
	}
	return {};
}
