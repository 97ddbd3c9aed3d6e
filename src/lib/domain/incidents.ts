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

/**
 * How long a case may stay open, by priority (hours from the report): 1 → 2 h … 4 → 72 h.
 * Past it, an open case is overdue and carries the 督办 (supervision) flag.
 */
export const DEADLINE_HOURS: Record<IncidentPriority, number> = { 1: 2, 2: 8, 3: 24, 4: 72 };

/**
 * What an officer can do to a case (POST /api/incidents/{id}/transitions `action`):
 * register 立案, dispatch 派遣, accept 处置 (the assignee reports for duty), submit 提交核查,
 * close 结案, send_back 退回, supervise 督办 (overdue cases only; the status stays).
 */
export const CASE_ACTIONS = [
	'register',
	'dispatch',
	'accept',
	'submit',
	'close',
	'send_back',
	'supervise'
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/**
 * Audit-trail entries that are not case transitions: `reassign_grid` — a published grid plan
 * (issue 7) moved the case to another grid (status unchanged).
 */
export const SYSTEM_AUDIT_ACTIONS = ['reassign_grid'] as const;
export type AuditAction = CaseAction | (typeof SYSTEM_AUDIT_ACTIONS)[number];

export interface CaseTransition {
	action: CaseAction;
	from: IncidentStatus;
	to: IncidentStatus;
	/** A comment is required (a send-back says why; 督办 says what is expected). */
	needsComment: boolean;
	/** Assignees are required (派遣: the grid worker or one or more departments). */
	needsAssignees: boolean;
}

const t = (
	action: CaseAction,
	from: IncidentStatus,
	to: IncidentStatus,
	needs: { comment?: boolean; assignees?: boolean } = {}
): CaseTransition => ({
	action,
	from,
	to,
	needsComment: needs.comment ?? false,
	needsAssignees: needs.assignees ?? false
});

/**
 * Every legal transition of the GB/T 30428 case cycle; anything not listed is refused (409).
 * 退回 goes one step back from the two hand-over points: a dispatched case nobody can take
 * (dispatched → registered) and a verification that fails (verifying → handling).
 * 督办 keeps the status and is only accepted while the case is overdue.
 */
export const CASE_TRANSITIONS: readonly CaseTransition[] = [
	t('register', 'reported', 'registered'),
	t('dispatch', 'registered', 'dispatched', { assignees: true }),
	t('accept', 'dispatched', 'handling'),
	t('submit', 'handling', 'verifying'),
	t('close', 'verifying', 'closed'),
	t('send_back', 'dispatched', 'registered', { comment: true }),
	t('send_back', 'verifying', 'handling', { comment: true }),
	...INCIDENT_STATUSES.filter((s) => s !== 'closed').map((s) =>
		t('supervise', s, s, { comment: true })
	)
];

/** Who a case can be dispatched to. */
export const ASSIGNEE_KINDS = ['grid_worker', 'department', 'patrol_unit'] as const;
export type AssigneeKind = (typeof ASSIGNEE_KINDS)[number];

/** Straight-line speeds used for a unit's ETA (km/h), by patrol mode. */
export const UNIT_SPEED_KMH = { land: 40, sea: 30, air: 150 } as const;
