/**
 * The wall's session (/wall): the last `days` days on the map, the KPI figures (re-asked each
 * minute), the hotspots and 平安指数, the live ticker, the auto-tour with urgent interruptions and
 * follow mode, and the device check (a revoked wall stops and says so). Construct it during a
 * component's initialisation (its questions are effects).
 */
import { untrack } from 'svelte';
import { whoAmI } from '$lib/auth/client';
import { cityLabels } from '$lib/domain/cityIdentity';
import type { Alert, WallState } from '$lib/domain/live';
import type { ClusterView } from '$lib/engine/clusterIndex';
import { DAY_MS, type IncidentFilter } from '$lib/engine/filter';
import {
	changePercent,
	closureRate,
	hazmatAlarmsToday,
	overdueCount,
	safetyIndex,
	todayVsUsual,
	type SafetyIndex,
	type TodayVsUsual
} from '$lib/engine/kpis';
import {
	DEFAULT_HOTSPOT_OPTIONS,
	countsByUnit,
	emergingHotspots,
	type Hotspot
} from '$lib/engine/queries';
import { IncidentSession } from '$lib/live/incidentSession.svelte';
import type { I18n } from '$lib/i18n/i18n.svelte';
import { openAlerts as fetchOpenAlerts } from '$lib/live/caseApi';
import { activeUnits } from '$lib/live/patrols';
import { wallState } from '$lib/live/wallApi';
import { safetyRanking } from './kpiText';
import { alertItem, incidentItem, prepend, tourInput, type TickerItem } from './ticker';
import { TourCursor, buildTour, type TourStop } from './tour';
import { MapScene } from '$lib/live/mapScene.svelte';

/** Seconds per tour stop (`?dwell=`, at least 3) and days the map shows (`?days=`). */
export function wallOptions(params: URLSearchParams): { dwellS: number; days: number } {
	return {
		dwellS: Math.max(3, Number(params.get('dwell')) || 15),
		days: Math.max(1, Number(params.get('days')) || 7)
	};
}

export class WallSession {
	readonly session = new IncidentSession({
		onRecords: (change, records) => {
			if (change !== 'new') return;
			const items = records.map((r) => incidentItem(r, this.i18n.t, this.session.city));
			this.ticker = prepend(this.ticker, items);
			const urgent = records.findIndex((r) => r.priority === 1);
			if (urgent >= 0) {
				const r = records[urgent];
				this.interrupt({
					kind: 'alert',
					label: items[urgent].text,
					center: [r.lon, r.lat],
					zoom: 15
				});
			}
		},
		onWall: (state) => this.setWall(state),
		onAlerts: (change, alerts) => {
			void this.refreshAlerts();
			if (change !== 'new') return;
			const items = alerts.map((a) => alertItem(a, this.i18n.t));
			this.ticker = prepend(this.ticker, items);
			const first = alerts[0];
			if (first)
				this.interrupt({
					kind: 'alert',
					label: items[0].text,
					center: [first.lon, first.lat],
					zoom: 14.5
				});
		}
	});
	readonly scene: MapScene;
	readonly dwellS: number;
	readonly days: number;

	ticker = $state.raw<TickerItem[]>([]);
	/** The tour stop on screen. */
	stop = $state.raw<TourStop | null>(null);
	/** Follow mode: an officer's pushed view holds the wall until released. */
	following = $state(false);
	/** This wall's device token was revoked: it stops and says so (设备已停用). */
	revoked = $state(false);

	streetCounts = $state.raw<Uint32Array | null>(null);
	clusters = $state.raw<ClusterView | null>(null);
	hotspots = $state.raw<Hotspot[] | null>(null);
	today = $state.raw<TodayVsUsual | null>(null);
	closure = $state<number | null>(null);
	overdue = $state<number | null>(null);
	hazmatToday = $state<number | null>(null);
	safety = $state.raw<SafetyIndex | null>(null);
	/** Open alerts in all (the list is capped, the count is not), and the newest sites. */
	openAlerts = $state(0);
	alertSites = $state.raw<Alert[]>([]);

	labels = $derived.by(() =>
		this.session.city
			? cityLabels(this.session.city.manifest, this.i18n.locale)
			: { name: '', title: '', synthetic: false }
	);
	todayChange = $derived.by(() => (this.today ? changePercent(this.today) : null));
	unitsActive = $derived.by(() =>
		this.session.city
			? activeUnits(this.session.city.patrols.units, this.scene.patrolView.live)
			: null
	);
	safetyRanking = $derived.by(() =>
		safetyRanking(this.session.city?.streets.features ?? [], this.safety)
	);
	/** What the wall shows: the last `days` days. */
	filter = $derived.by((): IncidentFilter | null => {
		const full = this.session.full;
		return full ? { ...full, fromMs: full.toMs - this.days * DAY_MS } : null;
	});
	layers = $derived.by(() => this.scene.layers());

	private readonly cursor = new TourCursor();
	private shownAt = 0;
	private tourTimer: ReturnType<typeof setInterval> | null = null;

	constructor(
		private readonly i18n: I18n,
		url: URL
	) {
		({ dwellS: this.dwellS, days: this.days } = wallOptions(url.searchParams));
		const session = this.session;
		this.scene = new MapScene(session, i18n, {
			choropleth: () => ({ level: 'street', metric: 'per1000', counts: this.streetCounts }),
			clusters: () => this.clusters
		});
		const mapState = this.scene.mapState;

		session.live(
			'clusters',
			0,
			() => {
				const [f, e, { bbox, zoom, ready }] = [this.filter, session.engine, mapState];
				return e && f && ready ? () => e.clusters(f, bbox, zoom) : null;
			},
			(v) => (this.clusters = v)
		);
		session.live(
			'streetCounts',
			1,
			() => {
				const [f, e, c] = [this.filter, session.engine, session.city];
				return e && f && c
					? () => countsByUnit(e.db, f, 'street', c.streets.features.length)
					: null;
			},
			(v) => (this.streetCounts = v)
		);
		session.live(
			'hotspots',
			2,
			() => {
				const [f, e, full] = [this.filter, session.engine, session.full];
				return e && f && full
					? () =>
							emergingHotspots(e.db, f, { ...DEFAULT_HOTSPOT_OPTIONS, endMs: full.toMs, limit: 5 })
					: null;
			},
			(v) => (this.hotspots = v)
		);
		// Figures that depend on the clock re-ask each minute.
		session.live(
			'kpis',
			3,
			() => {
				const [e, c] = [session.engine, session.city];
				void this.scene.minute;
				if (!e || !c) return null;
				const at = Date.now();
				const population = c.streets.features.map((f) => f.properties.population);
				return async () => ({
					today: await todayVsUsual(e.db, at),
					closure: await closureRate(e.db, at - 30 * DAY_MS, at),
					overdue: await overdueCount(e.db, at),
					hazmat: await hazmatAlarmsToday(e.db, at),
					safety: await safetyIndex(e.db, at, population)
				});
			},
			(k) => {
				this.today = k.today;
				this.closure = k.closure;
				this.overdue = k.overdue;
				this.hazmatToday = k.hazmat;
				this.safety = k.safety;
			}
		);

		// The tour: the district, each emerging hotspot, each hazmat site with an open alert.
		$effect(() => {
			const c = session.city;
			if (!c) return;
			const stops = buildTour(tourInput(c, this.hotspots, this.alertSites, i18n.t));
			untrack(() => this.cursor.setStops(stops));
		});
		// Start the tour with the overview once the map is there.
		$effect(() => {
			if (mapState.ready && !untrack(() => this.stop)) this.show(this.cursor.next());
		});
		// The feed dropped (a revoked token's stream is ended by the server): ask who we are.
		let wasLive = false;
		$effect(() => {
			const live = session.liveConnected;
			if (wasLive && !live) void this.checkDevice();
			wasLive = live;
		});
	}

	/** Loads, follows the live feed and the wall's follow state, and tours. Returns the stop. */
	start(url: URL): () => void {
		const deviceCheck = setInterval(() => void this.checkDevice(), 60_000);
		const stop = this.scene.start(url);
		void this.refreshAlerts();
		void wallState()
			.then((state) => state && this.setWall(state))
			.catch(() => {});
		this.restartTour();
		return () => {
			clearInterval(deviceCheck);
			if (this.tourTimer) clearInterval(this.tourTimer);
			stop();
		};
	}

	private async refreshAlerts(): Promise<void> {
		try {
			const { alerts, total } = await fetchOpenAlerts(5);
			this.alertSites = alerts;
			this.openAlerts = total;
		} catch {
			/* the next alert event asks again */
		}
	}

	private show(next: TourStop | null): void {
		if (!next) return;
		this.stop = next;
		this.shownAt = Date.now();
		const mapState = this.scene.mapState;
		if (next.bounds) mapState.fitBounds(next.bounds);
		else if (next.center) mapState.flyTo(next.center, next.zoom ?? 14);
	}

	private restartTour(): void {
		if (this.tourTimer) clearInterval(this.tourTimer);
		this.tourTimer = setInterval(() => {
			if (this.following) return;
			this.show(this.cursor.next());
		}, this.dwellS * 1000);
	}

	/** An officer's pushed view holds the wall until released; then the tour resumes. */
	private setWall(state: WallState): void {
		if (state.mode === 'follow') {
			this.following = true;
			this.stop = {
				kind: 'overview',
				label: this.i18n.t('wall.following'),
				center: state.center,
				zoom: state.zoom
			};
			this.shownAt = Date.now();
			this.scene.mapState.flyTo(state.center, state.zoom);
		} else if (this.following) {
			this.following = false;
			this.show(this.cursor.next());
			this.restartTour();
		}
	}

	/**
	 * A new high-priority alert is shown at once and the tour resumes after it — unless an alert
	 * is on screen since less than a dwell: then it waits its turn at the head of the queue.
	 */
	private interrupt(s: TourStop): void {
		this.cursor.interrupt(s);
		const recent = this.stop?.kind === 'alert' && Date.now() - this.shownAt < this.dwellS * 1000;
		if (this.following || recent) return;
		this.show(this.cursor.next());
		this.restartTour();
	}

	private async checkDevice(): Promise<void> {
		if (this.revoked) return;
		try {
			const me = await whoAmI();
			if (me.user === null) {
				this.revoked = true;
				this.session.close();
			}
		} catch {
			/* the server is away: the live feed reconnects, and we ask again */
		}
	}
}
