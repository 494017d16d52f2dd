/**
 * `npm run arch` (scripts/arch.ts): a thin CLI over analyze(). Its --json output is the library's
 * report; bad flags and impossible inputs give one line on stderr and exit code 2.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { analyze, fcn } from '$lib/fcn';

const arch = (...args: string[]) =>
	spawnSync('node_modules/.bin/tsx', ['scripts/arch.ts', ...args], { encoding: 'utf8', timeout: 30_000 });

describe('scripts/arch.ts (npm run arch): a CLI over analyze()', () => {
	it('--net fcn8s --input 500 --geometry caffe --json prints analyze(fcn8s, [500, 500])', () => {
		const r = arch('--net', 'fcn8s', '--input', '500', '--geometry', 'caffe', '--json');
		expect(r.status).toBe(0);
		expect(JSON.parse(r.stdout)).toEqual(analyze(fcn('8s'), [500, 500]));
	});
	it('the table lists every layer, the crop offsets and the totals', () => {
		const r = arch('--net', 'fcn8s', '--input', '500');
		expect(r.status).toBe(0);
		expect(r.stdout).toMatch(/^upscore8 +deconv +16 +8 +0 +568×568×21 /m);
		expect(r.stdout).toContain('crop offsets: score_pool4c 5, score_pool3c 9, score 31');
		expect(r.stdout).toContain('134,489,759 parameters');
	});
	it.each([
		[['--net', 'nope'], /unknown net 'nope'/],
		[['--net', 'vgg16', '--input', '500'], /accepts only its fixed 224×224 input/],
		[['--net', 'fcn8s', '--geometry', 'same', '--input', '500'], /^arch: fuse_pool4: cannot sum/]
	])('%j: one line on stderr, exit code 2', (args, message) => {
		const r = arch(...args);
		expect(r.status).toBe(2);
		expect(r.stdout).toBe('');
		expect(r.stderr.trim().split('\n')).toHaveLength(1);
		expect(r.stderr).toMatch(message);
	});
});
