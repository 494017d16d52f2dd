// ESLint: TypeScript and Svelte, plus the import rules that state the house's architecture (the shared
// design): fcn and data at the bottom; model (tfjs in the browser) and train (Node only) above them; viz,
// url and live beside; then a lesson's logic, components, and routes on top. Each zone below lists
// everything it may NOT import, with the reason, so a violation reads as the rule it breaks.
import js from '@eslint/js';
import ts from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import svelteConfig from './svelte.config.js';

/** Every lesson's folder name, under src/lib/lessons/ and src/lib/components/. */
const LESSONS = [
	'receptive-field',
	'fc-to-conv',
	'deconvolution',
	'skip-fusion',
	'network',
	'training',
	'demo',
	'real-network'
];

/** The import specifiers of a $lib folder (the folder itself and anything inside it). */
const lib = (...folders) => folders.flatMap((f) => [`$lib/${f}`, `$lib/${f}/*`, `$lib/${f}/**`]);
/** Everything of ours under $lib except the folders named. */
const libExcept = (...allowed) => [
	'$lib/*',
	...allowed.flatMap((a) => [`!$lib/${a}`, `!$lib/${a}/*`, `!$lib/${a}/**`])
];
const TFJS = ['@tensorflow/*'];
const SVELTE = ['svelte', 'svelte/*', '$app/*'];
const lessonsBut = (lesson) =>
	LESSONS.filter((l) => l !== lesson).flatMap((l) => lib(`lessons/${l}`, `components/${l}`));
const ALL_LESSONS = LESSONS.flatMap((l) => lib(`lessons/${l}`, `components/${l}`));
const UP = { group: ['../*', '../**'], message: 'Import through $lib, not ../, so that a move is one line.' };

/**
 * One zone: its files, and [message, patterns] pairs of what it may not import. `files` may be
 * `{ files, up }` where `up` names the only `../` paths the zone may import (the global stylesheet).
 */
function zone(files, ...bans) {
	const up = Array.isArray(files) ? [] : files.up;
	if (!Array.isArray(files)) files = files.files;
	return {
		files,
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						...bans.filter(([, g]) => g.length).map(([message, group]) => ({ group: group.flat(), message })),
						{ ...UP, group: [...UP.group, ...up.map((path) => `!${path}`)] }
					]
				}
			]
		}
	};
}

const THROUGH_LIVE = [
	'Components and lessons reach tfjs only through $lib/live (one live path).',
	[TFJS, lib('model', 'train')]
];

const zones = [
	zone(
		['src/lib/fcn/**'],
		['fcn is pure math: it imports nothing of ours, no tfjs, no Svelte.', [libExcept('fcn'), TFJS, SVELTE]]
	),
	zone(['src/lib/data/**'], ['data imports only fcn: no tfjs, no Svelte.', [libExcept('fcn', 'data'), TFJS, SVELTE]]),
	zone(
		['src/lib/model/**'],
		[
			'model (tfjs) imports only fcn and data: never viz, url, live, components, routes or Node-only training.',
			[libExcept('fcn', 'data', 'model'), SVELTE]
		]
	),
	zone(
		['src/lib/train/**'],
		[
			'train (Node only) imports fcn, data and the model builders.',
			[libExcept('fcn', 'data', 'model', 'train'), SVELTE]
		]
	),
	zone(
		['src/lib/viz/**'],
		['viz (painters) imports only fcn: no tfjs, no components.', [libExcept('fcn', 'viz'), TFJS, SVELTE]]
	),
	zone(
		['src/lib/predict/**'],
		['predict (predict, then see) is pure: it imports nothing of ours.', [libExcept('predict'), TFJS, SVELTE]]
	),
	zone(['src/lib/url/**'], ['url is the one URL-state module: it imports nothing of ours.', [libExcept('url'), TFJS]]),
	zone(
		['src/lib/live/**'],
		[
			'live is the one entry from components to the engine: model, url and below.',
			[libExcept('fcn', 'data', 'model', 'url', 'live'), '$lib/components/**']
		]
	),
	...LESSONS.map((lesson) =>
		zone(
			[`src/lib/lessons/${lesson}/**`],
			[
				`A lesson's logic imports fcn, data, url, viz and live only.`,
				[libExcept('fcn', 'data', 'url', 'viz', 'live', 'predict', `lessons/${lesson}`), SVELTE.slice(2)]
			],
			[
				`A lesson (${lesson}) never imports another lesson: move what both need to a shared folder.`,
				[lessonsBut(lesson)]
			],
			THROUGH_LIVE
		)
	),
	...LESSONS.map((lesson) =>
		zone(
			[`src/lib/components/${lesson}/**`],
			[
				`A lesson (${lesson}) never imports another lesson: move what both need to a shared folder.`,
				[lessonsBut(lesson)]
			],
			THROUGH_LIVE
		)
	),
	zone(['src/lib/components/{shell,ui,live}/**'], ['Shared components import no lesson.', [ALL_LESSONS]], THROUGH_LIVE),
	zone(
		// The root layout imports the global stylesheet, src/app.css, which lives beside routes/ (not in $lib).
		{ files: ['src/routes/**/*.svelte', 'src/routes/**/+*.ts'], up: ['../app.css'] },
		['Routes compose components and lessons; they reach tfjs only through $lib/live.', [TFJS, lib('model', 'train')]]
	)
];

export default ts.config(
	{
		ignores: [
			'build/',
			'.svelte-kit/',
			'node_modules/',
			'test-results/',
			'bench-results/',
			'.train/',
			'static/',
			'.gl/',
			'.whl/'
		]
	},
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	prettier,
	...svelte.configs.prettier,
	{ languageOptions: { globals: { ...globals.browser, ...globals.node } } },
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: { projectService: true, extraFileExtensions: ['.svelte'], parser: ts.parser, svelteConfig }
		}
	},
	{
		rules: {
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }
			]
		}
	},
	zone(['src/**'], ['', []]),
	...zones
);
