/**
 * Import and export of grid plans (issue 7): GeoJSON and zipped Shapefile, WGS84/GCJ-02/BD-09;
 * export → import gives the same draft; a broken file is refused with every problem listed and
 * nothing stored; missing properties are filled from the published grids. GDAL (ogrinfo) reads
 * the exported Shapefile where it is installed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import type { Polygon, Position } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GridFeature, GridProps } from '$lib/domain/city';
import type { PlanCrs, PlanDraft, PlanProblem } from '$lib/domain/plans';
import { loadCity } from '../city/load';
import type { Db } from '../db/types';
import { ApiError } from '../http/errors';
import { openTestDb, TEST_BACKEND } from '../testing/db';
import {
	COMMUNITY_A1,
	GRID_A1_01,
	GRID_A1_02,
	STREET_A,
	fixtureCity
} from '../testing/fixtureCity';
import { DEFAULT_TOLERANCE_M } from '$lib/domain/cityPack';
import { distanceM } from '$lib/plan/geometry';
import { exportPlan, fromWgs84, importPlan, parseCrs, toWgs84 } from './files';
import { getPlan, saveDraft } from './store';
import { rect, rejected } from './testing';

let db: Db;
beforeAll(async () => {
	db = await openTestDb();
	await db.transaction((tx) => loadCity(tx, fixtureCity()));
}, 120_000);
afterAll(() => db?.close());

function grid(id: string, geometry: Polygon, more: Partial<GridProps> = {}): GridFeature {
	return {
		type: 'Feature',
		properties: {
			id,
			name: `北区网格${id.slice(-2)}`,
			communityId: COMMUNITY_A1,
			streetId: STREET_A,
			population: 1234,
			households: 567,
			areaKm2: 1.0357,
			workerName: '欧阳娜娜',
			workerPhone: '13900000001',
			...more
		},
		geometry
	};
}

const problemsOf = (e: ApiError) => (e.details.errors ?? []) as PlanProblem[];
const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

/** The largest coordinate difference between two drafts' grids (same ids, same ring sizes). */
function maxDeviation(a: GridFeature[], b: GridFeature[]): number {
	let worst = 0;
	a.forEach((g, i) => {
		const h = b[i];
		expect(h.properties.id).toBe(g.properties.id);
		g.geometry.coordinates.forEach((ring, r) => {
			expect(h.geometry.coordinates[r]).toHaveLength(ring.length);
			ring.forEach((p: Position, k) => {
				const q = h.geometry.coordinates[r][k];
				worst = Math.max(worst, Math.abs(p[0] - q[0]), Math.abs(p[1] - q[1]));
			});
		});
	});
	return worst;
}

let draft: PlanDraft;

describe(`plan import and export (${TEST_BACKEND})`, () => {
	it('converts coordinates both ways within 1e-9° (BD-09 refined beyond gcoord’s inverse)', () => {
		for (const crs of ['gcj02', 'bd09'] as PlanCrs[]) {
			const p: [number, number] = [117.612345678, 39.012345678];
			const back = toWgs84(fromWgs84(p, crs), crs);
			expect(Math.abs(back[0] - p[0])).toBeLessThan(1e-9);
			expect(Math.abs(back[1] - p[1])).toBeLessThan(1e-9);
		}
		expect(parseCrs('CGCS2000')).toBe('wgs84');
		expect(parseCrs('GCJ-02')).toBe('gcj02');
		expect(() => parseCrs('epsg:3857')).toThrow(/crs/);
	});

	it('exports the published grids as GeoJSON exactly as stored', async () => {
		const file = await exportPlan(db, COMMUNITY_A1, 'geojson', 'wgs84', 'published');
		expect(file.contentType).toBe('application/geo+json');
		expect(file.filename).toBe(`grids-${COMMUNITY_A1}-published-wgs84.geojson`);
		const fc = JSON.parse(new TextDecoder().decode(file.body));
		const plan = await getPlan(db, COMMUNITY_A1);
		expect(fc.features).toEqual(plan.published.grids.features);
		expect((await rejected(exportPlan(db, COMMUNITY_A1, 'geojson', 'wgs84', 'draft'))).status).toBe(
			404
		);
	});

	it('round-trips a draft: export → import gives the same draft (GeoJSON and Shapefile, WGS84, GCJ-02, BD-09)', async () => {
		draft = await saveDraft(
			db,
			COMMUNITY_A1,
			{
				version: null,
				grids: {
					type: 'FeatureCollection',
					features: [
						grid(GRID_A1_01, rect(117.6, 39.0, 117.62, 39.01), { workerName: '' }),
						grid(`${COMMUNITY_A1}03`, rect(117.6, 39.01, 117.613456789, 39.02)),
						grid(`${COMMUNITY_A1}04`, rect(117.613456789, 39.01, 117.62, 39.02), {
							population: 0
						})
					]
				}
			},
			'规划员甲'
		);
		for (const format of ['geojson', 'shapefile'] as const)
			for (const crs of ['wgs84', 'gcj02', 'bd09'] as PlanCrs[]) {
				const file = await exportPlan(db, COMMUNITY_A1, format, crs, 'draft');
				if (crs !== 'wgs84') {
					// The file really is in the other system (GCJ-02 is ~500 m off here).
					const text = format === 'geojson' ? new TextDecoder().decode(file.body) : 'shapefile';
					if (format === 'geojson') expect(text).not.toContain('117.6,39');
				}
				const before = draft;
				const imported = await importPlan(
					db,
					COMMUNITY_A1,
					file.body,
					format,
					crs,
					before.version,
					'规划员乙'
				);
				draft = imported.draft;
				const what = `${format} ${crs}`;
				// The exact export needs no snapping.
				expect(imported.snaps.vertices, what).toBe(0);
				expect(draft.version, what).toBeGreaterThan(before.version);
				expect(draft.updatedBy, what).toBe('规划员乙');
				// Within 1e-7° (the contract); in fact exact after rounding to 9 decimals.
				expect(maxDeviation(before.grids.features, draft.grids.features), what).toBeLessThan(1e-7);
				expect(draft.grids, what).toEqual(before.grids);
			}
	});

	it('round-trips a grid with a hole (and the grid inside it) through a Shapefile', async () => {
		const holed: Polygon = {
			type: 'Polygon',
			coordinates: [
				rect(117.6, 39.0, 117.62, 39.01).coordinates[0],
				// A hole, wound clockwise (RFC 7946).
				[
					[117.605, 39.002],
					[117.605, 39.006],
					[117.61, 39.006],
					[117.61, 39.002],
					[117.605, 39.002]
				]
			]
		};
		const before = await saveDraft(
			db,
			COMMUNITY_A1,
			{
				version: draft.version,
				grids: {
					type: 'FeatureCollection',
					features: [
						grid(GRID_A1_01, holed),
						grid(`${COMMUNITY_A1}05`, rect(117.605, 39.002, 117.61, 39.006)),
						grid(GRID_A1_02, rect(117.6, 39.01, 117.62, 39.02))
					]
				}
			},
			'规划员甲'
		);
		for (const crs of ['wgs84', 'gcj02'] as PlanCrs[]) {
			const file = await exportPlan(db, COMMUNITY_A1, 'shapefile', crs, 'draft');
			const prev = (await getPlan(db, COMMUNITY_A1)).draft!;
			({ draft } = await importPlan(
				db,
				COMMUNITY_A1,
				file.body,
				'shapefile',
				crs,
				prev.version,
				'x'
			));
			expect(draft.grids, crs).toEqual(before.grids);
		}
	});

	it('writes a Shapefile zip with .shp/.shx/.dbf/.prj/.cpg and ≤ 10-character UTF-8 attributes', async () => {
		const file = await exportPlan(db, COMMUNITY_A1, 'shapefile', 'wgs84', 'draft');
		expect(file.contentType).toBe('application/zip');
		const zip = await JSZip.loadAsync(file.body);
		const names = Object.keys(zip.files).map((n) => n.slice(n.lastIndexOf('.')));
		expect(names.sort()).toEqual(['.cpg', '.dbf', '.prj', '.shp', '.shx']);
		const cpg = Object.keys(zip.files).find((n) => n.endsWith('.cpg'))!;
		expect(await zip.files[cpg].async('string')).toBe('UTF-8');
	});

	it('is read by GDAL (ogrinfo), where installed', async (ctx) => {
		let gdal = true;
		try {
			execFileSync('ogrinfo', ['--version'], { stdio: 'pipe' });
		} catch {
			gdal = false;
		}
		if (!gdal) {
			if (process.env.ONEMAP_REQUIRE_GDAL === '1') throw new Error('ogrinfo is not installed');
			ctx.skip();
			return;
		}
		const dir = mkdtempSync(join(tmpdir(), 'onemap-plan-'));
		try {
			const file = await exportPlan(db, COMMUNITY_A1, 'shapefile', 'wgs84', 'draft');
			const path = join(dir, file.filename);
			writeFileSync(path, file.body);
			const out = execFileSync('ogrinfo', ['-ro', '-al', `/vsizip/${path}`], {
				encoding: 'utf8'
			});
			expect(out).toMatch(/Geometry: Polygon/);
			expect(out).toMatch(/Feature Count: 3/);
			for (const field of ['id', 'name', 'community', 'street', 'population', 'households'])
				expect(out).toMatch(new RegExp(`^${field}: `, 'm'));
			expect(out).toContain('北区网格01');
			expect(out).toContain('欧阳娜娜');
			expect(out).toMatch(/GEOGCRS\["GCS_WGS_1984"|WGS 84|WGS_1984/);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('refuses a broken file with every problem listed, and stores nothing', async () => {
		const before = (await getPlan(db, COMMUNITY_A1)).draft!;
		const f = (id: string | undefined, geometry: unknown) => ({
			type: 'Feature',
			properties: id ? { id } : {},
			geometry
		});
		const file = {
			type: 'FeatureCollection',
			features: [
				f('A', rect(117.6, 39.0, 117.62, 39.01)),
				f('B', rect(117.6, 39.01, 117.62, 39.021)), // reaches outside (north)
				f('C', {
					type: 'Polygon',
					coordinates: [
						[
							[117.6, 39.0],
							[117.601, 39.0],
							[117.601, 39.001]
						]
					]
				}), // too few positions, unclosed
				f('D', {
					type: 'Polygon',
					coordinates: [
						[
							[117.6, 39.0],
							[117.601, 39.0],
							[117.601, 39.001],
							[117.6005, 39.0015]
						]
					]
				}), // unclosed
				f(undefined, {
					type: 'Polygon',
					coordinates: [
						[
							[117.6, 39.01],
							[117.62, 39.02],
							[117.62, 39.01],
							[117.6, 39.02],
							[117.6, 39.01]
						]
					]
				}), // self-intersecting, no id: index 4
				f('F', rect(1e300, 39.0, 117.61, 39.01)), // huge coordinate
				f('G', {
					type: 'LineString',
					coordinates: [
						[117.6, 39.0],
						[117.61, 39.01]
					]
				}),
				f('H', {
					type: 'Polygon',
					coordinates: [
						[
							[117.6, 39.0],
							[null, 39.0],
							[117.61, 39.01],
							[117.6, 39.0]
						]
					]
				}), // NaN written as null
				f('I', rect(117.6, 39.0, 117.605, 39.005)) // overlaps A
			]
		};
		const e = await rejected(
			importPlan(db, COMMUNITY_A1, json(file), 'geojson', 'wgs84', before.version, 'x')
		);
		expect(e.status).toBe(422);
		const found = problemsOf(e).map((p) => `${p.feature}:${p.reason}`);
		for (const want of [
			'B:outside',
			'C:too_few_positions',
			'D:ring_not_closed',
			'4:grid_invalid',
			'F:bad_coordinate',
			'G:not_polygon',
			'H:bad_coordinate',
			'A:overlap'
		])
			expect(found, want).toContain(want);
		const self = problemsOf(e).find((p) => p.feature === 4)!;
		expect(self.location).toEqual([117.61, 39.015]);
		expect(e.message).toMatch(/The file breaks/);

		// A gap between two grids.
		const gap = await rejected(
			importPlan(
				db,
				COMMUNITY_A1,
				json({
					type: 'FeatureCollection',
					features: [
						f('A', rect(117.6, 39.0, 117.62, 39.009)),
						f('B', rect(117.6, 39.01, 117.62, 39.02))
					]
				}),
				'geojson',
				'wgs84',
				before.version,
				'x'
			)
		);
		expect(problemsOf(gap).map((p) => p.reason)).toContain('gap');
		expect(problemsOf(gap).find((p) => p.reason === 'gap')!.location![1]).toBeCloseTo(39.0095, 3);

		// Not JSON, not a FeatureCollection, a truncated zip, a zip without .shp, points.
		const good = await exportPlan(db, COMMUNITY_A1, 'shapefile', 'wgs84', 'draft');
		const noShp = new JSZip();
		noShp.file('readme.txt', 'grids');
		noShp.file('grids.dbf', new Uint8Array(10));
		const points = await exportPoints();
		const cases: [Uint8Array, 'geojson' | 'shapefile', string][] = [
			[new TextEncoder().encode('{"type":'), 'geojson', 'unreadable_file'],
			[json({ type: 'Polygon', coordinates: [] }), 'geojson', 'not_feature_collection'],
			[good.body.slice(0, Math.floor(good.body.length / 2)), 'shapefile', 'unreadable_file'],
			[await noShp.generateAsync({ type: 'uint8array' }), 'shapefile', 'no_shapefile'],
			[points, 'shapefile', 'not_polygon']
		];
		for (const [bytes, kind, reason] of cases) {
			const err = await rejected(
				importPlan(db, COMMUNITY_A1, bytes, kind, 'wgs84', before.version, 'x')
			);
			expect(err.status, reason).toBe(422);
			expect(
				problemsOf(err).map((p) => p.reason),
				reason
			).toContain(reason);
		}
		// Nothing was stored: the draft is as it was.
		expect((await getPlan(db, COMMUNITY_A1)).draft).toEqual(before);
		// And a stale version is a 409 before anything else.
		expect(
			(await rejected(importPlan(db, COMMUNITY_A1, json(file), 'geojson', 'wgs84', 1, 'x'))).status
		).toBe(409);
	});

	it('refuses names, workers and ids holding a bidi override or a control character, located', async () => {
		const before = (await getPlan(db, COMMUNITY_A1)).draft;
		const f = (properties: Record<string, unknown>, geometry: Polygon) => ({
			type: 'Feature',
			properties,
			geometry
		});
		const err = await rejected(
			importPlan(
				db,
				COMMUNITY_A1,
				json({
					type: 'FeatureCollection',
					features: [
						f({ id: 'A', name: '北区\u202e网格01' }, rect(117.6, 39.0, 117.62, 39.005)),
						f({ id: 'B', workerName: '李\u001b[2J明' }, rect(117.6, 39.005, 117.62, 39.01)),
						f({ id: 'C\u0007', name: '北区网格03' }, rect(117.6, 39.01, 117.62, 39.02))
					]
				}),
				'geojson',
				'wgs84',
				before?.version ?? null,
				'x'
			)
		);
		expect(err.status).toBe(422);
		const bad = problemsOf(err).filter((p) => p.reason === 'bad_property');
		expect(bad.map((p) => p.feature)).toEqual([2, 'A', 'B']);
		expect(bad[0].message).toBe(
			'Feature #2: id "C\\u0007" holds the control character U+0007 (not printable); remove it.'
		);
		expect(bad[1].message).toMatch(
			/^Grid A: name "北区\\u202E网格01" .*U\+202E \(a bidi control\)/
		);
		expect(bad[2].message).toMatch(/^Grid B: workerName .*U\+001B/);
		expect((await getPlan(db, COMMUNITY_A1)).draft).toEqual(before);
	});

	it('fills missing properties from the published grids (worker, name; population by area)', async () => {
		const before = (await getPlan(db, COMMUNITY_A1)).draft!;
		const bare = (geometry: Polygon) => ({ type: 'Feature', properties: {}, geometry });
		const gcj = (g: Polygon): Polygon => ({
			type: 'Polygon',
			coordinates: g.coordinates.map((r) => r.map((p) => fromWgs84(p, 'gcj02')))
		});
		const { draft: imported } = await importPlan(
			db,
			COMMUNITY_A1,
			json({
				type: 'FeatureCollection',
				features: [
					bare(gcj(rect(117.6, 39.0, 117.62, 39.005))),
					bare(gcj(rect(117.6, 39.005, 117.62, 39.02)))
				]
			}),
			'geojson',
			'gcj02',
			before.version,
			'规划员丙'
		);
		const [south, north] = imported.grids.features.map((g) => g.properties);
		// Half of A1-01 (3000 people, 1200 households) …
		expect(south).toMatchObject({
			name: '第01网格',
			workerName: '李明',
			communityId: COMMUNITY_A1,
			streetId: STREET_A,
			population: 1500,
			households: 600
		});
		// … and the other half plus all of A1-02 (3100, 1200): its worker, as it overlaps most.
		expect(north).toMatchObject({ name: '第02网格', workerName: '王芳', population: 4600 });
		expect(north.households).toBe(1800);
		// Fresh ids, never used in the community before (01–04 were, in the draft's history).
		expect(south.id).toMatch(new RegExp(`^${COMMUNITY_A1}\\d{2}$`));
		expect([GRID_A1_01, GRID_A1_02]).not.toContain(south.id);
		expect(south.id).not.toBe(north.id);
		expect(imported.grids.features[0].geometry.coordinates[0]).toContainEqual([117.6, 39.005]);
	});
});

/** Every coordinate of a GeoJSON file rounded to `d` decimals, as a GIS re-saving it would. */
function resaved(body: Uint8Array, d: number, edit?: (p: number[]) => number[]): Uint8Array {
	const fc = JSON.parse(new TextDecoder().decode(body));
	const f = 10 ** d;
	for (const feature of fc.features)
		feature.geometry.coordinates = feature.geometry.coordinates.map((ring: number[][]) =>
			ring.map((p) => {
				const q = [Math.round(p[0] * f) / f, Math.round(p[1] * f) / f];
				return edit ? edit(q) : q;
			})
		);
	return json(fc);
}

describe(`plan import within the tolerance (${TEST_BACKEND})`, () => {
	let start: PlanDraft;
	beforeAll(async () => {
		const prev = (await getPlan(db, COMMUNITY_A1)).draft;
		// Three grids: their corners on the outline's corners and edges, and a T-junction inside.
		start = await saveDraft(
			db,
			COMMUNITY_A1,
			{
				version: prev?.version ?? null,
				grids: {
					type: 'FeatureCollection',
					features: [
						grid(GRID_A1_01, rect(117.6, 39.0, 117.62, 39.01)),
						grid(`${COMMUNITY_A1}03`, rect(117.6, 39.01, 117.613456789, 39.02)),
						grid(`${COMMUNITY_A1}04`, rect(117.613456789, 39.01, 117.62, 39.02))
					]
				}
			},
			'规划员甲'
		);
	});

	it('takes its own GCJ-02 export re-saved at 6 and at 8 decimals, snapping within 1 m (reported)', async () => {
		const file = await exportPlan(db, COMMUNITY_A1, 'geojson', 'gcj02', 'draft');
		let version = start.version;
		for (const d of [6, 8]) {
			const { draft, snaps } = await importPlan(
				db,
				COMMUNITY_A1,
				resaved(file.body, d),
				'geojson',
				'gcj02',
				version,
				'规划员乙'
			);
			version = draft.version;
			// Back on the stored outline, and within the rounding of the file everywhere else.
			expect(maxDeviation(start.grids.features, draft.grids.features), `${d}`).toBeLessThan(
				10 ** -d
			);
			for (const g of draft.grids.features)
				for (const p of g.geometry.coordinates[0])
					if (Math.abs(p[0] - 117.6) < 1e-4) expect(p[0], `${d}`).toBe(117.6);
			expect(snaps.toleranceM).toBe(DEFAULT_TOLERANCE_M);
			expect(snaps.vertices, `${d}`).toBeGreaterThan(0);
			expect(snaps.maxDistanceM, `${d}`).toBeGreaterThan(0);
			expect(snaps.maxDistanceM, `${d}`).toBeLessThanOrEqual(d === 6 ? 0.1 : 0.002);
			const ids = snaps.grids.map((g) => g.id);
			expect(ids, `${d}`).toContain(GRID_A1_01);
			expect(snaps.grids.reduce((n, g) => n + g.vertices, 0)).toBe(snaps.vertices);
		}
		// The exact export needs no snapping.
		const exact = await exportPlan(db, COMMUNITY_A1, 'geojson', 'wgs84', 'draft');
		const again = await importPlan(
			db,
			COMMUNITY_A1,
			exact.body,
			'geojson',
			'wgs84',
			version,
			'规划员乙'
		);
		expect(again.snaps).toEqual({
			toleranceM: DEFAULT_TOLERANCE_M,
			vertices: 0,
			maxDistanceM: 0,
			grids: []
		});
	});

	it('refuses a vertex 5 m off the outline, located, and stores nothing', async () => {
		const before = (await getPlan(db, COMMUNITY_A1)).draft!;
		const file = await exportPlan(db, COMMUNITY_A1, 'geojson', 'gcj02', 'draft');
		// The west end of the boundary between the south grid and the north ones, 5 m west.
		const [gx, gy] = fromWgs84([117.6, 39.01], 'gcj02').map((x) => Math.round(x * 1e6) / 1e6);
		const westM = 5 / (111_320 * Math.cos((39.01 * Math.PI) / 180));
		const moved = resaved(file.body, 6, (p) =>
			p[0] === gx && p[1] === gy ? [Math.round((gx - westM) * 1e6) / 1e6, gy] : p
		);
		expect(new TextDecoder().decode(moved)).not.toContain(`[${gx},${gy}]`);
		const e = await rejected(
			importPlan(db, COMMUNITY_A1, moved, 'geojson', 'gcj02', before.version, 'x')
		);
		expect(e.status).toBe(422);
		const outside = problemsOf(e).filter((p) => p.reason === 'outside');
		expect(outside.length).toBeGreaterThan(0);
		expect(outside.map((p) => p.feature).sort()).toEqual([GRID_A1_01, `${COMMUNITY_A1}03`]);
		// Located at the vertex itself, in both grids that have it, with its distance.
		const missed = problemsOf(e).filter((p) => p.reason === 'beyond_tolerance');
		expect(missed.map((p) => p.feature).sort()).toEqual([GRID_A1_01, `${COMMUNITY_A1}03`]);
		for (const p of missed) {
			expect(distanceM(p.location!, [117.6, 39.01])).toBeGreaterThan(4.5);
			expect(distanceM(p.location!, [117.6, 39.01])).toBeLessThan(5.5);
			expect(p.message).toMatch(
				/is (4\.9\d|5\.0\d) m from the community outline, beyond the 1 m tolerance/
			);
			expect(p.message).toContain('in gcj02');
		}
		expect((await getPlan(db, COMMUNITY_A1)).draft).toEqual(before);
	});
});

/** A zipped Shapefile of points (a wrong geometry type for grids). */
async function exportPoints(): Promise<Uint8Array> {
	const { write } = await import('@mapbox/shp-write');
	const files = await new Promise<{ shp: DataView; shx: DataView; dbf: DataView }>((resolve) =>
		write([{ id: 'P1' }], 'POINT', [[117.61, 39.01]], (_err, out) => resolve(out))
	);
	const zip = new JSZip();
	const bytes = (v: DataView) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
	zip.file('p.shp', bytes(files.shp));
	zip.file('p.shx', bytes(files.shx));
	zip.file('p.dbf', bytes(files.dbf));
	return zip.generateAsync({ type: 'uint8array' });
}
