/** The theoretical receptive field of a unit as a box on the input, from the geometry library. */
import { seenInterval, type Network } from '$lib/fcn';
import type { Unit } from '$lib/live';

export interface FieldBox {
	/** Unclipped input intervals [first, last] (may reach into the padding). */
	ys: [number, number];
	xs: [number, number];
	/** Area of the whole field, px². */
	area: number;
	/** Area of its part inside the W×H image, px². */
	inside: number;
}

export function theoreticalBox(net: Network, unit: Unit, width: number, height: number): FieldBox | null {
	const ys = seenInterval(net, unit.layer, unit.y);
	const xs = seenInterval(net, unit.layer, unit.x);
	if (!ys || !xs) return null;
	const span = (a: number, b: number) => Math.max(0, b - a + 1);
	const inside =
		span(Math.max(0, xs[0]), Math.min(width - 1, xs[1])) * span(Math.max(0, ys[0]), Math.min(height - 1, ys[1]));
	return { ys, xs, area: span(...ys) * span(...xs), inside };
}
