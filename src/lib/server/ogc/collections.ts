/**
 * The feature collections OneMap publishes over OGC API – Features, each a table of the
 * database: property names as in the app's data contract (src/lib/domain/city.ts), times as
 * RFC 3339 UTC strings. Each property is also a queryable (Part 3): `filter`, `sortby` and
 * `properties` name them, and only these names ever reach the SQL (as their column expression).
 */
import { INCIDENT_SOURCES, INCIDENT_STATUSES, INCIDENT_TYPES } from '$lib/domain/incidents';

/** The JSON Schema type of a queryable, and how the SQL compares it. */
export type FieldType = 'string' | 'integer' | 'number' | 'datetime';

export interface Field {
	/** The property name in the answer and in filters. */
	name: string;
	type: FieldType;
	/** SQL of the value to compare and sort by (alias `t`); a column, never client text. */
	sql: string;
	/** SQL of the value in the answer, when it differs from `sql` (times as RFC 3339 text). */
	out?: string;
	/** The column may be NULL. */
	nullable?: boolean;
	enum?: readonly (string | number)[];
	title?: string;
}

export interface CollectionDef {
	id: string;
	title: string;
	description: string;
	table: string;
	/** Ascending, unique integer column for keyset paging and a stable order. */
	key: string;
	/** The properties of a feature, in answer order. */
	fields: Field[];
	/** The geometry type, as the queryables' JSON Schema names it (`geometry-polygon`). */
	geometry: string;
	/** Timestamp column the datetime parameter filters on; none = not temporal. */
	temporal?: string;
	/** Feature ids are integers (incidents) or strings (codes such as "120116001"). */
	numericIds: boolean;
	/** Left out of the collection list while empty (a city without a district level). */
	optional?: boolean;
}

const iso = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const s = (name: string, col: string, more: Partial<Field> = {}): Field => ({
	name,
	type: 'string',
	sql: `t.${col}`,
	...more
});
const int = (name: string, col: string, more: Partial<Field> = {}): Field => ({
	name,
	type: 'integer',
	sql: `t.${col}`,
	...more
});
const num = (name: string, col: string): Field => ({ name, type: 'number', sql: `t.${col}` });
const time = (name: string, col: string, nullable = false): Field => ({
	name,
	type: 'datetime',
	sql: `t.${col}`,
	out: iso(`t.${col}`),
	nullable
});
/** Population, households and area of an administrative unit. */
const figures = [
	int('population', 'population'),
	int('households', 'households'),
	num('areaKm2', 'area_km2')
];

export const COLLECTIONS: CollectionDef[] = [
	{
		id: 'districts',
		title: '区/县 Districts and counties',
		description:
			'Districts (区) and counties (县) of the city, where its city pack has that level; each street lies in one.',
		table: 'district',
		key: 'ord',
		numericIds: false,
		optional: true,
		geometry: 'geometry-multipolygon',
		fields: [s('id', 'id'), s('name', 'name'), s('kind', 'kind'), ...figures]
	},
	{
		id: 'streets',
		title: '街道/镇 Streets and towns',
		description: 'Sub-districts (街道) and towns (镇) of the jurisdiction.',
		table: 'street',
		key: 'ord',
		numericIds: false,
		geometry: 'geometry-multipolygon',
		fields: [
			s('id', 'id'),
			s('name', 'name'),
			s('kind', 'kind', { enum: ['subdistrict', 'town'] }),
			s('districtId', 'district_id', { nullable: true }),
			...figures
		]
	},
	{
		id: 'communities',
		title: '社区/村 Communities and villages',
		description: 'Residential communities (社区) and villages (村), each within one street.',
		table: 'community',
		key: 'ord',
		numericIds: false,
		geometry: 'geometry-multipolygon',
		fields: [
			s('id', 'id'),
			s('name', 'name'),
			s('kind', 'kind', { enum: ['community', 'village'] }),
			s('streetId', 'street_id'),
			...figures
		]
	},
	{
		id: 'grids',
		title: '网格 Grids',
		description: 'Grid cells of social governance, each with its grid worker (网格员).',
		table: 'grid',
		key: 'ord',
		numericIds: false,
		geometry: 'geometry-polygon',
		fields: [
			s('id', 'id'),
			s('name', 'name'),
			s('communityId', 'community_id'),
			s('streetId', 'street_id'),
			...figures,
			s('workerName', 'worker_name'),
			s('workerPhone', 'worker_phone')
		]
	},
	{
		id: 'hazmat-sites',
		title: '危化品场所 Hazardous-chemical sites',
		description: 'Sites storing or handling hazardous chemicals, with hazard class and risk level.',
		table: 'hazmat_site',
		key: 'ord',
		numericIds: false,
		geometry: 'geometry-point',
		fields: [
			s('id', 'id'),
			s('name', 'name'),
			s('zone', 'zone'),
			int('hazardClass', 'hazard_class'),
			int('riskLevel', 'risk_level', { enum: [1, 2, 3, 4] }),
			{ name: 'substances', type: 'string', sql: "array_to_string(t.substances, ';')" },
			num('quantityTonnes', 'quantity_tonnes'),
			s('responsibleName', 'responsible_name'),
			s('responsiblePhone', 'responsible_phone'),
			num('riskRadiusM', 'risk_radius_m'),
			s('gridId', 'grid_id')
		]
	},
	{
		id: 'hazmat-lanes',
		title: '危化品运输通道 Hazmat transport lanes',
		description: 'Designated transport lanes between hazardous-chemical sites.',
		table: 'hazmat_lane',
		key: 'ord',
		numericIds: false,
		geometry: 'geometry-linestring',
		fields: [
			s('id', 'id'),
			s('name', 'name'),
			{ name: 'siteIds', type: 'string', sql: "array_to_string(t.site_ids, ';')" }
		]
	},
	{
		id: 'patrol-routes',
		title: '巡逻路线 Patrol routes',
		description: 'Land, sea and air patrol routes.',
		table: 'patrol_route',
		key: 'ord',
		numericIds: false,
		geometry: 'geometry-linestring',
		fields: [s('id', 'id'), s('name', 'name'), s('mode', 'mode', { enum: ['land', 'sea', 'air'] })]
	},
	{
		id: 'incidents',
		title: '事件 Incidents',
		description:
			'Reported incidents with type, source, case status and the grid, community and street they fall in. datetime filters on the report time (ts).',
		table: 'incident',
		key: 'id',
		numericIds: true,
		temporal: 'ts',
		geometry: 'geometry-point',
		fields: [
			s('type', 'type', { enum: INCIDENT_TYPES }),
			s('source', 'source', { enum: INCIDENT_SOURCES }),
			s('status', 'status', { enum: INCIDENT_STATUSES }),
			int('priority', 'priority', { enum: [1, 2, 3, 4] }),
			time('ts', 'ts'),
			time('closedTs', 'closed_ts', true),
			s('gridId', 'grid_id'),
			s('communityId', 'community_id'),
			s('streetId', 'street_id'),
			s('description', 'description', { nullable: true })
		]
	}
];

/** SQL of the properties object of one row (alias `t`), of all fields or the ones named. */
export function propertiesSql(c: CollectionDef, names?: readonly string[]): string {
	const fields = names ? c.fields.filter((f) => names.includes(f.name)) : c.fields;
	if (fields.length === 0) return "'{}'::json";
	return `json_build_object(${fields.map((f) => `'${f.name}', ${f.out ?? f.sql}`).join(', ')})`;
}

export const COLLECTION_BY_ID = new Map(COLLECTIONS.map((c) => [c.id, c]));
