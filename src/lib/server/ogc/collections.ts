/**
 * The feature collections OneMap publishes over OGC API – Features, each a table of the
 * database: property names as in the app's data contract (src/lib/domain/city.ts), times as
 * RFC 3339 UTC strings.
 */
export interface CollectionDef {
	id: string;
	title: string;
	description: string;
	table: string;
	/** Ascending, unique integer column for keyset paging and a stable order. */
	key: string;
	/** SQL for the properties object of one row (alias `t`). */
	properties: string;
	/** Timestamp column the datetime parameter filters on; none = not temporal. */
	temporal?: string;
	/** Feature ids are integers (incidents) or strings (codes such as "120116001"). */
	numericIds: boolean;
	/** Left out of the collection list while empty (a city without a district level). */
	optional?: boolean;
}

const iso = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

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
		properties: `json_build_object('id', t.id, 'name', t.name, 'kind', t.kind,
			'population', t.population, 'households', t.households, 'areaKm2', t.area_km2)`
	},
	{
		id: 'streets',
		title: '街道/镇 Streets and towns',
		description: 'Sub-districts (街道) and towns (镇) of the jurisdiction.',
		table: 'street',
		key: 'ord',
		numericIds: false,
		properties: `json_build_object('id', t.id, 'name', t.name, 'kind', t.kind,
			'districtId', t.district_id,
			'population', t.population, 'households', t.households, 'areaKm2', t.area_km2)`
	},
	{
		id: 'communities',
		title: '社区/村 Communities and villages',
		description: 'Residential communities (社区) and villages (村), each within one street.',
		table: 'community',
		key: 'ord',
		numericIds: false,
		properties: `json_build_object('id', t.id, 'name', t.name, 'kind', t.kind, 'streetId', t.street_id,
			'population', t.population, 'households', t.households, 'areaKm2', t.area_km2)`
	},
	{
		id: 'grids',
		title: '网格 Grids',
		description: 'Grid cells of social governance, each with its grid worker (网格员).',
		table: 'grid',
		key: 'ord',
		numericIds: false,
		properties: `json_build_object('id', t.id, 'name', t.name, 'communityId', t.community_id,
			'streetId', t.street_id, 'population', t.population, 'households', t.households,
			'areaKm2', t.area_km2, 'workerName', t.worker_name, 'workerPhone', t.worker_phone)`
	},
	{
		id: 'hazmat-sites',
		title: '危化品场所 Hazardous-chemical sites',
		description: 'Sites storing or handling hazardous chemicals, with hazard class and risk level.',
		table: 'hazmat_site',
		key: 'ord',
		numericIds: false,
		properties: `json_build_object('id', t.id, 'name', t.name, 'zone', t.zone,
			'hazardClass', t.hazard_class, 'riskLevel', t.risk_level,
			'substances', array_to_string(t.substances, ';'), 'quantityTonnes', t.quantity_tonnes,
			'responsibleName', t.responsible_name, 'responsiblePhone', t.responsible_phone,
			'riskRadiusM', t.risk_radius_m, 'gridId', t.grid_id)`
	},
	{
		id: 'hazmat-lanes',
		title: '危化品运输通道 Hazmat transport lanes',
		description: 'Designated transport lanes between hazardous-chemical sites.',
		table: 'hazmat_lane',
		key: 'ord',
		numericIds: false,
		properties: `json_build_object('id', t.id, 'name', t.name, 'siteIds', array_to_string(t.site_ids, ';'))`
	},
	{
		id: 'patrol-routes',
		title: '巡逻路线 Patrol routes',
		description: 'Land, sea and air patrol routes.',
		table: 'patrol_route',
		key: 'ord',
		numericIds: false,
		properties: `json_build_object('id', t.id, 'name', t.name, 'mode', t.mode)`
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
		properties: `json_build_object('type', t.type, 'source', t.source, 'status', t.status,
			'priority', t.priority, 'ts', ${iso('t.ts')}, 'closedTs', ${iso('t.closed_ts')},
			'gridId', t.grid_id, 'communityId', t.community_id, 'streetId', t.street_id,
			'description', t.description)`
	}
];

export const COLLECTION_BY_ID = new Map(COLLECTIONS.map((c) => [c.id, c]));
