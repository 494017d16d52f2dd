/**
 * Watching the GPU under the active backend: a lost WebGL context or a lost WebGPU device (a
 * driver reset, the tab's GPU process gone). The engine then moves to the fallback backends and
 * every model in its registry is rebuilt there on its next use.
 */
import type { BackendName } from '$lib/model/backend';
import type { Tf } from '$lib/model/tf';

/** Call `onLost` when the GPU under backend `b` is lost. Returns the unhook (null: nothing to watch). */
export function watchGpuLoss(tf: Tf, b: BackendName, onLost: (lost: 'webgl' | 'webgpu') => void): (() => void) | null {
	if (b === 'webgpu') {
		const device = (tf.backend() as unknown as { device?: { lost?: Promise<{ message?: string }> } }).device;
		if (!device?.lost) return null;
		let hooked = true;
		void device.lost.then(() => {
			if (hooked) onLost('webgpu');
		});
		return () => (hooked = false);
	}
	if (b !== 'webgl') return null;
	const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGL2RenderingContext } }).gpgpu?.gl;
	const canvas = gl?.canvas as HTMLCanvasElement | OffscreenCanvas | undefined;
	if (!canvas) return null;
	const handler = () => onLost('webgl');
	canvas.addEventListener('webglcontextlost', handler as EventListener);
	return () => canvas.removeEventListener('webglcontextlost', handler as EventListener);
}
