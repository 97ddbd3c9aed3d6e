/**
 * The city pack (issue 12): the one format a city's data comes in — a folder or a .zip with a
 * manifest `city.json` and the files it names. This module is the contract shared by the pack
 * reader (server/citypack/read), the geometry checker (server/citypack/check), the importer
 * (server/citypack/import), the demo generator (data/generator writes a pack), the CLI
 * (`npm run city -- check|import`), the admin page and the browser (city identity, basemap).
 *
 * Everything a person writes by hand is in `CityPackManifestSchema`; the JSON Schema published
 * in docs/city-pack.schema.json is generated from it (`cityPackJsonSchema()`).
 */
import { z } from 'zod';

/** The manifest's file name inside a pack. */
export const PACK_MANIFEST = 'city.json';
/** The format tag every manifest carries. */
export const PACK_FORMAT = 'onemap-city-pack/1';
/**
 * Digitising noise tolerance in metres when none is stated: the manifest's `toleranceM`
 * default, and the tolerance of the planner's import of one community's grids.
 */
export const DEFAULT_TOLERANCE_M = 1;

/** A text in both UI languages; `en` falls back to `zh` where absent. */
export const BilingualSchema = z
	.object({
		zh: z.string().trim().min(1).max(200),
		en: z.string().trim().min(1).max(200).optional()
	})
	.strict();
export type Bilingual = z.infer<typeof BilingualSchema>;

/**
 * Coordinate systems a pack may use. `EPSG:<code>` covers WGS84 (4326), CGCS2000 geographic
 * (4490) and CGCS2000 Gauss–Krüger zones (4491–4554, 3° and 6°); `GCJ-02` and `BD-09` are the
 * Chinese obfuscated systems of web maps. `auto` (a layer's default) means: the Shapefile's
 * `.prj` / the GeoPackage's srs when the file declares one, else the pack's `crs`.
 */
export const PackCrsSchema = z
	.string()
	.trim()
	.regex(/^(EPSG:\d{4,5}|GCJ-02|BD-09|CRS84|auto)$/i, 'EPSG:<code>, CRS84, GCJ-02, BD-09 or auto');
export type PackCrs = z.infer<typeof PackCrsSchema>;

/** A file inside the pack: a relative path, no `..`, no absolute paths. */
export const PackPathSchema = z
	.string()
	.trim()
	.min(1)
	.max(300)
	.refine((p) => !p.startsWith('/') && !p.split(/[\\/]/).includes('..') && !/^[a-z]:/i.test(p), {
		message: 'a path inside the pack (no "..", not absolute)'
	});

/**
 * Field mapping: OneMap's attribute → the column name in the user's file. Only `id` and `name`
 * are required for boundaries; missing optional ones are simply absent (population 0, no worker).
 */
export const FieldName = z.string().trim().min(1).max(100);

/** The administrative levels OneMap knows, from the top. A pack uses `street`, `community`,
 * `grid` (always, in this order) and optionally `district` above them. */
export const PACK_LEVELS = ['district', 'street', 'community', 'grid'] as const;
export type PackLevel = (typeof PACK_LEVELS)[number];

export const BoundaryLayerSchema = z
	.object({
		level: z.enum(PACK_LEVELS),
		/** How the city calls this level, e.g. {zh: "街道/镇", en: "Subdistrict/town"}. */
		name: BilingualSchema,
		/** GeoJSON (.geojson/.json), zipped Shapefile (.zip or .shp with siblings) or GeoPackage (.gpkg). */
		file: PackPathSchema.optional(),
		/** GeoPackage table or zipped Shapefile layer name when the file holds several. */
		layer: z.string().trim().min(1).max(100).optional(),
		crs: PackCrsSchema.default('auto'),
		/** Shapefile DBF encoding when there is no `.cpg` (e.g. "GB18030"); default UTF-8. */
		encoding: z.string().trim().min(1).max(40).optional(),
		/**
		 * No file: the level is the union of its children, named from the children's
		 * `parent`/`parentName` fields.
		 */
		derive: z.boolean().default(false),
		/**
		 * Not digitised yet: one unit per parent unit, with the parent's boundary, id
		 * (parent id + "00"/"001" padded to the level's usual length) and name. Lets a city start
		 * with the levels it has; the planner (/plan) splits them later. Not on the top level.
		 */
		copyParent: z.boolean().default(false),
		/** Required with `file`; with `derive` only `id`/`name` are read from the children's
		 * `parent`/`parentName`. */
		fields: z
			.object({
				id: FieldName,
				name: FieldName,
				/** The parent's id (a street's district, a community's street, a grid's community). */
				parent: FieldName.optional(),
				/** The parent's name, used only when the parent level is derived. */
				parentName: FieldName.optional(),
				/** street: subdistrict|town, community: community|village; inferred from the name's
				 * ending (街道/镇/乡, 社区/村) when not mapped. */
				kind: FieldName.optional(),
				population: FieldName.optional(),
				households: FieldName.optional(),
				workerName: FieldName.optional(),
				workerPhone: FieldName.optional()
			})
			.strict()
			.optional()
	})
	.strict();
export type BoundaryLayer = z.infer<typeof BoundaryLayerSchema>;

/** A table (CSV in UTF-8 or GB18030, XLSX) or a vector file, with a field mapping. */
const RegisterBase = {
	file: PackPathSchema,
	layer: z.string().trim().min(1).max(100).optional(),
	crs: PackCrsSchema.default('auto'),
	encoding: z.string().trim().min(1).max(40).optional(),
	/** XLSX sheet name (default: the first). */
	sheet: z.string().trim().min(1).max(100).optional()
};

export const HazmatSitesSchema = z
	.object({
		...RegisterBase,
		/** Separator(s) of the substances list in a table cell; default "、,;，；|". */
		substancesDelimiter: z.string().min(1).max(10).optional(),
		fields: z
			.object({
				id: FieldName,
				name: FieldName,
				/** Table input: longitude/latitude columns (vector input: the point geometry). */
				lon: FieldName.optional(),
				lat: FieldName.optional(),
				zone: FieldName.optional(),
				hazardClass: FieldName.optional(),
				riskLevel: FieldName.optional(),
				substances: FieldName.optional(),
				quantityTonnes: FieldName.optional(),
				responsibleName: FieldName.optional(),
				responsiblePhone: FieldName.optional(),
				riskRadiusM: FieldName.optional()
			})
			.strict()
	})
	.strict();

export const LinesSchema = z
	.object({
		...RegisterBase,
		fields: z
			.object({
				id: FieldName,
				name: FieldName,
				/** patrol routes: land|sea|air (or 陆/海/空); hazmat lanes: ignored. */
				mode: FieldName.optional(),
				/** hazmat lanes: the site ids the lane serves, as a delimited list. */
				siteIds: FieldName.optional()
			})
			.strict()
	})
	.strict();

export const PatrolUnitsSchema = z
	.object({
		...RegisterBase,
		fields: z
			.object({
				id: FieldName,
				callsign: FieldName,
				mode: FieldName.optional(),
				routeId: FieldName,
				/** on_patrol|standby (default on_patrol). */
				status: FieldName.optional(),
				/** A column holding OneMap's own 24 h track as JSON ({lon,lat,t}); the demo city uses
				 * it. Without one a unit has no simulated position until it reports. */
				track: FieldName.optional()
			})
			.strict()
	})
	.strict();

/**
 * The basemap. `onemap`: OneMap's own style drawn from GeoJSON layers in the pack (what the demo
 * city ships); `pmtiles`: a vector PMTiles file in the pack (OpenMapTiles or Protomaps schema),
 * served from the origin; `raster`: an intranet XYZ tile URL (e.g. an intranet Tianditu);
 * `style`: an intranet MapLibre style URL. URLs are the deployment's own choice and are shown on
 * /admin; nothing else leaves the origin.
 */
export const BasemapSchema = z.discriminatedUnion('kind', [
	z
		.object({
			kind: z.literal('onemap'),
			land: PackPathSchema.optional(),
			sea: PackPathSchema.optional(),
			water: PackPathSchema.optional(),
			roads: PackPathSchema.optional()
		})
		.strict(),
	z
		.object({
			kind: z.literal('pmtiles'),
			file: PackPathSchema,
			flavor: z.enum(['openmaptiles', 'protomaps']).default('protomaps'),
			attribution: z.string().max(300).optional()
		})
		.strict(),
	z
		.object({
			kind: z.literal('raster'),
			url: z.string().url().max(500),
			tileSize: z.number().int().min(64).max(1024).default(256),
			maxZoom: z.number().int().min(1).max(24).default(18),
			attribution: z.string().max(300).optional()
		})
		.strict(),
	z.object({ kind: z.literal('style'), url: z.string().url().max(500) }).strict()
]);
export type Basemap = z.infer<typeof BasemapSchema>;

export const CityPackManifestSchema = z
	.object({
		$schema: z.string().optional(),
		format: z.literal(PACK_FORMAT),
		city: z
			.object({
				name: BilingualSchema,
				/** Short title for headers, e.g. {zh: "滨海新区社会治理指挥中心"}; default from name. */
				title: BilingualSchema.optional(),
				/** GB/T 2260 code of the city or district, e.g. "120116". */
				code: z.string().regex(/^\d{6,12}$/, '6–12 digits (GB/T 2260 / 统计用区划代码)'),
				/** True only for generated data (the demo city): shown as such everywhere. */
				synthetic: z.boolean().default(false)
			})
			.strict(),
		/** The pack's own version, e.g. "2026-12" or "v3"; shown on /admin. */
		version: z.string().trim().min(1).max(50),
		/** Default CRS of every file that does not declare one. */
		crs: PackCrsSchema.default('EPSG:4326'),
		/** Digitising noise below this (metres) is repaired and reported; above it, refused. */
		toleranceM: z.number().min(0).max(200).default(DEFAULT_TOLERANCE_M),
		/** Default view; from the boundaries' extent when absent. */
		view: z
			.object({
				center: z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]),
				zoom: z.number().min(1).max(20)
			})
			.strict()
			.optional(),
		/** From the top: optional `district`, then `street`, `community`, `grid`. */
		levels: z.array(BoundaryLayerSchema).min(3).max(4),
		registers: z
			.object({
				hazmatSites: HazmatSitesSchema.optional(),
				hazmatLanes: LinesSchema.optional(),
				patrolRoutes: LinesSchema.optional(),
				patrolUnits: PatrolUnitsSchema.optional()
			})
			.strict()
			.default({}),
		/** Incident history in OneMap's own Arrow columns (domain/incidents.ts); the demo city ships
		 * one. A city's case history comes through the case import instead. */
		incidents: z
			.object({
				file: PackPathSchema,
				/** The last day the history covers (YYYY-MM-DD, UTC+8); default: the day of the
				 * latest incident. */
				endDate: z
					.string()
					.regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
					.optional()
			})
			.strict()
			.optional(),
		basemap: BasemapSchema.optional(),
		attribution: z.array(z.string().max(300)).max(20).default([])
	})
	.strict()
	.superRefine((m, ctx) => {
		const order = m.levels.map((l) => l.level).join('>');
		if (order !== 'street>community>grid' && order !== 'district>street>community>grid') {
			ctx.addIssue({
				code: 'custom',
				path: ['levels'],
				message: `levels must be [district,] street, community, grid from the top; got ${order}`
			});
		}
		m.levels.forEach((l, i) => {
			const ways = [l.file ? 1 : 0, l.derive ? 1 : 0, l.copyParent ? 1 : 0].reduce((a, b) => a + b);
			if (ways !== 1)
				ctx.addIssue({
					code: 'custom',
					path: ['levels', i, 'file'],
					message: 'exactly one of: a file, derive: true, copyParent: true'
				});
			if (l.file && !l.fields)
				ctx.addIssue({
					code: 'custom',
					path: ['levels', i, 'fields'],
					message: 'fields (at least id and name) for the file'
				});
			if (l.copyParent && i === 0)
				ctx.addIssue({
					code: 'custom',
					path: ['levels', i, 'copyParent'],
					message: 'the top level has no parent to copy'
				});
			if (l.derive && l.level === 'grid')
				ctx.addIssue({
					code: 'custom',
					path: ['levels', i, 'derive'],
					message: 'grids cannot be derived'
				});
		});
	});
export type CityPackManifest = z.infer<typeof CityPackManifestSchema>;

/** The JSON Schema of city.json (published as docs/city-pack.schema.json). */
export function cityPackJsonSchema(): Record<string, unknown> {
	return {
		...z.toJSONSchema(CityPackManifestSchema, { io: 'input', unrepresentable: 'any' }),
		title: 'OneMap city pack manifest (city.json)',
		description: 'See docs/city-pack.md. Format onemap-city-pack/1.'
	};
}

/** docs/city-pack.schema.json's exact text. */
export function cityPackSchemaText(): string {
	return JSON.stringify(cityPackJsonSchema(), null, '\t') + '\n';
}

// ───────────────────────── what the reader hands the checker ─────────────────────────

/** Where a value came from, so every problem can be located for a person. */
export interface SourceRef {
	file: string;
	/** 0-based feature / row index in the file (row 1 = first data row for tables: index 0). */
	index?: number;
	field?: string;
	layer?: string;
}

/** A boundary unit, in WGS84, after mapping and CRS conversion; not yet checked. */
export interface PackUnit {
	level: PackLevel;
	id: string;
	name: string;
	parentId: string | null;
	/** Set only when the parent level is derived. */
	parentName?: string;
	kind?: string;
	population: number;
	households: number;
	workerName: string;
	workerPhone: string;
	/** null for derived and copyParent levels until the checker fills them in. */
	geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon | null;
	source: SourceRef;
}

export interface PackHazmatSite {
	id: string;
	name: string;
	lon: number;
	lat: number;
	zone: string;
	hazardClass: number;
	riskLevel: 1 | 2 | 3 | 4;
	substances: string[];
	quantityTonnes: number;
	responsibleName: string;
	responsiblePhone: string;
	riskRadiusM: number;
	source: SourceRef;
}
export interface PackLine {
	id: string;
	name: string;
	mode?: 'land' | 'sea' | 'air';
	siteIds?: string[];
	geometry: GeoJSON.LineString;
	source: SourceRef;
}
export interface PackPatrolUnit {
	id: string;
	callsign: string;
	mode: 'land' | 'sea' | 'air';
	routeId: string;
	status?: 'on_patrol' | 'responding' | 'standby';
	/** 24 h of positions (domain/city.ts PatrolUnit.track), when the pack gives one. */
	track?: { lon: number[]; lat: number[]; t: number[] };
	source: SourceRef;
}

/** Everything read from a pack, in WGS84, mapped to OneMap's names. */
export interface ParsedPack {
	manifest: CityPackManifest;
	/** sha256 of the manifest and every file it names, in name order: identifies the pack. */
	hash: string;
	/** Units per level, in file order. Derived levels hold units with geometry null. */
	units: Record<PackLevel, PackUnit[]>;
	hazmatSites: PackHazmatSite[];
	hazmatLanes: PackLine[];
	patrolRoutes: PackLine[];
	patrolUnits: PackPatrolUnit[];
	/** Raw bytes of files served as they are: basemap GeoJSON/PMTiles, the incidents Arrow. */
	assets: Record<string, Uint8Array>;
	/** Facts worth telling (CRS taken from a .prj, encoding from a .cpg…), not problems. */
	notes: PackMessage[];
}

// ───────────────────────── the report a person reads ─────────────────────────

/**
 * One problem (refusal), repair or note, located and in both languages. `code` is stable and
 * listed in docs/city-pack.md with every message the checker can print.
 */
export interface PackMessage {
	code: string;
	severity: 'error' | 'repair' | 'note';
	zh: string;
	en: string;
	source?: SourceRef;
	/** The unit concerned (level + id), when there is one. */
	unit?: { level: PackLevel; id: string; name?: string };
	/** Where on the map, WGS84 [lon, lat]. */
	at?: [number, number];
	/** Area concerned or moved, m². */
	areaM2?: number;
}

export interface PackReport {
	ok: boolean;
	pack: { name: string; code: string; version: string; hash: string; synthetic: boolean };
	counts: Record<PackLevel, number> & {
		hazmatSites: number;
		hazmatLanes: number;
		patrolRoutes: number;
		patrolUnits: number;
		incidents: number;
	};
	errors: PackMessage[];
	repairs: PackMessage[];
	notes: PackMessage[];
	seconds: number;
}

/** Progress of a long step, for the terminal and /admin's progress bar. */
export interface PackProgress {
	step: 'read' | 'check' | 'repair' | 'import' | 'place' | 'done';
	/** 0..1 within the whole run. */
	fraction: number;
	message: { zh: string; en: string };
}
export type OnProgress = (p: PackProgress) => void;

/**
 * What the browser learns about the loaded city (in /data/manifest.json as `city`): the names,
 * the levels' names, the default view and the basemap kind. Written by the importer.
 */
export interface CityIdentity {
	name: Bilingual;
	title: Bilingual;
	code: string;
	synthetic: boolean;
	levels: { level: PackLevel; name: Bilingual }[];
	view: { center: [number, number]; zoom: number } | null;
	/** Basemap as the browser needs it: URLs are origin-relative for files in the pack. */
	basemap:
		| { kind: 'onemap' }
		| { kind: 'pmtiles'; url: string; flavor: 'openmaptiles' | 'protomaps'; attribution?: string }
		| { kind: 'raster'; url: string; tileSize: number; maxZoom: number; attribution?: string }
		| { kind: 'style'; url: string };
	pack: { version: string; hash: string; importedAt: string };
}

/** Name in the chosen language (in cityIdentity.ts: the browser must not load zod, whose
 * eval probe the Content-Security-Policy reports). */
export { bilingual } from './cityIdentity';

// ───────────────────────── what the checker hands the importer ─────────────────────────

/** A boundary unit after checking and repair: final geometry, resolved kind, area and label. */
export interface CleanUnit extends Omit<PackUnit, 'geometry' | 'kind'> {
	/** Grids are always one Polygon (one worker walks one piece); higher levels may be Multi. */
	geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon;
	/** street: subdistrict|town; community: community|village; district: district; grid: grid. */
	kind: string;
	areaKm2: number;
	/** A point inside the unit, for its label. */
	label: [number, number];
}

/** A hazmat site placed in its grid (sites outside every grid are refused by the checker). */
export interface CleanHazmatSite extends PackHazmatSite {
	gridId: string;
}

/**
 * A pack that passed the checks: every level tiles its parent (after repair), ids are unique,
 * every reference resolves. The importer trusts it and only writes it.
 */
export interface CleanPack {
	manifest: CityPackManifest;
	hash: string;
	/** `district` is [] for a city without that level. */
	units: Record<PackLevel, CleanUnit[]>;
	hazmatSites: CleanHazmatSite[];
	hazmatLanes: PackLine[];
	patrolRoutes: PackLine[];
	patrolUnits: PackPatrolUnit[];
	assets: Record<string, Uint8Array>;
	/** The report the check produced (kept with the import, shown on /admin). */
	report: PackReport;
}

/** The largest pack /admin accepts as an upload (larger ones: `npm run city -- import`). */
export const CITY_PACK_MAX_BYTES = 256 * 1024 * 1024;

/**
 * One line of POST /api/admin/city/import's answer (NDJSON, one JSON object per line): progress
 * while it runs, then exactly one of done / refused / failed.
 */
/**
 * How an import met the database: `fresh` (empty), `takeover` (the synthetic demo city removed
 * first), `update` (a new version of the loaded city, through the grid-plan history).
 */
export type ImportMode = 'fresh' | 'takeover' | 'update';

/** What an update changed, in numbers for a person (the full lists are in the audit log). */
export interface UpdateSummary {
	plans: number;
	incidentsMoved: number;
	added: number;
	removed: number;
	incidentsSkipped: boolean;
}

export type PackImportLine =
	| { progress: PackProgress }
	| {
			done: {
				report: PackReport;
				mode: ImportMode;
				update: UpdateSummary | null;
				importId: number;
				seconds: number;
			};
	  }
	| { refused: { report: PackReport } }
	| { failed: { message: string } };

/** One row of the import history (GET /api/admin/city, shown on /admin). */
export interface PackImportEntry {
	id: number;
	at: number;
	actor: string;
	name: string;
	code: string;
	version: string;
	hash: string;
	mode: ImportMode;
}

export interface LoadedCity {
	city: CityIdentity;
	imports: PackImportEntry[];
	/** The intranet basemap URL the deployment configured, if any (shown to the admin). */
	basemapUrl: string | null;
}
