/**
 * One page's hold on the incidents: the city data, the engine, the live feed, and questions that
 * re-ask themselves when their inputs or the data change. The command map and the wall both use
 * it; a component creates one during its initialisation (its `live` queries are effects).
 */
import { CITY_FILES } from '$lib/domain/city';
import { countAll } from '$lib/engine/queries';
import { cityLoadToken, identityOf } from '$lib/domain/cityIdentity';
import { withoutMapView } from '$lib/map/permalink';
import { INCIDENT_TYPES } from '$lib/domain/incidents';
import type { Alert, IncidentRecord, VehiclePosition, WallState } from '$lib/domain/live';
import { ARRIVAL_MS, type Arrival } from '$lib/layers/incidents';
import { connectLive } from './liveFeed';
import { dataUrl, loadCity, type City } from '$lib/map/cityData';
import { IncidentEngine, type LoadProgress, type LoadSummary } from '$lib/engine/engine';
import { DAY_MS, cstDate, cstDayStart, fullFilter, type IncidentFilter } from '$lib/engine/filter';
import { QueryScheduler, Superseded } from '$lib/engine/scheduler';
import { livePatrols, type LivePatrols } from './patrols';

export interface SessionOptions {
	/** Called with every live record batch after it reached the engine (the wall's ticker). */
	onRecords?: (change: 'new' | 'status' | 'replay', records: IncidentRecord[]) => void;
	/** Called with alerts raised or acknowledged on the server. */
	onAlerts?: (change: 'new' | 'ack', alerts: Alert[]) => void;
	/** Called when a duty officer pushes a view to the wall or releases it. */
	onWall?: (state: WallState) => void;
	/** A city pack was imported (default: load the page again). */
	onCity?: () => void;
}

export class IncidentSession {
	city = $state.raw<City | null>(null);
	cityError = $state<string | null>(null);
	engine = $state.raw<IncidentEngine | null>(null);
	progress = $state.raw<LoadProgress | null>(null);
	summary = $state.raw<LoadSummary | null>(null);
	/**
	 * Incidents held now: the snapshot's rows plus live arrivals (the filter bar's "of N" — the
	 * snapshot's count alone was exceeded by the matching count once cases arrived).
	 */
	total = $state<number | null>(null);
	engineError = $state<string | null>(null);
	queryError = $state<string | null>(null);
	/** Bumped when live records reached the engine: every `live` question asks again. */
	dataVersion = $state(0);
	liveConnected = $state(false);
	arrivals = $state.raw<Arrival[]>([]);
	newCount = $state(0);
	/** DuckDB answers one query at a time: the map's clusters go first, stale questions are dropped. */
	readonly scheduler = new QueryScheduler();

	/** Today (CST), checked each minute: a wall that runs past midnight moves on to the new day. */
	today = $state(cstDate(Date.now()));
	/** Hazmat transport vehicles as the simulator last reported them. */
	vehicles = $state.raw<VehiclePosition[]>([]);
	/** Patrol units as the server last reported them (null until a report arrives). */
	patrols = $state.raw<LivePatrols | null>(null);

	/** The whole period: to the end of the data's last day, or of today once the feed passes it. */
	full = $derived.by((): IncidentFilter | null => {
		const m = this.city?.manifest;
		return m ? fullFilter(m.startMs, Math.max(m.endMs, cstDayStart(this.today) + DAY_MS)) : null;
	});

	get error(): string | null {
		return this.cityError ?? this.engineError;
	}

	private stopLive: (() => void) | null = null;
	private dayTimer: ReturnType<typeof setInterval> | null = null;

	constructor(private readonly options: SessionOptions = {}) {}

	/** Loads (or reloads) the city and the incident snapshot, then follows the live feed. */
	load = async (): Promise<void> => {
		this.cityError = this.engineError = null;
		this.dayTimer ??= setInterval(() => {
			const day = cstDate(Date.now());
			if (day !== this.today) this.today = day;
		}, 60_000);
		if (!this.city) {
			loadCity()
				.then((c) => {
					this.city = c;
					this.checkCity();
				})
				.catch((e: Error) => (this.cityError = e.message));
		}
		const previous = this.engine;
		this.engine = null;
		this.stopLive?.();
		await previous?.close();
		try {
			const opened = await IncidentEngine.open(
				dataUrl(CITY_FILES.incidents),
				(p) => (this.progress = p)
			);
			this.summary = opened.summary;
			this.total = opened.summary.rows;
			this.engine = opened.engine;
			this.follow(opened.engine, opened.summary.rev);
		} catch (e) {
			this.engineError = (e as Error).message;
		}
	};

	/**
	 * A grid plan was published: the grids changed, and so did the snapshot's grid codes. Loads
	 * both again in place (the wall runs unattended; an officer keeps their view and filter).
	 */
	reloadCity = async (): Promise<void> => {
		const city = loadCity();
		await this.load();
		try {
			this.city = await city;
		} catch (e) {
			this.cityError = (e as Error).message;
		}
	};

	/** The city the server holds, as its last `hello` said (cityIdentity.ts cityLoadToken). */
	private serverCity: string | null = null;

	/** The page holds another city than the server: a city pack was imported meanwhile. */
	private checkCity(): void {
		const held = this.city && cityLoadToken(identityOf(this.city.manifest));
		if (!held || !this.serverCity || held === this.serverCity) return;
		// Once per server city: should the two ever disagree for good, a wall must not reload
		// in a loop.
		const key = 'onemap.city-reload';
		if (sessionStorage.getItem(key) === this.serverCity) return;
		sessionStorage.setItem(key, this.serverCity);
		this.cityChanged();
	}

	private cityChanged(): void {
		(this.options.onCity ?? (() => location.replace(withoutMapView(location.href))))();
	}

	close(): void {
		if (this.dayTimer) clearInterval(this.dayTimer);
		this.stopLive?.();
		void this.engine?.close();
	}

	private follow(engine: IncidentEngine, rev: number) {
		let pending: IncidentRecord[] = [];
		let flushing = false;
		// Records arriving close together are merged in one upsert, then every question re-asks.
		const flush = async () => {
			if (flushing || pending.length === 0) return;
			flushing = true;
			const batch = pending;
			pending = [];
			try {
				await engine.upsert(batch);
				this.total = await countAll(engine.db);
				this.dataVersion++;
			} catch (err) {
				this.queryError = (err as Error).message;
			} finally {
				flushing = false;
				if (pending.length) setTimeout(flush, 0);
			}
		};
		this.stopLive = connectLive(rev, {
			incidents: (change, incidents) => {
				pending.push(...incidents);
				if (change === 'new') {
					const at = Date.now();
					const fresh = incidents.map((r) => ({
						id: r.id,
						lon: r.lon,
						lat: r.lat,
						type: INCIDENT_TYPES.indexOf(r.type),
						at
					}));
					this.arrivals = [...this.arrivals.filter((a) => at - a.at < ARRIVAL_MS), ...fresh].slice(
						-200
					);
					this.newCount += incidents.length;
				}
				this.options.onRecords?.(change, incidents);
				setTimeout(flush, 50);
			},
			alerts: (change, alerts) => this.options.onAlerts?.(change, alerts),
			vehicles: (_t, vehicles) => (this.vehicles = vehicles),
			patrols: (t, units) => (this.patrols = livePatrols(t, units)),
			wall: (state) => this.options.onWall?.(state),
			reload: () => void this.load(),
			plan: () => void this.reloadCity(),
			// A new city: identity, basemap and every layer change; the page starts again.
			city: () => this.cityChanged(),
			// A page that was reconnecting when the city changed learns it from the next hello.
			hello: ({ city }) => {
				this.serverCity = city ?? null;
				this.checkCity();
			},
			status: (connected) => (this.liveConnected = connected)
		});
	}

	/**
	 * Re-asks a question whenever what `ask` reads (or the data) changes. `ask` returns the query
	 * to run, or null; the scheduler runs it in `priority` order, and only the latest answer
	 * lands. Call during component initialisation.
	 */
	live<T>(
		slot: string,
		priority: number,
		ask: () => (() => Promise<T>) | null,
		land: (value: T) => void
	): void {
		let seq = 0;
		$effect(() => {
			void this.dataVersion;
			const run = ask();
			if (!run) return;
			const mine = ++seq;
			this.scheduler
				.schedule({ slot, priority, run })
				.then((value) => {
					if (mine === seq) land(value);
				})
				.catch((e: Error) => {
					if (!(e instanceof Superseded)) this.queryError = e.message;
				});
		});
	}
}
