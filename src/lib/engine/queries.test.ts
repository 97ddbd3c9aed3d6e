import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeDuckDB, type NodeDuckDB } from './duckdbNode';
import { recordColumns } from './snapshot';
import { ALL_TYPES, DAY_MS, fullFilter, type IncidentFilter } from './filter';
import { CENTER, END_MS, M_PER_DEG_LAT, fixtureColumns, fixtureRows } from './fixture';
import {
	DEFAULT_HOTSPOT_OPTIONS,
	binClusters,
	countAll,
	countIncidents,
	countsByUnit,
	emergingHotspots,
	hourWeekdayMatrix,
	nearestK,
	pointsInBox,
	polygonCandidates,
	scopeIncidents,
	scopeSummary,
	timeHistogram,
	rankUnits,
	topUnits,
	where,
	withinRadius
} from './queries';

let db: NodeDuckDB;
const rows = fixtureRows();
const ALL: IncidentFilter = fullFilter(END_MS - 400 * DAY_MS, END_MS);

beforeAll(async () => {
	db = await nodeDuckDB();
	await db.loadIncidents(fixtureColumns(rows));
});
afterAll(() => db?.close());

describe('filters', () => {
	it('adds a predicate only for code sets that exclude something', () => {
		expect(where(ALL)).toEqual({ sql: 'ts >= ? AND ts < ?', params: [ALL.fromMs, ALL.toMs] });
		const w = where({ ...ALL, types: 1 << 3, priorities: 1 << 1 });
		expect(w.sql).toBe(
			'ts >= ? AND ts < ? AND ((1 << type) & ?::INTEGER) <> 0 AND ((1 << priority) & ?::INTEGER) <> 0'
		);
		expect(w.params).toEqual([ALL.fromMs, ALL.toMs, 8, 2]);
	});

	it('counts everything, then by type, source, status, priority and time', async () => {
		expect(rows).toHaveLength(92);
		expect(await countIncidents(db, ALL)).toBe(92);
		expect(await countAll(db)).toBe(92);
		expect(await countIncidents(db, { ...ALL, types: 1 << 0 })).toBe(18); // grid 0
		expect(await countIncidents(db, { ...ALL, types: (1 << 3) | (1 << 5) })).toBe(65 + 4);
		expect(await countIncidents(db, { ...ALL, sources: 1 << 1 })).toBe(1);
		expect(await countIncidents(db, { ...ALL, statuses: 1 << 5 })).toBe(4);
		expect(await countIncidents(db, { ...ALL, priorities: 1 << 1 })).toBe(4);
		expect(await countIncidents(db, { ...ALL, types: 0 })).toBe(0);
		// The last 7 days: 10 (grid 0) + 9 (grid 1) + 4 (grid 2).
		expect(await countIncidents(db, { ...ALL, fromMs: END_MS - 7 * DAY_MS })).toBe(23);
		expect(await countIncidents(db, ALL, [117.45, 38.75, 117.55, 38.85])).toBe(4);
	});

	it('binds every value: a hostile string parameter is data, not SQL', async () => {
		const evil = { ...ALL, types: '1) OR (1=1' as unknown as number };
		await expect(countIncidents(db, evil)).rejects.toThrow();
		expect(await countIncidents(db, ALL)).toBe(92);
	});
});

describe('aggregates', () => {
	it('counts per grid and per community, indexed by code', async () => {
		expect(Array.from(await countsByUnit(db, ALL, 'grid', 5))).toEqual([18, 65, 4, 5, 0]);
		expect(Array.from(await countsByUnit(db, ALL, 'community', 2))).toEqual([83, 9]);
	});

	it('ranks the top grids', async () => {
		const top = await topUnits(db, ALL, 'grid', 2);
		expect(Array.from(top.unit)).toEqual([1, 0]);
		expect(Array.from(top.count)).toEqual([65, 18]);
	});

	it('buckets incidents per CST day, ignoring the time filter but not the others', async () => {
		const f = { ...ALL, fromMs: END_MS - DAY_MS }; // the time filter must not narrow it
		const h = await timeHistogram(db, f, 'day', END_MS - 7 * DAY_MS, END_MS);
		expect(h.counts).toHaveLength(7);
		expect(h.startMs).toBe(END_MS - 7 * DAY_MS);
		expect(h.counts.reduce((a, b) => a + b, 0)).toBe(23);
		// The last day: 2 (grid 0) + 1 + 2 (grid 1) + 1 (grid 2).
		expect(h.counts[6]).toBe(6);
		const hourly = await timeHistogram(
			db,
			{ ...ALL, types: 1 << 3 },
			'hour',
			END_MS - DAY_MS,
			END_MS
		);
		expect(hourly.counts).toHaveLength(24);
		expect(hourly.counts[12]).toBe(1); // 12:00 CST
		expect(hourly.counts[21] + hourly.counts[22]).toBe(2);
	});

	it('places incidents in the weekday × hour matrix in CST', async () => {
		const m = await hourWeekdayMatrix(db, ALL);
		expect(m).toHaveLength(168);
		expect(m[0 * 24 + 10]).toBe(1); // Monday 10:30
		expect(m.reduce((a, b) => a + b, 0)).toBe(92);
	});
});

describe('emerging hotspots', () => {
	it('scores grids against their own baseline and keeps only the significant ones', async () => {
		const spots = await emergingHotspots(db, ALL, { ...DEFAULT_HOTSPOT_OPTIONS, endMs: END_MS });
		// Grid 0: expected 8 × 7/56 = 1, recent 10 → (10 − 1)/√2. Grid 1: (9 − 7)/√8 < 3.
		// Grid 2: 4 recent < minRecent 5.
		expect(spots).toHaveLength(1);
		expect(spots[0].grid).toBe(0);
		expect(spots[0].recent).toBe(10);
		expect(spots[0].expected).toBeCloseTo(1, 10);
		expect(spots[0].score).toBeCloseTo(9 / Math.SQRT2, 10);
		const relaxed = await emergingHotspots(db, ALL, {
			...DEFAULT_HOTSPOT_OPTIONS,
			endMs: END_MS,
			minRecent: 1,
			minScore: 0
		});
		expect(relaxed.map((s) => s.grid)).toEqual([0, 2, 1]);
		expect(relaxed[1].score).toBeCloseTo(4, 10);
		expect(relaxed[2].score).toBeCloseTo(2 / Math.sqrt(8), 10);
	});
});

describe('spatial', () => {
	it('finds incidents within a radius by great-circle distance, nearest first', async () => {
		const r150 = await withinRadius(db, ALL, CENTER.lon, CENTER.lat, 150);
		expect(r150.count).toBe(2);
		expect(Array.from(r150.points.distanceM).map(Math.round)).toEqual([50, 100]);
		expect((await withinRadius(db, ALL, CENTER.lon, CENTER.lat, 999)).count).toBe(3);
		expect((await withinRadius(db, ALL, CENTER.lon, CENTER.lat, 1001)).count).toBe(4);
		expect(
			(
				await withinRadius(
					db,
					{ ...ALL, types: ALL_TYPES & ~(1 << 1) },
					CENTER.lon,
					CENTER.lat,
					5000
				)
			).count
		).toBe(0);
	});

	it('returns the K nearest', async () => {
		const k = await nearestK(db, ALL, CENTER.lon, CENTER.lat + 210 / M_PER_DEG_LAT, 2);
		expect(Array.from(k.distanceM).map(Math.round)).toEqual([10, 110]);
		const far = await nearestK(db, ALL, CENTER.lon, CENTER.lat, 5);
		expect(far.length).toBe(5);
		expect(far.distanceM[4]).toBeGreaterThan(1000);
	});

	it('gives the bbox candidates of a polygon and the points in a box', async () => {
		const c = await polygonCandidates(db, ALL, [117.65, 38.95, 117.75, 39.05]);
		expect(c.length).toBe(18);
		expect(new Set(c.type)).toEqual(new Set([0]));
		const p = await pointsInBox(db, ALL, [117.45, 38.75, 117.55, 38.85], 3);
		expect(p.length).toBe(3);
		expect(p.ts[0]).toBeGreaterThan(p.ts[2]); // newest first
	});

	it('bins incidents into clusters whose counts add up to the filtered total', async () => {
		const world: [number, number, number, number] = [110, 30, 125, 45];
		const coarse = await binClusters(db, ALL, world, 6);
		expect(coarse.count.reduce((a, b) => a + b, 0)).toBe(92);
		expect(coarse.length).toBeLessThan(6);
		const fine = await binClusters(db, ALL, world, 18);
		// At zoom 18 every distinct location is its own bin: the radius points split up.
		const singles = Array.from(fine.count).filter((n) => n === 1).length;
		expect(singles).toBeGreaterThanOrEqual(5);
		const single = Array.from(fine.count).indexOf(1);
		expect(fine.single.id[single]).toBeGreaterThan(0);
		const typed = await binClusters(db, { ...ALL, types: 1 << 5 }, world, 6);
		expect(Array.from(typed.count)).toEqual([4]);
		expect(typed.lon[0]).toBeCloseTo(117.5, 5);
	});
});

describe('live records', () => {
	it('adds new incidents and replaces changed ones by id', async () => {
		const live = await nodeDuckDB();
		try {
			await live.loadIncidents(fixtureColumns(rows));
			const codes = {
				grid: new Map([
					['g0', 0],
					['g1', 1]
				]),
				community: new Map([['c0', 0]]),
				street: new Map([['s0', 0]])
			};
			const record = (id: number, status: 'reported' | 'closed', gridId = 'g1') => ({
				id,
				lon: 117.8,
				lat: 39.1,
				ts: END_MS - 1000,
				closedTs: status === 'closed' ? END_MS - 10 : null,
				type: 'pollution' as const,
				source: 'resident_app' as const,
				status,
				priority: 2,
				gridId,
				communityId: 'c0',
				streetId: 's0',
				description: null,
				rev: 1
			});
			// A new incident (id 1000, grid 1) and a change of the newest one (id 92, open, grid 1):
			// closed, and moved to grid 0.
			expect(rows[91].grid).toBe(1);
			await live.upsertIncidents(
				recordColumns([record(1000, 'reported'), record(92, 'closed', 'g0')], codes)
			);
			expect(await countIncidents(live, ALL)).toBe(93);
			expect(await countIncidents(live, { ...ALL, statuses: 1 << 5 })).toBe(4 + 1);
			const byGrid = await countsByUnit(live, ALL, 'grid', 5);
			expect([byGrid[0], byGrid[1]]).toEqual([18 + 1, 65 - 1 + 1]);
			// An unknown grid is kept (code -1) but counts in no grid.
			await live.upsertIncidents(recordColumns([record(1001, 'reported', 'new-grid')], codes));
			expect(await countIncidents(live, ALL)).toBe(94);
			expect((await countsByUnit(live, ALL, 'grid', 5)).reduce((a, b) => a + b, 0)).toBe(93);
		} finally {
			live.close();
		}
	});
});

describe('drill-down', () => {
	it('summarises a grid: types, statuses, total and its 30-day trend', async () => {
		const s = await scopeSummary(
			db,
			ALL,
			{ kind: 'unit', level: 'grid', index: 1 },
			{ types: 9, statuses: 6 }
		);
		expect(s.total).toBe(65);
		expect(s.byType[3]).toBe(65);
		expect(s.byStatus[0]).toBe(65);
		expect(s.trend.counts).toHaveLength(30);
		// One a day for the last 30 days, plus the 2 extra on the last day.
		expect(s.trend.counts.reduce((a, b) => a + b, 0)).toBe(30 + 2);
		expect(s.trend.counts[29]).toBe(3);
	});

	it('summarises an area and a single incident', async () => {
		const area = await scopeSummary(
			db,
			ALL,
			{ kind: 'area', bbox: [117.45, 38.75, 117.55, 38.85] },
			{ types: 9, statuses: 6 }
		);
		expect(area.total).toBe(4);
		const one = await scopeSummary(db, ALL, { kind: 'incident', id: 1 }, { types: 9, statuses: 6 });
		expect(one.total).toBe(1);
		expect(
			(await scopeSummary(db, ALL, { kind: 'district' }, { types: 9, statuses: 6 })).total
		).toBe(92);
	});

	it('summarises a 区/县 as the sum of its streets', async () => {
		const sizes = { types: 9, statuses: 6 };
		const per = await Promise.all(
			[0, 1].map(
				async (i) =>
					(await scopeSummary(db, ALL, { kind: 'unit', level: 'street', index: i }, sizes)).total
			)
		);
		const both = await scopeSummary(
			db,
			ALL,
			{ kind: 'streets', district: 0, streets: [0, 1] },
			sizes
		);
		expect(both.total).toBe(per[0] + per[1]);
		const none = await scopeSummary(db, ALL, { kind: 'streets', district: 1, streets: [] }, sizes);
		expect(none.total).toBe(0);
	});

	it('lists a scope sorted by time or priority', async () => {
		const newest = await scopeIncidents(
			db,
			ALL,
			{ kind: 'unit', level: 'grid', index: 3 },
			'newest',
			10
		);
		expect(newest.length).toBe(5);
		expect(newest.ts[0]).toBeGreaterThanOrEqual(newest.ts[1]);
		expect(Array.from(newest.grid)).toEqual([3, 3, 3, 3, 3]);
		const urgent = await scopeIncidents(
			db,
			ALL,
			{ kind: 'unit', level: 'grid', index: 3 },
			'priority',
			10
		);
		expect(Array.from(urgent.priority)).toEqual([1, 1, 1, 1, 3]);
		expect((await scopeIncidents(db, ALL, { kind: 'district' }, 'oldest', 3)).length).toBe(3);
	});
});

describe('top units within a scope', () => {
	it('ranks the grids of an area', async () => {
		const top = await topUnits(db, ALL, 'grid', 3, {
			kind: 'area',
			bbox: [117.6, 38.9, 117.9, 39.2]
		});
		expect(Array.from(top.unit)).toEqual([1, 0]);
		expect(Array.from(top.count)).toEqual([65, 18]);
	});
});

describe('rankUnits', () => {
	it('ranks per-unit values most first, ties by code order, without empty units', () => {
		const r = rankUnits(Uint32Array.from([3, 0, 7, 3, 1]), 3);
		expect(Array.from(r.unit)).toEqual([2, 0, 3]);
		expect(Array.from(r.value)).toEqual([7, 3, 3]);
		expect(rankUnits(new Uint32Array(4), 10).unit).toHaveLength(0);
		expect(Array.from(rankUnits(Float32Array.from([0.5, 2.25]), 1).value)).toEqual([2.25]);
	});
});
