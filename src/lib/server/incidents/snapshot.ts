/**
 * The columnar incident snapshot the browser loads (`/data/incidents.arrow`), produced from the
 * database in exactly the columns of src/lib/domain/incidents.ts.
 *
 * Reading 200k rows out of PGlite takes 1–3 s and blocks other queries meanwhile, so the columns
 * are kept in memory and brought up to date with what changed since (`rev > last`): a new
 * incident is appended, a status change patched in place. The snapshot's version is
 * (database instance, city version, max rev): the ETag, so a reload of an unchanged snapshot
 * is a 304.
 */
import { INCIDENT_SOURCES, INCIDENT_STATUSES, INCIDENT_TYPES } from '$lib/domain/incidents';
import {
	allocIncidentColumns,
	incidentsToArrow,
	type IncidentColumns
} from '$lib/domain/incidentArrow';
import type { Queryable } from '../db/types';
import { RECORD_COLUMNS, type IncidentRecord } from './records';

export interface SnapshotVersion {
	instance: string;
	city: number;
	rev: number;
}

export interface Snapshot {
	bytes: Uint8Array;
	etag: string;
	version: SnapshotVersion;
	rows: number;
}

export function etagOf(v: SnapshotVersion): string {
	return `"${v.instance.slice(0, 12)}-${v.city}-${v.rev}"`;
}

export async function readVersion(db: Queryable): Promise<SnapshotVersion> {
	const [row] = await db.query<{ instance: string; city: string | number; rev: number | null }>(
		`SELECT (SELECT value #>> '{}' FROM meta WHERE key = 'instance') AS instance,
		        (SELECT value #>> '{}' FROM meta WHERE key = 'city_version') AS city,
		        (SELECT max(rev) FROM incident) AS rev`
	);
	return { instance: row.instance, city: Number(row.city), rev: row.rev ?? 0 };
}

const index = <T extends string>(list: readonly T[]) => new Map(list.map((v, i) => [v, i]));
const TYPE = index(INCIDENT_TYPES);
const SOURCE = index(INCIDENT_SOURCES);
const STATUS = index(INCIDENT_STATUSES);

/** Typed columns with spare capacity, so appending one incident does not copy 200k rows. */
class Columns {
	length = 0;
	private c: Omit<IncidentColumns, 'length'>;

	constructor(capacity: number) {
		this.c = Columns.alloc(capacity);
	}

	private static alloc(n: number): Omit<IncidentColumns, 'length'> {
		// Without `length`: the row count is this.length, not the capacity.
		const { length: _capacity, ...columns } = allocIncidentColumns(n);
		return columns;
	}

	get capacity(): number {
		return this.c.id.length;
	}

	view(): IncidentColumns {
		return { length: this.length, ...this.c };
	}

	lastId(): number {
		return this.length ? this.c.id[this.length - 1] : 0;
	}

	/** Row index of an id (ids ascend), or -1. */
	find(id: number): number {
		let lo = 0;
		let hi = this.length - 1;
		const ids = this.c.id;
		while (lo <= hi) {
			const mid = (lo + hi) >> 1;
			if (ids[mid] === id) return mid;
			if (ids[mid] < id) lo = mid + 1;
			else hi = mid - 1;
		}
		return -1;
	}

	append(): number {
		if (this.length === this.capacity) {
			const bigger = Columns.alloc(Math.max(1024, this.capacity * 2));
			for (const key of Object.keys(bigger) as (keyof typeof bigger)[]) {
				(bigger[key] as Uint32Array).set(this.c[key] as Uint32Array);
			}
			this.c = bigger;
		}
		return this.length++;
	}

	set(row: number, r: Codes): void {
		const c = this.c;
		c.id[row] = r.id;
		c.lon[row] = r.lon;
		c.lat[row] = r.lat;
		c.ts[row] = r.ts;
		c.closedTs[row] = r.closedTs ?? NaN;
		c.type[row] = r.type;
		c.source[row] = r.source;
		c.status[row] = r.status;
		c.priority[row] = r.priority;
		c.grid[row] = r.grid;
		c.community[row] = r.community;
		c.street[row] = r.street;
	}
}

interface Codes {
	id: number;
	lon: number;
	lat: number;
	ts: number;
	closedTs: number | null;
	type: number;
	source: number;
	status: number;
	priority: number;
	grid: number;
	community: number;
	street: number;
}

interface Dictionaries {
	gridIds: string[];
	communityIds: string[];
	streetIds: string[];
	grid: Map<string, number>;
	community: Map<string, number>;
	street: Map<string, number>;
}

/** A full rebuild at least this often, as a safety net under the incremental updates. */
const FULL_REBUILD_MS = 10 * 60_000;

export class SnapshotCache {
	private columns: Columns | null = null;
	private dicts: Dictionaries | null = null;
	private built: Snapshot | null = null;
	private version: SnapshotVersion | null = null;
	private fullAt = 0;
	private pending: Promise<Snapshot> | null = null;

	/** The snapshot as of now; concurrent callers share one rebuild. */
	async get(db: Queryable): Promise<Snapshot> {
		const current = await readVersion(db);
		if (this.built && sameVersion(this.built.version, current)) return this.built;
		this.pending ??= this.refresh(db).finally(() => (this.pending = null));
		return this.pending;
	}

	/** Forget everything (tests, or after the city was reloaded). */
	reset(): void {
		this.columns = null;
		this.dicts = null;
		this.built = null;
		this.version = null;
	}

	private async refresh(db: Queryable): Promise<Snapshot> {
		const current = await readVersion(db);
		const stale =
			!this.columns ||
			!this.version ||
			this.version.instance !== current.instance ||
			this.version.city !== current.city ||
			Date.now() - this.fullAt > FULL_REBUILD_MS;
		// Rows changed after `current` was read may already be in the columns; the next call
		// sees a newer version and applies them again, which is harmless (upsert by id).
		if (stale || !(await this.applyChanges(db))) await this.loadAll(db);
		const version = current;
		this.version = version;
		const cols = this.columns!;
		const dicts = this.dicts!;
		this.built = {
			bytes: incidentsToArrow(cols.view(), dicts),
			etag: etagOf(version),
			version,
			rows: cols.length
		};
		return this.built;
	}

	private async loadDictionaries(db: Queryable): Promise<Dictionaries> {
		const ids = async (table: string) =>
			(await db.query<{ id: string }>(`SELECT id FROM ${table} ORDER BY ord`)).map((r) => r.id);
		const [gridIds, communityIds, streetIds] = [
			await ids('grid'),
			await ids('community'),
			await ids('street')
		];
		return {
			gridIds,
			communityIds,
			streetIds,
			grid: index(gridIds),
			community: index(communityIds),
			street: index(streetIds)
		};
	}

	/**
	 * Everything, in one row of comma-separated texts: moving 200k rows (or big arrays) out of
	 * PGlite costs seconds in its result parser; a few long strings split in JS cost ~0.4 s.
	 */
	private async loadAll(db: Queryable): Promise<void> {
		const dicts = await this.loadDictionaries(db);
		const agg = (expr: string) => `coalesce(string_agg(${expr}, ',' ORDER BY id), '')`;
		const [all] = await db.query<Record<string, string>>(
			`SELECT ${agg('id::text')} AS id,
			        ${agg('ST_X(geom)::text')} AS lon,
			        ${agg('ST_Y(geom)::text')} AS lat,
			        ${agg(`round(date_part('epoch', ts) * 1000)::text`)} AS ts,
			        ${agg(`coalesce(round(date_part('epoch', closed_ts) * 1000)::text, '')`)} AS closed,
			        ${agg('(array_position($1::text[], type) - 1)::text')} AS type,
			        ${agg('(array_position($2::text[], source) - 1)::text')} AS source,
			        ${agg('(array_position($3::text[], status) - 1)::text')} AS status,
			        ${agg('priority::text')} AS priority,
			        ${agg('grid_id')} AS grid,
			        ${agg('community_id')} AS community,
			        ${agg('street_id')} AS street
			 FROM incident`,
			[INCIDENT_TYPES, INCIDENT_SOURCES, INCIDENT_STATUSES]
		);
		const split = (k: string) => (all[k] === '' ? [] : all[k].split(','));
		const id = split('id');
		const n = id.length;
		const [lon, lat, ts, closed, type, source, status, priority] = [
			'lon',
			'lat',
			'ts',
			'closed',
			'type',
			'source',
			'status',
			'priority'
		].map(split);
		const [grid, community, street] = ['grid', 'community', 'street'].map(split);
		const cols = new Columns(Math.max(1024, Math.ceil(n * 1.05)));
		for (let i = 0; i < n; i++) {
			const codes = {
				id: Number(id[i]),
				lon: Number(lon[i]),
				lat: Number(lat[i]),
				ts: Number(ts[i]),
				closedTs: closed[i] === '' ? null : Number(closed[i]),
				type: Number(type[i]),
				source: Number(source[i]),
				status: Number(status[i]),
				priority: Number(priority[i]),
				grid: dicts.grid.get(grid[i]) ?? -1,
				community: dicts.community.get(community[i]) ?? -1,
				street: dicts.street.get(street[i]) ?? -1
			};
			cols.set(cols.append(), codes);
		}
		this.columns = cols;
		this.dicts = dicts;
		this.fullAt = Date.now();
	}

	/** Applies rows changed since the cached version; false when a full reload is simpler. */
	private async applyChanges(db: Queryable): Promise<boolean> {
		const cols = this.columns!;
		const dicts = this.dicts!;
		const changed = await db.query<IncidentRecord>(
			`SELECT ${RECORD_COLUMNS} FROM incident i WHERE i.rev > $1 ORDER BY i.id LIMIT 50001`,
			[this.version!.rev]
		);
		if (changed.length > 50_000) return false;
		for (const r of changed) {
			const codes = toCodes(r, dicts);
			if (!codes) return false;
			if (r.id > cols.lastId()) cols.set(cols.append(), codes);
			else {
				const row = cols.find(r.id);
				if (row < 0) return false; // an id below the last one we never saw
				cols.set(row, codes);
			}
		}
		return true;
	}
}

function sameVersion(a: SnapshotVersion, b: SnapshotVersion): boolean {
	return a.instance === b.instance && a.city === b.city && a.rev === b.rev;
}

function toCodes(r: IncidentRecord, d: Dictionaries): Codes | null {
	const grid = d.grid.get(r.gridId);
	const community = d.community.get(r.communityId);
	const street = d.street.get(r.streetId);
	if (grid === undefined || community === undefined || street === undefined) return null;
	return {
		id: r.id,
		lon: r.lon,
		lat: r.lat,
		ts: r.ts,
		closedTs: r.closedTs,
		type: TYPE.get(r.type) ?? -1,
		source: SOURCE.get(r.source) ?? -1,
		status: STATUS.get(r.status) ?? -1,
		priority: r.priority,
		grid,
		community,
		street
	};
}
