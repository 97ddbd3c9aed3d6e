/**
 * What the live feed (`GET /api/stream`, Server-Sent Events) carries, shared by the server that
 * sends it and the browser that listens. Event names are the `type`s below; each frame's data is
 * the event without its `type`.
 */
import type { IncidentSource, IncidentStatus, IncidentType } from './incidents';

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

export type LiveEvent =
	| { type: 'incidents'; change: 'new' | 'status' | 'replay'; incidents: IncidentRecord[] }
	| { type: 'patrols'; t: number; units: PatrolPosition[] }
	| { type: 'hello'; rev: number; serverTime: number }
	| { type: 'reload'; reason: string };

/** The response header of the snapshot that tells from which rev the live feed continues it. */
export const SNAPSHOT_REV_HEADER = 'x-onemap-rev';
