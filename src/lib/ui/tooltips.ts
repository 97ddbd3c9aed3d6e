/**
 * Hover text for every pickable layer, in the UI language. Pure: (what was picked, city, view) → text.
 */
import type { PickingInfo } from '@deck.gl/core';
import type { Feature, LineString, Point } from 'geojson';
import type {
	GridFeature,
	HazmatLaneProps,
	HazmatSiteProps,
	PatrolRoute,
	PatrolUnit
} from '$lib/domain/city';
import { INCIDENT_SOURCES, INCIDENT_STATUSES, INCIDENT_TYPES } from '$lib/domain/incidents';
import type { Translate } from '$lib/i18n/messages';
import type { ClusterView } from '$lib/engine/clusterIndex';
import { GRID_LAYER_IDS } from '$lib/layers/grids';
import { HAZMAT_LAYER_IDS } from '$lib/layers/hazmat';
import { INCIDENT_LAYER_IDS } from '$lib/layers/incidents';
import { PATROL_LAYER_IDS } from '$lib/layers/patrols';
import type { City } from '$lib/map/cityData';

export interface TooltipContext {
	t: Translate;
	city: City;
	clusters: ClusterView | null;
	gridCounts: Uint32Array | null;
	locale: string;
}

const fmt = (n: number, locale: string) => n.toLocaleString(locale);

export function tooltipText(info: PickingInfo, ctx: TooltipContext): string | null {
	if (!info.picked || !info.layer) return null;
	const { t, city, locale } = ctx;
	switch (info.layer.id) {
		case GRID_LAYER_IDS.fill: {
			const grid = info.object as GridFeature;
			const p = grid.properties;
			const community = city.communities.features.find((c) => c.properties.id === p.communityId);
			const street = city.streets.features.find((s) => s.properties.id === p.streetId);
			const count = ctx.gridCounts ? ctx.gridCounts[info.index] : null;
			return [
				`${street?.properties.name ?? ''} · ${community?.properties.name ?? ''} · ${p.name}`,
				`${t('tooltip.worker')}: ${p.workerName} ${p.workerPhone}`,
				`${t('tooltip.population')}: ${fmt(p.population, locale)}  ${t('tooltip.households')}: ${fmt(p.households, locale)}`,
				`${t('tooltip.area')}: ${p.areaKm2.toFixed(2)} ${t('unit.km2')}`,
				count === null ? '' : `${t('tooltip.incidents')}: ${fmt(count, locale)}`
			]
				.filter(Boolean)
				.join('\n');
		}
		case HAZMAT_LAYER_IDS.sites: {
			const p = (info.object as Feature<Point, HazmatSiteProps>).properties;
			return [
				`${p.name}（${p.zone}）`,
				`${t('tooltip.riskLevel')}: ${t(`hazmat.risk.${p.riskLevel}`)}`,
				`${t('tooltip.class')}: ${t('hazmat.class', { n: p.hazardClass })}`,
				`${t('tooltip.substances')}: ${p.substances.join('、')}`,
				`${t('tooltip.quantity')}: ${fmt(p.quantityTonnes, locale)} ${t('unit.tonnes')}`,
				`${t('hazmat.radius')}: ${fmt(p.riskRadiusM, locale)} ${t('unit.m')}`,
				`${t('tooltip.responsible')}: ${p.responsibleName} ${p.responsiblePhone}`
			].join('\n');
		}
		case HAZMAT_LAYER_IDS.lanes: {
			const p = (info.object as Feature<LineString, HazmatLaneProps>).properties;
			return `${t('hazmat.lane')}\n${p.name}`;
		}
		case PATROL_LAYER_IDS.routes: {
			const r = info.object as PatrolRoute;
			return `${t(`patrols.mode.${r.mode}`)}\n${r.name}`;
		}
		case PATROL_LAYER_IDS.units: {
			const u = info.object as PatrolUnit;
			const route = city.patrols.routes.find((r) => r.id === u.routeId);
			return [
				`${u.callsign} · ${t(`patrols.mode.${u.mode}`)}`,
				`${t('tooltip.status')}: ${t(`tooltip.unitStatus.${u.status}`)}`,
				route ? `${t('tooltip.route')}: ${route.name}` : ''
			]
				.filter(Boolean)
				.join('\n');
		}
		case INCIDENT_LAYER_IDS.points: {
			const v = ctx.clusters;
			const i = info.index;
			if (!v || i < 0 || i >= v.length) return null;
			if (v.clusterIds[i] >= 0) return t('incidents.cluster', { count: fmt(v.counts[i], locale) });
			return [
				t(`incident.type.${INCIDENT_TYPES[v.types[i]]}`),
				`${t('tooltip.source')}: ${t(`incident.source.${INCIDENT_SOURCES[v.sources[i]]}`)}`,
				`${t('tooltip.status')}: ${t(`incident.status.${INCIDENT_STATUSES[v.statuses[i]]}`)}`,
				`${t('incident.priority')}: ${t(`incident.priority.${v.priorities[i] as 1 | 2 | 3 | 4}`)}`,
				`${t('tooltip.reported')}: ${new Date(v.ts[i]).toLocaleString(locale, { timeZone: 'Asia/Shanghai' })}`
			].join('\n');
		}
		default:
			return null;
	}
}
