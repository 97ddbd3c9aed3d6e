/**
 * The command map's drill-down: the scope in the right panel (a unit, a district, a clicked area,
 * a case), its summary and incident list, the grid workers who answer for it, and the patrol
 * units and hazmat sites near it. Construct it during a component's initialisation.
 */
import { INCIDENT_STATUSES, INCIDENT_TYPES } from '$lib/domain/incidents';
import type { IncidentSession } from './incidentSession.svelte';
import type { IncidentFilter } from '$lib/engine/filter';
import {
	scopeIncidents,
	scopeSummary,
	topUnits,
	type IncidentSort,
	type PointSet,
	type Scope,
	type ScopeSummary
} from '$lib/engine/queries';
import type { I18n } from '$lib/i18n/i18n.svelte';
import { NearUnits } from './nearUnits.svelte';
import { drillView, scopeCenter } from './drillTree';
import { hazmatNear } from './nearby';

export class DrillSession {
	scope = $state.raw<Scope | null>(null);
	/** Where the scope is: nearest units and hazmat sites are asked about this place. */
	center = $state.raw<[number, number] | null>(null);
	sort = $state<IncidentSort>('newest');
	summary = $state.raw<ScopeSummary | null>(null);
	list = $state.raw<(PointSet & { grid: Int32Array }) | null>(null);
	top = $state.raw<{ unit: Int32Array; count: Uint32Array } | null>(null);
	/** Bumped when the case on screen changed on the server: the case panel reloads it. */
	caseRevision = $state(0);

	/** The server's nearest units for the place in view, asked again every 10 s of reports. */
	readonly nearUnits = new NearUnits();
	nearSites = $derived.by(() => {
		const city = this.session.city;
		return city && this.center ? hazmatNear(city.hazmatSites, this.center) : [];
	});

	/** Title, breadcrumbs, children and responsible grid workers of the scope. */
	view = $derived.by(() => {
		const city = this.session.city;
		if (!city || !this.scope) return null;
		const t = this.i18n.t;
		return drillView(
			city,
			this.scope,
			{
				city: this.cityName(),
				area: t('drill.area'),
				incident: (id) => t('drill.incident', { id })
			},
			this.top?.unit ?? null
		);
	});

	private unitsTick = $derived.by(() => Math.floor((this.session.patrols?.t ?? 0) / 10_000));

	constructor(
		private readonly session: IncidentSession,
		filter: () => IncidentFilter | null,
		private readonly i18n: I18n,
		private readonly cityName: () => string
	) {
		$effect(() => {
			// A dispatch (or any case change) may have taken a unit: ask again.
			void this.unitsTick;
			void session.dataVersion;
			void this.nearUnits.refresh(this.center);
		});
		session.live(
			'drillSummary',
			1,
			() => {
				const [f, e, sc] = [filter(), session.engine, this.scope];
				if (!e || !f || !sc) return null;
				const sizes = { types: INCIDENT_TYPES.length, statuses: INCIDENT_STATUSES.length };
				return () => scopeSummary(e.db, f, sc, sizes);
			},
			(v) => (this.summary = v)
		);
		session.live(
			'drillList',
			2,
			() => {
				const [f, e, sc, order] = [filter(), session.engine, this.scope, this.sort];
				return e && f && sc ? () => scopeIncidents(e.db, f, sc, order, 5000) : null;
			},
			(v) => (this.list = v)
		);
		session.live(
			'drillTop',
			2,
			() => {
				const [f, e, sc] = [filter(), session.engine, this.scope];
				return e && f && sc && (sc.kind === 'area' || sc.kind === 'incident')
					? () => topUnits(e.db, f, 'grid', 3, sc)
					: null;
			},
			(v) => (this.top = v)
		);
	}

	/** Opens a scope in the panel (`center`: where it was clicked, else the scope's own). */
	open(next: Scope, center?: [number, number]): void {
		this.scope = next;
		this.summary = null;
		this.list = null;
		const city = this.session.city;
		this.center = center ?? (city ? scopeCenter(city, next) : null);
	}

	close = (): void => {
		this.scope = null;
	};

	/** The case on screen is among these changed records: have the panel reload it. */
	recordsChanged(ids: number[]): void {
		const s = this.scope;
		if (s?.kind === 'incident' && ids.includes(s.id)) this.caseRevision++;
	}
}
