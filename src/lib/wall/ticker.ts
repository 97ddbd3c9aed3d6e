/**
 * What the wall writes about incidents and alerts: the ticker's items and the tour's stop labels.
 * Places without people (街镇 · 社区; the wall shows no names or phones). Pure.
 */
import { INCIDENT_TYPES } from '$lib/domain/incidents';
import type { Alert, IncidentRecord } from '$lib/domain/live';
import type { Hotspot } from '$lib/engine/queries';
import { bboxOf } from '$lib/geo/bbox';
import type { Translate } from '$lib/i18n/messages';
import type { City } from '$lib/map/cityData';
import type { TourInput } from './tour';

export interface TickerItem {
	key: string;
	at: number;
	kind: 'incident' | 'alert';
	/** Incident type code (its colour). */
	type: number;
	text: string;
	urgent: boolean;
}

/** Items the ticker keeps (it shows the newest few). */
export const TICKER_KEPT = 30;

type Places = Pick<City, 'streets' | 'communities'>;

/** Where an incident is, without who: 街镇 · 社区. */
export function placeOf(city: Places | null, streetId: string, communityId: string): string {
	const street = city?.streets.features.find((f) => f.properties.id === streetId)?.properties.name;
	const community = city?.communities.features.find((f) => f.properties.id === communityId)
		?.properties.name;
	return [street, community].filter(Boolean).join(' · ');
}

export function incidentItem(r: IncidentRecord, t: Translate, city: Places | null): TickerItem {
	return {
		key: `i${r.id}`,
		at: r.ts,
		kind: 'incident',
		type: INCIDENT_TYPES.indexOf(r.type),
		text: `${t(`incident.type.${r.type}`)} · ${placeOf(city, r.streetId, r.communityId)}`,
		urgent: r.priority === 1
	};
}

export const alertText = (a: Alert, t: Translate): string =>
	t(a.kind === 'hazmat_radius' ? 'wall.alert.hazmatRadius' : 'wall.alert.offLane');

export function alertItem(a: Alert, t: Translate): TickerItem {
	return {
		key: `a${a.id}`,
		at: a.ts,
		kind: 'alert',
		type: INCIDENT_TYPES.indexOf('hazmat_alarm'),
		text: alertText(a, t),
		urgent: true
	};
}

/** A batch (oldest first) onto the ticker: newest first, the oldest dropped past the limit. */
export function prepend(ticker: TickerItem[], batch: TickerItem[]): TickerItem[] {
	return [...[...batch].reverse(), ...ticker].slice(0, TICKER_KEPT);
}

/** The tour's stops: the district, each emerging hotspot (at its grid), each alerting site. */
export function tourInput(
	city: Pick<City, 'grids' | 'streets' | 'communities'> & {
		manifest: { bbox: TourInput['overview'] };
	},
	hotspots: Hotspot[] | null,
	alerts: Alert[],
	t: Translate
): TourInput {
	return {
		overview: city.manifest.bbox,
		overviewLabel: t('wall.tour.overview'),
		hotspots: (hotspots ?? []).map((h) => {
			const grid = city.grids.features[h.grid];
			const [w, s, e, n] = bboxOf(grid.geometry);
			const place = placeOf(city, grid.properties.streetId, grid.properties.communityId);
			return {
				label: `${t('wall.tour.hotspot')} · ${place}`,
				center: [(w + e) / 2, (s + n) / 2] as [number, number]
			};
		}),
		alerts: alerts.map((a) => ({ label: alertText(a, t), center: [a.lon, a.lat] }))
	};
}
