/**
 * Import and export of a community's grids (issue 7) as GeoJSON or zipped Shapefile, in WGS84
 * (CGCS2000 is treated as WGS84: they differ by centimetres), GCJ-02 or BD-09.
 *
 * Export: coordinates converted from WGS84 with gcoord; WGS84 keeps the stored 9 decimals,
 * GCJ-02/BD-09 are written at full double precision, so the conversion back on import lands
 * on the same 9-decimal coordinates. Shapefile: @mapbox/shp-write writes .shp/.shx/.dbf (outer
 * rings clockwise as the format wants), the zip adds .prj (WGS84 geographic — GCJ-02 and BD-09
 * have no official definition) and .cpg (UTF-8; strings are written as UTF-8 bytes). Attribute
 * names ≤ 10 characters: SHAPEFILE_FIELDS (src/lib/domain/plans.ts).
 *
 * Import: the whole file is read and checked before anything is stored (never a half-import):
 * unreadable file, no/several layers, wrong geometry type, broken rings, NaN or out-of-range
 * coordinates, then the invariants (core + PostGIS) — every problem listed with the feature
 * (its id, else its index), a reason and a location. Missing properties are filled: id (fresh),
 * name and worker from the published grid it overlaps most, population and households
 * area-weighted from the published grids. It then becomes the draft (same 409 rule as a save).
 *
 * Tolerance (issue 12): a file re-saved by another GIS, or converted at 6–8 decimals, misses
 * the stored outline and its own shared vertices by millimetres to centimetres. Vertices within
 * `toleranceM` (default: the city pack's DEFAULT_TOLERANCE_M, 1 m) of the community outline or
 * of an earlier grid snap onto it (the planner's snapGrids) and the answer reports the moves;
 * farther ones are left and refused by the invariants as before, located.
 */
import { write as writeShapefile } from '@mapbox/shp-write';
import gcoord from 'gcoord';
import JSZip from 'jszip';
import { combine, parseDbf, parseShp } from 'shpjs';
import type { Feature, Geometry, Polygon, Position } from 'geojson';
import type { GridCollection, GridFeature, GridProps } from '$lib/domain/city';
import { DEFAULT_TOLERANCE_M } from '$lib/domain/cityPack';
import {
	MAX_PLAN_GRIDS,
	MAX_UNZIPPED_BYTES,
	PLAN_CRS,
	PLAN_FORMATS,
	SHAPEFILE_FIELDS,
	type PlanCrs,
	type PlanFormat,
	type PlanImportResult,
	type PlanImportSnaps,
	type PlanProblem
} from '$lib/domain/plans';
import { snapGrids, type VertexMiss, type VertexSnap } from '$lib/plan';
import type { AuditActor } from '../audit/audit';
import type { Db, Queryable } from '../db/types';
import { MAX_INT32 } from '../http/params';
import { showControls, textProblem } from '../http/body';
import { ApiError } from '../http/errors';
import { versionGrids } from './history';
import { allocateIds, usedGridIds } from './publish';
import {
	checkedGrids,
	expectDraftVersion,
	invalidDraft,
	loadCommunity,
	loadDraft,
	publishedGrids,
	storeDraft
} from './store';
import { GAP, OUTSIDE, OVERLAP, structuralProblems } from './check';

export const UNREADABLE_FILE = 'unreadable_file';
export const NO_SHAPEFILE = 'no_shapefile';
export const SEVERAL_LAYERS = 'several_layers';
export const NOT_FEATURE_COLLECTION = 'not_feature_collection';
export const BAD_PROPERTY = 'bad_property';
export const TOO_LARGE_UNPACKED = 'too_large_unpacked';
export const TOO_MANY_FEATURES = 'too_many_features';
/** A vertex near the outline or a neighbour, but farther than the tolerance (not snapped). */
export const BEYOND_TOLERANCE = 'beyond_tolerance';

// ---------------------------------------------------------------------------------------------
// Coordinate systems

const GCOORD = { wgs84: gcoord.WGS84, gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

export function parseCrs(raw: string | null): PlanCrs {
	const key = (raw ?? 'wgs84').toLowerCase().replace(/[\s_-]/g, '');
	const crs = key === 'cgcs2000' ? 'wgs84' : key;
	if (!(PLAN_CRS as readonly string[]).includes(crs))
		throw new ApiError(
			400,
			`crs: must be one of ${PLAN_CRS.join(', ')} (CGCS2000 counts as wgs84), got "${raw}".`,
			'crs'
		);
	return crs as PlanCrs;
}

export function parseFormat(raw: string | null): PlanFormat {
	const f = raw ?? 'geojson';
	if (!(PLAN_FORMATS as readonly string[]).includes(f))
		throw new ApiError(400, `format: must be geojson or shapefile, got "${raw}".`, 'format');
	return f as PlanFormat;
}

const round9 = (x: number) => Math.round(x * 1e9) / 1e9;

export function fromWgs84(p: Position, crs: PlanCrs): [number, number] {
	if (crs === 'wgs84') return [p[0], p[1]];
	const [x, y] = gcoord.transform([p[0], p[1]], gcoord.WGS84, GCOORD[crs]) as [number, number];
	return [x, y];
}

/**
 * GCJ-02/BD-09 → WGS84, exact to ~1e-12°: gcoord's inverse (BD-09's is off by up to ~1e-6°) is
 * refined by fixed-point steps on the forward transform.
 */
export function toWgs84(p: Position, crs: PlanCrs): [number, number] {
	if (crs === 'wgs84') return [p[0], p[1]];
	const from = GCOORD[crs];
	let [x, y] = gcoord.transform([p[0], p[1]], from, gcoord.WGS84) as [number, number];
	for (let k = 0; k < 4; k++) {
		const [fx, fy] = gcoord.transform([x, y], gcoord.WGS84, from) as [number, number];
		const [dx, dy] = [fx - p[0], fy - p[1]];
		x -= dx;
		y -= dy;
		if (Math.abs(dx) < 1e-13 && Math.abs(dy) < 1e-13) break;
	}
	return [x, y];
}

function mapPolygon(geom: Polygon, f: (p: Position) => [number, number]): Polygon {
	return { type: 'Polygon', coordinates: geom.coordinates.map((ring) => ring.map(f)) };
}

// ---------------------------------------------------------------------------------------------
// Export

export type PlanSource = 'draft' | 'published' | number;

export function parseSource(raw: string | null): PlanSource {
	const s = raw ?? 'published';
	if (s === 'draft' || s === 'published') return s;
	if (/^\d+$/.test(s) && Number(s) <= MAX_INT32) return Number(s);
	throw new ApiError(
		400,
		`source: must be draft, published or a plan version number, got "${raw}".`,
		'source'
	);
}

async function sourceGrids(q: Queryable, cid: string, source: PlanSource): Promise<GridCollection> {
	await loadCommunity(q, cid);
	if (source === 'published') return publishedGrids(q, cid);
	if (source === 'draft') {
		const draft = await loadDraft(q, cid);
		if (!draft) throw new ApiError(404, `Community ${cid} has no draft to export.`, 'source');
		return draft.grids;
	}
	return versionGrids(q, cid, source);
}

/** Signed area ×2 of a ring (> 0: counter-clockwise). */
function ringArea(ring: Position[]): number {
	let s = 0;
	for (let i = 1; i < ring.length; i++)
		s += (ring[i - 1][0] - ring[i][0]) * (ring[i - 1][1] + ring[i][1]);
	return s;
}

/** Rings wound as wanted: `outerCcw` true = RFC 7946 (GeoJSON), false = Shapefile. */
function wind(rings: Position[][], outerCcw: boolean): Position[][] {
	return rings.map((ring, i) => {
		const ccw = ringArea(ring) > 0;
		const want = i === 0 ? outerCcw : !outerCcw;
		return ccw === want ? ring : ring.slice().reverse();
	});
}

/** UTF-8 bytes as a "binary string": the dbf writer stores one byte per character code. */
const utf8Bytes = (s: string) => Buffer.from(s, 'utf8').toString('latin1');

const WGS84_PRJ =
	'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["Degree",0.017453292519943295]]';

export interface ExportFile {
	body: Uint8Array;
	contentType: string;
	filename: string;
}

export async function exportPlan(
	q: Queryable,
	cid: string,
	format: PlanFormat,
	crs: PlanCrs,
	source: PlanSource
): Promise<ExportFile> {
	const grids = await sourceGrids(q, cid, source);
	const features = grids.features.map((f) => ({
		...f,
		geometry: mapPolygon(f.geometry, (p) => fromWgs84(p, crs))
	}));
	const base = `grids-${cid}-${source === 'published' || source === 'draft' ? source : `v${source}`}-${crs}`;
	if (format === 'geojson') {
		const body = JSON.stringify({ type: 'FeatureCollection', crs_name: crs, features });
		return {
			body: new TextEncoder().encode(body),
			contentType: 'application/geo+json',
			filename: `${base}.geojson`
		};
	}
	const rows = features.map((f) => {
		const p = f.properties;
		return {
			[SHAPEFILE_FIELDS.id]: utf8Bytes(p.id),
			[SHAPEFILE_FIELDS.name]: utf8Bytes(p.name),
			[SHAPEFILE_FIELDS.communityId]: utf8Bytes(p.communityId),
			[SHAPEFILE_FIELDS.streetId]: utf8Bytes(p.streetId),
			[SHAPEFILE_FIELDS.population]: p.population,
			[SHAPEFILE_FIELDS.households]: p.households,
			[SHAPEFILE_FIELDS.areaKm2]: p.areaKm2,
			[SHAPEFILE_FIELDS.workerName]: utf8Bytes(p.workerName),
			[SHAPEFILE_FIELDS.workerPhone]: utf8Bytes(p.workerPhone)
		};
	});
	const geometries = features.map((f) => wind(f.geometry.coordinates, false));
	const files = await new Promise<{ shp: DataView; shx: DataView; dbf: DataView }>(
		(resolve, reject) =>
			writeShapefile(rows, 'POLYGON', geometries, (err, out) =>
				err ? reject(err) : resolve(out as { shp: DataView; shx: DataView; dbf: DataView })
			)
	);
	const zip = new JSZip();
	const bytes = (v: DataView) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
	zip.file(`${base}.shp`, bytes(files.shp));
	zip.file(`${base}.shx`, bytes(files.shx));
	zip.file(`${base}.dbf`, bytes(files.dbf));
	zip.file(`${base}.prj`, WGS84_PRJ);
	zip.file(`${base}.cpg`, 'UTF-8');
	const body = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
	return { body, contentType: 'application/zip', filename: `${base}.zip` };
}

// ---------------------------------------------------------------------------------------------
// Import

const fileProblem = (reason: string, message: string): PlanProblem => ({
	feature: null,
	reason,
	location: null,
	message
});

function refuse(problems: PlanProblem[]): never {
	throw invalidDraft(problems, 'The file');
}

/** Thrown while unpacking once the zip has given more than MAX_UNZIPPED_BYTES. */
class Unpacked extends Error {}

/**
 * One file of the zip, unpacked while counting against `budget` (shared by all files of the
 * zip): stops at MAX_UNZIPPED_BYTES whatever sizes the zip declares.
 */
function unpack(file: JSZip.JSZipObject, budget: { left: number }): Promise<Uint8Array> {
	return new Promise((resolve, reject) => {
		const parts: Uint8Array[] = [];
		const stream = file.nodeStream('nodebuffer');
		stream
			.on('data', (chunk: Buffer) => {
				budget.left -= chunk.byteLength;
				if (budget.left < 0) {
					stream.pause();
					reject(new Unpacked());
				} else parts.push(chunk);
			})
			.on('error', reject)
			.on('end', () => resolve(Buffer.concat(parts)));
	});
}

/** A zipped Shapefile → features (properties as in the .dbf), or 422 saying why not. */
export async function readShapefile(bytes: Uint8Array): Promise<Feature[]> {
	let zip: JSZip;
	let names: string[];
	try {
		zip = await JSZip.loadAsync(bytes);
		names = Object.keys(zip.files).filter((n) => !n.includes('__MACOSX') && !zip.files[n].dir);
	} catch (err) {
		refuse([
			fileProblem(
				UNREADABLE_FILE,
				`The file is not a readable zip archive (${(err as Error).message}); it may be truncated. Export the Shapefile again and zip .shp, .shx, .dbf, .prj and .cpg together.`
			)
		]);
	}
	const shps = names.filter((n) => n.toLowerCase().endsWith('.shp'));
	if (shps.length === 0)
		refuse([
			fileProblem(
				NO_SHAPEFILE,
				`The zip holds no .shp file (it has: ${names.slice(0, 20).join(', ') || 'nothing'}). Zip the Shapefile's .shp, .shx, .dbf (and .prj, .cpg).`
			)
		]);
	if (shps.length > 1)
		refuse([
			fileProblem(
				SEVERAL_LAYERS,
				`The zip holds ${shps.length} Shapefiles (${shps.slice(0, 20).join(', ')}); import one community's grids, one layer at a time.`
			)
		]);
	const stem = shps[0].slice(0, -4).toLowerCase();
	const part = (ext: string) => names.find((n) => n.toLowerCase() === `${stem}.${ext}`);
	const dbfName = part('dbf');
	if (!dbfName)
		refuse([
			fileProblem(
				NO_SHAPEFILE,
				`${shps[0]} has no .dbf beside it: the grids' attributes (id, name, worker…) are missing.`
			)
		]);
	// Only the layer's own files are unpacked, and never more than MAX_UNZIPPED_BYTES in all.
	const budget = { left: MAX_UNZIPPED_BYTES };
	const text = (b: Uint8Array | null) => (b ? new TextDecoder().decode(b) : undefined);
	let files: (Uint8Array | null)[];
	try {
		files = [];
		for (const name of [shps[0], dbfName, part('prj'), part('cpg')])
			files.push(name ? await unpack(zip.files[name], budget) : null);
	} catch (err) {
		if (err instanceof Unpacked)
			refuse([
				fileProblem(
					TOO_LARGE_UNPACKED,
					`The Shapefile unpacks to more than ${MAX_UNZIPPED_BYTES / 1024 / 1024} MiB; one community's grids are far smaller. Is it the right layer?`
				)
			]);
		refuse([
			fileProblem(
				UNREADABLE_FILE,
				`The zip could not be unpacked (${(err as Error).message}); it may be damaged.`
			)
		]);
	}
	const [shp, dbf, prj, cpg] = files;
	try {
		const fc = combine([parseShp(shp!, text(prj)), parseDbf(dbf!, text(cpg))]);
		return fc.features;
	} catch (err) {
		refuse([
			fileProblem(
				UNREADABLE_FILE,
				`The Shapefile could not be read (${(err as Error).message || String(err)}); it may be truncated or not a polygon layer.`
			)
		]);
	}
}

function readGeoJson(bytes: Uint8Array): Feature[] {
	let value: unknown;
	try {
		value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
	} catch (err) {
		refuse([
			fileProblem(UNREADABLE_FILE, `The file is not valid UTF-8 JSON (${(err as Error).message}).`)
		]);
	}
	const fc = value as { type?: unknown; features?: unknown };
	if (fc?.type === 'Feature') return [fc as Feature];
	if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features))
		refuse([
			fileProblem(
				NOT_FEATURE_COLLECTION,
				`The GeoJSON must be a FeatureCollection of Polygon features (got ${JSON.stringify(fc?.type ?? typeof value)}).`
			)
		]);
	return fc.features as Feature[];
}

/** Property `key` of a feature from a file: the GridProps name or its Shapefile name. */
function prop(p: Record<string, unknown>, key: keyof GridProps): unknown {
	if (key in p) return p[key];
	const short = SHAPEFILE_FIELDS[key];
	const hit = Object.keys(p).find((k) => k.toLowerCase() === short.toLowerCase());
	return hit === undefined ? undefined : p[hit];
}

const missing = (v: unknown) => v === undefined || v === null;

/** The answer's summary of the moves (distances rounded to the millimetre). */
function snapReport(
	snaps: VertexSnap[],
	idOf: (index: number) => string,
	toleranceM: number
): PlanImportSnaps {
	const mm = (m: number) => Math.round(m * 1000) / 1000;
	const grids = new Map<number, { id: string; vertices: number; maxDistanceM: number }>();
	let max = 0;
	for (const s of snaps) {
		const g = grids.get(s.index) ?? { id: idOf(s.index), vertices: 0, maxDistanceM: 0 };
		g.vertices++;
		g.maxDistanceM = Math.max(g.maxDistanceM, mm(s.distanceM));
		grids.set(s.index, g);
		max = Math.max(max, mm(s.distanceM));
	}
	return {
		toleranceM,
		vertices: snaps.length,
		maxDistanceM: max,
		grids: [...grids.entries()].sort((a, b) => a[0] - b[0]).map(([, g]) => g)
	};
}

/**
 * The vertices that missed the outline or a neighbour by more than the tolerance, as problems
 * located at the vertex itself — only for grids a gap, overlap or outside piece involves (a gap
 * around no grid in particular involves them all), so a legitimate vertex near a neighbour is
 * never blamed for nothing.
 */
function missedVertices(
	problems: readonly PlanProblem[],
	misses: readonly VertexMiss[],
	grids: readonly GridFeature[],
	key: (i: number) => string | number,
	crs: PlanCrs,
	toleranceM: number
): PlanProblem[] {
	const tiling = problems.filter((p) => [GAP, OUTSIDE, OVERLAP].includes(p.reason));
	if (tiling.length === 0) return [];
	const involved = new Set(tiling.flatMap((p) => p.gridIds ?? []));
	const all = tiling.some((p) => !p.gridIds?.length);
	return misses
		.filter((m) => all || involved.has(grids[m.index].properties.id))
		.map((m) => {
			const label =
				typeof key(m.index) === 'number' ? `Feature #${key(m.index)}` : `Grid ${key(m.index)}`;
			const at = `${m.at[0].toFixed(7)}, ${m.at[1].toFixed(7)}`;
			const inFile =
				crs === 'wgs84'
					? ''
					: ` (${fromWgs84(m.at, crs)
							.map((x) => x.toFixed(7))
							.join(', ')} in ${crs})`;
			const what = m.outline ? 'the community outline' : 'a neighbouring grid';
			const where = m.ring === 0 ? 'its outer ring' : `hole ${m.ring}`;
			return {
				feature: key(m.index),
				reason: BEYOND_TOLERANCE,
				location: m.at,
				message: `${label}: the vertex at ${at}${inFile} (${where}, position ${m.position}) is ${m.distanceM.toFixed(2)} m from ${what}, beyond the ${toleranceM} m tolerance, so it was not snapped.`,
				gridIds: [grids[m.index].properties.id]
			};
		});
}

interface Filled {
	n: number;
	best_id: string | null;
	best_name: string | null;
	worker_name: string | null;
	worker_phone: string | null;
	population: number | null;
	households: number | null;
}

/** A text property holding a control or bidi character (or a lone surrogate), located. */
const badText = (
	feature: string | number,
	label: string,
	field: string,
	value: string,
	problem: string
): PlanProblem => ({
	feature,
	reason: BAD_PROPERTY,
	location: null,
	message: `${label}: ${field} "${showControls(value).slice(0, 60)}" ${problem}.`
});

/**
 * POST /api/plans/{cid}/import: the file becomes the draft, or 422 listing every problem.
 * `seen`: the draft version the client started from (null: there must be no draft).
 */
export async function importPlan(
	db: Db,
	cid: string,
	bytes: Uint8Array,
	kind: 'geojson' | 'shapefile',
	crs: PlanCrs,
	seen: number | null,
	actor: AuditActor | string,
	toleranceM: number = DEFAULT_TOLERANCE_M
): Promise<PlanImportResult> {
	const community = await loadCommunity(db, cid);
	await expectDraftVersion(db, cid, seen);
	const raw = kind === 'shapefile' ? await readShapefile(bytes) : readGeoJson(bytes);
	// Before anything looks at each feature: a plan has at most MAX_PLAN_GRIDS grids.
	if (raw.length > MAX_PLAN_GRIDS)
		refuse([
			fileProblem(
				TOO_MANY_FEATURES,
				`The file holds ${raw.length} features; a community's plan has at most ${MAX_PLAN_GRIDS} grids.`
			)
		]);

	const problems: PlanProblem[] = [];
	// A feature's label in problems: its id in the file, else its index (also when the id holds
	// a control or bidi character: http/body.ts textProblem, the check of every outside text).
	const fileIds = raw.map((f, i) => {
		const id = f?.properties ? prop(f.properties, 'id') : undefined;
		if (typeof id === 'string' && id.trim()) {
			const problem = textProblem(id);
			if (problem === null) return id.trim();
			problems.push(badText(i, `Feature #${i}`, 'id', id, problem));
			return null;
		}
		return typeof id === 'number' ? String(id) : null;
	});

	// Geometry: one-part MultiPolygons (common in Shapefiles) are Polygons; broken ones listed.
	const shaped: GridFeature[] = raw.map((f, i) => {
		let geometry = (f?.geometry ?? null) as Geometry | null;
		if (geometry?.type === 'MultiPolygon' && geometry.coordinates.length === 1)
			geometry = { type: 'Polygon', coordinates: geometry.coordinates[0] };
		return {
			type: 'Feature',
			properties: { id: fileIds[i] ?? `#${i}` } as GridProps,
			geometry: geometry as Polygon
		};
	});
	const key = (i: number) => fileIds[i] ?? i;
	const structural = structuralProblems(shaped, (i) => key(i));
	problems.push(...structural);
	const broken = new Set(structural.map((p) => p.feature));
	const sound = (i: number) => !broken.has(key(i));

	// Into WGS84 at 9 decimals; rings wound RFC 7946 (a Shapefile's outer rings are clockwise);
	// then vertices within the tolerance snap to the outline and to each other.
	const snapped = snapGrids(
		community.outline,
		shaped.map((f, i) =>
			sound(i)
				? {
						type: 'Polygon' as const,
						coordinates: wind(f.geometry.coordinates, true).map((ring) =>
							ring.map((p) => toWgs84(p, crs).map(round9) as [number, number])
						)
					}
				: null
		),
		toleranceM
	);
	const geoms = shaped.map((f, i) => snapped.grids[i] ?? f.geometry);

	// Fill what is missing from the published grids the feature overlaps.
	const soundIdx = raw.map((_, i) => i).filter(sound);
	const filled = new Map<number, Filled>();
	if (soundIdx.length) {
		const rows = await db.query<Filled>(
			`WITH f AS (
			   SELECT t.n::int AS n, ST_SetSRID(ST_GeomFromGeoJSON(t.gj), 4326) AS geom
			   FROM unnest($2::int[], $3::text[]) AS t(n, gj)
			 ), p AS (SELECT * FROM grid WHERE community_id = $1)
			 SELECT f.n, b.id AS best_id, b.name AS best_name, b.worker_name, b.worker_phone,
			   w.population, w.households
			 FROM f
			 LEFT JOIN LATERAL (
			   SELECT p.id, p.name, p.worker_name, p.worker_phone FROM p
			   WHERE ST_IsValid(f.geom) AND p.geom && f.geom AND ST_Intersects(p.geom, f.geom)
			   ORDER BY ST_Area(ST_Intersection(p.geom, f.geom)) DESC LIMIT 1
			 ) b ON true
			 LEFT JOIN LATERAL (
			   SELECT round(sum(p.population * ST_Area(ST_Intersection(p.geom, f.geom)) / ST_Area(p.geom)))::int AS population,
			     round(sum(p.households * ST_Area(ST_Intersection(p.geom, f.geom)) / ST_Area(p.geom)))::int AS households
			   FROM p WHERE ST_IsValid(f.geom) AND p.geom && f.geom AND ST_Intersects(p.geom, f.geom)
			     AND ST_Area(p.geom) > 0
			 ) w ON true`,
			[cid, soundIdx, soundIdx.map((i) => JSON.stringify(geoms[i]))]
		);
		for (const r of rows) filled.set(r.n, r);
	}
	const used = await usedGridIds(db, cid);
	for (const id of fileIds) if (id) used.add(id);
	const needIds = fileIds.filter((id) => id === null).length;
	const fresh = allocateIds(cid, used, needIds);

	const grids: GridFeature[] = raw.map((f, i) => {
		const p = (f?.properties ?? {}) as Record<string, unknown>;
		const fill = filled.get(i);
		const label = typeof key(i) === 'number' ? `Feature #${i}` : `Grid ${key(i)}`;
		const text = (k: keyof GridProps, dflt: string): string => {
			const v = prop(p, k);
			if (missing(v)) return dflt;
			if (typeof v === 'number') return String(v);
			if (typeof v === 'string') {
				const problem = textProblem(v);
				if (problem !== null) problems.push(badText(key(i), label, k, v, problem));
				return v.trim();
			}
			problems.push({
				feature: key(i),
				reason: BAD_PROPERTY,
				location: null,
				message: `${label}: ${k} must be text, got ${JSON.stringify(v)}.`
			});
			return dflt;
		};
		const num = (k: keyof GridProps, dflt: number, integer: boolean): number => {
			const v = prop(p, k);
			if (missing(v) || v === '') return dflt;
			const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim()) : NaN;
			if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
				problems.push({
					feature: key(i),
					reason: BAD_PROPERTY,
					location: null,
					message: `${label}: ${k} must be a ${integer ? 'whole ' : ''}number ≥ 0, got ${JSON.stringify(v)}.`
				});
				return dflt;
			}
			return n;
		};
		const id = fileIds[i] ?? fresh.shift()!;
		return {
			type: 'Feature',
			properties: {
				id,
				name: text('name', fill?.best_name ?? id),
				communityId: text('communityId', cid),
				streetId: text('streetId', community.streetId),
				population: num('population', fill?.population ?? 0, true),
				households: num('households', fill?.households ?? 0, true),
				areaKm2: num('areaKm2', 0, false),
				workerName: text('workerName', fill?.worker_name ?? ''),
				workerPhone: text('workerPhone', fill?.worker_phone ?? '')
			},
			geometry: geoms[i] as Polygon
		};
	});

	// Invariants of the sound grids (core + PostGIS), with the file's labels.
	const soundGrids = grids.filter((_, i) => sound(i));
	const labelOf = (k: number, g: GridFeature) => {
		const i = grids.indexOf(g);
		return fileIds[i] ?? (i >= 0 ? i : k);
	};
	let checked: GridCollection | null = null;
	try {
		checked = await checkedGrids(db, community, soundGrids, labelOf, 'The file');
	} catch (err) {
		if (!(err instanceof ApiError) || err.status !== 422) throw err;
		const listed = (err.details.errors as PlanProblem[]) ?? [];
		// With broken features left out, the rest has gaps where they were: not worth listing.
		problems.push(
			...(structural.length
				? listed.filter((p) => !['gap', 'no_grids'].includes(p.reason))
				: listed)
		);
	}
	if (raw.length === 0)
		problems.push(fileProblem('no_grids', 'The file holds no features: a plan needs grids.'));
	problems.push(...missedVertices(problems, snapped.misses, grids, key, crs, toleranceM));
	if (problems.length || !checked) refuse(problems);
	const clean = checked;
	const snaps = snapReport(snapped.snaps, (i) => grids[i].properties.id, toleranceM);
	const draft = await db.transaction((tx) =>
		storeDraft(tx, cid, seen, clean, undefined, actor, 'plan.import')
	);
	return { draft, snaps };
}
