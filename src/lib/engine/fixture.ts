/**
 * A small, hand-countable set of incidents for the query tests. Every number a test expects can
 * be derived from the rows built here.
 */
import type { IncidentColumns } from './columns';
import { DAY_MS, HOUR_MS } from './filter';

/** 2026-11-27 00:00 in China Standard Time: the end of the data. */
export const END_MS = Date.parse('2026-11-27T00:00:00+08:00');
/** A Monday, 10:30 CST, 14 days before the end. */
export const MONDAY_1030 = Date.parse('2026-11-09T10:30:00+08:00');

export interface Row {
	lon: number;
	lat: number;
	ts: number;
	type: number;
	source?: number;
	status?: number;
	priority?: number;
	grid: number;
}

/** 1° of latitude in metres on the sphere the haversine macro uses (R = 6,371,008.8 m). */
export const M_PER_DEG_LAT = (Math.PI / 180) * 6_371_008.8;

/** Four incidents lie around this point, far from every other one. */
export const CENTER = { lon: 117.7, lat: 40.0 };

export function fixtureRows(): Row[] {
	const rows: Row[] = [];
	// Grid 0 — emerging: 1 incident a week for the 8 baseline weeks, then 10 in the last 7 days.
	for (let w = 0; w < 8; w++) {
		rows.push({
			lon: 117.7,
			lat: 39.0,
			ts: END_MS - 7 * DAY_MS - (w + 0.5) * 7 * DAY_MS,
			type: 0,
			grid: 0
		});
	}
	for (let d = 0; d < 10; d++) {
		rows.push({
			lon: 117.7,
			lat: 39.0,
			ts: END_MS - (d % 7) * DAY_MS - 12 * HOUR_MS,
			type: 0,
			grid: 0
		});
	}
	// Grid 1 — steady: one a day for 63 days (56 baseline + 7 recent); plus 2 more recent = 9.
	for (let d = 0; d < 63; d++) {
		rows.push({ lon: 117.8, lat: 39.1, ts: END_MS - (d + 0.5) * DAY_MS, type: 3, grid: 1 });
	}
	rows.push({ lon: 117.8, lat: 39.1, ts: END_MS - 2 * HOUR_MS, type: 3, grid: 1 });
	rows.push({ lon: 117.8, lat: 39.1, ts: END_MS - 3 * HOUR_MS, type: 3, grid: 1 });
	// Grid 2 — new but small: 4 recent, none before.
	for (let d = 0; d < 4; d++) {
		rows.push({ lon: 117.5, lat: 38.8, ts: END_MS - (d + 0.25) * DAY_MS, type: 5, grid: 2 });
	}
	// Around CENTER in grid 3: 50 m, 100 m, 200 m north and 1 km east (old, closed, priority 1).
	for (const [dLon, dLat] of [
		[0, 50 / M_PER_DEG_LAT],
		[0, 100 / M_PER_DEG_LAT],
		[0, 200 / M_PER_DEG_LAT],
		[1000 / (M_PER_DEG_LAT * Math.cos((CENTER.lat * Math.PI) / 180)), 0]
	]) {
		rows.push({
			lon: CENTER.lon + dLon,
			lat: CENTER.lat + dLat,
			ts: END_MS - 200 * DAY_MS,
			type: 1,
			status: 5,
			priority: 1,
			grid: 3
		});
	}
	// One on a Monday at 10:30 CST, source 1, in grid 3.
	rows.push({ lon: 117.9, lat: 39.3, ts: MONDAY_1030, type: 2, source: 1, grid: 3 });
	return rows.sort((a, b) => a.ts - b.ts);
}

/** The rows as the columns the worker reads from incidents.arrow. */
export function fixtureColumns(rows = fixtureRows()): IncidentColumns {
	const n = rows.length;
	const col = <T extends { [i: number]: number }>(
		ctor: new (n: number) => T,
		get: (r: Row, i: number) => number
	) => {
		const out = new ctor(n);
		rows.forEach((r, i) => (out[i] = get(r, i)));
		return out;
	};
	return {
		length: n,
		id: col(Uint32Array, (_, i) => i + 1),
		lon: col(Float32Array, (r) => r.lon),
		lat: col(Float32Array, (r) => r.lat),
		ts: col(Float64Array, (r) => r.ts),
		closedTs: col(Float64Array, (r) => ((r.status ?? 0) === 5 ? r.ts + DAY_MS : NaN)),
		type: col(Int8Array, (r) => r.type),
		source: col(Int8Array, (r) => r.source ?? 0),
		status: col(Int8Array, (r) => r.status ?? 0),
		priority: col(Uint8Array, (r) => r.priority ?? 3),
		grid: col(Int16Array, (r) => r.grid),
		community: col(Int16Array, (r) => (r.grid < 2 ? 0 : 1)),
		street: col(Int16Array, () => 0),
		dictionaries: { type: [], source: [], status: [], gridId: [], communityId: [], streetId: [] }
	};
}
