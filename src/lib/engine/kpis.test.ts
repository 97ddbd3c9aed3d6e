import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeDuckDB, type NodeDuckDB } from './duckdbNode';
import { DAY_MS, HOUR_MS, cstDayOf } from '$lib/domain/time';
import { END_MS, fixtureColumns, type Row } from './fixture';
import {
	MIN_COMPARISON_BASE,
	changePercent,
	closureRate,
	hazmatAlarmsToday,
	overdueCount,
	safetyIndex,
	todayVsUsual
} from './kpis';

/** Now: 15:00 CST on the fixture's last day (a Thursday). */
const NOW = END_MS - 9 * HOUR_MS;
const DAY = END_MS - DAY_MS;
const row = (ts: number, extra: Partial<Row> = {}): Row => ({
	lon: 117.7,
	lat: 39,
	ts,
	type: 0,
	grid: 0,
	...extra
});

function rows(): Row[] {
	const r: Row[] = [];
	// Today: 3 before now (one a hazmat alarm in street 1), 1 after now (not counted).
	r.push(row(DAY + 1 * HOUR_MS), row(DAY + 9 * HOUR_MS), row(DAY + 14 * HOUR_MS, { type: 6 }));
	r.push(row(DAY + 20 * HOUR_MS));
	// The same weekday, 1 and 2 weeks back: 2 + 4 before 15:00, plus 1 after 15:00 each (not counted).
	for (const w of [1, 2]) {
		const d = DAY - w * 7 * DAY_MS;
		for (let k = 0; k < w * 2; k++) r.push(row(d + (10 + k) * 60_000));
		r.push(row(d + 16 * HOUR_MS));
	}
	// Another weekday: never counted as "usual".
	r.push(row(DAY - 3 * DAY_MS + 10 * HOUR_MS));
	// Closed, and an old priority-1 case still open (overdue), a fresh priority-1 (not yet).
	r.push(row(DAY - 5 * DAY_MS, { status: 5 }));
	r.push(row(NOW - 3 * HOUR_MS, { priority: 1 }));
	r.push(row(NOW - 1 * HOUR_MS, { priority: 1 }));
	return r.sort((a, b) => a.ts - b.ts);
}

let db: NodeDuckDB;
beforeAll(async () => {
	db = await nodeDuckDB();
	const columns = fixtureColumns(rows());
	// Street of each row: the hazmat alarm lies in street 1, everything else in street 0.
	columns.street = Int16Array.from(columns.type, (t) => (t === 6 ? 1 : 0));
	await db.loadIncidents(columns);
});
afterAll(() => db?.close());

describe('wall KPIs', () => {
	it('counts today so far against the same weekday by this time', async () => {
		expect(cstDayOf(NOW)).toBe(DAY);
		const k = await todayVsUsual(db, NOW, 2);
		// Today by 15:00: 3 rows + the two priority-1 rows (12:00 and 14:00).
		expect(k.today).toBe(5);
		expect(k.usual).toBe((2 + 4) / 2);
		expect(k.weeks).toBe(2);
		// A usual of 3 is too small a base for a percentage.
		expect(changePercent(k)).toBeNull();
	});

	it('gives a percentage only against a base that means something', () => {
		expect(changePercent({ today: 240, usual: 7, weeks: 8 })).toBeNull();
		expect(changePercent({ today: 30, usual: MIN_COMPARISON_BASE, weeks: 8 })).toBe(50);
		expect(changePercent({ today: 90, usual: 120, weeks: 8 })).toBe(-25);
	});

	it('measures the closure rate, open overdue cases and hazmat alarms today', async () => {
		// In the last 10 days: 5 today by now, 3 a week back, the other weekday and the closed one.
		expect(await closureRate(db, DAY - 10 * DAY_MS, NOW)).toBeCloseTo(1 / 10, 10);
		// Overdue: the 12:00 priority-1 case (2 h deadline), and the open priority-3 cases (24 h)
		// older than a day: 3 a week back, 5 two weeks back, 1 on the other weekday.
		expect(await overdueCount(db, NOW)).toBe(1 + 3 + 5 + 1);
		expect(await hazmatAlarmsToday(db, NOW)).toBe(1);
	});

	it('scores 平安指数 per street from weighted indicators, best street 100', async () => {
		const s = await safetyIndex(db, NOW, [1000, 1000]);
		expect(s.hazmat[1]).toBe(1);
		expect(s.rate[0]).toBeGreaterThan(s.rate[1]);
		// Street 1 has the hazmat alarm (weight 0.1) but the lower rate and overdue figures.
		expect(s.index[1]).toBeCloseTo(100 * (1 - 0.1), 6);
		expect(s.index[0]).toBeCloseTo(100 * (1 - 0.4 - 0.2), 6);
	});
});
