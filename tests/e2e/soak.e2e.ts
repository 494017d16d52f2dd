/**
 * Soak: a class leaves one page open for an hour, fiddling. On ONE /network page (the live FCN-8s with
 * every layer captured, untrained weights, wasm, a 64×64 canvas), 1,000 slider changes (real `input`
 * events on the brush slider's <input type="range">) and 300 live inferences (started by strokes drawn
 * with the mouse at the current brush size, now and then after Clear, each awaited until its
 * segmentation, layer strip and feature maps are on screen), with another layer shown and a unit of it
 * chosen every 30 inferences (its effective receptive field: a gradient through the model), must leave
 * TensorFlow.js's tensors and bytes exactly at their baseline and the JS heap flat.
 *
 * Why /network: it runs the most live code per inference (the session and its scheduler, capture of
 * every layer, the strip, the feature maps, the gradient). /skip-fusion's sliders drive live cells too,
 * but its scenes are 128–192 px and each change runs three nets: 1.1–1.9 s each on the test machine,
 * 6–9 minutes for 300.
 *
 * Measured in the test: tf.memory() of the page's tfjs engine and, after forcing garbage collection
 * through the DevTools protocol, V8's used heap, Blink's (DOM) heap and the ArrayBuffers' backing
 * stores, where typed arrays such as activations live (`Runtime.getHeapUsage`). The baseline is taken
 * after a warm-up that does the same things (so compiled code, kernels and the capture models exist).
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { test } from './harness.ts';

/** Slider changes and live inferences of the soak itself (the warm-up comes on top). */
const CHANGES = 1000;
const INFERENCES = 300;
const WARM_UP_INFERENCES = 100;
/** Canvas side, px (the smallest the page allows): keeps 300 passes of FCN-8s within the test's time. */
const SIDE = 64;
/** Every this many inferences, another layer is shown and a unit of it chosen. */
const LAYER_EVERY = 30;
/** Layers whose maps are big enough at 64×64 that the click below lands on a unit (fc7's are 2×2). */
const LAYERS = ['pool1', 'conv2_2', 'conv3_1', 'pool3', 'conv4_2'];
/**
 * Allowed growth over the soak, after a forced GC, of each of: V8's used heap, Blink's (DOM) heap,
 * and the ArrayBuffers' backing stores: 1 MiB each.
 *
 * Why not zero: V8 keeps optimising functions as they get hot, and optimised code lives in the heap
 * it reports (measured growth 0.45–0.7 MiB per run). Heap snapshots taken at this soak's baseline and
 * end put 0.39 MiB of it in compiled code (about 1,400 code objects), the rest of the difference in
 * Blink's bounded performance-timeline buffers (long tasks, animation frames, event timings), and
 * none in the page's own objects. Blink's heap also holds style, layout and font caches that move by
 * a few hundred KiB between two GCs (measured: ±0.4 MiB over 2,000 brush moves that create no DOM).
 * Why not more: any real leak per event shows. One inference's result (segmentation, scores and
 * every layer's activations at 64×64) is over 0.5 MiB of buffers, so keeping one result in a hundred
 * fails the buffers check; keeping one 64×64 float map per inference (16 KiB) adds 4.7 MiB; keeping
 * ~1 KiB of objects per slider change (a stale closure, a detached node) adds 1 MiB to the JS or DOM heap.
 */
const HEAP_TOLERANCE = 1024 * 1024;

interface Sample {
	numTensors: number;
	numBytes: number;
	/** V8's used heap, bytes. */
	jsHeap: number;
	/** Blink's garbage-collected heap (DOM nodes and friends), bytes. */
	domHeap: number;
	/** ArrayBuffer backing stores (typed arrays: activations read back, canvas pixels), bytes. */
	buffers: number;
}

async function sample(page: Page, cdp: CDPSession): Promise<Sample> {
	// Several collections: one pass may leave objects that only die once finalizers have run.
	for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
	const heap = (await cdp.send('Runtime.getHeapUsage')) as {
		usedSize: number;
		embedderHeapUsedSize?: number;
		backingStorageSize?: number;
	};
	const tf = await page.evaluate(() => {
		// tfjs keeps its engine on the global object (tfjs-core's getOrMakeEngine); the page's bundle put it there.
		const engine = (globalThis as unknown as { _tfengine?: { memory(): { numTensors: number; numBytes: number } } })
			._tfengine;
		if (!engine) throw new Error('TensorFlow.js is not loaded on this page');
		const { numTensors, numBytes } = engine.memory();
		return { numTensors, numBytes };
	});
	return {
		...tf,
		jsHeap: heap.usedSize,
		domHeap: heap.embedderHeapUsedSize ?? 0,
		buffers: heap.backingStorageSize ?? 0
	};
}

const runs = (page: Page) =>
	page.$eval('[data-testid="segmentation-section"]', (s) => Number((s as HTMLElement).dataset.runs));

/** Moves the brush slider `n` times (real input events on the range input), sweeping 2 … 48 px and back. */
async function moveBrush(page: Page, n: number, from: number): Promise<void> {
	await page.$eval(
		'[data-testid="brush"]',
		(el, { n, from }) => {
			const input = el as HTMLInputElement;
			for (let i = from; i < from + n; i++) {
				// Triangle wave over the slider's range: 2, 3, …, 48, 47, …
				const k = i % 92;
				input.value = String(2 + (k <= 46 ? k : 92 - k));
				input.dispatchEvent(new Event('input', { bubbles: true }));
			}
			input.dispatchEvent(new Event('change', { bubbles: true }));
		},
		{ n, from }
	);
}

/** Draws one stroke with the mouse across the canvas (varying with `i`; every tenth after Clear) and waits until the page shows its result. */
async function strokeAndInfer(page: Page, i: number): Promise<void> {
	await page.getByTestId('draw-surface').scrollIntoViewIfNeeded();
	const box = (await page.getByTestId('draw-surface').boundingBox())!;
	const before = await runs(page);
	// Now and then the student starts over (a full canvas would give the same input every time).
	if (i % 10 === 9) await page.getByTestId('clear').click();
	const at = (u: number, v: number) => [box.x + u * box.width, box.y + v * box.height] as const;
	const a = at(0.1 + ((i * 0.37) % 0.8), 0.1 + ((i * 0.53) % 0.8));
	const b = at(0.1 + ((i * 0.71) % 0.8), 0.1 + ((i * 0.29) % 0.8));
	await page.mouse.move(...a);
	await page.mouse.down();
	await page.mouse.move(...b, { steps: 3 });
	await page.mouse.up();
	// The canvas reports at most once per frame, so one stroke starts one or more inferences: wait for
	// the result of the last one (the section is `settled` when the shown result is the current input's).
	await page.waitForFunction(
		(n) => {
			const s = (document.querySelector('[data-testid="segmentation-section"]') as HTMLElement).dataset;
			return Number(s.runs) > n && s.settled === 'true';
		},
		before,
		{ timeout: 30_000 }
	);
}

/** Shows layer `name` and clicks a unit of its first feature map (effective receptive field: a gradient). */
async function pickLayerAndUnit(page: Page, name: string): Promise<void> {
	await page.getByTestId(`layer-${name}`).click();
	await page.waitForSelector(`[data-testid="feature-maps"][data-layer="${name}"]`);
	await page.getByTestId('feature-map-canvas').click({ position: { x: 3, y: 3 } });
	await page
		.getByTestId('erf-heatmap')
		.waitFor({ timeout: 30_000 })
		.catch((e: Error) => {
			throw new Error(`no effective receptive field after clicking a unit of ${name}: ${e.message}`);
		});
}

/**
 * `inferences` strokes, each after a share of `changes` brush moves (so they end together); every
 * LAYER_EVERY-th inference also shows another layer and picks a unit. Returns what was done.
 */
async function soak(
	page: Page,
	changes: number,
	inferences: number,
	offset: number
): Promise<{ changes: number; inferences: number; strokes: number }> {
	const start = await runs(page);
	let moved = 0;
	let strokes = 0;
	while ((await runs(page)) - start < inferences) {
		const done = (await runs(page)) - start;
		const share = Math.floor((changes * (done + 1)) / inferences) - moved;
		if (share > 0) await moveBrush(page, share, offset + moved);
		moved += Math.max(0, share);
		await strokeAndInfer(page, offset + strokes++);
		if ((done + 1) % LAYER_EVERY === 0)
			await pickLayerAndUnit(page, LAYERS[Math.floor((offset + done + 1) / LAYER_EVERY) % LAYERS.length]);
	}
	if (moved < changes) await moveBrush(page, changes - moved, offset + moved);
	moved += Math.max(0, changes - moved);
	return { changes: moved, inferences: (await runs(page)) - start, strokes };
}

export const soakStaysFlat = test(
	'1,000 slider changes and 300 live inferences on one /network page leave tf.memory() tensors and bytes at their baseline and the JS heap, DOM heap and array buffers flat (< 1 MiB growth each)',
	async (t) => {
		const w = await t.open('/network?weights=random&backend=wasm&sample=none&layer=pool1');
		const page = w.page;
		await page.waitForSelector('[data-testid="segmentation"], [data-testid="live-error"]', { timeout: 120_000 });
		const failed = await page.$('[data-testid="live-error"]');
		if (failed) throw new Error(`the live cell failed: ${await failed.innerText()}`);
		for (const side of ['canvas-width', 'canvas-height']) {
			await page.getByTestId(side).fill(String(SIDE));
			await page.getByTestId(side).press('Enter');
		}
		await page.waitForFunction(
			(s) =>
				(document.querySelector('[data-testid="segmentation-canvas"]') as HTMLCanvasElement)?.width === s &&
				(document.querySelector('[data-testid="segmentation-canvas"]') as HTMLCanvasElement)?.height === s,
			SIDE,
			{ timeout: 60_000 }
		);
		const cdp = await w.context.newCDPSession(page);

		const t0 = Date.now();
		const warm = await soak(page, Math.round((CHANGES * WARM_UP_INFERENCES) / INFERENCES), WARM_UP_INFERENCES, 0);
		const before = await sample(page, cdp);
		const t1 = Date.now();
		const done = await soak(page, CHANGES, INFERENCES, warm.strokes);
		const t2 = Date.now();
		const after = await sample(page, cdp);

		const grown = {
			jsHeap: after.jsHeap - before.jsHeap,
			domHeap: after.domHeap - before.domHeap,
			buffers: after.buffers - before.buffers
		};
		await mkdir(t.outDir, { recursive: true });
		await writeFile(
			join(t.outDir, 'soak.json'),
			JSON.stringify(
				{
					warmUp: { ...warm, ms: t1 - t0 },
					soak: { ...done, ms: t2 - t1 },
					before,
					after,
					heapGrowthBytes: grown,
					toleranceBytes: HEAP_TOLERANCE
				},
				null,
				2
			)
		);
		await t.screenshot(page, 'soak-network-end');
		const mb = (n: number) => `${(n / 1048576).toFixed(2)} MiB`;
		console.log(
			`    soak: ${done.changes} slider changes, ${done.inferences} inferences (${done.strokes} strokes) in ${((t2 - t1) / 1000).toFixed(1)} s; ` +
				`tensors ${before.numTensors} → ${after.numTensors}, bytes ${before.numBytes} → ${after.numBytes}; ` +
				`JS heap ${mb(before.jsHeap)} → ${mb(after.jsHeap)}, DOM heap ${mb(before.domHeap)} → ${mb(after.domHeap)}, ` +
				`array buffers ${mb(before.buffers)} → ${mb(after.buffers)}`
		);

		assert.equal(done.changes, CHANGES, 'slider changes made');
		assert.ok(done.inferences >= INFERENCES, `${done.inferences} inferences shown`);
		assert.equal(after.numTensors, before.numTensors, `tensors: ${before.numTensors} → ${after.numTensors}`);
		assert.equal(after.numBytes, before.numBytes, `tensor bytes: ${before.numBytes} → ${after.numBytes}`);
		for (const [what, bytes] of Object.entries(grown)) {
			assert.ok(bytes < HEAP_TOLERANCE, `${what} grew by ${mb(bytes)} over the soak (tolerance ${mb(HEAP_TOLERANCE)})`);
		}
		w.expectClean();
	},
	{ timeoutMs: 300_000 }
);
