/**
 * "Predict, then see": every lesson asks at least two questions and /network one; no answer is in the
 * page before the reader reveals it; a wrong guess gets the explanation of the gap, a right one says so,
 * both by keyboard; the answers are the library's (checked against the fcn code here).
 */
import assert from 'node:assert/strict';
import { deconvOutputSize } from '../../src/lib/fcn/index.ts';
import { test } from './harness.ts';

const AT_LEAST: Record<string, number> = {
	'/receptive-field': 2,
	'/fc-to-conv': 2,
	'/deconvolution': 2,
	'/skip-fusion': 2,
	'/network': 1,
	// asked once the network has been read from its graph (the live cell is on the first screen)
	'/real-network': 1
};

export const predictionsBeforeAnswers = test(
	'each lesson asks its predictions before it answers them; a reveal by keyboard shows the answer and explains a wrong guess',
	async (t) => {
		for (const [path, min] of Object.entries(AT_LEAST)) {
			const w = await t.open(`${path}?backend=wasm`);
			const { page } = w;
			const asks = page.getByTestId('predict');
			await asks.first().waitFor({ timeout: 120_000 });
			const n = await asks.count();
			assert.ok(n >= min, `${path}: ${n} predictions, expected at least ${min}`);
			assert.equal(
				await page.getByTestId('predict-answer').count(),
				0,
				`${path}: an answer is in the page before any reveal`
			);
			for (let i = 0; i < n; i++) {
				const ask = asks.nth(i);
				assert.equal(await ask.getAttribute('data-state'), 'asking');
				assert.equal(await ask.getByTestId('predict-input').count(), 1);
				assert.equal(await ask.getByTestId('predict-reveal').count(), 1);
			}
			// The first one: a teacher reveals with nothing typed (the answer only, no verdict).
			await asks.first().getByTestId('predict-reveal').focus();
			await page.keyboard.press('Enter');
			await asks.first().getByTestId('predict-answer').waitFor();
			assert.equal(await asks.first().getAttribute('data-result'), 'none');
			assert.equal(
				await asks
					.nth(1 % n)
					.getByTestId('predict-answer')
					.count(),
				n > 1 ? 0 : 1
			);
			w.expectClean();
			await w.context.close();
		}
	},
	{ timeoutMs: 180_000 }
);

export const aWrongGuessIsExplained =
	test('/deconvolution: typing 2 for the transposed conv (4, 4, 2, 1) is answered with 8 and the reason; typing 8 is right', async (t) => {
		const w = await t.open('/deconvolution');
		const ask = w.page.locator('#predict-output');
		const expected = deconvOutputSize(4, 4, 2, 1);
		await ask.getByTestId('predict-input').fill('2');
		await ask.getByTestId('predict-input').press('Enter');
		const answer = ask.getByTestId('predict-answer');
		await answer.waitFor();
		assert.equal(await ask.getAttribute('data-result'), 'wrong');
		assert.match(await answer.innerText(), new RegExp(`The answer is ${expected}\\..*ordinary convolution`, 's'));
		await ask.getByRole('button', { name: 'Try again' }).click();
		assert.equal(await ask.getByTestId('predict-answer').count(), 0);
		await ask.getByTestId('predict-input').fill(String(expected));
		await ask.getByTestId('predict-reveal').click();
		await answer.waitFor();
		assert.equal(await ask.getAttribute('data-result'), 'right');
		w.expectClean();
	});
