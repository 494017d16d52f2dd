import { describe, expect, it } from 'vitest';
import { answerText, judge, parseGuess, type Prediction } from '$lib/predict';

const number: Prediction = {
	kind: 'number',
	question: 'q',
	answer: 8,
	unit: 'px',
	explain: (g) => `not ${g}`
};
const choice: Prediction = {
	kind: 'choice',
	question: 'q',
	choices: [
		{ value: 'a', label: 'first' },
		{ value: 'b', label: 'second' }
	],
	answer: 'b',
	explain: (g) => `not ${g}`
};

describe('predict: judging a guess', () => {
	it('parses typed numbers with spaces, decimals and thousands separators, and refuses the rest', () => {
		expect(parseGuess(' 8 ')).toBe(8);
		expect(parseGuess('8.0')).toBe(8);
		expect(parseGuess('1,024')).toBe(1024);
		expect(parseGuess('')).toBeNull();
		expect(parseGuess('eight')).toBeNull();
		expect(parseGuess('Infinity')).toBeNull();
	});
	it('shows the answer with its unit, or the right choice by its label', () => {
		expect(answerText(number)).toBe('8 px');
		expect(answerText(choice)).toBe('second');
	});
	it('says right for the answer, and within the tolerance', () => {
		expect(judge(number, '8')).toMatchObject({ result: 'right', feedback: 'Right.' });
		expect(judge({ ...number, tolerance: 0.5 }, '8.4').result).toBe('right');
		expect(judge(choice, 'b').result).toBe('right');
	});
	it('explains a wrong guess in terms of the guess', () => {
		expect(judge(number, '6')).toEqual({ result: 'wrong', answerText: '8 px', feedback: 'not 6' });
		expect(judge(choice, 'a').feedback).toBe('not a');
		expect(judge(number, 'eight').feedback).toBe('“eight” is not a number. not eight');
	});
	it('reveals without a guess (a teacher revealing to the class), with no verdict', () => {
		expect(judge(number, '  ')).toEqual({ result: 'none', answerText: '8 px', feedback: '' });
	});
});
