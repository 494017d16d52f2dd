/**
 * Bilinear upsampling kernels (§3.3: "a deconvolution layer … initialized to bilinear
 * interpolation"), as the reference implementation's upsample_filt.
 */
import { describe, expect, it } from 'vitest';
import {
	bilinearDeconvKernel,
	bilinearFilter1d,
	bilinearKernel,
	bilinearKernelSize,
	transposedConv2d,
	upsampleFilt
} from '$lib/fcn';

describe('bilinearKernelSize, upsampleFilt, bilinearKernel: the bilinear upsampling kernels', () => {
	it('bilinearKernelSize(f) = 2f − f mod 2: 4 for ×2, 5 for ×3, 16 for ×8, 64 for ×32', () => {
		expect([2, 3, 8, 32].map(bilinearKernelSize)).toEqual([4, 5, 16, 64]);
	});
	it('upsampleFilt(4) has factor 2, centre 1.5: rows [0.25, 0.75, 0.75, 0.25]', () => {
		expect(Array.from(bilinearFilter1d(4))).toEqual([0.25, 0.75, 0.75, 0.25]);
		const k = upsampleFilt(4);
		expect(k.data[0]).toBeCloseTo(0.0625);
		expect(k.data[1 * 4 + 2]).toBeCloseTo(0.5625);
	});
	it('upsampleFilt(odd) peaks at 1 in the centre: size 5 has factor 3, centre 2', () => {
		expect(Array.from(bilinearFilter1d(5)).map((v) => +v.toFixed(6))).toEqual(
			[1 / 3, 2 / 3, 1, 2 / 3, 1 / 3].map((v) => +v.toFixed(6))
		);
	});
	it('the weights landing on any output pixel sum to 1 away from the borders (a partition of unity)', () => {
		for (const f of [2, 3, 4, 8]) {
			const k = bilinearFilter1d(bilinearKernelSize(f));
			for (let phase = 0; phase < f; phase++) {
				let sum = 0;
				for (let t = phase; t < k.length; t += f) sum += k[t];
				expect(sum, `f=${f} phase=${phase}`).toBeCloseTo(1, 6);
			}
		}
	});
	it('reproduces linear interpolation away from the borders: a bilinear ramp upsampled ×f stays the same ramp', () => {
		for (const f of [2, 4, 8]) {
			const n = 6;
			const [a, b, c, d] = [0.3, -1.2, 0.7, 0.05];
			const ramp = (y: number, x: number) => a + b * y + c * x + d * x * y;
			const x = { data: new Float32Array(n * n), width: n, height: n };
			for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) x.data[i * n + j] = ramp(i, j);
			const k = bilinearKernel(f);
			const out = transposedConv2d(x, k, { stride: f }).output;
			// output unit y sits at input coordinate (y − (k − 1)/2)/f (the deconv's coordinate map)
			const pos = (y: number) => (y - (k.width - 1) / 2) / f;
			for (let y = 0; y < out.height; y++) {
				for (let z = 0; z < out.width; z++) {
					const [py, pz] = [pos(y), pos(z)];
					if (py < 0 || pz < 0 || py > n - 1 || pz > n - 1) continue; // the borders
					expect(out.data[y * out.width + z], `f=${f} (${y}, ${z})`).toBeCloseTo(ramp(py, pz), 4);
				}
			}
		}
	});
	it('bilinearDeconvKernel(k, C) maps each channel to itself only, layout [k, k, out, in]', () => {
		const { data, shape } = bilinearDeconvKernel(4, 3);
		expect(shape).toEqual([4, 4, 3, 3]);
		const filt = upsampleFilt(4).data;
		for (let t = 0; t < 16; t++) {
			for (let o = 0; o < 3; o++) {
				for (let i = 0; i < 3; i++) expect(data[(t * 3 + o) * 3 + i]).toBe(o === i ? filt[t] : 0);
			}
		}
	});
});
