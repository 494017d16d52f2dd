/**
 * "Predict, then see": the reader commits to an answer before a live cell shows it. A prediction is
 * data: the question, the kind of answer, the answer (computed by the library, never typed in) and a
 * function that explains the gap between a guess and the answer. Pure: no DOM, no Svelte.
 */

/** One option of a multiple-choice prediction. */
export interface Choice {
	value: string;
	label: string;
}

interface Common {
	/** The question, one sentence. */
	question: string;
	/**
	 * Feedback for a wrong guess: why the answer is what it is, in terms of the guess ("you added the
	 * kernels; the rule multiplies by the jump"). Called only when the guess is wrong.
	 */
	explain: (guess: string) => string;
	/** Shown with every reveal: what the answer means (one or two sentences). */
	why?: string;
}

export interface NumberPrediction extends Common {
	kind: 'number';
	answer: number;
	/** Unit after the number ("px"). */
	unit?: string;
	/** A guess within this absolute distance counts as right (default 0: exact). */
	tolerance?: number;
}

export interface ChoicePrediction extends Common {
	kind: 'choice';
	choices: readonly Choice[];
	/** The value of the right choice. */
	answer: string;
}

export type Prediction = NumberPrediction | ChoicePrediction;

/** What revealing says about a guess. */
export interface Verdict {
	/** 'none': revealed without a guess (a teacher revealing to the class). */
	result: 'right' | 'wrong' | 'none';
	/** The answer as shown ("8", "8 px", or the right choice's label). */
	answerText: string;
	/** One sentence for the reader: 'Right.', the explanation of the gap, or '' with no guess. */
	feedback: string;
}

/** Parse a typed number: accepts "8", " 8.0 ", "1e3", "1,024"; null for anything else. */
export function parseGuess(raw: string): number | null {
	const t = raw.trim().replace(/(\d),(?=\d{3}\b)/g, '$1');
	if (t === '') return null;
	const n = Number(t);
	return Number.isFinite(n) ? n : null;
}

/** The answer as the page shows it. */
export function answerText(p: Prediction): string {
	if (p.kind === 'choice') return p.choices.find((c) => c.value === p.answer)?.label ?? p.answer;
	return p.unit ? `${p.answer} ${p.unit}` : String(p.answer);
}

/** Judge a guess (the raw text typed, or the chosen value; '' for none). */
export function judge(p: Prediction, guess: string): Verdict {
	const shown = answerText(p);
	if (guess.trim() === '') return { result: 'none', answerText: shown, feedback: '' };
	if (p.kind === 'number') {
		const g = parseGuess(guess);
		if (g === null)
			return { result: 'wrong', answerText: shown, feedback: `“${guess}” is not a number. ${p.explain(guess)}` };
		if (Math.abs(g - p.answer) <= (p.tolerance ?? 0)) return { result: 'right', answerText: shown, feedback: 'Right.' };
		return { result: 'wrong', answerText: shown, feedback: p.explain(String(g)) };
	}
	if (guess === p.answer) return { result: 'right', answerText: shown, feedback: 'Right.' };
	return { result: 'wrong', answerText: shown, feedback: p.explain(guess) };
}
