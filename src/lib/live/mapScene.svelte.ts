/**
 * What the command map and the wall share: the map state (in context), the city's map style, the
 * patrol clock, a second tick, and the layer stack — grids, hazmat, patrols, then what a page
 * adds under the incidents, the incidents, and what it adds on top. Each group is its own
 * `$derived`, so the per-second tick rebuilds the incident rings only. Construct it during a
 * component's initialisation (it runs effects and sets the map-state context).
 */
import type { LayersList } from '@deck.gl/core';
import type { ClusterView } from '$lib/engine/clusterIndex';
import type { IncidentSession } from './incidentSession.svelte';
import { identityOf } from '$lib/domain/cityIdentity';
import type { I18n } from '$lib/i18n/i18n.svelte';
import { gridsLayers, type Choropleth } from '$lib/layers/grids';
import { hazmatLayers } from '$lib/layers/hazmat';
import { incidentsLayers } from '$lib/layers/incidents';
import { patrolsLayers } from '$lib/layers/patrols';
import { patrolFrame } from './patrols';
import { CityMapStyle } from '$lib/map/cityMapStyle.svelte';
import { MapState } from '$lib/map/mapState.svelte';
import { PatrolClock } from './patrolClock.svelte';
import { loadingSteps } from './loadingSteps';

/** The layer groups the officer can switch on and off (ui/LayerPanel.svelte). */
export type LayerKey = 'grids' | 'patrols' | 'hazmat' | 'incidents';
export type LayerVisibility = Record<LayerKey, boolean>;

const ALL_VISIBLE: LayerVisibility = { grids: true, patrols: true, hazmat: true, incidents: true };

export interface SceneInput {
	/** What the grids are coloured by. */
	choropleth: () => Choropleth;
	/** The incidents (clusters and single ones) in view. */
	clusters: () => ClusterView | null;
	/** Which layer groups are on (default: all). */
	visible?: () => LayerVisibility;
	/** The loading overlay shows megabytes and rows (the desk; the wall shows bars only). */
	loadingDetail?: boolean;
}

export class MapScene {
	readonly mapState = new MapState();
	readonly clock = new PatrolClock();
	readonly mapStyle: CityMapStyle;
	/** Wall-clock time, ticking each second (ages the live arrivals' rings). */
	now = $state(Date.now());
	/** The minute of `now`: figures that depend on the clock re-ask when it changes. */
	minute = $derived.by(() => Math.floor(this.now / 60_000));

	identity = $derived.by(() => (this.session.city ? identityOf(this.session.city.manifest) : null));
	/** Live units from the server's reports; the track at the clock when replaying or without. */
	patrolView = $derived.by(() => patrolFrame(this.clock, this.session.patrols, Date.now()));

	private visible = $derived.by(() => this.input.visible?.() ?? ALL_VISIBLE);
	private grids = $derived.by(() => {
		const city = this.session.city;
		return city
			? gridsLayers({
					...city,
					choropleth: this.input.choropleth(),
					zoom: this.mapState.zoom,
					visible: this.visible.grids
				})
			: [];
	});
	private hazmat = $derived.by(() => {
		const city = this.session.city;
		return city
			? hazmatLayers({
					sites: city.hazmatSites,
					lanes: city.hazmatLanes,
					vehicles: this.session.vehicles,
					visible: this.visible.hazmat
				})
			: [];
	});
	private patrols = $derived.by(() => {
		const city = this.session.city;
		return city
			? patrolsLayers({
					patrols: city.patrols,
					timeOfDay: this.patrolView.timeOfDay,
					live: this.patrolView.live,
					visible: this.visible.patrols
				})
			: [];
	});
	private incidents = $derived.by(() =>
		incidentsLayers({
			view: this.input.clusters(),
			visible: this.visible.incidents,
			arrivals: this.session.arrivals,
			now: this.now
		})
	);

	loadingSteps = $derived.by(() =>
		loadingSteps(
			{
				cityLoaded: this.session.city !== null,
				progress: this.session.progress,
				engineReady: this.session.engine !== null
			},
			this.input.loadingDetail ? { t: this.i18n.t, locale: this.i18n.locale } : undefined
		)
	);

	constructor(
		readonly session: IncidentSession,
		private readonly i18n: I18n,
		private readonly input: SceneInput
	) {
		this.mapStyle = new CityMapStyle(
			() => this.identity,
			() => this.session.city,
			i18n
		);
	}

	/**
	 * The layer stack; `under` goes below the incidents (a click on a cluster must reach the
	 * cluster), `over` above everything. No city yet: no layers.
	 */
	layers(under: LayersList = [], over: LayersList = []): LayersList {
		if (!this.session.city) return [];
		return [...this.grids, ...this.hazmat, ...this.patrols, ...under, ...this.incidents, ...over];
	}

	/** Reads the language and the clock from the address, loads, and ticks. Returns the stop. */
	start(url: URL): () => void {
		this.i18n.init(url);
		this.clock.init(url);
		void this.session.load();
		const stopClock = this.clock.start();
		const ticker = setInterval(() => (this.now = Date.now()), 1000);
		return () => {
			stopClock();
			clearInterval(ticker);
			this.session.close();
		};
	}
}
