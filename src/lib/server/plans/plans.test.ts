/**
 * Grid plans on the server (issue 7): drafts with optimistic versions (409 naming the other
 * planner's change), the server's own invariant check (core + PostGIS, every problem located),
 * publish (grid table rewritten, incidents and hazmat sites re-placed, case-audit entries,
 * city version bumped), history, versions, diff and the incident window — on the fixture city,
 * on PGlite or (DATABASE_URL) PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import type { GridFeature, GridProps } from '$lib/domain/city';
import type { PlanProblem } from '$lib/domain/plans';
import { listAudit } from '../audit/audit';
import { loadCity } from '../city/load';
import type { Db } from '../db/types';
import { ApiError } from '../http/errors';
import { openTestDb, TEST_BACKEND } from '../testing/db';
import {
	COMMUNITY_A1,
	COMMUNITY_B1,
	GRID_A1_01,
	GRID_A1_02,
	STREET_A,
	fixtureCity
} from '../testing/fixtureCity';
import { tableFromIPC } from 'apache-arrow';
import type { LiveEvent } from '$lib/domain/live';
import { CityFileCache } from '../city/files';
import { SnapshotCache } from '../incidents/snapshot';
import { caseDetail } from '../incidents/lifecycle';
import { LiveBus } from '../live/bus';
import { T0 } from '../testing/fixtureCity';
import { postgisProblems } from './check';
import { parseDays, planDiff, planHistory, planIncidents, versionGrids } from './history';
import { publishPlan, publishPlanEvents, validatePublish } from './publish';
import { discardDraft, getPlan, saveDraft, validateSave } from './store';
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
			name: `网格${id.slice(-3)}`,
			communityId: COMMUNITY_A1,
			streetId: STREET_A,
			population: 1000,
			households: 400,
			areaKm2: 1,
			workerName: '赵敏',
			workerPhone: '13900000000',
			...more
		},
		geometry
	};
}

const fc = (features: GridFeature[]) => ({ type: 'FeatureCollection' as const, features });

/** Community A1 ([117.60, 117.62] × [39.00, 39.02]) as the fixture has it. */
const asPublished = () => [
	grid(GRID_A1_01, rect(117.6, 39.0, 117.62, 39.01)),
	grid(GRID_A1_02, rect(117.6, 39.01, 117.62, 39.02))
];
/** A1-02 split at lon 117.61 into two new grids. */
const splitNorth = () => [
	grid(GRID_A1_01, rect(117.6, 39.0, 117.62, 39.01)),
	grid('NORTH_W', rect(117.6, 39.01, 117.61, 39.02)),
	grid('NORTH_E', rect(117.61, 39.01, 117.62, 39.02))
];

const problemsOf = (e: ApiError) => (e.details.errors ?? []) as PlanProblem[];

describe(`plan drafts (${TEST_BACKEND})`, () => {
	it('answers the community, its published grids (version 0) and no draft; 404 otherwise', async () => {
		const plan = await getPlan(db, COMMUNITY_A1);
		expect(plan.community).toMatchObject({
			id: COMMUNITY_A1,
			name: '新港社区',
			streetId: STREET_A,
			streetName: '塘沽街道'
		});
		expect(plan.community.outline.type).toBe('Polygon');
		expect(plan.published).toMatchObject({
			version: 0,
			publishedAt: null,
			publishedBy: null,
			effectiveDate: null
		});
		expect(plan.published.grids.features.map((f) => f.properties.id)).toEqual([
			GRID_A1_01,
			GRID_A1_02
		]);
		expect(plan.published.grids.features[0].properties).toMatchObject({
			communityId: COMMUNITY_A1,
			workerName: '李明'
		});
		expect(plan.draft).toBeNull();
		expect((await rejected(getPlan(db, 'nope'))).status).toBe(404);
	});

	it('saves a draft, and the second planner with a stale version gets 409 with the changed grids', async () => {
		const first = await saveDraft(
			db,
			COMMUNITY_B1,
			validateSave({
				version: null,
				grids: fc([
					grid('12011600200101', rect(117.62, 39.0, 117.63, 39.02), {
						communityId: COMMUNITY_B1,
						streetId: '120116002'
					})
				]),
				note: 'worker change'
			}),
			'规划员甲'
		);
		expect(first).toMatchObject({
			basePlanVersion: 0,
			updatedBy: '规划员甲',
			note: 'worker change'
		});
		// Planner B started from the same version and saves first …
		const base = first.version;
		const bGrids = fc([
			grid('12011600200101', rect(117.62, 39.0, 117.63, 39.02), {
				communityId: COMMUNITY_B1,
				streetId: '120116002',
				workerName: '孙丽'
			})
		]);
		const second = await saveDraft(db, COMMUNITY_B1, { version: base, grids: bGrids }, '规划员乙');
		expect(second.version).toBeGreaterThan(base);
		expect(second.grids.features[0].properties.workerName).toBe('孙丽');
		// … planner A's save from the old version is refused, naming B's change.
		const e = await rejected(
			saveDraft(db, COMMUNITY_B1, { version: base, grids: bGrids }, '规划员甲')
		);
		expect(e.status).toBe(409);
		expect(e.field).toBe('version');
		expect(e.details).toMatchObject({
			changedBy: '规划员乙',
			changedGridIds: ['12011600200101'],
			current: { version: second.version, updatedBy: '规划员乙' }
		});
		// A "new draft" while one exists is a 409 too.
		const again = await rejected(
			saveDraft(db, COMMUNITY_B1, { version: null, grids: bGrids }, '规划员丙')
		);
		expect(again.status).toBe(409);
		// Discarding needs the current version; then the draft is gone.
		expect((await rejected(discardDraft(db, COMMUNITY_B1, base, 'planner A'))).status).toBe(409);
		await discardDraft(db, COMMUNITY_B1, second.version, 'planner A');
		expect((await getPlan(db, COMMUNITY_B1)).draft).toBeNull();
		// A client still holding the discarded version cannot save over a newer draft.
		const third = await saveDraft(db, COMMUNITY_B1, { version: null, grids: bGrids }, '规划员丙');
		expect(third.version).toBeGreaterThan(second.version);
		expect(
			(await rejected(saveDraft(db, COMMUNITY_B1, { version: second.version, grids: bGrids }, 'x')))
				.status
		).toBe(409);
		await discardDraft(db, COMMUNITY_B1, third.version, 'planner A');
	});

	it('lets exactly one of two simultaneous saves from the same version through', async () => {
		const bGrid = (workerName: string) =>
			fc([
				grid('12011600200101', rect(117.62, 39.0, 117.63, 39.02), {
					communityId: COMMUNITY_B1,
					streetId: '120116002',
					workerName
				})
			]);
		const base = await saveDraft(db, COMMUNITY_B1, { version: null, grids: bGrid('甲') }, '甲');
		const results = await Promise.allSettled([
			saveDraft(db, COMMUNITY_B1, { version: base.version, grids: bGrid('乙') }, '乙'),
			saveDraft(db, COMMUNITY_B1, { version: base.version, grids: bGrid('丙') }, '丙')
		]);
		const ok = results.filter((r) => r.status === 'fulfilled');
		const refused = results.filter((r) => r.status === 'rejected');
		expect(ok).toHaveLength(1);
		expect(refused).toHaveLength(1);
		expect(((refused[0] as PromiseRejectedResult).reason as ApiError).status).toBe(409);
		const now = (await getPlan(db, COMMUNITY_B1)).draft!;
		expect(now.version).toBe(base.version + 1);
		await discardDraft(db, COMMUNITY_B1, now.version, 'planner A');
	});

	it('stores a valid split renoded (the T-junction inserted into the neighbour)', async () => {
		const draft = await saveDraft(
			db,
			COMMUNITY_A1,
			{ version: null, grids: fc(splitNorth()) },
			'规划员甲'
		);
		const south = draft.grids.features.find((f) => f.properties.id === GRID_A1_01)!;
		expect(south.geometry.coordinates[0]).toContainEqual([117.61, 39.01]);
		expect((await getPlan(db, COMMUNITY_A1)).draft?.version).toBe(draft.version);
		await discardDraft(db, COMMUNITY_A1, draft.version, 'planner A');
	});

	it('rejects shapes and properties with a message naming the field', () => {
		expect(() => validateSave({ grids: fc([]) })).toThrow(/version: is required/);
		expect(() => validateSave({ version: 'x', grids: fc([]) })).toThrow(/version/);
		const bad = fc([grid(GRID_A1_01, rect(117.6, 39.0, 117.62, 39.02), { population: -1 })]);
		expect(() => validateSave({ version: null, grids: bad })).toThrow(
			/grids\.features\.0\.properties\.population/
		);
	});

	it('refuses an overlap, a gap, a self-intersection and a grid outside with 422 and locations', async () => {
		const cases: [string, GridFeature[], string, [number, number]][] = [
			[
				'overlap',
				[
					grid(GRID_A1_01, rect(117.6, 39.0, 117.62, 39.012)),
					grid(GRID_A1_02, rect(117.6, 39.01, 117.62, 39.02))
				],
				'overlap',
				[117.61, 39.011]
			],
			[
				'gap',
				[
					grid(GRID_A1_01, rect(117.6, 39.0, 117.62, 39.008)),
					grid(GRID_A1_02, rect(117.6, 39.01, 117.62, 39.02))
				],
				'gap',
				[117.61, 39.009]
			],
			[
				'outside',
				[
					grid(GRID_A1_01, rect(117.6, 39.0, 117.625, 39.01)),
					grid(GRID_A1_02, rect(117.6, 39.01, 117.62, 39.02))
				],
				'outside',
				[117.6225, 39.005]
			]
		];
		for (const [what, grids, reason, near] of cases) {
			const e = await rejected(
				saveDraft(db, COMMUNITY_A1, { version: null, grids: fc(grids) }, 'x')
			);
			expect(e.status, what).toBe(422);
			const p = problemsOf(e).find((x) => x.reason === reason);
			expect(p, what).toBeDefined();
			expect(Math.abs(p!.location![0] - near[0]), what).toBeLessThan(0.011);
			expect(Math.abs(p!.location![1] - near[1]), what).toBeLessThan(0.0011);
		}
		// A bow-tie: the crossing is located.
		const bow: Polygon = {
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
		};
		const e = await rejected(
			saveDraft(
				db,
				COMMUNITY_A1,
				{ version: null, grids: fc([asPublished()[0], grid(GRID_A1_02, bow)]) },
				'x'
			)
		);
		expect(e.status).toBe(422);
		const p = problemsOf(e).find((x) => x.feature === GRID_A1_02)!;
		expect(p.reason).toBe('grid_invalid');
		expect(p.location).toEqual([117.61, 39.015]);
		expect((await getPlan(db, COMMUNITY_A1)).draft).toBeNull();
	});

	it('PostGIS alone (whatever the client let through) finds overlaps, gaps, outside pieces and self-intersections', async () => {
		const community = { id: COMMUNITY_A1, outline: rect(117.6, 39.0, 117.62, 39.02) };
		expect(await postgisProblems(db, community, asPublished())).toEqual([]);
		const overlap = await postgisProblems(db, community, [
			grid('A', rect(117.6, 39.0, 117.62, 39.012)),
			grid('B', rect(117.6, 39.01, 117.62, 39.02))
		]);
		expect(overlap).toHaveLength(1);
		expect(overlap[0]).toMatchObject({ reason: 'overlap', feature: 'A', gridIds: ['A', 'B'] });
		expect(overlap[0].location![1]).toBeCloseTo(39.011, 6);
		const gapOutside = await postgisProblems(db, community, [
			grid('A', rect(117.6, 39.0, 117.62, 39.008)),
			grid('B', rect(117.6, 39.01, 117.63, 39.02))
		]);
		expect(gapOutside.map((p) => p.reason).sort()).toEqual(['gap', 'outside']);
		expect(gapOutside.find((p) => p.reason === 'gap')!.gridIds).toEqual(['A', 'B']);
		const bow = await postgisProblems(db, community, [
			grid('A', rect(117.6, 39.0, 117.62, 39.01)),
			grid('B', {
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
			})
		]);
		expect(bow).toHaveLength(1);
		expect(bow[0]).toMatchObject({
			reason: 'grid_invalid',
			feature: 'B',
			location: [117.61, 39.015]
		});
		expect(bow[0].message).toMatch(/Self-intersection/i);
		// Dust: a 1e-10° sliver is not a gap.
		const dust = await postgisProblems(db, community, [
			grid('A', rect(117.6, 39.0, 117.62, 39.0099999999)),
			grid('B', rect(117.6, 39.01, 117.62, 39.02))
		]);
		expect(dust).toEqual([]);
	});
});

describe(`publishing a plan (${TEST_BACKEND})`, () => {
	const readCity = async () => {
		const [r] = await db.query<{ v: string }>(
			`SELECT value #>> '{}' AS v FROM meta WHERE key = 'city_version'`
		);
		return Number(r.v);
	};

	it('validates the publish body', () => {
		expect(validatePublish({ version: 3, effectiveDate: '2026-12-01' })).toEqual({
			version: 3,
			effectiveDate: '2026-12-01',
			note: ''
		});
		expect(() => validatePublish({ version: 3, effectiveDate: '2026-02-30' })).toThrow(
			/effectiveDate/
		);
		expect(() => validatePublish({ effectiveDate: '2026-12-01' })).toThrow(/version: is required/);
		// No Date at all (used to be a RangeError, a 500) and a version beyond the column.
		expect(() => validatePublish({ version: 3, effectiveDate: '2026-13-45' })).toThrow(
			expect.objectContaining({ status: 422, field: 'effectiveDate' })
		);
		expect(() => validatePublish({ version: 2 ** 31, effectiveDate: '2026-12-01' })).toThrow(
			expect.objectContaining({ status: 422, field: 'version' })
		);
	});

	it('re-checks the stored draft: a broken one is refused with 422 and nothing changes', async () => {
		// As if a client (or an older server) had stored an overlapping draft.
		await db.query(
			`INSERT INTO plan_draft (community_id, version, base_plan_version, grids, updated_by)
			 VALUES ($1, 900, 0, $2::jsonb, 'x')`,
			[
				COMMUNITY_A1,
				JSON.stringify(
					fc([
						grid(GRID_A1_01, rect(117.6, 39.0, 117.62, 39.012)),
						grid(GRID_A1_02, rect(117.6, 39.01, 117.62, 39.02))
					])
				)
			]
		);
		const city = await readCity();
		const e = await rejected(
			publishPlan(db, COMMUNITY_A1, { version: 900, effectiveDate: '2026-12-01', note: '' }, 'x')
		);
		expect(e.status).toBe(422);
		expect(problemsOf(e).map((p) => p.reason)).toContain('overlap');
		expect(await readCity()).toBe(city);
		expect((await getPlan(db, COMMUNITY_A1)).published.version).toBe(0);
		await discardDraft(db, COMMUNITY_A1, 900, 'planner A');
	});

	it('replaces the grids, re-places incidents (audit entries for open ones) and hazmat sites, bumps the city version', async () => {
		// Incident 10 (grid A1-02) is closed; 1, 5, 9 (A1-01) and 2, 6 (A1-02) are open.
		await db.query(
			`UPDATE incident SET status = 'closed', closed_ts = ts + interval '1 hour' WHERE id = 10`
		);
		const files = new CityFileCache();
		const snapshots = new SnapshotCache();
		const gridsBefore = (await files.get(db, 'grids.geojson'))!;
		const snapBefore = await snapshots.get(db);
		const cityBefore = await readCity();

		const draft = await saveDraft(
			db,
			COMMUNITY_A1,
			{
				version: null,
				grids: fc([
					grid(GRID_A1_01, rect(117.6, 39.0, 117.604, 39.01), { workerName: '李明' }),
					grid('S_E', rect(117.604, 39.0, 117.62, 39.01)),
					grid('N_W', rect(117.6, 39.01, 117.6105, 39.02)),
					grid('N_E', rect(117.6105, 39.01, 117.62, 39.02))
				]),
				note: '拆分'
			},
			'规划员甲'
		);
		// Stale version: 409, nothing published.
		expect(
			(
				await rejected(
					publishPlan(
						db,
						COMMUNITY_A1,
						{ version: draft.version - 1, effectiveDate: '2026-12-01', note: '' },
						'x'
					)
				)
			).status
		).toBe(409);

		const bus = new LiveBus();
		const frames: string[] = [];
		bus.subscribe({ send: (f) => frames.push(new TextDecoder().decode(f)), close() {} });
		const at = Date.now();
		const out = await publishPlan(
			db,
			COMMUNITY_A1,
			{ version: draft.version, effectiveDate: '2026-12-01', note: '' },
			'规划员甲',
			at
		);
		publishPlanEvents(bus, COMMUNITY_A1, out, at);

		const [SE, NW, NE] = [`${COMMUNITY_A1}03`, `${COMMUNITY_A1}04`, `${COMMUNITY_A1}05`];
		expect(out.renamed).toEqual({ S_E: SE, N_W: NW, N_E: NE });
		expect(out.plan).toMatchObject({
			version: 1,
			publishedBy: '规划员甲',
			effectiveDate: '2026-12-01',
			note: '拆分',
			added: [SE, NW, NE],
			removed: [GRID_A1_02],
			reshaped: [GRID_A1_01]
		});
		expect(out.reassigned).toEqual({ open: 5, closed: 1 });

		const gridOf = async (id: number) =>
			(await db.query<{ g: string }>('SELECT grid_id AS g FROM incident WHERE id = $1', [id]))[0].g;
		expect([await gridOf(1), await gridOf(5), await gridOf(9)]).toEqual([SE, SE, SE]);
		expect([await gridOf(2), await gridOf(6), await gridOf(10)]).toEqual([NW, NE, NE]);
		const [site] = await db.query<{ g: string }>(
			`SELECT grid_id AS g FROM hazmat_site WHERE id = 'HZ002'`
		);
		expect(site.g).toBe(SE);
		// The open cases carry an audit entry naming the plan and both grids; the closed one not.
		const trail = (await caseDetail(db, 2)).trail.at(-1)!;
		expect(trail).toMatchObject({
			action: 'reassign_grid',
			actor: '规划员甲',
			from: 'reported',
			to: 'reported'
		});
		expect(trail.comment).toContain('v1');
		expect(trail.comment).toContain(`${GRID_A1_02} → ${NW}`);
		expect((await caseDetail(db, 10)).trail.some((e) => e.action === 'reassign_grid')).toBe(false);
		// On the bus: the moved open cases, then the plan.
		expect(frames[0]).toContain('event: incidents');
		const moved = JSON.parse(frames[0].split('data: ')[1]) as Extract<
			LiveEvent,
			{ type: 'incidents' }
		>;
		expect(moved.incidents.map((i) => i.id)).toEqual([1, 2, 5, 6, 9]);
		expect(moved.incidents.find((i) => i.id === 2)!.gridId).toBe(NW);
		expect(frames[1]).toContain('event: plan');
		expect(JSON.parse(frames[1].split('data: ')[1])).toMatchObject({
			communityId: COMMUNITY_A1,
			version: 1,
			publishedBy: '规划员甲'
		});

		// The map after a reload: grids.geojson and the snapshot changed and agree.
		const manifest = JSON.parse((await files.get(db, 'manifest.json'))!.body);
		expect(manifest.counts.grids).toBe(6);
		expect(await readCity()).toBe(cityBefore + 1);
		const gridsAfter = (await files.get(db, 'grids.geojson'))!;
		expect(gridsAfter.etag).not.toBe(gridsBefore.etag);
		const geo = JSON.parse(gridsAfter.body) as { features: GridFeature[] };
		const order = geo.features.map((f) => f.properties.id);
		expect(order).not.toContain(GRID_A1_02);
		expect(order.slice(-3)).toEqual([SE, NW, NE]);
		// Renoded: the corner of S_E/A1-01 at (117.604, 39.01) is a vertex of NW's edge too.
		expect(geo.features.find((f) => f.properties.id === NW)!.geometry.coordinates[0]).toEqual([
			[117.6, 39.01],
			[117.604, 39.01],
			[117.6105, 39.01],
			[117.6105, 39.02],
			[117.6, 39.02],
			[117.6, 39.01]
		]);
		expect(geo.features.find((f) => f.properties.id === NW)!.properties.areaKm2).toBeCloseTo(
			0.0105 * 111.32 * 0.01 * 111.32 * Math.cos((39.015 * Math.PI) / 180),
			1
		);
		const snap = await snapshots.get(db);
		expect(snap.etag).not.toBe(snapBefore.etag);
		const table = tableFromIPC(snap.bytes);
		const dict = [...(table.getChild('gridId')!.data[0].dictionary!.toArray() as string[])];
		expect(dict).toEqual(order);
		const ids = [...(table.getChild('id')!.toArray() as Uint32Array)];
		const grids = table.getChild('gridId')!;
		expect(grids.get(ids.indexOf(2))).toBe(NW);
		expect(grids.get(ids.indexOf(10))).toBe(NE);

		// The plan as the planner reads it now.
		const plan = await getPlan(db, COMMUNITY_A1);
		expect(plan.draft).toBeNull();
		expect(plan.published).toMatchObject({
			version: 1,
			publishedBy: '规划员甲',
			effectiveDate: '2026-12-01'
		});
		expect(plan.published.grids.features.map((f) => f.properties.id)).toEqual([
			GRID_A1_01,
			SE,
			NW,
			NE
		]);

		// Areas are kept to the generator's precision (km², 3 decimals), as the city files have them.
		for (const f of plan.published.grids.features) {
			const m = f.properties.areaKm2 * 1000;
			expect(Math.abs(m - Math.round(m))).toBeLessThan(1e-6);
		}

		// Every plan write left an audit entry in its own transaction: the saves, then the publish.
		const audit = await listAudit(db, { targetType: 'plan', targetId: COMMUNITY_A1, limit: 50 });
		const publish = audit.find((a) => a.action === 'plan.publish');
		expect(publish).toMatchObject({ actor: '规划员甲', targetType: 'plan' });
		expect(publish!.before).toMatchObject({ version: 0 });
		expect(publish!.after).toMatchObject({
			version: 1,
			added: [SE, NW, NE],
			removed: [GRID_A1_02],
			reassigned: out.reassigned
		});
		const saves = audit.filter((a) => a.action === 'plan.save_draft');
		expect(saves.length).toBeGreaterThan(0);
		expect(saves[0].after).toMatchObject({ draftVersion: draft.version });
	});

	it('lists the history, serves each version and diffs versions and the draft', async () => {
		const history = await planHistory(db, COMMUNITY_A1);
		expect(history.map((v) => v.version)).toEqual([1, 0]);
		expect(history[0].publishedBy).toBe('规划员甲');
		expect((await versionGrids(db, COMMUNITY_A1, 0)).features.map((f) => f.properties.id)).toEqual([
			GRID_A1_01,
			GRID_A1_02
		]);
		expect((await versionGrids(db, COMMUNITY_A1, 1)).features).toHaveLength(4);
		expect((await rejected(versionGrids(db, COMMUNITY_A1, 7))).status).toBe(404);
		const [SE, NW, NE] = [`${COMMUNITY_A1}03`, `${COMMUNITY_A1}04`, `${COMMUNITY_A1}05`];
		expect(await planDiff(db, COMMUNITY_A1, 0, 1)).toEqual({
			added: [SE, NW, NE],
			removed: [GRID_A1_02],
			reshaped: [GRID_A1_01],
			modified: [],
			unchanged: []
		});
		// Another community never published: history is version 0 alone.
		expect((await planHistory(db, COMMUNITY_B1)).map((v) => v.version)).toEqual([0]);

		// A draft that only reassigns a worker and merges the two northern grids.
		const now = (await getPlan(db, COMMUNITY_A1)).published.grids.features;
		const draft = await saveDraft(
			db,
			COMMUNITY_A1,
			{
				version: null,
				grids: fc([
					{ ...now[0], properties: { ...now[0].properties, workerName: '周杰' } },
					now[1],
					{ ...now[2], geometry: rect(117.6, 39.01, 117.62, 39.02) }
				])
			},
			'规划员乙'
		);
		expect(await planDiff(db, COMMUNITY_A1, 1, 'draft')).toEqual({
			added: [],
			removed: [NE],
			reshaped: [NW],
			modified: [GRID_A1_01],
			unchanged: [SE]
		});
		await discardDraft(db, COMMUNITY_A1, draft.version, 'planner A');
		expect((await rejected(planDiff(db, COMMUNITY_A1, 1, 'draft'))).status).toBe(404);
	});

	it('answers the incidents of the last N days in the community', async () => {
		const now = T0 + 86_400_000;
		const r = await planIncidents(db, COMMUNITY_A1, 90, now);
		expect(r.to).toBe(now);
		expect(r.from).toBe(now - 90 * 86_400_000);
		// Incidents 1, 2, 5, 6, 9, 10 lie in A1 (the closed one counts too).
		expect(r.ts).toHaveLength(6);
		expect(r.lon.every((x) => x >= 117.6 && x <= 117.62)).toBe(true);
		expect(r.lat).toHaveLength(6);
		const recent = await planIncidents(db, COMMUNITY_A1, 1, T0 + 5.5 * 3_600_000 + 86_400_000);
		expect(recent.ts.every((t) => t >= T0 + 5.5 * 3_600_000)).toBe(true);
		expect(recent.ts.length).toBe(2); // incidents 9 and 10 (hours 8 and 9)
		expect(() => parseDays('0')).toThrow(/days/);
		expect(() => parseDays('367')).toThrow(/days/);
		expect(parseDays(null)).toBe(90);
	});
});
