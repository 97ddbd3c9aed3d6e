/**
 * Turns the downloaded incident columns into the table DuckDB holds: plain INTEGER codes instead
 * of Arrow dictionaries (bitmask filters need integers) and integer Web Mercator coordinates for
 * binning by bit shifts.
 * Runs in the incidents worker; the result is an Arrow IPC stream DuckDB ingests directly.
 */
import { makeVector, Table, tableToIPC } from 'apache-arrow';
import type { IncidentColumns } from './columns';

/** Web Mercator x in 0..1 (west → east). */
export function mercatorX(lon: number): number {
	return (lon + 180) / 360;
}

/** Web Mercator y in 0..1 (north → south). */
export function mercatorY(lat: number): number {
	const phi = (lat * Math.PI) / 180;
	return (1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2;
}

/** Web Mercator coordinates are stored as integers in 0..2^24 (≈ 2.4 m at the equator). */
export const MERCATOR_SCALE = 2 ** 24;

export function snapshotTable(c: IncidentColumns): Table {
	const n = c.length;
	const px = new Int32Array(n);
	const py = new Int32Array(n);
	const lon = new Float64Array(n);
	const lat = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		lon[i] = c.lon[i];
		lat[i] = c.lat[i];
		px[i] = Math.floor(mercatorX(lon[i]) * MERCATOR_SCALE);
		py[i] = Math.floor(mercatorY(lat[i]) * MERCATOR_SCALE);
	}
	const int32 = (a: ArrayLike<number>) => makeVector(Int32Array.from(a));
	return new Table({
		id: int32(c.id),
		lon: makeVector(lon),
		lat: makeVector(lat),
		px: makeVector(px),
		py: makeVector(py),
		ts: makeVector(c.ts),
		closed_ts: makeVector(c.closedTs),
		type: int32(c.type),
		source: int32(c.source),
		status: int32(c.status),
		priority: int32(c.priority),
		grid: int32(c.grid),
		community: int32(c.community),
		street: int32(c.street)
	});
}

/** The snapshot as Arrow IPC stream bytes (what DuckDB's insertArrowFromIPCStream takes). */
export function snapshotIPC(c: IncidentColumns): Uint8Array {
	return tableToIPC(snapshotTable(c), 'stream');
}
