/**
 * Incident vocabularies. The order of each list is the dictionary order of the
 * matching column in `incidents.arrow`, so a dictionary index is an index here.
 */
export const INCIDENT_TYPES = [
	'dispute', // 矛盾纠纷
	'public_security', // 治安隐患
	'work_safety', // 安全生产
	'pollution', // 环境污染
	'city_appearance', // 市容环境
	'livelihood', // 民生诉求/12345
	'hazmat_alarm', // 危化品告警
	'fire_hazard', // 消防隐患
	'traffic' // 交通秩序
] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];

export const INCIDENT_SOURCES = [
	'hotline_12345',
	'grid_worker',
	'video_patrol',
	'resident_app'
] as const;
export type IncidentSource = (typeof INCIDENT_SOURCES)[number];

/** Case cycle after GB/T 30428: 上报/受理 → 立案 → 派遣 → 处置 → 核查 → 结案. */
export const INCIDENT_STATUSES = [
	'reported',
	'registered',
	'dispatched',
	'handling',
	'verifying',
	'closed'
] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** 1 = 特急 … 4 = 一般. */
export const INCIDENT_PRIORITIES = [1, 2, 3, 4] as const;
export type IncidentPriority = (typeof INCIDENT_PRIORITIES)[number];

/**
 * Columns of `incidents.arrow` (Arrow IPC file format, one record batch per ≤ 65,536 rows):
 * - id: Uint32 (1..N, in time order)
 * - lon, lat: Float32 (WGS84)
 * - ts: Float64, epoch milliseconds of the report
 * - closedTs: Float64, epoch ms of closure, NaN while open
 * - type, source, status: Dictionary<Utf8, Int8> with dictionaries exactly INCIDENT_TYPES,
 *   INCIDENT_SOURCES, INCIDENT_STATUSES (all values listed, in that order)
 * - priority: Uint8 (1..4)
 * - gridId, communityId, streetId: Dictionary<Utf8, Int16> whose dictionaries are the ids of
 *   grids.geojson / communities.geojson / streets.geojson in feature order
 */
export const INCIDENT_COLUMNS = [
	'id',
	'lon',
	'lat',
	'ts',
	'closedTs',
	'type',
	'source',
	'status',
	'priority',
	'gridId',
	'communityId',
	'streetId'
] as const;
