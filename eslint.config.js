import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/**
 * The rule of the arrows (docs/architecture.md, "Who may import whom"): each folder of src/lib and
 * the folders it may not import. Everything else it may.
 */
const BROWSER_AND_SERVER = [
	'engine',
	'map',
	'layers',
	'ui',
	'live',
	'wall',
	'plan',
	'admin',
	'i18n',
	'server',
	'auth'
];

const ARROWS = {
	domain: {
		not: BROWSER_AND_SERVER,
		why: 'domain/ is the shared vocabulary: pure modules that import only domain/ and geo/'
	},
	geo: {
		not: BROWSER_AND_SERVER,
		why: 'geo/ is the shared geometry: pure modules that import only domain/ and geo/'
	},
	plan: {
		not: ['engine', 'map', 'layers', 'ui', 'live', 'wall', 'admin', 'server', 'auth'],
		why: 'the planner core sits just above domain/ and geo/ (the server shares it)'
	},
	i18n: {
		not: ['engine', 'map', 'layers', 'ui', 'live', 'wall', 'admin', 'server', 'auth'],
		why: 'the message catalogue sits just above domain/ and plan/'
	},
	engine: {
		not: ['map', 'layers', 'ui', 'live', 'wall', 'admin', 'server'],
		why: 'the incident engine answers questions; it knows no map, layer, page or live feed'
	},
	layers: {
		not: ['ui', 'live', 'wall', 'admin', 'server'],
		why: 'layers turn data into deck.gl layers; sessions and components use them'
	},
	map: {
		not: ['ui', 'wall', 'admin', 'server'],
		why: 'map/ is the map and its state; sessions and components use it'
	},
	live: {
		not: ['ui', 'wall', 'admin', 'server'],
		why: 'session modules are used by ui/ and the pages'
	},
	wall: {
		not: ['ui', 'admin', 'server'],
		why: 'the wall session is used by its components and page'
	},
	admin: {
		not: ['ui', 'wall', 'server'],
		why: 'the admin session is used by its components and page'
	},
	auth: { not: ['ui', 'wall', 'admin', 'server'], why: 'the browser sign-in is used by pages' },
	ui: { not: ['server'], why: 'browser code never imports the server' },
	server: {
		not: ['engine', 'map', 'layers', 'ui', 'live', 'wall', 'admin', 'auth'],
		why: 'the server shares only domain/, geo/, plan/ and the message catalogue with the browser'
	}
};

const escape = (s) => s.replace(/[$.]/g, (c) => `\\${c}`);

/**
 * One config block per folder and depth: a relative import climbs exactly `depth` levels to reach
 * a sibling folder of src/lib, so `../live/bus` is the browser's live/ from src/lib/server/x.ts
 * and the server's own from src/lib/server/incidents/x.ts. Tests may use the demo generator
 * (data/) and call route handlers; the app's code may not.
 */
function importArrows() {
	const blocks = [];
	for (const [folder, { not, why }] of Object.entries(ARROWS)) {
		for (let depth = 1; depth <= 5; depth++) {
			const up = escape('../'.repeat(depth));
			const under = `src/lib/${folder}/${'*/'.repeat(depth - 1)}`;
			const arrows = {
				regex: `^(\\$lib/|${up})(${not.join('|')})(/|$)`,
				message: `${why} (docs/architecture.md, "Who may import whom").`
			};
			const outside = {
				regex: `^${up}(\\.\\./){1,2}(data|routes)(/|$)|^\\$lib/\\.\\./`,
				message: 'src/lib never imports data/ (the demo generator) or routes/.'
			};
			const rule = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
			blocks.push(
				{
					files: [`${under}*.{ts,svelte}`],
					ignores: ['**/*.test.ts', 'src/lib/server/testing/**'],
					rules: rule([arrows, outside])
				},
				{ files: [`${under}*.test.ts`, 'src/lib/server/testing/**'], rules: rule([arrows]) }
			);
		}
	}
	blocks.push({
		files: ['src/routes/**/*.{ts,svelte}', 'src/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							regex: '(^|/)data/generator(/|$)',
							message: 'the app never imports the demo generator (data/).'
						}
					]
				}
			]
		}
	});
	return blocks;
}

export default ts.config(
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } }
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		}
	},
	{
		rules: {
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
			]
		}
	},
	// Lower layers never import higher ones (docs/architecture.md, "Who may import whom").
	...importArrows(),
	{
		ignores: [
			'build/',
			'.svelte-kit/',
			'node_modules/',
			'var/',
			'test-results/',
			'playwright-report/'
		]
	}
);
