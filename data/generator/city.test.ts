import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bbox, booleanPointInPolygon, pointToLineDistance } from '@turf/turf';
import type { Feature, FeatureCollection, LineString, Polygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	CITY_FILES,
	type CommunityCollection,
	type GridCollection,
	type HazmatLaneCollection,
	type HazmatSiteCollection,
	type Manifest,
	type Patrols,
	type RoadCollection,
	type StreetCollection,
	type WaterProps
} from '../../src/lib/domain/city.ts';
import { checkPolygon, checkTiling } from '../../src/lib/geo/topology.ts';
import { CityPackManifestSchema } from '../../src/lib/domain/cityPack.ts';
import { generateCity, writeCity } from './index.ts';
import { DEMO_FILES, DEMO_PACK_FILES, readPatrols } from './pack.ts';
import { TEST_OPTIONS, readJson, tempDir } from './testing.ts';

let dir = '';
let manifest: Manifest;
let land: Feature<Polygon>;
let sea: FeatureCollection<Polygon>;
let streets: StreetCollection;
let communities: CommunityCollection;
let grids: GridCollection;
let roads: RoadCollection;
let water: FeatureCollection<LineString | Polygon, WaterProps>;
let sites: HazmatSiteCollection;
let lanes: HazmatLaneCollection;
let patrols: Patrols;

beforeAll(() => {
	dir = join(tempDir('city'), 'data');
	writeCity(generateCity(TEST_OPTIONS), dir);
	manifest = readJson(dir, CITY_FILES.manifest);
	land = readJson<FeatureCollection<Polygon>>(dir, CITY_FILES.land).features[0];
	sea = readJson(dir, CITY_FILES.sea);
	streets = readJson(dir, CITY_FILES.streets);
	communities = readJson(dir, CITY_FILES.communities);
	grids = readJson(dir, CITY_FILES.grids);
	roads = readJson(dir, CITY_FILES.roads);
	water = readJson(dir, CITY_FILES.water);
	sites = readJson(dir, CITY_FILES.hazmatSites);
	lanes = readJson(dir, CITY_FILES.hazmatLanes);
	patrols = readPatrols(
		readJson(dir, DEMO_PACK_FILES.patrolRoutes),
		readJson(dir, DEMO_PACK_FILES.patrolUnits)
	);
});

afterAll(() => {
	if (dir) rmSync(join(dir, '..'), { recursive: true, force: true });
});

const onLand = (p: number[]) => booleanPointInPolygon(p, land);
const inSea = (p: number[]) => sea.features.some((f) => booleanPointInPolygon(p, f));

describe('files and manifest', () => {
	it('writes every contract file', () => {
		for (const name of DEMO_FILES) expect(existsSync(join(dir, name)), name).toBe(true);
	});

	it('has a manifest that matches the data', () => {
		expect(manifest.synthetic).toBe(true);
		expect(manifest.seed).toBe(TEST_OPTIONS.seed);
		expect(manifest.endDate).toBe(TEST_OPTIONS.endDate);
		// 2026-11-28 00:00 UTC+8, and 365 days before.
		expect(manifest.endMs).toBe(Date.UTC(2026, 10, 27, 16));
		expect(manifest.endMs - manifest.startMs).toBe(365 * 86_400_000);
		expect(manifest.counts).toEqual({
			streets: streets.features.length,
			communities: communities.features.length,
			grids: grids.features.length,
			roads: roads.features.length,
			hazmatSites: sites.features.length,
			hazmatLanes: lanes.features.length,
			patrolRoutes: patrols.routes.length,
			patrolUnits: patrols.units.length,
			incidents: TEST_OPTIONS.incidents
		});
		const [x0, y0, x1, y1] = manifest.bbox;
		expect(x0).toBeCloseTo(117.3, 6);
		expect(y0).toBeCloseTo(38.6, 6);
		expect(x1).toBeCloseTo(118.1, 6);
		expect(y1).toBeCloseTo(39.35, 6);
		expect(manifest.center[0]).toBeGreaterThan(x0);
		expect(manifest.center[0]).toBeLessThan(x1);
		expect(manifest.attribution).toContain('© OpenStreetMap contributors (ODbL 1.0) — coastline');
		expect(manifest.attribution.join('\n')).toMatch(/NBS 2023/);
		expect(manifest.attribution.join('\n')).toMatch(/synthetic/);
	});

	it('keeps roads under ~6 MB', () => {
		expect(statSync(join(dir, CITY_FILES.roads)).size).toBeLessThan(6e6);
	});
});

describe('administrative units', () => {
	it('has the 21 real 街道/镇 with NBS codes', () => {
		const nbs = JSON.parse(
			readFileSync(
				fileURLToPath(new URL('../binhai-streets-towns.nbs2023.json', import.meta.url)),
				'utf8'
			)
		) as { items: { code: string; name: string; kind: string }[] };
		const expected = nbs.items.filter((i) => /^(subdistrict|town)/.test(i.kind));
		expect(expected).toHaveLength(21);
		expect(streets.features.map((f) => [f.properties.id, f.properties.name])).toEqual(
			expected.map((i) => [i.code, i.name])
		);
		for (const f of streets.features)
			expect(f.properties.kind).toBe(f.properties.name.endsWith('镇') ? 'town' : 'subdistrict');
	});

	it('has 420–460 communities and 720–760 grids', () => {
		expect(communities.features.length).toBeGreaterThanOrEqual(420);
		expect(communities.features.length).toBeLessThanOrEqual(460);
		expect(grids.features.length).toBeGreaterThanOrEqual(720);
		expect(grids.features.length).toBeLessThanOrEqual(760);
	});

	it('uses contract ids and unique names', () => {
		const streetIds = new Set(streets.features.map((f) => f.properties.id));
		const communityById = new Map(communities.features.map((f) => [f.properties.id, f]));
		expect(communityById.size).toBe(communities.features.length);
		expect(new Set(communities.features.map((f) => f.properties.name)).size).toBe(
			communities.features.length
		);
		for (const c of communities.features) {
			expect(streetIds.has(c.properties.streetId)).toBe(true);
			expect(c.properties.id).toMatch(new RegExp('^' + c.properties.streetId + '\\d{3}$'));
			expect(c.properties.name).toMatch(c.properties.kind === 'community' ? /社区$/ : /村$/);
		}
		const gridIds = new Set<string>();
		for (const g of grids.features) {
			const p = g.properties;
			gridIds.add(p.id);
			const c = communityById.get(p.communityId);
			expect(c, p.id).toBeDefined();
			expect(p.streetId).toBe(c?.properties.streetId);
			expect(p.id).toMatch(new RegExp('^' + p.communityId + '\\d{2}$'));
			expect(p.name).toBe('第' + p.id.slice(-2) + '网格');
			expect(p.workerName).toMatch(/^[\u4e00-\u9fa5]{2,3}$/);
			expect(p.workerPhone).toMatch(/^1[3-9]\d{9}$/);
		}
		expect(gridIds.size).toBe(grids.features.length);
		// Features are grouped by parent, in parent order.
		const order = (ids: string[]) => ids.every((id, i) => i === 0 || ids[i - 1] < id);
		expect(order(communities.features.map((f) => f.properties.id))).toBe(true);
		expect(order(grids.features.map((f) => f.properties.id))).toBe(true);
	});

	it('sums populations bottom-up with plausible grid sizes', () => {
		const kindOf = new Map(communities.features.map((c) => [c.properties.id, c.properties.kind]));
		for (const g of grids.features) {
			const p = g.properties;
			if (kindOf.get(p.communityId) === 'community') {
				expect(p.population).toBeGreaterThanOrEqual(1500);
				expect(p.population).toBeLessThanOrEqual(6000);
			} else expect(p.population).toBeLessThan(2000);
			expect(p.households / p.population).toBeGreaterThan(0.33);
			expect(p.households / p.population).toBeLessThan(0.43);
			expect(p.areaKm2).toBeGreaterThan(0);
		}
		for (const c of communities.features) {
			const mine = grids.features.filter((g) => g.properties.communityId === c.properties.id);
			expect(mine.length).toBeGreaterThan(0);
			expect(c.properties.population).toBe(mine.reduce((s, g) => s + g.properties.population, 0));
			expect(c.properties.households).toBe(mine.reduce((s, g) => s + g.properties.households, 0));
		}
		let total = 0;
		for (const s of streets.features) {
			const mine = communities.features.filter((c) => c.properties.streetId === s.properties.id);
			expect(s.properties.population).toBe(
				mine.reduce((sum, c) => sum + c.properties.population, 0)
			);
			total += s.properties.population;
		}
		expect(total).toBeGreaterThan(1_500_000);
		expect(total).toBeLessThan(3_000_000);
	});

	it('has only valid single Polygons with labels inside', () => {
		expect(checkPolygon(land)).toEqual({ valid: true, reason: null });
		for (const f of [...streets.features, ...communities.features, ...grids.features]) {
			expect(f.geometry.type).toBe('Polygon');
			expect(f.geometry.coordinates).toHaveLength(1);
			expect(checkPolygon(f), f.properties.id).toEqual({ valid: true, reason: null });
		}
		for (const f of [...streets.features, ...communities.features])
			expect(
				booleanPointInPolygon(
					[f.properties.labelLon, f.properties.labelLat],
					f as Feature<Polygon>
				),
				f.properties.id
			).toBe(true);
	});

	it('tiles every level exactly: land ← streets ← communities ← grids', () => {
		// 'exact': shared boundaries are identical vertex sequences at every level.
		const land2streets = checkTiling(land, streets.features);
		expect(land2streets).toMatchObject({ reasons: [], method: 'exact' });
		for (const s of streets.features) {
			const children = communities.features.filter(
				(c) => c.properties.streetId === s.properties.id
			);
			expect(checkTiling(s, children), s.properties.name).toMatchObject({
				reasons: [],
				method: 'exact'
			});
		}
		const byCommunity = new Map<string, Feature<Polygon>[]>();
		for (const g of grids.features) {
			const list = byCommunity.get(g.properties.communityId) ?? [];
			list.push(g);
			byCommunity.set(g.properties.communityId, list);
		}
		for (const c of communities.features)
			expect(checkTiling(c, byCommunity.get(c.properties.id) ?? []), c.properties.id).toMatchObject(
				{
					reasons: [],
					method: 'exact'
				}
			);
		// The area-based method agrees (on a sample: it is slower).
		for (const s of streets.features.slice(0, 3)) {
			const children = communities.features.filter(
				(c) => c.properties.streetId === s.properties.id
			);
			expect(checkTiling(s, children, { exact: false })).toMatchObject({
				reasons: [],
				method: 'area'
			});
		}
	});
});

describe('roads and water', () => {
	it('has named roads of every class, on land', () => {
		const classes = new Set(roads.features.map((f) => f.properties.class));
		expect([...classes].sort()).toEqual(['arterial', 'expressway', 'local']);
		const names = new Set(roads.features.map((f) => f.properties.name));
		for (const n of ['京津塘高速', '海滨大道', '津滨高速']) expect(names.has(n)).toBe(true);
		expect(roads.features.filter((f) => f.properties.class === 'local').length).toBeGreaterThan(
			1000
		);
		const ids = new Set(roads.features.map((f) => f.properties.id));
		expect(ids.size).toBe(roads.features.length);
		for (const f of roads.features) {
			expect(f.properties.name.length).toBeGreaterThan(0);
			expect(f.geometry.coordinates.length).toBeGreaterThanOrEqual(2);
		}
		// Vertices on land (checked on a sample: the whole set is ~20k points).
		const sample = roads.features.filter((_, i) => i % 7 === 0);
		for (const f of sample)
			for (const p of f.geometry.coordinates) expect(onLand(p), f.properties.id).toBe(true);
	});

	it('has the rivers and reservoirs', () => {
		const byName = new Map(water.features.map((f) => [f.properties.name, f]));
		for (const n of ['海河', '蓟运河', '独流减河'])
			expect(byName.get(n)?.properties.kind).toBe('river');
		for (const n of ['北大港水库', '官港湖']) {
			const f = byName.get(n);
			expect(f?.properties.kind).toBe('reservoir');
			expect(f?.geometry.type).toBe('Polygon');
			expect(checkPolygon(f).valid).toBe(true);
			for (const p of (f?.geometry as Polygon).coordinates[0]) expect(onLand(p)).toBe(true);
		}
		const haihe = byName.get('海河')?.geometry as LineString;
		const mouth = haihe.coordinates[haihe.coordinates.length - 1];
		expect(Math.abs(mouth[0] - 117.71)).toBeLessThan(0.03);
		expect(Math.abs(mouth[1] - 38.98)).toBeLessThan(0.03);
	});
});

describe('hazmat', () => {
	it('has 60–120 sites on land, inside their grid', () => {
		expect(sites.features.length).toBeGreaterThanOrEqual(60);
		expect(sites.features.length).toBeLessThanOrEqual(120);
		const gridById = new Map(grids.features.map((g) => [g.properties.id, g]));
		const levels = [0, 0, 0, 0];
		for (const s of sites.features) {
			const p = s.properties;
			expect(onLand(s.geometry.coordinates)).toBe(true);
			const g = gridById.get(p.gridId);
			expect(g, p.id).toBeDefined();
			expect(booleanPointInPolygon(s.geometry.coordinates, g as Feature<Polygon>)).toBe(true);
			expect([1, 2, 3, 4, 5, 6, 8, 9]).toContain(p.hazardClass);
			expect([1, 2, 3, 4]).toContain(p.riskLevel);
			levels[p.riskLevel - 1]++;
			expect(p.substances.length).toBeGreaterThan(0);
			expect(p.quantityTonnes).toBeGreaterThan(0);
			expect(p.riskRadiusM).toBeGreaterThanOrEqual(300);
			expect(p.riskRadiusM).toBeLessThanOrEqual(3000);
			expect(p.responsiblePhone).toMatch(/^1[3-9]\d{9}$/);
		}
		expect(levels[0]).toBeLessThan(levels[3]);
		// Higher risk ⇒ bigger radius.
		const meanRadius = (lvl: number) => {
			const xs = sites.features
				.filter((s) => s.properties.riskLevel === lvl)
				.map((s) => s.properties.riskRadiusM);
			return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
		};
		expect(meanRadius(2)).toBeGreaterThan(meanRadius(3));
		expect(meanRadius(3)).toBeGreaterThan(meanRadius(4));
		expect(new Set(sites.features.map((s) => s.properties.zone)).size).toBeGreaterThanOrEqual(5);
	});

	it('has lanes that follow roads to an expressway and serve every site', () => {
		const siteIds = new Set(sites.features.map((s) => s.properties.id));
		const served = new Set<string>();
		const expressways = roads.features.filter((r) => r.properties.class === 'expressway');
		const boxes = roads.features.map((r) => bbox(r));
		const nearRoad = (p: number[]) =>
			roads.features.some((r, i) => {
				const b = boxes[i];
				if (p[0] < b[0] - 1e-4 || p[0] > b[2] + 1e-4 || p[1] < b[1] - 1e-4 || p[1] > b[3] + 1e-4)
					return false;
				return pointToLineDistance(p, r, { units: 'meters' }) < 1;
			});
		for (const lane of lanes.features) {
			expect(lane.geometry.coordinates.length).toBeGreaterThanOrEqual(2);
			for (const id of lane.properties.siteIds) {
				expect(siteIds.has(id)).toBe(true);
				served.add(id);
			}
			const end = lane.geometry.coordinates[lane.geometry.coordinates.length - 1];
			const toExpressway = Math.min(
				...expressways.map((r) => pointToLineDistance(end, r, { units: 'meters' }))
			);
			expect(toExpressway).toBeLessThan(2);
			for (const p of lane.geometry.coordinates) expect(nearRoad(p), lane.properties.id).toBe(true);
		}
		expect(served.size).toBe(siteIds.size);
	});
});

describe('patrols', () => {
	it('has routes and units for land, sea and air', () => {
		const modes = new Set(patrols.routes.map((r) => r.mode));
		expect([...modes].sort()).toEqual(['air', 'land', 'sea']);
		expect(patrols.units.length).toBeGreaterThanOrEqual(30);
		expect(patrols.units.length).toBeLessThanOrEqual(60);
		const routeById = new Map(patrols.routes.map((r) => [r.id, r]));
		for (const u of patrols.units) {
			expect(routeById.get(u.routeId)?.mode).toBe(u.mode);
			expect(['on_patrol', 'responding', 'standby']).toContain(u.status);
		}
	});

	it('keeps sea routes at sea and land routes on land', () => {
		for (const r of patrols.routes) {
			if (r.mode === 'sea') for (const p of r.path) expect(inSea(p) && !onLand(p), r.id).toBe(true);
			if (r.mode === 'land') for (const p of r.path) expect(onLand(p), r.id).toBe(true);
		}
	});

	it('has 24 h tracks sampled every 60–120 s with mode-appropriate speeds', () => {
		for (const u of patrols.units) {
			const { t, lon, lat } = u.track;
			expect(t[0]).toBe(0);
			expect(t[t.length - 1]).toBe(86400);
			expect(lon.length).toBe(t.length);
			expect(lat.length).toBe(t.length);
			let maxKmh = 0;
			for (let i = 1; i < t.length; i++) {
				const dt = t[i] - t[i - 1];
				expect(dt).toBeGreaterThanOrEqual(60);
				expect(dt).toBeLessThanOrEqual(120);
				const dx = (lon[i] - lon[i - 1]) * 86_500;
				const dy = (lat[i] - lat[i - 1]) * 111_000;
				maxKmh = Math.max(maxKmh, (Math.hypot(dx, dy) / dt) * 3.6);
			}
			const limit = u.mode === 'land' ? 41 : u.mode === 'sea' ? 26 : 61;
			expect(maxKmh, u.id).toBeLessThan(limit);
			expect(maxKmh, u.id).toBeGreaterThan(5);
		}
	});
});

describe('city pack', () => {
	it('writes a city.json that the pack schema accepts, naming only files it wrote', () => {
		const raw = readJson<unknown>(dir, DEMO_PACK_FILES.manifest);
		const m = CityPackManifestSchema.parse(raw);
		expect(m.city.synthetic).toBe(true);
		const named = [
			...m.levels.map((l) => l.file),
			...Object.values(m.registers).map((r) => r?.file),
			m.incidents?.file
		].filter((f): f is string => !!f);
		for (const f of named) expect(DEMO_FILES, f).toContain(f);
	});
});
