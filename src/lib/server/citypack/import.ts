/**
 * Writes a checked city pack (CleanPack) into the app's database, in one transaction: a crash
 * half-way leaves the database as it was. The rows go in through the same loader the city has
 * always used (city/load.ts), with the pack's basemap files (city_asset), the city's identity
 * (meta 'city'), and a record of the import (city_pack_import).
 *
 * - An empty database: `fresh`.
 * - A database holding the synthetic demo city: `takeover` — the demo's rows (its synthetic
 *   incidents, plans, alerts…) are removed first and counted in the import record; they were
 *   never the city's data.
 * - A database holding the same real city (by code): `update` — its boundaries replaced through
 *   the grid-plan history, incidents placed again, registers replaced (update.ts).
 * - A database holding another real city: refused (409); it needs an empty database.
 */
import { createHash } from 'node:crypto';
import type { Feature } from 'geojson';
import {
	CITY_FILES,
	type CommunityFeature,
	type GridFeature,
	type Manifest,
	type Patrols,
	type StreetFeature
} from '$lib/domain/city';
import type {
	CityIdentity,
	CleanPack,
	CleanUnit,
	ImportMode,
	OnProgress,
	PackLevel
} from '$lib/domain/cityPack';
import type { LiveEvent } from '$lib/domain/live';
import { cstDate, cstDayStart } from '$lib/domain/time';
import { namedActor, recordAudit, type AuditActor } from '../audit/audit';
import { readIncidentArrow, type CityData, type IncidentTable } from '../city/cityData';
import { bumpCityVersion, loadCity } from '../city/load';
import type { Db, Queryable } from '../db/types';
import { ApiError } from '../http/errors';
import { forgetTracks } from '../incidents/dispatch';
import { updateCity, updatedManifest, type UpdateOutcome } from './update';

/** Any constant: one import at a time, across servers sharing a PostgreSQL. */
const CITY_LOCK = 4_206_119;
const DAY_MS = 86_400_000;

/** The city's tables, emptied (with everything referring to them) by a takeover. */
const CITY_TABLES = [
	'alert',
	'incident_assignee',
	'incident_event',
	'plan_draft_revision',
	'plan_draft',
	'plan_version',
	'incident',
	'patrol_unit',
	'patrol_route',
	'hazmat_lane',
	'hazmat_site',
	'grid',
	'community',
	'street',
	'district',
	'city_asset'
];

export interface ImportResult {
	mode: ImportMode;
	importId: number;
	counts: Record<PackLevel, number> & { incidents: number };
	/** Rows of the demo city a takeover removed, by table. */
	removed: Record<string, number> | null;
	/** update: what changed in the loaded city (plan versions, moved incidents, removed units). */
	update: Omit<UpdateOutcome, 'moved'> | null;
	seconds: number;
	/** For the live bus: every open page reloads the city. */
	events: LiveEvent[];
}

const CONTENT_TYPES: Record<string, string> = {
	geojson: 'application/geo+json; charset=utf-8',
	json: 'application/json; charset=utf-8',
	pmtiles: 'application/vnd.pmtiles'
};

export async function importPack(
	db: Db,
	clean: CleanPack,
	opts: { actor: AuditActor | string; onProgress?: OnProgress; now?: Date }
): Promise<ImportResult> {
	const t0 = performance.now();
	const actor = typeof opts.actor === 'string' ? namedActor(opts.actor) : opts.actor;
	const now = opts.now ?? new Date();
	const say = (fraction: number, zh: string, en: string) =>
		opts.onProgress?.({ step: 'import', fraction, message: { zh, en } });
	say(0.72, '写入数据库', 'Writing to the database');

	const city = toCityData(clean, now);
	const identity = identityOf(clean, now);
	const result = await db.transaction(async (tx) => {
		await tx.query('SELECT pg_advisory_xact_lock($1)', [CITY_LOCK]);
		const room = await makeRoom(tx, clean);
		let update: UpdateOutcome | null = null;
		if (room === 'update') {
			const [loaded] = await tx.query<{ value: Manifest }>(
				`SELECT value FROM meta WHERE key = 'manifest'`
			);
			update = await updateCity(tx, clean, city, actor, now);
			const manifest = updatedManifest(
				city.manifest,
				loaded?.value ?? null,
				update.incidentsSkipped || city.incidents.length === 0
			);
			await tx.query(`UPDATE meta SET value = $1::jsonb WHERE key = 'manifest'`, [
				JSON.stringify(manifest)
			]);
			await tx.exec('DELETE FROM city_asset');
			await bumpCityVersion(tx);
		} else await loadCity(tx, city);
		const removed = room === 'update' || room === null ? null : room;
		say(0.9, '写入底图与城市信息', 'Writing the basemap and the city identity');
		await storeAssets(tx, clean);
		await tx.query(
			`INSERT INTO meta (key, value) VALUES ('city', $1::jsonb)
			 ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
			[JSON.stringify(identity)]
		);
		const counts = {
			district: clean.units.district.length,
			street: clean.units.street.length,
			community: clean.units.community.length,
			grid: clean.units.grid.length,
			incidents: update && update.incidentsSkipped ? 0 : city.incidents.length
		};
		const mode = update
			? ('update' as const)
			: removed
				? ('takeover' as const)
				: ('fresh' as const);
		const [row] = await tx.query<{ id: number }>(
			`INSERT INTO city_pack_import (at, actor, name, code, version, hash, mode, counts, removed, report)
			 VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10::jsonb) RETURNING id`,
			[
				now,
				actor.displayName,
				clean.manifest.city.name.zh,
				clean.manifest.city.code,
				clean.manifest.version,
				clean.hash,
				mode,
				JSON.stringify(counts),
				removed ? JSON.stringify(removed) : update ? JSON.stringify(update.removed) : null,
				JSON.stringify(clean.report)
			]
		);
		await recordAudit(tx, {
			actor,
			action: `city.import.${mode}`,
			targetType: 'city',
			targetId: clean.manifest.city.code,
			after: {
				version: clean.manifest.version,
				hash: clean.hash,
				counts,
				removed,
				...(update ? { plans: update.plans, incidentsMoved: update.incidentsMoved } : {})
			}
		});
		return { mode, importId: row.id, counts, removed, update };
	});
	forgetTracks(db);
	await db.exec('ANALYZE');
	say(1, '导入完成', 'Import done');
	const { update, ...rest } = result;
	const moved = update?.moved ?? [];
	const events: LiveEvent[] = [];
	if (moved.length) events.push({ type: 'incidents', change: 'status', incidents: moved });
	events.push({ type: 'city', code: clean.manifest.city.code, version: clean.manifest.version });
	return {
		...rest,
		update: update ? (({ moved: _moved, ...u }) => u)(update) : null,
		seconds: Math.round(performance.now() - t0) / 1000,
		events
	};
}

/**
 * What the database holds decides the mode: nothing (null: fresh), the same real city
 * ('update'), the synthetic demo (emptied here; its removed row counts: takeover). Another real
 * city is refused.
 */
async function makeRoom(
	tx: Queryable,
	clean: CleanPack
): Promise<Record<string, number> | 'update' | null> {
	const [{ n }] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM street');
	if (n === 0) return null;
	const [row] = await tx.query<{
		synthetic: boolean | null;
		code: string | null;
		name: string | null;
	}>(
		`SELECT (m.value ->> 'synthetic')::boolean AS synthetic, c.value ->> 'code' AS code,
		        c.value #>> '{name,zh}' AS name
		 FROM meta m LEFT JOIN meta c ON c.key = 'city' WHERE m.key = 'manifest'`
	);
	if (row?.synthetic !== true) {
		if (row?.code === clean.manifest.city.code && !clean.manifest.city.synthetic) return 'update';
		throw new ApiError(
			409,
			`This database holds ${row?.name ?? 'another city'} (${row?.code ?? '?'}), a real city; a pack of ${clean.manifest.city.name.zh} (${clean.manifest.city.code}) is refused. Load it into an empty database (ONEMAP_DB_DIR or DATABASE_URL). 数据库中已有另一个真实城市，拒绝导入；请使用空数据库。`
		);
	}
	const removed: Record<string, number> = {};
	for (const table of ['incident', 'plan_version', 'grid', 'community', 'street', 'hazmat_site']) {
		const [c] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
		removed[table] = c.n;
	}
	// Everything that refers to the city's rows (cases, assignees, alerts, plans…) goes with them.
	await tx.exec(`TRUNCATE ${CITY_TABLES.join(', ')} CASCADE`);
	return removed;
}

async function storeAssets(tx: Queryable, clean: CleanPack): Promise<void> {
	const b = clean.manifest.basemap;
	const named: [string, string][] = [];
	if (b?.kind === 'onemap') {
		for (const role of ['land', 'sea', 'water', 'roads'] as const)
			if (b[role]) named.push([CITY_FILES[role], b[role]!]);
	} else if (b?.kind === 'pmtiles') named.push([basemapName(b.file), b.file]);
	for (const [name, path] of named) {
		const bytes = clean.assets[path];
		if (!bytes) continue;
		const ext = name.slice(name.lastIndexOf('.') + 1);
		await tx.query(
			`INSERT INTO city_asset (name, content_type, sha256, bytes) VALUES ($1, $2, $3, $4)
			 ON CONFLICT (name) DO UPDATE SET content_type = excluded.content_type, sha256 = excluded.sha256, bytes = excluded.bytes`,
			[
				name,
				CONTENT_TYPES[ext] ?? 'application/octet-stream',
				createHash('sha256').update(bytes).digest('hex'),
				bytes
			]
		);
	}
}

/** A pack file served under /data/basemap/: its base name. */
export function basemapName(path: string): string {
	return path.split(/[\\/]/).pop()!;
}

function identityOf(clean: CleanPack, now: Date): CityIdentity {
	const m = clean.manifest;
	const b = m.basemap;
	return {
		name: m.city.name,
		title: m.city.title ?? m.city.name,
		code: m.city.code,
		synthetic: m.city.synthetic,
		levels: m.levels.map((l) => ({ level: l.level, name: l.name })),
		view: m.view ?? null,
		basemap:
			!b || b.kind === 'onemap'
				? { kind: 'onemap' }
				: b.kind === 'pmtiles'
					? {
							kind: 'pmtiles',
							url: `/data/basemap/${basemapName(b.file)}`,
							flavor: b.flavor,
							...(b.attribution ? { attribution: b.attribution } : {})
						}
					: b.kind === 'raster'
						? {
								kind: 'raster',
								url: b.url,
								tileSize: b.tileSize,
								maxZoom: b.maxZoom,
								...(b.attribution ? { attribution: b.attribution } : {})
							}
						: { kind: 'style', url: b.url },
		pack: { version: m.version, hash: clean.hash, importedAt: now.toISOString() }
	};
}

const EMPTY_INCIDENTS: IncidentTable = {
	length: 0,
	id: [],
	lon: [],
	lat: [],
	ts: [],
	closedTs: [],
	type: [],
	source: [],
	status: [],
	priority: [],
	gridId: [],
	communityId: [],
	streetId: []
};

function feature<G extends Feature['geometry'], P>(geometry: G, properties: P) {
	return { type: 'Feature' as const, properties, geometry };
}

function unitProps(u: CleanUnit) {
	return {
		id: u.id,
		name: u.name,
		population: u.population,
		households: u.households,
		areaKm2: Math.round(u.areaKm2 * 1e4) / 1e4,
		labelLon: u.label[0],
		labelLat: u.label[1]
	};
}

/** The pack in the shape the city loader writes (domain/city.ts). */
function toCityData(clean: CleanPack, now: Date): CityData {
	const u = clean.units;
	const incidentsFile = clean.manifest.incidents;
	const incidents = incidentsFile?.file
		? readIncidentArrow(clean.assets[incidentsFile.file])
		: EMPTY_INCIDENTS;
	let latest = -Infinity;
	for (let i = 0; i < incidents.length; i++) latest = Math.max(latest, incidents.ts[i]);
	const endDate =
		incidentsFile?.endDate ?? cstDate(Number.isFinite(latest) ? latest : now.getTime());
	const endMs = cstDayStart(endDate) + DAY_MS;

	const streetOf = new Map(u.community.map((c) => [c.id, c.parentId ?? '']));
	let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
	for (const unit of u.street) {
		const polys =
			unit.geometry.type === 'Polygon' ? [unit.geometry.coordinates] : unit.geometry.coordinates;
		for (const p of polys)
			for (const [x, y] of p[0]) {
				x0 = Math.min(x0, x);
				y0 = Math.min(y0, y);
				x1 = Math.max(x1, x);
				y1 = Math.max(y1, y);
			}
	}
	const round6 = (v: number) => Math.round(v * 1e6) / 1e6;
	const patrols: Patrols = {
		routes: clean.patrolRoutes.map((r) => ({
			id: r.id,
			name: r.name,
			mode: r.mode ?? 'land',
			path: r.geometry.coordinates as [number, number][]
		})),
		units: clean.patrolUnits.map((p) => ({
			id: p.id,
			callsign: p.callsign,
			mode: p.mode,
			routeId: p.routeId,
			status: p.status ?? 'on_patrol',
			track: p.track as Patrols['units'][number]['track']
		}))
	};
	const manifest: Manifest = {
		synthetic: clean.manifest.city.synthetic,
		endDate,
		startMs: endMs - 365 * DAY_MS,
		endMs,
		bbox: [round6(x0), round6(y0), round6(x1), round6(y1)],
		center: clean.manifest.view?.center ?? [round6((x0 + x1) / 2), round6((y0 + y1) / 2)],
		counts: {
			streets: u.street.length,
			communities: u.community.length,
			grids: u.grid.length,
			roads: 0,
			hazmatSites: clean.hazmatSites.length,
			hazmatLanes: clean.hazmatLanes.length,
			patrolRoutes: patrols.routes.length,
			patrolUnits: patrols.units.length,
			incidents: incidents.length
		},
		attribution: clean.manifest.attribution
	};
	return {
		manifest,
		districts: {
			type: 'FeatureCollection',
			features: u.district.map((d) => feature(d.geometry, { ...unitProps(d), kind: d.kind }))
		},
		streets: {
			type: 'FeatureCollection',
			features: u.street.map(
				(s) =>
					feature(s.geometry, {
						...unitProps(s),
						kind: s.kind,
						...(s.parentId ? { districtId: s.parentId } : {})
					}) as unknown as StreetFeature
			)
		},
		communities: {
			type: 'FeatureCollection',
			features: u.community.map(
				(c) =>
					feature(c.geometry, {
						...unitProps(c),
						kind: c.kind,
						streetId: c.parentId ?? ''
					}) as unknown as CommunityFeature
			)
		},
		grids: {
			type: 'FeatureCollection',
			features: u.grid.map(
				(g) =>
					feature(g.geometry, {
						...unitProps(g),
						communityId: g.parentId ?? '',
						streetId: streetOf.get(g.parentId ?? '') ?? '',
						workerName: g.workerName,
						workerPhone: g.workerPhone
					}) as unknown as GridFeature
			)
		},
		hazmatSites: {
			type: 'FeatureCollection',
			features: clean.hazmatSites.map((s) =>
				feature(
					{ type: 'Point', coordinates: [s.lon, s.lat] },
					{
						id: s.id,
						name: s.name,
						zone: s.zone,
						hazardClass: s.hazardClass as 1,
						riskLevel: s.riskLevel,
						substances: s.substances,
						quantityTonnes: s.quantityTonnes,
						responsibleName: s.responsibleName,
						responsiblePhone: s.responsiblePhone,
						riskRadiusM: s.riskRadiusM,
						gridId: s.gridId
					}
				)
			)
		},
		hazmatLanes: {
			type: 'FeatureCollection',
			features: clean.hazmatLanes.map((l) =>
				feature(l.geometry, { id: l.id, name: l.name, siteIds: l.siteIds ?? [] })
			)
		},
		patrols,
		incidents
	};
}
