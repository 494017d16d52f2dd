import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { ISOLATION_HEADERS } from './src/lib/isolation';

export default defineConfig({
	plugins: [sveltekit()],
	// Cross-origin isolated (COOP + COEP: src/lib/isolation.ts) so the wasm backend can start its threads.
	server: { headers: { ...ISOLATION_HEADERS } },
	preview: { headers: { ...ISOLATION_HEADERS } },
	// The background backend probe (src/lib/model/probe-worker.ts) is a module worker: tfjs is split in chunks.
	worker: { format: 'es' },
	test: {
		include: ['tests/unit/**/*.test.ts'],
		environment: 'node',
		testTimeout: 60_000
	}
});
