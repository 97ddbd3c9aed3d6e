/**
 * The rule of the arrows (eslint.config.js `importArrows`, docs/architecture.md "Who may import
 * whom") checked on snippets: what it must refuse and what it must let through, with the relative
 * spellings that mean different folders at different depths.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function refusals(file: string, source: string): Promise<string[]> {
	const [result] = await eslint.lintText(source, { filePath: file });
	return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const imp = (spec: string) => `import { x } from '${spec}';\nexport const y = x;\n`;

describe('who may import whom', () => {
	it.each([
		['src/lib/engine/a.ts', '$lib/map/permalink'],
		['src/lib/engine/a.ts', '../layers/incidents'],
		['src/lib/domain/a.ts', '$lib/server/app'],
		['src/lib/geo/a.ts', '../engine/filter'],
		['src/lib/layers/a.ts', '$lib/ui/Panel.svelte'],
		['src/lib/server/a.ts', '../live/liveFeed'],
		['src/lib/server/incidents/a.ts', '$lib/engine/filter'],
		['src/lib/server/incidents/a.ts', '../../live/liveFeed'],
		['src/lib/server/incidents/a.ts', '../../../../data/generator/arrow.ts'],
		['src/lib/server/incidents/a.ts', '../../../routes/api/health/+server'],
		['src/routes/wall/+page.ts', '../../../data/generator/pack.ts']
	])('%s may not import %s', async (file, spec) => {
		expect(await refusals(file, imp(spec))).toHaveLength(1);
	});

	it.each([
		['src/lib/server/incidents/a.ts', '../live/bus'],
		['src/lib/server/live/a.ts', '../auth/mask'],
		['src/lib/server/a.ts', './live/bus'],
		['src/lib/server/a.ts', '$lib/domain/time'],
		['src/lib/engine/a.ts', '$lib/geo/bbox'],
		['src/lib/ui/a.ts', '$lib/live/caseApi'],
		['src/lib/server/incidents/a.test.ts', '../../../../data/generator/pack.ts'],
		['src/lib/server/http/a.test.ts', '../../../routes/api/incidents/+server']
	])('%s may import %s', async (file, spec) => {
		expect(await refusals(file, imp(spec))).toEqual([]);
	});
});
