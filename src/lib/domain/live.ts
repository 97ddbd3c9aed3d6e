/**
 * What the live feed (`GET /api/stream`, Server-Sent Events) carries, shared by the server that
 * sends it and the browser that listens. Event names are the `type`s below; each frame's data is
 * the event without its `type`.
 */
import type {
	AssigneeKind,
	AuditAction,
	IncidentSource,
	IncidentStatus,
	IncidentType
} from './incidents';
import type { PatrolMode } from './city';

/** An incident as the API, the live stream and the snapshot see it. */
export interface IncidentRecord {
	id: number;
	/** WGS84. */
	lon: number;
	lat: number;
	/** Epoch milliseconds of the report. */
	ts: number;
	/** Epoch milliseconds of closure; null while open. */
	closedTs: number | null;
	type: IncidentType;
	source: IncidentSource;
	status: IncidentStatus;
	priority: number;
	gridId: string;
	communityId: string;
	streetId: string;
	description: string | null;
	/** Change counter: larger = later change. */
	rev: number;
}

export interface PatrolPosition {
	id: string;
	lon: number;
	lat: number;
	status: 'on_patrol' | 'responding' | 'standby';
}

/**
 * A patrol unit ranked by distance to a place, as the server answers it (nearest-units): the
 * drill panel lists these, and dispatch sends the first available one.
 */
export interface NearestUnit {
	id: string;
	callsign: string;
	mode: PatrolMode;
	status: PatrolPosition['status'];
	/** Not responding: neither held by a case nor shown responding by the simulator. */
	available: boolean;
	lon: number;
	lat: number;
	/** Straight-line metres to the place (geo/distance.ts). */
	distanceM: number;
	/** Seconds at the mode's speed (UNIT_SPEED_KMH). */
	etaS: number;
}

/**
 * An incident with its case fields, as the duty-officer API answers and as `incidents` events
 * of transitions, escalations and repeat links carry it (a superset of IncidentRecord).
 */
export interface CaseRecord extends IncidentRecord {
	/** Per-incident change counter; a transition must send the version it saw. */
	version: number;
	/** Epoch ms by which the case should be closed (ts + DEADLINE_HOURS[priority]). */
	deadline: number;
	/** Open and past its deadline: the 督办 flag (computed when read). */
	overdue: boolean;
	/** Epoch ms of an officer's explicit 督办, or null. */
	supervisedAt: number | null;
	/** Smallest id of its repeat-complaint group, or null when not a repeat. */
	repeatGroup: number | null;
	/** The hazmat site whose risk radius it lies in (escalated to priority 1), or null. */
	hazmatSiteId: string | null;
}

/** One line of a case's audit trail. */
export interface AuditEntry {
	id: number;
	/** Epoch ms. */
	at: number;
	actor: string;
	action: AuditAction;
	from: IncidentStatus;
	to: IncidentStatus;
	comment: string;
	assignees: AssigneeInput[];
	/** The incident's version after this change. */
	version: number;
}

/** Who to dispatch a case to (unitId only for patrol units). */
export interface AssigneeInput {
	kind: AssigneeKind;
	name: string;
	unitId?: string | null;
}

export interface Assignee extends AssigneeInput {
	id: number;
	unitId: string | null;
	assignedAt: number;
	/** Epoch ms when a send-back released it; null while it holds the case. */
	releasedAt: number | null;
}

export type AlertKind = 'hazmat_radius' | 'vehicle_off_lane';

export interface Alert {
	id: number;
	kind: AlertKind;
	/** Epoch ms raised. */
	ts: number;
	lon: number;
	lat: number;
	incidentId: number | null;
	siteId: string | null;
	vehicleId: string | null;
	laneId: string | null;
	/** Distance to the site (hazmat_radius) or to the lane (vehicle_off_lane), metres. */
	distanceM: number | null;
	message: string;
	ackedAt: number | null;
	ackedBy: string | null;
}

/** A hazmat transport vehicle on (or off) its dedicated lane, from the simulator. */
export interface VehiclePosition {
	id: string;
	laneId: string;
	lon: number;
	lat: number;
	/** Distance from the lane, metres; above OFF_LANE_THRESHOLD_M raises an alert. */
	offLaneM: number;
}

/** A hazmat vehicle farther than this from its lane has left it. */
export const OFF_LANE_THRESHOLD_M = 150;

export type LiveEvent =
	| { type: 'incidents'; change: 'new' | 'status' | 'replay'; incidents: IncidentRecord[] }
	| { type: 'patrols'; t: number; units: PatrolPosition[] }
	| { type: 'vehicles'; t: number; vehicles: VehiclePosition[] }
	| { type: 'alerts'; change: 'new' | 'ack'; alerts: Alert[] }
	| {
			type: 'hello';
			rev: number;
			serverTime: number;
			/** cityIdentity.ts cityLoadToken */ city?: string;
	  }
	| { type: 'reload'; reason: string }
	| PlanPublishedEvent
	| CityLoadedEvent
	| ({ type: 'wall' } & WallState);

/**
 * A city pack was imported (/admin → 城市数据): names, boundaries, registers and basemap all
 * changed. Open pages load again.
 */
export interface CityLoadedEvent {
	type: 'city';
	code: string;
	version: string;
}

/**
 * A community's grid plan was published (issue 7): its grids, the city files and the snapshot's
 * grid dictionary changed. Open pages may offer a reload; the incidents whose grid changed
 * arrive as `incidents` `status` events too.
 */
export interface PlanPublishedEvent {
	type: 'plan';
	communityId: string;
	version: number;
	/** Who published (null for the wall: no staff names there, auth/mask.ts). */
	publishedBy: string | null;
	/** Epoch ms of the publish. */
	at: number;
}

/** The response header of the snapshot that tells from which rev the live feed continues it. */
export const SNAPSHOT_REV_HEADER = 'x-onemap-rev';

/** What the wall shows: its own tour, or the view a duty officer pushed to it. */
export type WallState =
	| { mode: 'tour' }
	| {
			mode: 'follow';
			center: [number, number];
			zoom: number;
			/** Who pushed the view (null for the wall: no staff names there, auth/mask.ts). */
			by: string | null;
			since: number;
	  };

/** A case as GET /api/incidents/{id} answers: the record with its trail, assignees, repeats, alerts. */
export interface CaseDetail extends CaseRecord {
	trail: AuditEntry[];
	assignees: Assignee[];
	/** The other incidents of its repeat-complaint group. */
	repeats: CaseRecord[];
	alerts: Alert[];
}
