/**
 * The zoom on a boundary: a size×size window of a row-major map around (cx, cy), clamped so the
 * window stays inside the map when the map is big enough (outside cells are 0, background).
 */
import type { Scene } from '$lib/data/scenes';

export function zoomWindow<T extends Uint8Array | Float32Array>(
	data: T,
	width: number,
	height: number,
	cx: number,
	cy: number,
	size: number
): T {
	const out = new (data.constructor as { new (n: number): T })(size * size);
	const x0 = Math.max(0, Math.min(width - size, Math.round(cx - size / 2)));
	const y0 = Math.max(0, Math.min(height - size, Math.round(cy - size / 2)));
	for (let y = 0; y < size; y++) {
		const sy = y0 + y;
		if (sy < 0 || sy >= height) continue;
		for (let x = 0; x < size; x++) {
			const sx = x0 + x;
			if (sx >= 0 && sx < width) out[y * size + x] = data[sy * width + sx];
		}
	}
	return out;
}

/** The zoom's default centre: the middle of the scene's first digit (its outline is in view). */
export function defaultZoomCentre(scene: Pick<Scene, 'digits' | 'width' | 'height'>): { x: number; y: number } {
	const d = scene.digits[0];
	if (!d) return { x: Math.floor(scene.width / 2), y: Math.floor(scene.height / 2) };
	return { x: Math.round(d.box.x + d.box.w / 2), y: Math.round(d.box.y + d.box.h / 2) };
}
