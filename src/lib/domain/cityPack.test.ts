import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CityPackManifestSchema, cityPackSchemaText } from './cityPack';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

describe('city.json', () => {
	it('docs/city-pack.schema.json is the schema the code checks (run scripts/city-pack-schema.ts)', () => {
		expect(read('../../../docs/city-pack.schema.json')).toBe(cityPackSchemaText());
	});

	it('accepts the real Tianjin pack, with defaults filled in', () => {
		const m = CityPackManifestSchema.parse(
			JSON.parse(read('../../../data/packs/tianjin/city.json'))
		);
		expect(m.city.synthetic).toBe(false);
		expect(m.levels.map((l) => l.level)).toEqual(['district', 'street', 'community', 'grid']);
		expect(m.levels[1].copyParent).toBe(true);
		expect(m.levels[0].crs).toBe('auto');
	});

	it('refuses levels out of order, a level with two sources, a file without fields', () => {
		const base = JSON.parse(read('../../../data/packs/tianjin/city.json'));
		const issues = (m: unknown) =>
			CityPackManifestSchema.safeParse(m).error?.issues.map((i) => i.path.join('.')) ?? [];
		expect(issues({ ...base, levels: [...base.levels].reverse() })).toContain('levels');
		const twice = structuredClone(base);
		twice.levels[1].file = 'streets.geojson';
		expect(issues(twice)).toContain('levels.1.file');
		const bare = structuredClone(base);
		delete bare.levels[0].fields;
		expect(issues(bare)).toContain('levels.0.fields');
		const escape = structuredClone(base);
		escape.levels[0].file = '../../etc/passwd';
		expect(issues(escape)).toContain('levels.0.file');
	});
});
