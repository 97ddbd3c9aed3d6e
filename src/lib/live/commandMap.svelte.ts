/**
 * The command map's session (/): the duty officer's filter (in the address), the analysis
 * choices, the live questions on the incidents, alerts and overdue cases, the drill-down and the
 * spatial question, and what a click on the map does. The page wires components to it.
 * Construct it during a component's initialisation (its questions are effects).
 */
import type { PickingInfo } from '@deck.gl/core';
import { untrack } from 'svelte';
import { replaceState } from '$app/navigation';
import type { AreaLevel, UnitLevel } from '$lib/domain/city';
import { cityLabels } from '$lib/domain/cityIdentity';
import type { Alert, CaseRecord } from '$lib/domain/live';
import { BIN, type ClusterView } from '$lib/engine/clusterIndex';
import type { IncidentEngine } from '$lib/engine/engine';
import { filterFromParams, type IncidentFilter } from '$lib/engine/filter';
import {
	DEFAULT_HOTSPOT_OPTIONS,
	countIncidents,
	countsByUnit,
	emergingHotspots,
	hourWeekdayMatrix,
	rankUnits,
	timeHistogram,
	type Bucket,
	type Histogram,
	type Hotspot,
	type Scope
} from '$lib/engine/queries';
import { IncidentSession } from './incidentSession.svelte';
import { bboxOf } from '$lib/geo/bbox';
import type { I18n } from '$lib/i18n/i18n.svelte';
import { alertsLayers } from '$lib/layers/alerts';
import { choroplethValues, classScale, unitsOf, type ChoroplethMetric } from '$lib/layers/grids';
import { selectionLayers } from '$lib/layers/selection';
import { ackAlert, openAlerts as fetchOpenAlerts, overdueCases as fetchOverdue } from './caseApi';
import { followWall, releaseWall } from './wallApi';
import type { City } from '$lib/map/cityData';
import { parseMapView, permalinkHref } from '$lib/map/permalink';
import { LEVEL_ZOOM, districtCounts, districtScope, unitCenter, unitName } from './drillTree';
import { routeClick } from './clickRoute';
import { DrillSession } from './drill.svelte';
import { MapScene, type LayerVisibility } from './mapScene.svelte';
import { histogramRange, paddedBbox, type AnalyticsTab } from './questions';
import { SpatialSession } from './spatial.svelte';

/** How many open alerts the panel keeps (the newest). */
const ALERTS_KEPT = 200;

export class CommandMapSession {
	readonly session = new IncidentSession({
		// A change of the case on screen (by another officer, or the simulator) reloads it.
		onRecords: (_change, records) => this.drill.recordsChanged(records.map((r) => r.id)),
		onAlerts: (change, changed) => {
			const ids = changed.map((a) => a.id);
			const rest = this.openAlerts.filter((a) => !ids.includes(a.id));
			this.openAlerts = change === 'new' ? [...changed, ...rest].slice(0, ALERTS_KEPT) : rest;
		}
	});

	// ── What the officer chose (the filter lives in the address) ──────────────────────────────
	filter = $state<IncidentFilter | null>(null);
	level = $state<AreaLevel>('grid');
	metric = $state<ChoroplethMetric>('density');
	bucket = $state<Bucket>('day');
	tab = $state<AnalyticsTab>('units');
	visible = $state<LayerVisibility>({ grids: true, patrols: true, hazmat: true, incidents: true });

	// ── Answers, recomputed when what they depend on changes ──────────────────────────────────
	clusters = $state.raw<ClusterView | null>(null);
	/** performance.now() when the latest cluster view arrived, and how long its query took. */
	clustersAt = 0;
	clusterQueryMs = 0;
	unitCounts = $state.raw<Uint32Array | null>(null);
	matching = $state<number | null>(null);
	histogram = $state.raw<Histogram | null>(null);
	matrix = $state.raw<Uint32Array | null>(null);
	hotspots = $state.raw<Hotspot[] | null>(null);
	openAlerts = $state.raw<Alert[]>([]);
	overdueCases = $state.raw<CaseRecord[]>([]);

	readonly scene: MapScene;
	readonly drill: DrillSession;
	readonly spatial: SpatialSession;
	/** `?map=lon,lat,zoom` from a permalink, read once. */
	readonly initialView: ReturnType<typeof parseMapView>;

	city = $derived.by(() => this.session.city);
	cityName = $derived.by(() =>
		this.city ? cityLabels(this.city.manifest, this.i18n.locale).name : ''
	);

	/** The chosen measure per unit of the level: the choropleth's classes and the ranking. */
	private unitValues = $derived.by(() =>
		this.city && this.unitCounts
			? choroplethValues(unitsOf(this.city, this.level).features, this.unitCounts, this.metric)
			: null
	);
	densityClasses = $derived.by(() =>
		this.unitValues ? classScale(this.unitValues, this.metric === 'count') : null
	);
	top = $derived.by(() => (this.unitValues ? rankUnits(this.unitValues, 10) : null));

	/** Everything is there: the overlay gives way to the map. */
	ready = $derived.by(
		() =>
			this.city !== null &&
			this.session.engine !== null &&
			this.scene.mapState.ready &&
			this.clusters !== null
	);

	private alertMarks = $derived.by(() =>
		alertsLayers({
			alerts: this.openAlerts,
			overdue: this.overdueCases,
			visible: this.visible.incidents
		})
	);
	private selection = $derived.by(() =>
		selectionLayers({ shape: this.spatial.shape, points: this.spatial.result?.points ?? null })
	);
	// Alerts under the clusters: a click on a cluster must reach the cluster.
	layers = $derived.by(() => this.scene.layers(this.alertMarks, this.selection));

	constructor(
		private readonly i18n: I18n,
		url: URL
	) {
		const session = this.session;
		this.scene = new MapScene(session, i18n, {
			choropleth: () => ({ level: this.level, metric: this.metric, counts: this.unitCounts }),
			clusters: () => this.clusters,
			visible: () => this.visible,
			loadingDetail: true
		});
		this.initialView = parseMapView(url.searchParams);
		const mapState = this.scene.mapState;

		$effect(() => {
			const full = session.full;
			if (full && !untrack(() => this.filter))
				this.filter = filterFromParams(url.searchParams, full);
		});
		$effect(() => {
			const [filter, full] = [this.filter, session.full];
			if (!filter || !full) return;
			const view = mapState.ready ? { center: mapState.center, zoom: mapState.zoom } : null;
			const href = permalinkHref(location.href, filter, full, view);
			// The page's own URL with a new query string: nothing to resolve against the base path.
			// eslint-disable-next-line svelte/no-navigation-without-resolve
			if (href !== location.href) replaceState(href, {});
		});

		session.live(
			'clusters',
			0,
			() => {
				const f = this.current();
				const { bbox, zoom, ready } = mapState;
				const e = session.engine;
				if (!e || !f || !ready) return null;
				const box = paddedBbox(bbox);
				const asked = performance.now();
				return () =>
					e.clusters(f, box, zoom).then((view) => ({ view, ms: performance.now() - asked }));
			},
			({ view, ms }) => {
				this.clusters = view;
				this.clustersAt = performance.now();
				this.clusterQueryMs = ms;
			}
		);
		session.live(
			'unitCounts',
			1,
			() => {
				const f = this.current();
				const [e, l, c] = [session.engine, this.level, this.city];
				if (!e || !f || !c) return null;
				return () => areaCounts(e, f, l, c);
			},
			(counts) => (this.unitCounts = counts)
		);
		session.live(
			'matching',
			1,
			() => {
				const f = this.current();
				const e = session.engine;
				return e && f ? () => countIncidents(e.db, f) : null;
			},
			(n) => (this.matching = n)
		);
		session.live(
			'histogram',
			2,
			() => {
				const f = this.current();
				const [e, b, full] = [session.engine, this.bucket, session.full];
				if (!e || !f || !full) return null;
				const { fromMs, toMs } = histogramRange(b, f, full);
				return () => timeHistogram(e.db, f, b, fromMs, toMs);
			},
			(h) => (this.histogram = h)
		);
		session.live(
			'matrix',
			3,
			() => {
				const f = this.current();
				const e = session.engine;
				return e && f && this.tab === 'matrix' ? () => hourWeekdayMatrix(e.db, f) : null;
			},
			(m) => (this.matrix = m)
		);
		session.live(
			'hotspots',
			3,
			() => {
				const f = this.current();
				const [e, full] = [session.engine, session.full];
				if (!e || !f || !full || this.tab !== 'hotspots') return null;
				const options = { ...DEFAULT_HOTSPOT_OPTIONS, endMs: full.toMs };
				return () => emergingHotspots(e.db, f, options);
			},
			(h) => (this.hotspots = h)
		);
		this.spatial = new SpatialSession(session, () => this.current());
		this.drill = new DrillSession(
			session,
			() => this.current(),
			i18n,
			() => this.cityName
		);
	}

	/** The filter as a plain object: reading it subscribes to every field. */
	current = (): IncidentFilter | null => (this.filter ? $state.snapshot(this.filter) : null);

	/** Loads, follows the live feed and refreshes the alerts each minute. Returns the stop. */
	start(url: URL): () => void {
		const stop = this.scene.start(url);
		void this.refreshAlerts();
		const alertsTimer = setInterval(this.refreshAlerts, 60_000);
		return () => {
			clearInterval(alertsTimer);
			stop();
		};
	}

	refreshAlerts = async (): Promise<void> => {
		try {
			const [a, o] = await Promise.all([fetchOpenAlerts(ALERTS_KEPT), fetchOverdue(100)]);
			this.openAlerts = a.alerts;
			this.overdueCases = o.incidents;
		} catch {
			/* the next refresh tries again */
		}
	};

	/** The signed-in user acknowledges (the server takes who from the session). */
	acknowledge = async (id: number): Promise<void> => {
		await ackAlert(id);
		this.openAlerts = this.openAlerts.filter((a) => a.id !== id);
	};

	unitName = (level: AreaLevel, index: number): string =>
		this.city ? unitName(this.city, level, index) : '';

	// ── Map interaction ───────────────────────────────────────────────────────────────────────
	onclick = async (info: PickingInfo): Promise<void> => {
		const mapState = this.scene.mapState;
		const action = routeClick(info, {
			spatialMode: this.spatial.mode,
			clusters: this.clusters,
			zoom: mapState.zoom
		});
		switch (action?.kind) {
			case 'siteRadius':
				return this.spatial.aroundSite(action.center, action.radiusM);
			case 'spatial':
				return this.spatial.click(action.lonLat, action.screen, mapState.project);
			case 'incident':
				return this.drill.open({ kind: 'incident', id: action.id }, action.center);
			case 'district':
				if (this.city) this.openDistrict(action.index);
				return;
			case 'unit':
				return this.openArea(this.level, action.index);
			case 'cluster': {
				const engine = this.session.engine;
				if (!engine) return;
				this.drill.open({ kind: 'area', bbox: action.bbox }, action.center);
				const zoom =
					action.clusterId === BIN
						? mapState.zoom + 2
						: await engine.expansionZoom(action.clusterId);
				mapState.flyTo(action.center, Math.max(zoom, mapState.zoom + 1));
			}
		}
	};

	// ── Drill-down, with the map following ────────────────────────────────────────────────────
	/** Drill into a unit of an analysis level, as a click on it on the map would. */
	openArea = (level: AreaLevel, index: number): void => {
		if (!this.city) return;
		if (level === 'district') this.openDistrict(index);
		else this.drill.open({ kind: 'unit', level, index });
	};

	/** The same from the ranking: the map flies to the unit as well. */
	openRanked = (level: AreaLevel, index: number): void => {
		this.openArea(level, index);
		if (level !== 'district') this.flyToUnit(level, index);
	};

	/** A breadcrumb or a child in the drill panel. */
	openScope = (next: Scope): void => {
		this.drill.open(next);
		if (next.kind === 'unit') this.flyToUnit(next.level, next.index);
		else if (next.kind === 'streets') this.flyToDistrict(next.district);
	};

	openHotspot = (h: Hotspot): void => {
		this.drill.open({ kind: 'unit', level: 'grid', index: h.grid });
		this.flyToUnit('grid', h.grid);
	};

	/** A case from a list: the panel opens it and the map flies there. */
	openIncident = (id: number, lonLat: [number, number]): void => {
		this.drill.open({ kind: 'incident', id }, lonLat);
		this.flyTo(lonLat);
	};

	/** Flies to a place, zooming in to street level where the map is further out. */
	flyTo = (lonLat: [number, number]): void => {
		const mapState = this.scene.mapState;
		mapState.flyTo(lonLat, Math.max(mapState.zoom, 15));
	};

	private openDistrict(index: number): void {
		if (!this.city) return;
		this.drill.open(districtScope(this.city, index));
		this.flyToDistrict(index);
	}

	private flyToUnit(level: UnitLevel, index: number): void {
		const center = this.city ? unitCenter(this.city, level, index) : null;
		if (center) this.scene.mapState.flyTo(center, LEVEL_ZOOM[level]);
	}

	private flyToDistrict(d: number): void {
		const f = this.city?.districts.features[d];
		if (f) this.scene.mapState.fitBounds(bboxOf(f.geometry));
	}

	// ── The wall ──────────────────────────────────────────────────────────────────────────────
	/** Puts this view on the wall (follow mode) until released. */
	pushToWall = async (): Promise<void> => {
		const { center, zoom } = this.scene.mapState;
		const refused = await followWall({ center, zoom });
		if (refused) this.session.queryError = refused;
	};

	releaseWall = (): Promise<void> => releaseWall();
}

/** Incidents per unit of an analysis level (a district's: the sum of its streets'). */
async function areaCounts(e: IncidentEngine, f: IncidentFilter, l: AreaLevel, c: City) {
	if (l !== 'district') return countsByUnit(e.db, f, l, unitsOf(c, l).features.length);
	return districtCounts(c, await countsByUnit(e.db, f, 'street', c.streets.features.length));
}
