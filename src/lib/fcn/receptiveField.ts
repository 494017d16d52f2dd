/**
 * Receptive fields. A layer y_ij = f_ks({x_{si+δi, sj+δj}}_{0≤δi,δj<k}) is described by its kernel
 * k and stride s; the paper's composition rule (§3)
 *
 *     f_ks ∘ g_k′s′ = (f ∘ g)_{k′ + (k − 1)s′, ss′}
 *
 * gives the kernel and stride of a stack. Per layer we also track where the field sits:
 * `rf` (size in input pixels), `jump` (input pixels between neighbouring units, the effective
 * stride) and `start` (input coordinate of the centre of unit 0; negative or fractional with
 * padding, even kernels and transposed convolutions).
 */
import { GeometryError } from './errors';
import { effectiveKernel } from './shapes';

/** A layer as the paper's f_ks: kernel size k and stride s (both in the layer's input units). */
export interface KernelStride {
	k: number;
	s: number;
}

/**
 * The paper's rule f_ks ∘ g_k′s′ = (f∘g)_{k′+(k−1)s′, ss′}. `g` is applied FIRST (it reads the
 * input), then `f` reads g's output: compose(f, g) is the one layer equivalent to f after g.
 */
export function compose(f: KernelStride, g: KernelStride): KernelStride {
	return { k: g.k + (f.k - 1) * g.s, s: f.s * g.s };
}

/** A stack listed input-first (stack[0] reads the input) folded into one f_ks with `compose`. */
export function composeStack(stack: readonly KernelStride[]): KernelStride {
	return stack.reduce((acc, layer) => compose(layer, acc), { k: 1, s: 1 });
}

/** Where a unit's field sits in input coordinates: size, effective stride, centre of unit 0. */
export interface Field {
	/** Receptive-field size in input pixels. */
	rf: number;
	/** Distance in input pixels between neighbouring units (effective stride). */
	jump: number;
	/** Input coordinate of the centre of unit 0. */
	start: number;
}

/** The input itself: each pixel sees itself. */
export const INPUT_FIELD: Field = Object.freeze({ rf: 1, jump: 1, start: 0 });

/**
 * A convolution or pooling layer (kernel k, stride s, padding p, dilation d; effective kernel
 * k_e = d(k − 1) + 1):  rf′ = rf + (k_e − 1)·jump,  jump′ = jump·s,  start′ = start + ((k_e − 1)/2 − p)·jump.
 */
export function convField(f: Field, kernel: number, stride = 1, padding = 0, dilation = 1): Field {
	const ke = effectiveKernel(kernel, dilation);
	return {
		rf: f.rf + (ke - 1) * f.jump,
		jump: f.jump * stride,
		start: f.start + ((ke - 1) / 2 - padding) * f.jump
	};
}

/**
 * A transposed convolution: a convolution with input stride 1/s, so jump′ = jump/s (fractional in
 * input pixels) and, from the coordinate map x_out = s·x_in + (k − 1)/2 − p,
 * start′ = start + (p − (k − 1)/2)·jump/s. An output unit reads at most ⌈k/s⌉ neighbouring input
 * units, so rf′ = rf + (⌈k/s⌉ − 1)·jump (the largest field over output positions).
 */
export function deconvField(f: Field, kernel: number, stride = 1, padding = 0): Field {
	return {
		rf: f.rf + (Math.ceil(kernel / stride) - 1) * f.jump,
		jump: f.jump / stride,
		start: f.start + ((padding - (kernel - 1) / 2) * f.jump) / stride
	};
}

/** A crop by `offset` units: unit 0 of the output is unit `offset` of the input. */
export function cropField(f: Field, offset: number): Field {
	return { rf: f.rf, jump: f.jump, start: f.start + offset * f.jump };
}

/**
 * An element-wise sum of two branches: they must be aligned (same jump, same start within 1e-9
 * pixels), and the result sees the larger field. Throws a GeometryError naming `layer` otherwise.
 */
export function sumField(a: Field, b: Field, layer = 'sum'): Field {
	const tol = 1e-9;
	if (Math.abs(a.jump - b.jump) > tol || Math.abs(a.start - b.start) > tol) {
		throw new GeometryError(
			layer,
			`branches are not aligned: jump ${a.jump} vs ${b.jump}, start ${a.start} vs ${b.start}`
		);
	}
	return { rf: Math.max(a.rf, b.rf), jump: a.jump, start: a.start };
}

/**
 * A sum of two branches that need not be aligned (no crops): with equal jumps the offset between
 * their unit centres is the same for every unit, so a unit sees the union of both fields, from
 * min(start − (rf − 1)/2) to max(start + (rf − 1)/2) over the two. Aligned branches give sumField's
 * answer. Throws a GeometryError naming `layer` when the jumps differ (the offset would vary).
 */
export function unionField(a: Field, b: Field, layer = 'add'): Field {
	if (Math.abs(a.jump - b.jump) > 1e-9) {
		throw new GeometryError(layer, `branches have different jumps (${a.jump} vs ${b.jump}): their sum is not a map`);
	}
	const lo = Math.min(a.start - (a.rf - 1) / 2, b.start - (b.rf - 1) / 2);
	const hi = Math.max(a.start + (a.rf - 1) / 2, b.start + (b.rf - 1) / 2);
	return { rf: hi - lo + 1, jump: a.jump, start: (lo + hi) / 2 };
}

/**
 * A fixed resize by `factor` (upsampling, no weights): jump′ = jump/f. Bilinear reads 2 input units
 * per axis (nearest: 1), so rf′ = rf + (taps − 1)·jump. With half-pixel centres output y samples
 * input (y + ½)/f − ½, so start′ = start + (½/f − ½)·jump; without, y/f, and start′ = start.
 * A ×2 bilinear half-pixel resize is the FCN's fixed bilinear deconvolution k = 4, s = 2, p = 1.
 */
export function resizeField(f: Field, factor: number, mode: 'bilinear' | 'nearest', halfPixel: boolean): Field {
	const taps = mode === 'bilinear' ? 2 : 1;
	return {
		rf: f.rf + (taps - 1) * f.jump,
		jump: f.jump / factor,
		start: f.start + (halfPixel ? 0.5 / factor - 0.5 : 0) * f.jump
	};
}

/** The field of a plain stack of (k, s, p) layers, listed input-first, by the recurrences. */
export function stackField(
	stack: readonly { k: number; s: number; p?: number; d?: number }[],
	from: Field = INPUT_FIELD
): Field {
	return stack.reduce((f, l) => convField(f, l.k, l.s, l.p ?? 0, l.d ?? 1), from);
}
