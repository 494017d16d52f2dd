/**
 * Run `fn` once when `el` first comes within `rootMargin` of the screen: how live cells start
 * TensorFlow.js only when the reader gets near them. Runs `fn` at once where there is no
 * IntersectionObserver. Returns a function that stops watching.
 */
export function whenVisible(el: Element, fn: () => void, rootMargin = '200px'): () => void {
	if (typeof IntersectionObserver === 'undefined') {
		fn();
		return () => {};
	}
	const io = new IntersectionObserver(
		(entries) => {
			if (entries.some((e) => e.isIntersecting)) {
				io.disconnect();
				fn();
			}
		},
		{ rootMargin }
	);
	io.observe(el);
	return () => io.disconnect();
}
