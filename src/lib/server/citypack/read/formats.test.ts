/** Each input format through readPack: GeoJSON, Shapefile (zip and loose, .prj/.cpg, GBK),
 * GeoPackage, CSV (UTF-8 BOM, GB18030), XLSX, JSON tables; and their CRS handling. */
import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import type { Polygon } from 'geojson';
import { crsByName, fromWgs84 } from '$lib/geo/crs';
import { readPack } from './index';
import {
	basicTree,
	fc,
	geopackage,
	manifest,
	shapefile,
	square,
	xlsx,
	zipOf,
	type PackTree
} from './testing';

const read = async (tree: PackTree) => readPack({ zip: await zipOf(tree), name: 'test.zip' });
const codes = (ms: { code: string }[]) => ms.map((m) => m.code);

const GEOG2000 =
	'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
const ZONE39_PRJ = `PROJCS["CGCS2000_3_Degree_GK_Zone_39",${GEOG2000},PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",39500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`;
const zone39 = crsByName('EPSG:4527')!;

/** The grid level of basicTree() replaced by `file` with `fields`. */
function withGrids(file: string, files: PackTree, extra: Record<string, unknown> = {}): PackTree {
	const tree = basicTree();
	delete tree['grids.geojson'];
	const m = manifest();
	m.levels[2] = { ...m.levels[2], file, ...extra } as (typeof m.levels)[2];
	return { ...tree, ...files, 'city.json': m };
}

const ring = (g: { coordinates: unknown }) => (g as Polygon).coordinates[0];

describe('GeoJSON', () => {
	it('reads a FeatureCollection, a single Feature, and keeps MultiPolygons', async () => {
		const tree = basicTree();
		tree['streets.geojson'] = {
			type: 'Feature',
			properties: { id: 'S1', name: '一街' },
			geometry: {
				type: 'MultiPolygon',
				coordinates: [
					(square(117.2, 39.1) as Polygon).coordinates,
					(square(117.3, 39.1) as Polygon).coordinates
				]
			}
		};
		const r = await read(tree);
		expect(r.errors).toEqual([]);
		expect(r.pack!.units.street[0].geometry!.type).toBe('MultiPolygon');
		expect(r.pack!.units.grid.map((u) => u.id)).toEqual(['G1', 'G2']);
	});

	it('takes the old GeoJSON crs member as the declared CRS', async () => {
		const p = fromWgs84(zone39, [117.2, 39.1]);
		const grids = fc([
			{
				geometry: square(p[0], p[1], 500),
				properties: { id: 'G1', name: 'g', cid: 'c', pop: 1, wn: '', wp: '' }
			}
		]) as Record<string, unknown>;
		grids.crs = { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4527' } };
		const r = await read(withGrids('g.geojson', { 'g.geojson': grids }));
		expect(r.errors).toEqual([]);
		const [lon, lat] = ring(r.pack!.units.grid[0].geometry!)[0];
		expect(lon).toBeCloseTo(117.2, 7);
		expect(lat).toBeCloseTo(39.1, 7);
		expect(
			r.notes.find((n) => n.code === 'crs-used' && n.source?.file === 'g.geojson')!.en
		).toMatch(/EPSG:4527.*GeoJSON crs/);
	});
});

describe('Shapefile', () => {
	const rows = [
		{ ID: 'G1', NAME: '第01网格', CID: 'c1', POP: 12 },
		{ ID: 'G2', NAME: '第02网格', CID: 'c1', POP: 34 }
	];
	const fields = { id: 'id', name: 'name', parent: 'cid', population: 'pop' };

	it('reads a zipped Shapefile in CGCS2000 Gauss–Krüger zone 39 from its .prj, and its .cpg', async () => {
		const pts = [
			[117.2, 39.1],
			[117.21, 39.1]
		].map((p) => fromWgs84(zone39, p));
		const geoms = pts.map(([x, y]) => [
			[
				[x, y],
				[x, y + 500],
				[x + 500, y + 500],
				[x + 500, y],
				[x, y]
			]
		]);
		const shp = await shapefile(rows, geoms, { prj: ZONE39_PRJ, cpg: 'UTF-8' });
		const r = await read(withGrids('grids.zip', { 'grids.zip': await zipOf(shp) }, { fields }));
		expect(r.errors).toEqual([]);
		const g = r.pack!.units.grid;
		expect(g.map((u) => [u.id, u.name, u.parentId, u.population])).toEqual([
			['G1', '第01网格', 'c1', 12],
			['G2', '第02网格', 'c1', 34]
		]);
		const [lon, lat] = ring(g[0].geometry!)[0];
		expect(Math.abs(lon - 117.2) * 86e3).toBeLessThan(0.001);
		expect(Math.abs(lat - 39.1) * 111e3).toBeLessThan(0.001);
		const crsNote = r.notes.find((n) => n.code === 'crs-used' && n.source?.file === 'grids.zip')!;
		expect(crsNote.en).toMatch(/EPSG:4527.*\.prj/);
		expect(r.notes.find((n) => n.code === 'encoding-used')!.en).toMatch(/\.cpg/);
	});

	it('reads a loose .shp with its siblings; a GBK DBF without .cpg is read as GB18030 and noted', async () => {
		const geoms = [square(117.2, 39.1), square(117.21, 39.1)].map(
			(g) => (g as Polygon).coordinates
		);
		const shp = await shapefile(rows, geoms, { encoding: 'gbk', prj: GEOG2000, name: 'grids' });
		const tree = withGrids(
			'bounds/grids.shp',
			Object.fromEntries(Object.entries(shp).map(([k, v]) => [`bounds/${k}`, v])),
			{ fields }
		);
		const r = await read(tree);
		expect(r.errors).toEqual([]);
		expect(r.pack!.units.grid.map((u) => u.name)).toEqual(['第01网格', '第02网格']);
		expect(r.notes.find((n) => n.code === 'encoding-used')!.en).toMatch(/GB18030/);
		expect(
			r.notes.find((n) => n.code === 'crs-used' && n.source?.file === 'bounds/grids.shp')!.en
		).toMatch(/EPSG:4490/);
	});

	it('a .cpg code page ("936") and a layer `encoding` are honoured; UTF-8 forced on GBK text is noted as mis-decoded', async () => {
		const geoms = [square(117.2, 39.1), square(117.21, 39.1)].map(
			(g) => (g as Polygon).coordinates
		);
		const cp936 = await shapefile(rows, geoms, { encoding: 'gbk', cpg: '936' });
		let r = await read(withGrids('g.zip', { 'g.zip': await zipOf(cp936) }, { fields }));
		expect(r.pack!.units.grid[0].name).toBe('第01网格');
		const plain = await shapefile(rows, geoms, { encoding: 'gbk' });
		r = await read(
			withGrids('g.zip', { 'g.zip': await zipOf(plain) }, { fields, encoding: 'GBK' })
		);
		expect(r.pack!.units.grid[1].name).toBe('第02网格');
		expect(r.notes.find((n) => n.code === 'encoding-used')!.en).toMatch(/city\.json/);
		r = await read(
			withGrids('g.zip', { 'g.zip': await zipOf(plain) }, { fields, encoding: 'UTF-8' })
		);
		expect(codes(r.notes)).toContain('text-misdecoded');
	});

	it('picks a layer in a zip of several, and says which exist', async () => {
		const geoms = [square(117.2, 39.1), square(117.21, 39.1)].map(
			(g) => (g as Polygon).coordinates
		);
		const a = await shapefile(rows, geoms, { name: 'grids' });
		const b = await shapefile(rows.slice(0, 1), geoms.slice(0, 1), { name: 'other' });
		const zip = await zipOf({ ...a, ...b });
		let r = await read(withGrids('g.zip', { 'g.zip': zip }, { fields }));
		expect(codes(r.errors)).toEqual(['layer-ambiguous']);
		expect(r.errors[0].en).toMatch(/grids, other|other, grids/);
		r = await read(withGrids('g.zip', { 'g.zip': zip }, { fields, layer: 'grids' }));
		expect(r.pack!.units.grid).toHaveLength(2);
		r = await read(withGrids('g.zip', { 'g.zip': zip }, { fields, layer: 'nope' }));
		expect(codes(r.errors)).toEqual(['layer-missing']);
	});

	it('an unknown .prj is refused (crs-unknown), a .shp without .dbf names the missing file', async () => {
		const geoms = [square(117.2, 39.1)].map((g) => (g as Polygon).coordinates);
		const mercator =
			'PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0]]';
		const shp = await shapefile(rows.slice(0, 1), geoms, { prj: mercator });
		let r = await read(withGrids('g.zip', { 'g.zip': await zipOf(shp) }, { fields }));
		expect(codes(r.errors)).toEqual(['crs-unknown']);
		// …unless city.json names the CRS for the file.
		r = await read(withGrids('g.zip', { 'g.zip': await zipOf(shp) }, { fields, crs: 'EPSG:4326' }));
		expect(r.errors).toEqual([]);
		const noDbf = await zipOf({ 'layer.shp': shp['layer.shp'], 'layer.shx': shp['layer.shx'] });
		r = await read(withGrids('g.zip', { 'g.zip': noDbf }, { fields }));
		expect(codes(r.errors)).toEqual(['file-missing']);
		expect(r.errors[0].en).toMatch(/layer\.dbf/);
	});
});

describe('GeoPackage', () => {
	it('reads the table `layer` names, its srs (EPSG:4527) and the GP blob', async () => {
		const p = fromWgs84(zone39, [117.2, 39.1]);
		const g = square(p[0], p[1], 500);
		const gpkg = await geopackage([
			{
				name: 'grids',
				srsId: 4527,
				rows: [{ geometry: g, properties: { code: 'G1', title: '第01网格', cid: 'c1' } }]
			},
			{
				name: 'roads',
				srsId: 4326,
				rows: [{ geometry: square(117.2, 39.1), properties: { code: 'R1' } }]
			}
		]);
		const fields = { id: 'code', name: 'title', parent: 'cid' };
		let r = await read(withGrids('b.gpkg', { 'b.gpkg': gpkg }, { fields, layer: 'grids' }));
		expect(r.errors).toEqual([]);
		const unit = r.pack!.units.grid[0];
		expect([unit.id, unit.name, unit.source]).toEqual([
			'G1',
			'第01网格',
			{ file: 'b.gpkg', index: 0, layer: 'grids' }
		]);
		const [lon, lat] = ring(unit.geometry!)[0];
		expect(lon).toBeCloseTo(117.2, 8);
		expect(lat).toBeCloseTo(39.1, 8);
		expect(r.notes.find((n) => n.code === 'crs-used' && n.source?.file === 'b.gpkg')!.en).toMatch(
			/EPSG:4527.*srs_id 4527/
		);
		r = await read(withGrids('b.gpkg', { 'b.gpkg': gpkg }, { fields }));
		expect(codes(r.errors)).toEqual(['layer-ambiguous']);
		r = await read(
			withGrids(
				'b.gpkg',
				{ 'b.gpkg': new TextEncoder().encode('not sqlite at all, sorry') },
				{ fields }
			)
		);
		expect(codes(r.errors)).toEqual(['file-unreadable']);
	});
});

const sitesManifest = (file: string, extra: Record<string, unknown> = {}) =>
	manifest({
		registers: {
			hazmatSites: {
				file,
				fields: {
					id: '编号',
					name: '名称',
					lon: '经度',
					lat: '纬度',
					riskLevel: '等级',
					substances: '物质',
					hazardClass: '类别'
				},
				...extra
			}
		}
	});

describe('tables', () => {
	const header = '编号,名称,经度,纬度,等级,物质,类别';
	const body = [
		'HZ1,天津石化,117.2,39.1,一级,"苯、甲苯;二甲苯",3',
		'HZ2,渤海化工,117.21,39.11,4,氯气,第2类'
	];

	it('reads a UTF-8 CSV with BOM: lon/lat, risk level 一级, delimited substances, hazard class 第2类', async () => {
		const csv = '\uFEFF' + [header, ...body].join('\r\n');
		const r = await read({
			...basicTree(),
			'city.json': sitesManifest('sites.csv'),
			'sites.csv': csv
		});
		expect(r.errors).toEqual([]);
		const [a, b] = r.pack!.hazmatSites;
		expect([a.id, a.lon, a.lat, a.riskLevel, a.substances, a.hazardClass]).toEqual([
			'HZ1',
			117.2,
			39.1,
			1,
			['苯', '甲苯', '二甲苯'],
			3
		]);
		expect([b.riskLevel, b.hazardClass, b.riskRadiusM]).toEqual([4, 2, 450]);
		expect(r.notes.find((n) => n.code === 'defaults-used')!.zh).toMatch(/风险半径/);
		expect(codes(r.notes)).not.toContain('encoding-used');
	});

	it('reads a GB18030 CSV (noted), in GCJ-02 from city.json', async () => {
		const csv = iconv.encode([header, ...body].join('\n'), 'gb18030');
		const r = await read({
			...basicTree(),
			'city.json': sitesManifest('sites.csv', { crs: 'GCJ-02' }),
			'sites.csv': new Uint8Array(csv)
		});
		expect(r.errors).toEqual([]);
		const a = r.pack!.hazmatSites[0];
		expect(a.name).toBe('天津石化');
		// GCJ-02 lies ~500 m north-east of WGS84 here: the WGS84 point is south-west of the input.
		expect(a.lon).toBeLessThan(117.2);
		expect(a.lat).toBeLessThan(39.1);
		expect(r.notes.find((n) => n.code === 'encoding-used')!.en).toMatch(/GB18030/);
	});

	it('reads an XLSX sheet by name', async () => {
		const book = await xlsx({
			说明: [['本表为巡逻力量']],
			力量: [
				['id', 'callsign', 'route', 'mode', 'status'],
				['PU1', '陆巡-01', 'PR1', '陆', '待命'],
				['PU2', '海巡-01', 'PR2', '海上', 'on_patrol']
			]
		});
		const m = manifest({
			registers: {
				patrolUnits: {
					file: 'units.xlsx',
					sheet: '力量',
					fields: {
						id: 'id',
						callsign: 'callsign',
						routeId: 'route',
						mode: 'mode',
						status: 'status'
					}
				}
			}
		});
		const r = await read({ ...basicTree(), 'city.json': m, 'units.xlsx': book });
		expect(r.errors).toEqual([]);
		expect(r.pack!.patrolUnits.map((u) => [u.id, u.mode, u.status])).toEqual([
			['PU1', 'land', 'standby'],
			['PU2', 'sea', 'on_patrol']
		]);
	});

	it('reads a JSON array table with a track column (as the demo city writes units)', async () => {
		const track = { lon: [117.2, 117.21], lat: [39.1, 39.11], t: [0, 600] };
		const m = manifest({
			registers: {
				patrolRoutes: { file: 'routes.geojson', fields: { id: 'id', name: 'name', mode: 'mode' } },
				patrolUnits: {
					file: 'units.json',
					fields: { id: 'id', callsign: 'cs', routeId: 'route', track: 'track' }
				}
			}
		});
		const routes = fc([
			{
				geometry: {
					type: 'MultiLineString',
					coordinates: [
						[
							[117.2, 39.1],
							[117.21, 39.11]
						]
					]
				},
				properties: { id: 'PR1', name: '海线', mode: 'sea' }
			}
		]);
		const units = [{ id: 'PU1', cs: '海巡-01', route: 'PR1', track: JSON.stringify(track) }];
		const r = await read({
			...basicTree(),
			'city.json': m,
			'routes.geojson': routes,
			'units.json': units
		});
		expect(r.errors).toEqual([]);
		expect(r.pack!.patrolRoutes[0].geometry.type).toBe('LineString');
		// The unit's mode comes from its route when the table gives none.
		expect(r.pack!.patrolUnits[0]).toMatchObject({ id: 'PU1', mode: 'sea', routeId: 'PR1', track });
	});
});
