/**
 * Turns the downloaded incident columns into the table DuckDB holds: plain INTEGER codes instead
 * of Arrow dictionaries (bitmask filters need integers) and integer Web Mercator coordinates for
 * binning by bit shifts.
 * Runs in the incidents worker; the result is an Arrow IPC stream DuckDB ingests directly.
 */
import { makeVector, Table, tableToIPC } from 'apache-arrow';
import { INCIDENT_SOURCES, INCIDENT_STATUSES, INCIDENT_TYPES } from '$lib/domain/incidents';
import type { IncidentRecord } from '$lib/domain/live';
import { allocIncidentColumns } from '$lib/domain/incidentArrow';
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

/**
 * Live records as columns coded like the snapshot. A grid, community or street the snapshot did
 * not know (a newly published plan) gets code -1 until the next snapshot.
 */
export function recordColumns(
	records: IncidentRecord[],
	codes: Record<'grid' | 'community' | 'street', Map<string, number>>
): IncidentColumns {
	const n = records.length;
	const c: IncidentColumns = {
		...allocIncidentColumns(n),
		dictionaries: { type: [], source: [], status: [], gridId: [], communityId: [], streetId: [] }
	};
	records.forEach((r, i) => {
		c.id[i] = r.id;
		c.lon[i] = r.lon;
		c.lat[i] = r.lat;
		c.ts[i] = r.ts;
		c.closedTs[i] = r.closedTs ?? NaN;
		c.type[i] = INCIDENT_TYPES.indexOf(r.type);
		c.source[i] = INCIDENT_SOURCES.indexOf(r.source);
		c.status[i] = INCIDENT_STATUSES.indexOf(r.status);
		c.priority[i] = r.priority;
		c.grid[i] = codes.grid.get(r.gridId) ?? -1;
		c.community[i] = codes.community.get(r.communityId) ?? -1;
		c.street[i] = codes.street.get(r.streetId) ?? -1;
	});
	return c;
}
