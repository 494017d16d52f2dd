import type { Pathname } from '$app/types';

/**
 * The lessons of the explorer, in reading order. The table of contents, the previous/next links, the
 * page titles and the ←/→ keys all read this list, so a lesson is added or renamed here only.
 *
 * `path` is the route (no trailing slash, no base path: links pass it through `resolve` from `$app/paths`);
 * `summary` is one sentence shown on the home page and in the
 * table of contents' tooltips.
 */
export interface Lesson {
	/** Route slug, without slashes: `receptive-field` is served at `/receptive-field`. */
	slug: string;
	/** Route path, `/` + slug. */
	path: Pathname;
	/** Short title, as in the table of contents. */
	title: string;
	/** One sentence: what the reader learns. */
	summary: string;
}

function lesson(slug: string, title: string, summary: string): Lesson {
	return { slug, path: `/${slug}` as Pathname, title, summary };
}

export const lessons: readonly Lesson[] = [
	lesson(
		'receptive-field',
		'Receptive fields',
		'Which input pixels one output unit can see, and how kernel size and stride compose through a stack of layers.'
	),
	lesson(
		'fc-to-conv',
		'FC → conv',
		'Why a fully connected layer is a convolution whose kernel covers its whole input, and what that buys on larger images.'
	),
	lesson(
		'deconvolution',
		'Deconvolution',
		'Upsampling inside the network: transposed convolution as zero insertion followed by an ordinary convolution.'
	),
	lesson(
		'skip-fusion',
		'Skip fusion',
		'Fusing coarse, semantic predictions with finer, shallower ones: FCN-32s, FCN-16s and FCN-8s.'
	),
	lesson('network', 'The network', 'A trained fully convolutional network running in your browser, layer by layer.'),
	lesson(
		'real-network',
		'The ideas in a real network',
		'A photo segmenter trained on real images, read from its graph by the same geometry library: strides, skips, upsampling; on your webcam.'
	),
	lesson('training', 'Training', 'How our small models were trained, and how they score on pixel accuracy and mean IU.')
];

/** The lesson served at `pathname` (trailing slash ignored), or `undefined` for any other page. */
export function lessonAt(pathname: string): Lesson | undefined {
	const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
	return lessons.find((l) => l.path === path);
}

/** The neighbours of the lesson at `pathname`: `prev`/`next` are `undefined` at the ends of the list. */
export function neighbours(pathname: string): { index: number; prev?: Lesson; next?: Lesson } {
	const current = lessonAt(pathname);
	const index = current ? lessons.indexOf(current) : -1;
	if (index < 0) return { index, next: pathname === '/' ? lessons[0] : undefined };
	return { index, prev: lessons[index - 1], next: lessons[index + 1] };
}
