/**
 * The one error the geometry library throws for an impossible configuration. Its message starts
 * with the name of the layer at fault (`pool5: kernel 2 is larger than the padded input 1`), so a
 * page or the CLI can show it as is.
 */
export class GeometryError extends Error {
	/** The layer at fault, or '' when the error is about an argument rather than a layer. */
	readonly layer: string;
	constructor(layer: string, message: string) {
		super(layer ? `${layer}: ${message}` : message);
		this.name = 'GeometryError';
		this.layer = layer;
	}
}

/** Throws unless `value` is an integer ≥ `min`; the message names the layer and the argument. */
export function checkInteger(layer: string, what: string, value: number, min: number): void {
	if (!Number.isInteger(value) || value < min) {
		throw new GeometryError(layer, `invalid ${what}: ${value} (an integer ≥ ${min} is needed)`);
	}
}
