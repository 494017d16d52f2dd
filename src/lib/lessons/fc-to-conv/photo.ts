/**
 * Photos for the bring-your-own VGG-16 cell: the size a photo is brought to (never distorted: one
 * scale factor for both sides), and the ImageNet class names. Pure, except `imagenetLabels`
 * (a lazy import of the class list shipped by @tensorflow-models/mobilenet).
 */

/**
 * One scale factor that brings the longer side to at most `maxSide` and the shorter side to at
 * least `minSide` (the classifier's input); when both cannot hold, the shorter side wins.
 */
export function photoSize(
	w: number,
	h: number,
	minSide: number,
	maxSide: number
): { width: number; height: number; scale: number } {
	if (!(w > 0 && h > 0)) throw new RangeError(`invalid photo size ${w}×${h}`);
	let scale = Math.min(1, maxSide / Math.max(w, h));
	if (Math.min(w, h) * scale < minSide) scale = minSide / Math.min(w, h);
	return { width: Math.max(minSide, Math.round(w * scale)), height: Math.max(minSide, Math.round(h * scale)), scale };
}

/** The top `k` classes by their highest probability anywhere in an [h, w, K] map. */
export function topClassesByPeak(probs: Float32Array, classes: number, k: number): { cls: number; peak: number }[] {
	const peak = new Float32Array(classes);
	for (let p = 0; p < probs.length; p += classes) {
		for (let c = 0; c < classes; c++) if (probs[p + c] > peak[c]) peak[c] = probs[p + c];
	}
	return Array.from(peak, (v, cls) => ({ cls, peak: v }))
		.sort((a, b) => b.peak - a.peak)
		.slice(0, k);
}

let labels: Promise<string[]> | null = null;

/** The 1000 ImageNet class names in Keras/Caffe index order (first synonym of each). */
export function imagenetLabels(): Promise<string[]> {
	labels ??= import('@tensorflow-models/mobilenet/dist/imagenet_classes.js').then((m) => {
		const table = m.IMAGENET_CLASSES as Record<number, string>;
		return Array.from({ length: 1000 }, (_, i) => (table[i] ?? `class ${i}`).split(',')[0]);
	});
	return labels;
}
