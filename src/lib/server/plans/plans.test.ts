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
import { postgisProblems } from './check';
import { discardDraft, getPlan, saveDraft, validateSave } from './store';

let db: Db;
beforeAll(async () => {
	db = await openTestDb();
	await db.transaction((tx) => loadCity(tx, fixtureCity()));
}, 120_000);
afterAll(() => db?.close());

function rect(x0: number, y0: number, x1: number, y1: number): Polygon {
	return {
		type: 'Polygon',
		coordinates: [
			[
				[x0, y0],
				[x1, y0],
				[x1, y1],
				[x0, y1],
				[x0, y0]
			]
		]
	};
}

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

async function rejected(p: Promise<unknown>): Promise<ApiError> {
	try {
		await p;
	} catch (err) {
		if (err instanceof ApiError) return err;
		throw err;
	}
	throw new Error('expected an ApiError');
}

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
		expect((await rejected(discardDraft(db, COMMUNITY_B1, base))).status).toBe(409);
		await discardDraft(db, COMMUNITY_B1, second.version);
		expect((await getPlan(db, COMMUNITY_B1)).draft).toBeNull();
		// A client still holding the discarded version cannot save over a newer draft.
		const third = await saveDraft(db, COMMUNITY_B1, { version: null, grids: bGrids }, '规划员丙');
		expect(third.version).toBeGreaterThan(second.version);
		expect(
			(await rejected(saveDraft(db, COMMUNITY_B1, { version: second.version, grids: bGrids }, 'x')))
				.status
		).toBe(409);
		await discardDraft(db, COMMUNITY_B1, third.version);
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
		await discardDraft(db, COMMUNITY_A1, draft.version);
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
