/**
 * The demo's pulse: new incidents arrive (through the real intake path: validation, PostGIS
 * placement, one transaction), open cases move through their statuses, and patrol units report
 * positions along their 24-hour tracks. On the demo city by default (ONEMAP_SIMULATOR=auto); never on a real city unless ONEMAP_SIMULATOR=on; off turns it off.
 */
import { cstSecondsOfDay } from '$lib/domain/time';
import { distanceM } from '$lib/geo/distance';
import { positionAt, type Track } from '$lib/geo/track';
import { SIMULATOR_ACTOR } from '../audit/audit';
import { INCIDENT_TYPES, type IncidentSource, type IncidentType } from '$lib/domain/incidents';
import type { Db } from '../db/types';
import { ApiError } from '../http/errors';
import type { Alert, VehiclePosition } from '$lib/domain/live';
import { insertAlerts } from '../alerts/alerts';
import { offLaneRule, type OffLaneState } from '../alerts/rules';
import { intake, publishIntake } from '../incidents/intake';
import { forwardAction, transition } from '../incidents/lifecycle';
import type { IncidentRecord } from '../incidents/records';
import { validateIntake } from '../incidents/validate';
import type { LiveBus, PatrolPosition } from './bus';
import { HazmatFleet } from './vehicles';

export interface SimulatorOptions {
	/** New incidents per minute, on average (Poisson arrivals shaped by time of day). */
	ratePerMinute: number;
	patrolEveryMs?: number;
	statusEveryMs?: number;
	random?: () => number;
	now?: () => number;
	/**
	 * Several app servers share the database (PostgreSQL): units held by cases are read from it
	 * on every patrol report (a case may be dispatched through another server), and a simulator
	 * that is loaded but not started (a standby, live/leader.ts) reports nothing itself.
	 */
	shared?: boolean;
}

/** A patrol report from the leading server counts for this long (it reports every 2 s). */
const REPORT_FRESH_MS = 10_000;

interface UnitTrack {
	id: string;
	mode: 'land' | 'sea' | 'air';
	status: PatrolPosition['status'];
	track: Track;
}

/** Relative frequency of each type (roughly the demo city's year-long mix). */
const TYPE_WEIGHTS: Record<IncidentType, number> = {
	dispute: 18,
	public_security: 12,
	work_safety: 8,
	pollution: 9,
	city_appearance: 20,
	livelihood: 22,
	hazmat_alarm: 2,
	fire_hazard: 5,
	traffic: 12
};
const SOURCES: IncidentSource[] = ['hotline_12345', 'grid_worker', 'video_patrol', 'resident_app'];
const SOURCE_WEIGHTS: Record<IncidentType, number[]> = {
	dispute: [4, 4, 0.2, 1.8],
	public_security: [2.5, 3.5, 3, 1],
	work_safety: [1, 6, 2, 1],
	pollution: [4.5, 2.5, 1.5, 1.5],
	city_appearance: [2, 3.5, 3, 1.5],
	livelihood: [6.5, 1, 0, 2.5],
	hazmat_alarm: [0.5, 3.5, 6, 0],
	fire_hazard: [2.5, 5, 1.5, 1],
	traffic: [2, 1, 6, 1]
};
/** Arrivals by local hour (UTC+8): quiet nights, busy mornings and afternoons. */
const HOURLY = [
	0.25, 0.18, 0.12, 0.1, 0.1, 0.16, 0.4, 0.9, 1.5, 1.9, 2.0, 1.8, 1.3, 1.2, 1.7, 1.85, 1.75, 1.5,
	1.1, 0.9, 0.8, 0.7, 0.55, 0.38
];
const RESPONDING_MS = 10 * 60_000;

function pick<T>(items: readonly T[], weights: readonly number[], r: number): T {
	const total = weights.reduce((a, b) => a + b, 0);
	let x = r * total;
	for (let i = 0; i < items.length; i++) {
		x -= weights[i];
		if (x < 0) return items[i];
	}
	return items[items.length - 1];
}

export class Simulator {
	private grids: { id: string; weight: number }[] = [];
	private sites: { lon: number; lat: number }[] = [];
	private units: UnitTrack[] = [];
	private respondingUntil = new Map<string, number>();
	/** Units held by a case in the database (dispatch-nearest, or dispatch to a patrol unit). */
	private held = new Map<string, number>();
	private fleet = new HazmatFleet([]);
	private offLane: OffLaneState = { off: new Set() };
	/** The units the leading server last reported responding (on a standby, pgBus.ts). */
	private reported: { at: number; responding: Set<string> } | null = null;
	private timers: ReturnType<typeof setTimeout>[] = [];
	private running = false;
	private lastError = 0;
	private readonly random: () => number;
	private readonly now: () => number;

	constructor(
		private db: Db,
		private bus: LiveBus,
		private opts: SimulatorOptions
	) {
		this.random = opts.random ?? Math.random;
		this.now = opts.now ?? Date.now;
	}

	/** The grids changed (a grid plan was published): new incidents fall in the new ones. */
	async reloadGrids(): Promise<void> {
		this.grids = await this.db.query<{ id: string; weight: number }>(
			'SELECT id, greatest(population, 100)::float8 AS weight FROM grid ORDER BY ord'
		);
	}

	async load(): Promise<void> {
		await this.reloadGrids();
		this.sites = await this.db.query<{ lon: number; lat: number }>(
			'SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM hazmat_site ORDER BY ord'
		);
		this.units = await this.db.query<UnitTrack>(
			'SELECT id, mode, status, track FROM patrol_unit WHERE track IS NOT NULL ORDER BY ord'
		);
		const lanes = await this.db.query<{ id: string; g: { coordinates: [number, number][] } }>(
			'SELECT id, ST_AsGeoJSON(geom)::json AS g FROM hazmat_lane ORDER BY ord'
		);
		this.fleet = new HazmatFleet(lanes.map((l) => ({ id: l.id, coords: l.g.coordinates })));
		await this.loadHeld();
	}

	private async loadHeld(): Promise<void> {
		const held = await this.db.query<{ id: string; incident: number }>(
			'SELECT id, responding_incident_id AS incident FROM patrol_unit WHERE responding_incident_id IS NOT NULL'
		);
		this.held = new Map(held.map((h) => [h.id, h.incident]));
	}

	/** Started (on several servers: this one leads, live/leader.ts). */
	get active(): boolean {
		return this.running;
	}

	/** Units taken or freed by a case (the database changed; positions show it from now on). */
	setHeld(unitIds: string[], incidentId: number | null): void {
		for (const id of unitIds) {
			if (incidentId === null) this.held.delete(id);
			else this.held.set(id, incidentId);
		}
	}

	async start(): Promise<void> {
		await this.load();
		this.running = true;
		this.scheduleIncident();
		this.every(this.opts.statusEveryMs ?? 4000, () => this.advanceStatuses());
		this.every(this.opts.patrolEveryMs ?? 2000, async () => {
			if (this.opts.shared) await this.loadHeld();
			this.publishPatrols();
			await this.publishVehicles();
		});
	}

	stop(): void {
		this.running = false;
		this.timers.forEach((t) => clearTimeout(t));
		this.timers = [];
	}

	private every(ms: number, fn: () => Promise<unknown>): void {
		const tick = () => {
			if (!this.running) return;
			fn()
				.catch((err) => this.report(err))
				.finally(() => {
					if (this.running) this.timers.push(unref(setTimeout(tick, ms)));
				});
		};
		this.timers.push(unref(setTimeout(tick, ms)));
	}

	private scheduleIncident(): void {
		if (!this.running) return;
		const hour = Math.floor(cstSecondsOfDay(this.now()) / 3600);
		const rate = (this.opts.ratePerMinute * HOURLY[hour]) / 60_000; // per ms
		const wait = Math.min(60_000, -Math.log(1 - this.random()) / rate);
		this.timers.push(
			unref(
				setTimeout(() => {
					this.createIncident()
						.catch((err) => this.report(err))
						.finally(() => this.scheduleIncident());
				}, wait)
			)
		);
	}

	private report(err: unknown): void {
		if (!this.running) return;
		// Shutting down or a transient DB error: say it once a minute, keep going.
		if (this.now() - this.lastError > 60_000) {
			this.lastError = this.now();
			console.error('[simulator]', err instanceof Error ? err.message : err);
		}
	}

	/** One new incident through the real intake path; published after commit. */
	async createIncident(): Promise<IncidentRecord | null> {
		const r = this.random;
		const type = pick(
			INCIDENT_TYPES,
			INCIDENT_TYPES.map((t) => TYPE_WEIGHTS[t]),
			r()
		);
		let lon: number;
		let lat: number;
		if (type === 'hazmat_alarm' && this.sites.length) {
			const site = this.sites[Math.floor(r() * this.sites.length)];
			lon = site.lon + (r() - 0.5) * 0.004;
			lat = site.lat + (r() - 0.5) * 0.003;
		} else {
			const grid = pick(
				this.grids,
				this.grids.map((g) => g.weight),
				r()
			);
			if (!grid) return null;
			const [p] = await this.db.query<{ lon: number; lat: number }>(
				`SELECT ST_X(p) AS lon, ST_Y(p) AS lat
				 FROM (SELECT (ST_Dump(ST_GeneratePoints(geom, 1))).geom AS p FROM grid WHERE id = $1) s`,
				[grid.id]
			);
			if (!p) return null;
			({ lon, lat } = p);
		}
		const source = pick(SOURCES, SOURCE_WEIGHTS[type], r());
		const { incidents } = validateIntake({ type, lon, lat, source }, this.now());
		try {
			const result = await intake(this.db, incidents, false, SIMULATOR_ACTOR);
			publishIntake(this.bus, result);
			const [record] = result.records;
			if (record.priority <= 2) this.dispatchNearest(record);
			return record;
		} catch (err) {
			if (err instanceof ApiError) return null; // e.g. a hazmat alarm just off the coast
			throw err;
		}
	}

	/** Moves one or two open cases of the last two days one step on (as actor "simulator"). */
	async advanceStatuses(): Promise<IncidentRecord[]> {
		const open = await this.db.query<{
			id: number;
			status: IncidentRecord['status'];
			version: number;
			worker: string;
		}>(
			`SELECT i.id, i.status, i.version, g.worker_name AS worker FROM incident i
			 JOIN grid g ON g.id = i.grid_id
			 WHERE i.status <> 'closed' AND i.ts BETWEEN now() - interval '2 days' AND now()
			   AND i.external_id IS NULL -- imported history is not the simulator's to move
			 ORDER BY random() LIMIT $1`,
			[1 + Math.floor(this.random() * 2)]
		);
		const changed: IncidentRecord[] = [];
		for (const row of open) {
			const step = forwardAction(row.status);
			if (!step) continue;
			try {
				const result = await transition(
					this.db,
					row.id,
					{
						action: step.action,
						assignees: step.needsAssignees ? [{ kind: 'grid_worker', name: row.worker }] : [],
						comment: '',
						actor: SIMULATOR_ACTOR,
						version: row.version
					},
					this.now()
				);
				this.setHeld(result.released, null);
				changed.push(result.record);
			} catch (err) {
				if (!(err instanceof ApiError)) throw err; // someone else moved it first
			}
		}
		if (changed.length)
			this.bus.publish({ type: 'incidents', change: 'status', incidents: changed });
		return changed;
	}

	vehicles(at: number = this.now()): VehiclePosition[] {
		return this.fleet.positions(at);
	}

	/** Hazmat vehicle positions on the bus, and an alert for each that just left its lane. */
	async publishVehicles(): Promise<Alert[]> {
		const t = this.now();
		const vehicles = this.vehicles(t);
		if (vehicles.length === 0) return [];
		this.bus.publish({ type: 'vehicles', t, vehicles });
		const hits = vehicles.flatMap((v) => {
			const hit = offLaneRule(this.offLane, v, this.fleet.lane(v.laneId) ?? []);
			return hit ? [hit] : [];
		});
		if (hits.length === 0) return [];
		const alerts = await insertAlerts(
			this.db,
			hits.map((h) => ({
				kind: 'vehicle_off_lane' as const,
				ts: t,
				lon: h.lon,
				lat: h.lat,
				vehicleId: h.vehicleId,
				laneId: h.laneId,
				distanceM: h.distanceM,
				message: `Hazmat vehicle ${h.vehicleId} is ${Math.round(h.distanceM)} m off its lane ${h.laneId}.`
			}))
		);
		this.bus.publish({ type: 'alerts', change: 'new', alerts });
		return alerts;
	}

	positions(at: number = this.now()): PatrolPosition[] {
		const t = cstSecondsOfDay(at);
		const reported =
			this.reported && Math.abs(at - this.reported.at) < REPORT_FRESH_MS ? this.reported : null;
		return this.units.map((u) => {
			const [lon, lat] = positionAt(u.track, t);
			const responding =
				this.held.has(u.id) ||
				(this.respondingUntil.get(u.id) ?? 0) > at ||
				(reported?.responding.has(u.id) ?? false);
			return {
				id: u.id,
				lon: Math.round(lon * 1e6) / 1e6,
				lat: Math.round(lat * 1e6) / 1e6,
				status: responding ? 'responding' : u.status
			};
		});
	}

	/**
	 * A patrol report of the leading server (pgBus.ts): the units at `at`, those it shows
	 * responding so (null: read who is held from this server's own state); remembered, so this
	 * server's nearest-unit answers agree with the map for a while.
	 */
	patrolsReported(at: number, responding: readonly string[] | null): PatrolPosition[] {
		if (responding) this.reported = { at, responding: new Set(responding) };
		return this.positions(at);
	}

	publishPatrols(): void {
		if (this.opts.shared && !this.running) return; // a standby: the leading server reports
		const t = this.now();
		this.bus.publish({ type: 'patrols', t, units: this.positions(t) });
	}

	/** An urgent case: the nearest land unit on patrol is shown responding for a while. */
	private dispatchNearest(incident: IncidentRecord): void {
		const at = this.now();
		let best: string | null = null;
		let bestD = Infinity;
		for (const p of this.positions(at)) {
			const unit = this.units.find((u) => u.id === p.id)!;
			if (unit.mode !== 'land' || p.status === 'responding') continue;
			const d = distanceM([p.lon, p.lat], [incident.lon, incident.lat]);
			if (d < bestD) {
				bestD = d;
				best = p.id;
			}
		}
		if (best) this.respondingUntil.set(best, at + RESPONDING_MS);
	}
}

function unref<T>(timer: T): T {
	(timer as { unref?: () => void }).unref?.();
	return timer;
}
