/**
 * /receptive-field: the layer-stack builder shows the library's receptive field and jump (the paper's
 * composition rule, §3), its presets are the paper's networks (Table 1: FCN-VGG16 404 px at stride 32),
 * the controls live in the URL, and the diagram answers the pointer and the keyboard.
 */
import assert from 'node:assert/strict';
import { layerGeometry, vgg16Convolutional, fcnAlexnet, stackField } from '../../src/lib/fcn/index.ts';
import { test, viewports } from './harness.ts';

const text = async (page: import('playwright-core').Page, id: string) => (await page.getByTestId(id).innerText()).trim();

export const rfPresetMatchesLibrary = test(
	'/receptive-field?preset=vgg16-fc7 shows fc7’s rf and jump from the library (404 px, 32) and the rule agrees with the recurrences',
	async (t) => {
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
		w.expectClean();
	}
);

export const rfSlidersChangeNumbersAndUrl = test(
	'/receptive-field: a kernel slider and “+ pooling” change rf and jump as the recurrences say, and the URL follows',
	async (t) => {
		const w = await t.open('/receptive-field?stack=c3.1.1.1_c3.1.1.1');
		assert.equal(await text(w.page, 'receptive-field'), String(stackField([{ k: 3, s: 1 }, { k: 3, s: 1 }]).rf));
		await w.page.getByTestId('layer-2-k').fill('5');
		assert.equal(await text(w.page, 'receptive-field'), String(stackField([{ k: 3, s: 1 }, { k: 5, s: 1 }]).rf));
		await w.page.waitForFunction(() => location.search.includes('c5.1.1.1'));
		await w.page.getByTestId('add-pool').click();
		const expected = stackField([{ k: 3, s: 1, p: 1 }, { k: 5, s: 1, p: 1 }, { k: 2, s: 2 }]);
		assert.equal(await text(w.page, 'receptive-field'), String(expected.rf));
		assert.equal(await text(w.page, 'jump'), String(expected.jump));
		await w.page.waitForFunction(() => location.search.includes('p2.2.0'));
		// a reload of the URL reproduces the view
		await w.page.reload();
		await w.page.waitForSelector('html[data-hydrated]', { state: 'attached' });
		assert.equal(await text(w.page, 'receptive-field'), String(expected.rf));
		w.expectClean();
	}
);

export const rfDiagramHoverAndKeys = test(
	'/receptive-field: hovering a unit and the arrow keys move the lit field; the readout states the library’s rf',
	async (t) => {
		const w = await t.open('/receptive-field?preset=vgg16-pool5');
		const svg = w.page.getByTestId('rf-diagram');
		const box = (await svg.boundingBox())!;
		await w.page.mouse.move(box.x + box.width * 0.3, box.y + 20);
		const pool5 = layerGeometry(vgg16Convolutional(), [224, 224], 'pool5').get('pool5')!.field;
		assert.match(await text(w.page, 'rf-hover-readout'), new RegExp(`receptive field ${pool5.rf} pixels, jump ${pool5.jump}`));
		const before = await text(w.page, 'rf-hover-readout');
		await svg.focus();
		await w.page.keyboard.press('ArrowLeft');
		assert.notEqual(await text(w.page, 'rf-hover-readout'), before);
		assert.equal(new URL(w.page.url()).pathname, '/receptive-field', 'arrow keys on the diagram do not change lesson');
		w.expectClean();
	}
);

export const rfBadUrlIsRepaired = test('/receptive-field with a garbage stack shows a notice and a working default, no crash', async (t) => {
	const w = await t.open('/receptive-field?stack=zz_c99.0.1.1&preset=nope');
	assert.match(await text(w.page, 'rf-notice'), /clamped|unreadable/);
	assert.equal(await w.page.getByTestId('rf-agree').getAttribute('data-agree'), 'true');
	w.expectClean();
});

export const rfScreenshots = test(
	'/receptive-field screenshots at laptop and projector sizes, light and dark',
	async (t) => {
		for (const [vp, name] of [
			[viewports.laptop, 'laptop'],
			[viewports.projector, 'projector']
		] as const) {
			for (const theme of ['light', 'dark'] as const) {
				const w = await t.open('/receptive-field?preset=trained', { viewport: vp, colorScheme: theme });
				await t.screenshot(w.page, `receptive-field-${name}-${theme}`);
				w.expectClean();
				await w.context.close();
			}
		}
	},
	{ timeoutMs: 120_000 }
);
