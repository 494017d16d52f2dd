/**
 * The one DOM helper of viz: put an RGBA buffer on a canvas (resizing its buffer only when the size
 * changes). Call from a component's effect or attachment.
 */
import type { Rgba } from './rgba';

export function putRgba(canvas: HTMLCanvasElement, img: Rgba): void {
	if (canvas.width !== img.width) canvas.width = img.width;
	if (canvas.height !== img.height) canvas.height = img.height;
	const ctx = canvas.getContext('2d');
	if (!ctx) return;
	ctx.putImageData(new ImageData(img.data as Uint8ClampedArray<ArrayBuffer>, img.width, img.height), 0, 0);
}
