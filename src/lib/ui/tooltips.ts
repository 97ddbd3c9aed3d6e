/**
 * Hover text for every pickable layer, in the UI language. Pure: (what was picked, city, view) → text.
 */
import { formatChinaTime } from '$lib/domain/time';
import type { PickingInfo } from '@deck.gl/core';
import type { Feature, LineString, MultiPolygon, Point, Polygon } from 'geojson';
import type {
	CommunityProps,
	GridProps,
	HazmatLaneProps,
	HazmatSiteProps,
	PatrolRoute,
	PatrolUnit,
	StreetProps
} from '$lib/domain/city';
import { INCIDENT_SOURCES, INCIDENT_STATUSES, INCIDENT_TYPES } from '$lib/domain/incidents';
import type { Translate } from '$lib/i18n/messages';
import {
	OFF_LANE_THRESHOLD_M,
	type Alert,
	type CaseRecord,
	type VehiclePosition
} from '$lib/domain/live';
import { ALERT_LAYER_IDS } from '$lib/layers/alerts';
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
	/** Filtered incidents per unit of the level the choropleth shows. */
	unitCounts: Uint32Array | null;
	locale: string;
}

type UnitFeature = Feature<Polygon | MultiPolygon, StreetProps | CommunityProps | GridProps>;

function unitText(unit: UnitFeature, count: number | null, ctx: TooltipContext): string {
	const { t, city, locale } = ctx;
	const fmt = (n: number) => n.toLocaleString(locale);
	const p = unit.properties;
	const streetName = (id: string) =>
		city.streets.features.find((s) => s.properties.id === id)?.properties.name;
	const communityName = (id: string) =>
		city.communities.features.find((c) => c.properties.id === id)?.properties.name;
	const lines: string[] = [];
	if ('workerName' in p) {
		lines.push(
			`${streetName(p.streetId) ?? ''} · ${communityName(p.communityId) ?? ''} · ${p.name}`
		);
		lines.push(`${t('tooltip.worker')}: ${p.workerName} ${p.workerPhone}`);
	} else if ('streetId' in p) {
		lines.push(`${streetName(p.streetId) ?? ''} · ${p.name}`);
	} else {
		lines.push(p.name);
	}
	lines.push(
		`${t('tooltip.population')}: ${fmt(p.population)}  ${t('tooltip.households')}: ${fmt(p.households)}`
	);
	lines.push(`${t('tooltip.area')}: ${p.areaKm2.toFixed(2)} ${t('unit.km2')}`);
	if (count !== null) lines.push(`${t('layer.incidents')}: ${fmt(count)}`);
	return lines.join('\n');
}

export function tooltipText(info: PickingInfo, ctx: TooltipContext): string | null {
	if (!info.picked || !info.layer) return null;
	const { t, city, locale } = ctx;
	const fmt = (n: number) => n.toLocaleString(locale);
	switch (info.layer.id) {
		case GRID_LAYER_IDS.districtFill:
			return city.districts.features[info.index]?.properties.name ?? null;
		case GRID_LAYER_IDS.fill:
			return unitText(
				info.object as UnitFeature,
				ctx.unitCounts ? (ctx.unitCounts[info.index] ?? 0) : null,
				ctx
			);
		case HAZMAT_LAYER_IDS.sites: {
			const p = (info.object as Feature<Point, HazmatSiteProps>).properties;
			return [
				`${p.name}（${p.zone}）`,
				`${t('tooltip.riskLevel')}: ${t(`hazmat.risk.${p.riskLevel}`)}`,
				`${t('tooltip.class')}: ${t('hazmat.class', { n: p.hazardClass })}`,
				`${t('tooltip.substances')}: ${p.substances.join('、')}`,
				`${t('tooltip.quantity')}: ${fmt(p.quantityTonnes)} ${t('unit.tonnes')}`,
				`${t('hazmat.radius')}: ${fmt(p.riskRadiusM)} ${t('unit.m')}`,
				`${t('tooltip.responsible')}: ${p.responsibleName} ${p.responsiblePhone}`
			].join('\n');
		}
		case HAZMAT_LAYER_IDS.vehicles: {
			const v = info.object as VehiclePosition;
			return `${t('hazmat.vehicle')} ${v.id}\n${
				v.offLaneM > OFF_LANE_THRESHOLD_M
					? t('hazmat.offLane', { m: Math.round(v.offLaneM) })
					: t('hazmat.onLane')
			}`;
		}
		case ALERT_LAYER_IDS.alerts: {
			const a = info.object as Alert;
			return a.message;
		}
		case ALERT_LAYER_IDS.overdue: {
			const c = info.object as CaseRecord;
			return `#${c.id} ${t(`incident.type.${c.type}`)}\n${t('case.overdue')}`;
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
			if (v.counts[i] > 1) return t('incidents.cluster', { count: fmt(v.counts[i]) });
			return [
				`${t(`incident.type.${INCIDENT_TYPES[v.types[i]]}`)}  #${v.ids[i]}`,
				`${t('tooltip.source')}: ${t(`incident.source.${INCIDENT_SOURCES[v.sources[i]]}`)}`,
				`${t('tooltip.status')}: ${t(`incident.status.${INCIDENT_STATUSES[v.statuses[i]]}`)}`,
				`${t('incident.priority')}: ${t(`incident.priority.${v.priorities[i] as 1 | 2 | 3 | 4}`)}`,
				`${t('tooltip.reported')}: ${formatChinaTime(v.ts[i], locale)}`
			].join('\n');
		}
		default:
			return null;
	}
}
