/** Every error code of the reader, located; zip and folder input; the demo and Tianjin packs. */
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { fromWgs84, crsByName } from '$lib/geo/crs';
import { PACK_MANIFEST } from '$lib/domain/cityPack';
import { fixtureCity, writeFixtureCity } from '$lib/server/testing/fixtureCity';
import { demoPackManifest } from '../../../../../data/generator/pack.ts';
import { readPack } from './index';
import { READ_MESSAGES, READ_MESSAGE_LIST } from './messages';
import { basicTree, fc, folderOf, manifest, square, zipOf, type PackTree } from './testing';

const read = async (tree: PackTree) => readPack({ zip: await zipOf(tree), name: 'test.zip' });
const codes = (ms: { code: string }[]) => ms.map((m) => m.code);
/** A grid's properties with every column basicTree's manifest maps. */
const gp = (id: string, extra: Record<string, unknown> = {}) => ({
	id,
	name: id,
	cid: '120116001001',
	pop: 1,
	wn: '',
	wp: '',
	...extra
});
const only = <T extends { code: string }>(ms: T[], code: string) =>
	ms.filter((m) => m.code === code);

describe('input', () => {
	it('reads the same pack from a zip, a zip with a top folder, and a folder', async () => {
		const tree = basicTree();
		const a = await read(tree);
		const nested = Object.fromEntries(Object.entries(tree).map(([k, v]) => [`pack/${k}`, v]));
		const b = await read(nested);
		const dir = await folderOf(tree);
		const c = await readPack(dir);
		await rm(dir, { recursive: true, force: true });
		for (const r of [a, b, c]) {
			expect(r.errors).toEqual([]);
			expect(r.pack!.units.grid.map((u) => [u.id, u.population])).toEqual([
				['G1', 1234],
				['G2', 56]
			]);
		}
		// The hash is over the manifest and the named files: the same pack, the same hash.
		expect(b.pack!.hash).toBe(a.pack!.hash);
		expect(c.pack!.hash).toBe(a.pack!.hash);
		const changed = basicTree();
		(
			changed['grids.geojson'] as { features: { properties: { pop: number } }[] }
		).features[1].properties.pop = 57;
		expect((await read(changed)).pack!.hash).not.toBe(a.pack!.hash);
	});

	it('source-unreadable, manifest-missing', async () => {
		let r = await readPack(path.join(tmpdir(), 'no-such-pack-here'));
		expect(codes(r.errors)).toEqual(['source-unreadable']);
		expect(r.pack).toBeNull();
		r = await readPack({ zip: new TextEncoder().encode('not a zip'), name: 'x.zip' });
		expect(codes(r.errors)).toEqual(['source-unreadable']);
		const tree = basicTree();
		delete tree['city.json'];
		r = await read(tree);
		expect(codes(r.errors)).toEqual(['manifest-missing']);
	});

	it('zip-unsafe: a "../" entry refuses the whole pack', async () => {
		const zip = new JSZip();
		for (const [k, v] of Object.entries(basicTree())) zip.file(k, JSON.stringify(v));
		zip.file('../evil.txt', 'x', { createFolders: false });
		const r = await readPack({
			zip: await zip.generateAsync({ type: 'uint8array' }),
			name: 'x.zip'
		});
		expect(codes(r.errors)).toEqual(['zip-unsafe']);
		expect(r.errors[0].en).toContain('../evil.txt');
	});

	it('zip-too-large: the unzipped size is capped', async () => {
		const tree = basicTree();
		tree['big.txt'] = 'x'.repeat(300_000);
		const r = await readPack(
			{ zip: await zipOf(tree), name: 'x.zip' },
			{ maxUnzippedBytes: 100_000 }
		);
		expect(codes(r.errors)).toEqual(['zip-too-large']);
	});
});

describe('manifest', () => {
	it('manifest-json gives line and column', async () => {
		const tree = basicTree();
		tree['city.json'] = '{\n  "format": "onemap-city-pack/1",\n  "city": {,\n}';
		const r = await read(tree);
		expect(codes(r.errors)).toEqual(['manifest-json']);
		expect(r.errors[0].en).toMatch(/line 3, column 12/);
		expect(r.errors[0].zh).toMatch(/第 3 行第 12 列/);
	});

	it('manifest-invalid: one message per zod issue, with its JSON path, in both languages', async () => {
		const m = manifest();
		(m.city as Record<string, unknown>).code = '12';
		(m.levels[1] as Record<string, unknown>).crs = 'EPSG:abc';
		const r = await read({ ...basicTree(), 'city.json': m });
		const bad = only(r.errors, 'manifest-invalid');
		expect(bad.length).toBe(2);
		expect(bad.map((b) => b.en).join('\n')).toMatch(/city\.code/);
		expect(bad.map((b) => b.en).join('\n')).toMatch(/levels\[1\]\.crs/);
		for (const b of bad) expect(b.zh).toMatch(/city\.json 的/);
	});

	it('file-missing names the manifest path and the file', async () => {
		const tree = basicTree();
		delete tree['communities.geojson'];
		const r = await read(tree);
		expect(codes(r.errors)).toEqual(['file-missing']);
		expect(r.errors[0].en).toContain('communities.geojson');
		expect(r.errors[0].en).toContain('levels[1]');
	});

	it('format-unknown and file-unreadable', async () => {
		const m = manifest();
		m.levels[2] = { ...m.levels[2], file: 'grids.kml' } as (typeof m.levels)[2];
		let r = await read({ ...basicTree(), 'city.json': m, 'grids.kml': '<kml/>' });
		expect(codes(r.errors)).toEqual(['format-unknown']);
		const tree = basicTree();
		tree['grids.geojson'] = '{"type": "FeatureCollection", "features": [';
		r = await read(tree);
		expect(codes(r.errors)).toEqual(['file-unreadable']);
		expect(r.errors[0].source?.file).toBe('grids.geojson');
	});
});

describe('geometry', () => {
	it('geometry-type and geometry-invalid, located by feature', async () => {
		const tree = basicTree();
		tree['grids.geojson'] = fc([
			{
				geometry: {
					type: 'LineString',
					coordinates: [
						[117.2, 39.1],
						[117.21, 39.11]
					]
				},
				properties: gp('G1')
			},
			{ geometry: null, properties: gp('G2') }
		]);
		const r = await read(tree);
		expect(codes(r.errors)).toEqual(['geometry-type', 'geometry-invalid']);
		expect(r.errors[0].source).toMatchObject({ file: 'grids.geojson', index: 0 });
		expect(r.errors[0].en).toMatch(/feature 1.*Polygon or MultiPolygon, got LineString/);
		expect(r.errors[1].source).toMatchObject({ index: 1 });
	});

	it('a one-part MultiLineString is a LineString; more parts → multiline-parts', async () => {
		const line = (parts: number[][][]) => ({
			type: 'MultiLineString' as const,
			coordinates: parts
		});
		const tree = basicTree();
		tree['routes.geojson'] = fc([
			{
				geometry: line([
					[
						[117.2, 39.1],
						[117.21, 39.1]
					]
				]),
				properties: { id: 'R1', name: 'a' }
			},
			{
				geometry: line([
					[
						[117.2, 39.1],
						[117.21, 39.1]
					],
					[
						[117.22, 39.1],
						[117.23, 39.1]
					]
				]),
				properties: { id: 'R2', name: 'b' }
			}
		]);
		const m = manifest({
			registers: {
				patrolRoutes: { file: 'routes.geojson', fields: { id: 'id', name: 'name' } }
			}
		});
		const r = await read({ ...tree, 'city.json': m });
		expect(codes(r.errors)).toEqual(['multiline-parts']);
		expect(r.errors[0].source).toMatchObject({ file: 'routes.geojson', index: 1 });
	});
});

describe('CRS', () => {
	it('crs-mismatch: projected metres in a file read as degrees, swapped lon/lat, GCJ-02 outside China', async () => {
		const zone39 = crsByName('EPSG:4527')!;
		const p = fromWgs84(zone39, [117.2, 39.1]);
		let tree = basicTree();
		tree['grids.geojson'] = fc([
			{
				geometry: square(p[0], p[1], 500),
				properties: gp('G1')
			}
		]);
		let r = await read(tree);
		expect(codes(r.errors)).toEqual(['crs-mismatch']);
		expect(r.errors[0].source).toMatchObject({ file: 'grids.geojson', index: 0 });
		expect(r.errors[0].en).toMatch(/projected metres/);

		tree = basicTree();
		tree['grids.geojson'] = fc([
			{
				geometry: square(39.1, 117.2),
				properties: gp('G1')
			}
		]);
		r = await read(tree);
		expect(codes(r.errors)).toEqual(['crs-mismatch']);
		expect(r.errors[0].en).toMatch(/swapped/);

		tree = basicTree();
		tree['grids.geojson'] = fc([
			{
				geometry: square(2.35, 48.85),
				properties: gp('G1')
			}
		]);
		r = await read({ ...tree, 'city.json': manifest({ crs: 'GCJ-02' }) });
		expect(codes(r.errors)).toContain('crs-mismatch');
		expect(only(r.errors, 'crs-mismatch')[0].en).toMatch(/outside China/);
	});

	it('crs-unknown for a code the reader cannot convert', async () => {
		const r = await read({ ...basicTree(), 'city.json': manifest({ crs: 'EPSG:3857' }) });
		expect(codes(r.errors)).toContain('crs-unknown');
	});

	it('GCJ-02 from city.json is converted to WGS84 and noted', async () => {
		const r = await read({ ...basicTree(), 'city.json': manifest({ crs: 'GCJ-02' }) });
		expect(r.errors).toEqual([]);
		const [lon, lat] = (r.pack!.units.grid[0].geometry as GeoJSON.Polygon).coordinates[0][0];
		// GCJ-02 is ~ 0.006° east and ~ 0.001° north of WGS84 around Tianjin.
		expect(117.2 - lon).toBeGreaterThan(0.004);
		expect(117.2 - lon).toBeLessThan(0.008);
		expect(Math.abs(39.1 - lat)).toBeLessThan(0.003);
		expect(only(r.notes, 'crs-used')[0].en).toMatch(/GCJ-02/);
	});
});

describe('fields', () => {
	it('field-missing, field-invalid and id-duplicate, located by file, feature and field', async () => {
		const tree = basicTree();
		tree['grids.geojson'] = fc([
			{ geometry: square(117.2, 39.1), properties: gp('G1', { name: '' }) },
			{
				geometry: square(117.21, 39.1),
				properties: gp('G2', { pop: 'many' })
			},
			{ geometry: square(117.22, 39.1), properties: gp('G3') },
			{ geometry: square(117.23, 39.1), properties: gp('G3') }
		]);
		const r = await read(tree);
		expect(codes(r.errors)).toEqual(['field-missing', 'field-invalid', 'id-duplicate']);
		expect(r.errors[0].source).toEqual({ file: 'grids.geojson', index: 0, field: 'name' });
		expect(r.errors[1].source).toEqual({ file: 'grids.geojson', index: 1, field: 'pop' });
		expect(r.errors[1].en).toMatch(/"many"/);
		expect(r.errors[2].source).toMatchObject({ index: 3, field: 'id' });
		expect(r.errors[2].en).toMatch(/G3.*feature 3/);
	});

	it('names holding a bidi override or a control character are refused, located', async () => {
		const tree = basicTree();
		const nameOf = (file: string) =>
			(tree[file] as ReturnType<typeof fc>).features[0].properties as { name: string };
		nameOf('streets.geojson').name = '塘沽\u202e街道';
		nameOf('communities.geojson').name = '青源里\u0007社区';
		tree['grids.geojson'] = fc([
			{ geometry: square(117.2, 39.1), properties: gp('G1', { name: '第01\u001b[2J网格' }) },
			{ geometry: square(117.21, 39.1), properties: gp('G2', { wn: '李\u2066四' }) }
		]);
		const r = await read(tree);
		expect(r.pack).toBeNull();
		const bad = only(r.errors, 'field-invalid');
		expect(bad.map((e) => e.source)).toEqual([
			{ file: 'streets.geojson', index: 0, field: 'name' },
			{ file: 'communities.geojson', index: 0, field: 'name' },
			{ file: 'grids.geojson', index: 0, field: 'name' },
			{ file: 'grids.geojson', index: 1, field: 'wn' }
		]);
		expect(bad[0].en).toMatch(/塘沽\\u202E街道.*U\+202E \(a bidi control\)/);
		expect(bad[0].zh).toMatch(/双向文本控制符 U\+202E/);
		expect(bad[1].en).toMatch(/U\+0007 \(not printable\)/);
		expect(bad[2].en).toMatch(/U\+001B/);
		expect(bad[3].en).toMatch(/grid worker name.*U\+2066/);
		// The messages quote the value with the character written out, never the character.
		for (const e of bad)
			for (const c of ['\u0007', '\u001b', '\u202e', '\u2066'])
				expect(e.en + e.zh).not.toContain(c);
	});

	it('field-unknown lists the columns the file has, once per mapped column', async () => {
		const m = manifest();
		m.levels[2] = {
			...m.levels[2],
			fields: { ...m.levels[2].fields, name: 'NAME_CN', population: 'POP2020' }
		} as (typeof m.levels)[2];
		const r = await read({ ...basicTree(), 'city.json': m });
		expect(codes(r.errors)).toEqual(['field-unknown', 'field-unknown']);
		expect(r.errors[0].en).toMatch(
			/levels\[2\]\.fields\.name.*NAME_CN.*id, name, cid, pop, wn, wp/
		);
		expect(r.errors[1].source).toEqual({ file: 'grids.geojson', field: 'POP2020' });
	});

	it('a CSV register: a missing lon column is field-unknown, a bad risk level field-invalid', async () => {
		const sites = (header: string, row: string) => ({
			...basicTree(),
			'sites.csv': `${header}\n${row}\n`,
			'city.json': manifest({
				registers: {
					hazmatSites: {
						file: 'sites.csv',
						fields: { id: 'id', name: 'name', lon: 'x', lat: 'y', riskLevel: 'risk' }
					}
				}
			})
		});
		let r = await read(sites('id,name,y,risk', 'H1,甲,39.1,一级'));
		expect(codes(r.errors)).toEqual(['field-unknown']);
		expect(r.errors[0].en).toMatch(/x.*id, name, y, risk/);
		r = await read(sites('id,name,x,y,risk', 'H1,甲,117.2,39.1,五级'));
		expect(codes(r.errors)).toEqual(['field-invalid']);
		expect(r.errors[0].source).toEqual({ file: 'sites.csv', index: 0, field: 'risk' });
		expect(r.errors[0].en).toMatch(/row 1/);
	});
});

describe('levels and progress', () => {
	it("a derived level comes from the children's parent fields (noted); copyParent one per parent", async () => {
		const m = manifest();
		m.levels[0] = { level: 'street', name: { zh: '街道' }, derive: true } as never;
		m.levels[1] = {
			...m.levels[1],
			fields: { id: 'id', name: 'name', parent: 'sid', parentName: 'sname' }
		} as never;
		const tree = basicTree();
		delete tree['streets.geojson'];
		tree['communities.geojson'] = fc([
			{
				geometry: square(117.2, 39.1, 0.02),
				properties: { id: 'C1', name: '甲社区', sid: 'S1', sname: '甲街道' }
			},
			{
				geometry: square(117.3, 39.1, 0.02),
				properties: { id: 'C2', name: '乙社区', sid: 'S1', sname: '甲街道' }
			}
		]);
		m.levels[2] = { level: 'grid', name: { zh: '网格' }, copyParent: true } as never;
		delete tree['grids.geojson'];
		const progress: number[] = [];
		const r = await readPack(
			{ zip: await zipOf({ ...tree, 'city.json': m }) },
			{ onProgress: (p) => progress.push(p.fraction) }
		);
		expect(r.errors).toEqual([]);
		const u = r.pack!.units;
		expect(u.street.map((s) => [s.id, s.name, s.geometry])).toEqual([['S1', '甲街道', null]]);
		expect(u.grid.map((g) => [g.id, g.parentId, g.geometry])).toEqual([
			['C101', 'C1', null],
			['C201', 'C2', null]
		]);
		expect(codes(r.notes)).toContain('derived-level');
		expect(progress.length).toBeGreaterThan(2);
		expect(progress).toEqual([...progress].sort((a, b) => a - b));
		expect(Math.max(...progress)).toBeLessThanOrEqual(1);
	});
});

describe('assets', () => {
	it('keeps a PMTiles basemap as raw bytes keyed by its pack path, and hashes it', async () => {
		const tiles = new Uint8Array([0x50, 0x4d, 0x54, 0x69, 0x6c, 0x65, 0x73, 3, 1, 2]);
		const tree = {
			...basicTree(),
			'map/city.pmtiles': tiles,
			'city.json': manifest({ basemap: { kind: 'pmtiles', file: 'map/city.pmtiles' } })
		};
		const r = await read(tree);
		expect(r.errors).toEqual([]);
		expect([...r.pack!.assets['map/city.pmtiles']]).toEqual([...tiles]);
		const other = await read({ ...tree, 'map/city.pmtiles': new Uint8Array([1]) });
		expect(other.pack!.hash).not.toBe(r.pack!.hash);
		const gone = await read(
			Object.fromEntries(Object.entries(tree).filter(([k]) => !k.endsWith('.pmtiles')))
		);
		expect(codes(gone.errors)).toEqual(['file-missing']);
	});
});

describe('messages', () => {
	it('lists every code with both templates', () => {
		expect(READ_MESSAGE_LIST.map((m) => m.code)).toEqual(Object.keys(READ_MESSAGES));
		for (const m of READ_MESSAGE_LIST) {
			expect(m.zh).toMatch(/[\u4e00-\u9fff]/);
			expect(m.en).toMatch(/[a-z]/);
			expect(['error', 'note', 'repair']).toContain(m.severity);
		}
	});
});

describe('real packs', () => {
	let demo = '';
	beforeAll(async () => {
		// The server tests' fixture city in the generator's file shapes, with the demo city's own
		// city.json (demoPackManifest; its basemap left out: the fixture has none). Generating a
		// whole demo city here would take ~8 s.
		demo = await mkdtemp(path.join(tmpdir(), 'onemap-reader-demo-'));
		const city = fixtureCity();
		writeFixtureCity(demo, city);
		const m = demoPackManifest(city.manifest);
		delete m.basemap;
		writeFileSync(path.join(demo, PACK_MANIFEST), JSON.stringify(m));
	});
	afterAll(async () => {
		if (demo) await rm(demo, { recursive: true, force: true });
	});

	it("the demo city's pack format (fixture city) reads with no errors, every register and asset present", async () => {
		const r = await readPack(demo);
		expect(r.errors).toEqual([]);
		const p = r.pack!;
		const city = fixtureCity();
		expect(p.units.street.map((u) => u.id)).toEqual(
			city.streets.features.map((f) => f.properties.id)
		);
		expect(p.units.grid.map((u) => [u.id, u.parentId, u.workerName])).toEqual(
			city.grids.features.map((f) => [
				f.properties.id,
				f.properties.communityId,
				f.properties.workerName
			])
		);
		expect(p.hazmatSites.length).toBeGreaterThan(0);
		expect(p.hazmatSites[0].substances.length).toBeGreaterThan(0);
		expect(p.hazmatLanes[0].siteIds!.length).toBeGreaterThan(0);
		expect(p.patrolRoutes.length).toBeGreaterThan(0);
		expect(p.patrolUnits.map((u) => u.track)).toEqual(city.patrols.units.map((u) => u.track));
		expect(Object.keys(p.assets)).toEqual(['incidents.arrow']);
		expect(p.hash).toMatch(/^[0-9a-f]{64}$/);
	});

	it('data/packs/tianjin: 16 districts, converted from GCJ-02', async () => {
		const r = await readPack('data/packs/tianjin');
		expect(r.errors).toEqual([]);
		const p = r.pack!;
		expect(p.units.district.length).toBe(16);
		expect(p.units.district.map((d) => d.name)).toContain('和平区');
		expect(only(r.notes, 'crs-used')[0].en).toMatch(/GCJ-02/);
		// The file's first vertex, read as GCJ-02, lands ~ 0.006° west in WGS84 (Tianjin's offset).
		const raw = JSON.parse(readFileSync('data/packs/tianjin/districts.geojson', 'utf8'));
		const g0 = raw.features[0].geometry;
		const v0 = (g0.type === 'Polygon' ? g0.coordinates[0][0] : g0.coordinates[0][0][0]) as number[];
		const d0 = p.units.district[0].geometry!;
		const w0 = (d0.type === 'Polygon' ? d0.coordinates[0][0] : d0.coordinates[0][0][0]) as number[];
		expect(v0[0] - w0[0]).toBeGreaterThan(0.004);
		expect(v0[0] - w0[0]).toBeLessThan(0.008);
		expect(Math.abs(v0[1] - w0[1])).toBeLessThan(0.003);
		// copyParent levels: one unit per parent, geometry from the checker.
		expect(p.units.grid.length).toBe(16);
		expect(p.units.grid.every((u) => u.geometry === null)).toBe(true);
	});
});
