/**
 * Row-major HWC activations (height × width × channels, channels fastest), as the model and the
 * renderers hold them.
 */

/** The mean over the channels at every position: an h·w map (a layer's thumbnail). mean[p] = Σ_c x[p·C + c] / C */
export function channelMean(data: Float32Array, channels: number): Float32Array {
	const out = new Float32Array(data.length / channels);
	for (let p = 0, q = 0; p < out.length; p++) {
		let sum = 0;
		for (let c = 0; c < channels; c++) sum += data[q++];
		out[p] = sum / channels;
	}
	return out;
}
