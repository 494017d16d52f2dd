/**
 * /receptive-field: the layer-stack builder shows the library's receptive field and jump (the paper's
 * composition rule, §3), its presets are the paper's networks (Table 1: FCN-VGG16 404 px at stride 32),
 * the controls live in the URL, and the diagram answers the pointer and the keyboard.
 */
import assert from 'node:assert/strict';
import {
	fcn,
	fcnAlexnet,
	inputsOf,
	layerFlops,
	layerGeometry,
	stackField,
	trainedOptions,
	vgg16Convolutional
} from '../../src/lib/fcn/index.ts';
import { test } from './harness.ts';

/**
 * Clean, except for the 404 of static/weights/manifest.json while the trained weights are not shipped
 * (the live cells then say loudly that they use random weights).
 */
function expectCleanButMissingWeights(w: { errors: string[]; external: string[]; expectClean(): void }) {
	const missing = (e: string) => /404/.test(e) && /weights\/manifest\.json/.test(e);
	w.errors.splice(0, w.errors.length, ...w.errors.filter((e) => !missing(e)));
	w.expectClean();
}

const text = async (page: import('playwright-core').Page, id: string) =>
	(await page.getByTestId(id).innerText()).trim();

export const rfPresetMatchesLibrary =
	test('/receptive-field?preset=vgg16-fc7 shows fc7’s rf and jump from the library (404 px, 32) and the rule agrees with the recurrences', async (t) => {
		const w = await t.open('/receptive-field?preset=vgg16-fc7');
		const fc7 = layerGeometry(vgg16Convolutional(), [224, 224], 'fc7').get('fc7')!.field;
		assert.equal(await text(w.page, 'receptive-field'), String(fc7.rf));
		assert.equal(await text(w.page, 'jump'), String(fc7.jump));
		assert.equal(await text(w.page, 'composed-k'), String(fc7.rf));
		assert.equal(await text(w.page, 'composed-s'), String(fc7.jump));
		assert.equal(await w.page.getByTestId('rf-agree').getAttribute('data-agree'), 'true');
		assert.equal(await w.page.locator('[data-testid="recurrence-table"] tbody tr').count(), 21); // input + 20 layers
		// another preset: AlexNet to fc7, 355 px
		await w.page.getByTestId('preset-alexnet').click();
		const alex = layerGeometry(fcnAlexnet(), [500, 500], 'fc7').get('fc7')!.field;
		assert.equal(await text(w.page, 'receptive-field'), String(alex.rf));
		assert.match(w.page.url(), /preset=alexnet/);
		assert.equal(await w.page.locator('.tex-error').count(), 0);
		expectCleanButMissingWeights(w);
	});

export const rfSlidersChangeNumbersAndUrl =
	test('/receptive-field: a kernel slider and “+ pooling” change rf and jump as the recurrences say, and the URL follows', async (t) => {
		const w = await t.open('/receptive-field?stack=c3.1.1.1_c3.1.1.1');
		assert.equal(
			await text(w.page, 'receptive-field'),
			String(
				stackField([
					{ k: 3, s: 1 },
					{ k: 3, s: 1 }
				]).rf
			)
		);
		await w.page.getByTestId('layer-2-k').fill('5');
		assert.equal(
			await text(w.page, 'receptive-field'),
			String(
				stackField([
					{ k: 3, s: 1 },
					{ k: 5, s: 1 }
				]).rf
			)
		);
		await w.page.waitForFunction(() => location.search.includes('c5.1.1.1'));
		await w.page.getByTestId('add-pool').click();
		const expected = stackField([
			{ k: 3, s: 1, p: 1 },
			{ k: 5, s: 1, p: 1 },
			{ k: 2, s: 2 }
		]);
		assert.equal(await text(w.page, 'receptive-field'), String(expected.rf));
		assert.equal(await text(w.page, 'jump'), String(expected.jump));
		await w.page.waitForFunction(() => location.search.includes('p2.2.0'));
		// a reload of the URL reproduces the view
		await w.page.reload();
		await w.page.waitForSelector('html[data-hydrated]', { state: 'attached' });
		assert.equal(await text(w.page, 'receptive-field'), String(expected.rf));
		expectCleanButMissingWeights(w);
	});

export const rfDiagramHoverAndKeys =
	test('/receptive-field: hovering a unit and the arrow keys move the lit field; the readout states the library’s rf', async (t) => {
		const w = await t.open('/receptive-field?preset=vgg16-pool5');
		const svg = w.page.getByTestId('rf-diagram');
		const box = (await svg.boundingBox())!;
		await w.page.mouse.move(box.x + box.width * 0.3, box.y + 20);
		const pool5 = layerGeometry(vgg16Convolutional(), [224, 224], 'pool5').get('pool5')!.field;
		assert.match(
			await text(w.page, 'rf-hover-readout'),
			new RegExp(`receptive field ${pool5.rf} pixels, jump ${pool5.jump}`)
		);
		const before = await text(w.page, 'rf-hover-readout');
		await svg.focus();
		await w.page.keyboard.press('ArrowLeft');
		assert.notEqual(await text(w.page, 'rf-hover-readout'), before);
		assert.equal(new URL(w.page.url()).pathname, '/receptive-field', 'arrow keys on the diagram do not change lesson');
		expectCleanButMissingWeights(w);
	});

export const rfBadUrlIsRepaired =
	test('/receptive-field with a garbage stack shows a notice and a working default, no crash', async (t) => {
		const w = await t.open('/receptive-field?stack=zz_c99.0.1.1&preset=nope');
		assert.match(await text(w.page, 'rf-notice'), /clamped|unreadable/);
		assert.equal(await w.page.getByTestId('rf-agree').getAttribute('data-agree'), 'true');
		expectCleanButMissingWeights(w);
	});

export const rfProbeAndPatchwise = test(
	'/receptive-field live cells: the probe gradient’s support equals the library’s field (mismatch 0); patch alone = whole image (< 1e-5); FLOPs from the library',
	async (t) => {
		const w = await t.open('/receptive-field?backend=wasm&layer=pool3');
		const net = fcn('8s', trainedOptions());
		const probe = w.page.getByTestId('probe-cell');
		await probe.scrollIntoViewIfNeeded();
		await w.page.waitForFunction(
			() => /^\d+$/.test(document.querySelector('[data-testid="probe-mismatch"]')?.textContent ?? ''),
			null,
			{ timeout: 90_000 }
		);
		assert.equal(await text(w.page, 'probe-mismatch'), '0');
		assert.equal(
			await text(w.page, 'probe-rf'),
			String(layerGeometry(net, [128, 128], 'pool3').get('pool3')!.field.rf)
		);
		assert.equal(await text(w.page, 'probe-support'), await text(w.page, 'probe-box-area'));
		// another unit, chosen with the keyboard, still matches
		await w.page.locator('[data-testid="probe-cell"] .stack[tabindex="0"]').focus();
		await w.page.keyboard.press('ArrowLeft');
		await w.page.waitForFunction(() => new URLSearchParams(location.search).get('ux') !== null);
		await w.page.waitForFunction(
			() => /^\d+$/.test(document.querySelector('[data-testid="probe-mismatch"]')?.textContent ?? ''),
			null,
			{ timeout: 60_000 }
		);
		assert.equal(await text(w.page, 'probe-mismatch'), '0');

		await w.page.getByTestId('patchwise-cell').scrollIntoViewIfNeeded();
		await w.page.waitForSelector('[data-testid="patch-diff"]', { timeout: 90_000 });
		assert.ok(Number(await w.page.getByTestId('patch-diff').getAttribute('data-value')) < 1e-5);
		const flops = (size: number) => {
			const geo = layerGeometry(net, [size, size], 'pool4');
			let total = 0;
			for (const { layer, out } of geo.values())
				if (layer.type !== 'input') total += layerFlops(layer, geo.get(inputsOf(layer)[0])!.out, out);
			return total;
		};
		assert.equal(Number(await w.page.getByTestId('flops-whole').getAttribute('data-value')), flops(128));
		const P = Number(await text(w.page, 'patch-size'));
		assert.equal(Number(await w.page.getByTestId('flops-patch').getAttribute('data-value')), flops(P));
		expectCleanButMissingWeights(w);
	},
	{ timeoutMs: 240_000 }
);
