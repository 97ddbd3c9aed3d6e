/**
 * Incidents layer: clusters with count labels that split as you zoom, single incidents at high
 * zoom coloured by type. Pure: (cluster view from the worker) → deck.gl layers.
 * Positions, colours and radii are binary attributes: no object per incident.
 */
import { ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import { INCIDENT_TYPES } from '$lib/domain/incidents';
import type { ClusterView } from '$lib/engine/clusterIndex';
import { INCIDENT_TYPE_COLORS, clusterColor } from './palette';

export const INCIDENT_LAYER_IDS = {
	points: 'incidents-points',
	labels: 'incidents-labels',
	arrivals: 'incidents-arrivals'
} as const;

/** A new incident from the live feed, ringed on the map for a while after it arrives. */
export interface Arrival {
	id: number;
	lon: number;
	lat: number;
	type: number;
	/** Epoch ms it arrived in the browser. */
	at: number;
}

/** How long an arrival stays ringed, ms. */
export const ARRIVAL_MS = 60_000;

export const SINGLE_RADIUS_PX = 5;

export interface IncidentsInput {
	view: ClusterView | null;
	visible: boolean;
	/** Live arrivals to ring, and the time to age them against (epoch ms). */
	arrivals?: Arrival[];
	now?: number;
}

/** Radius of a cluster bubble in pixels: grows with the logarithm of its count. */
export function clusterRadius(count: number): number {
	return count <= 1 ? SINGLE_RADIUS_PX : Math.min(36, 10 + 6 * Math.log10(count));
}

/** Compact count label: 950, 1.2k, 35k. */
export function countLabel(count: number): string {
	if (count < 1000) return String(count);
	if (count < 10_000) return `${(count / 1000).toFixed(1)}k`;
	return `${Math.round(count / 1000)}k`;
}

/** Per-item colours (RGBA bytes) and radii for a cluster view. */
export function incidentAttributes(view: ClusterView): { colors: Uint8Array; radii: Float32Array } {
	const colors = new Uint8Array(view.length * 4);
	const radii = new Float32Array(view.length);
	for (let i = 0; i < view.length; i++) {
		const single = view.counts[i] <= 1;
		colors.set(
			single ? INCIDENT_TYPE_COLORS[INCIDENT_TYPES[view.types[i]]] : clusterColor(view.counts[i]),
			i * 4
		);
		radii[i] = clusterRadius(view.counts[i]);
	}
	return { colors, radii };
}

interface ViewData {
	points: {
		length: number;
		attributes: {
			getPosition: { value: Float32Array; size: number };
			getFillColor: { value: Uint8Array; size: number; normalized: boolean };
			getRadius: { value: Float32Array; size: number };
		};
	};
	clusterIndexes: number[];
}

const EMPTY_VIEW = {
	length: 0,
	positions: new Float32Array(0),
	counts: new Uint32Array(0)
} as ClusterView;

/**
 * The points' and labels' data, made once per cluster view: the arrivals' clock ticks every
 * second, and a new data object would make deck.gl upload every attribute again.
 */
const viewData = new WeakMap<ClusterView, ViewData>();

function dataOf(view: ClusterView): ViewData {
	let d = viewData.get(view);
	if (d) return d;
	const { colors, radii } = incidentAttributes(view);
	const clusterIndexes: number[] = [];
	for (let i = 0; i < view.length; i++) if (view.counts[i] > 1) clusterIndexes.push(i);
	d = {
		points: {
			length: view.length,
			attributes: {
				getPosition: { value: view.positions, size: 2 },
				getFillColor: { value: colors, size: 4, normalized: true },
				getRadius: { value: radii, size: 1 }
			}
		},
		clusterIndexes
	};
	viewData.set(view, d);
	return d;
}

export function incidentsLayers({ view, visible, arrivals = [], now = 0 }: IncidentsInput) {
	const fresh = arrivals.filter((a) => now - a.at < ARRIVAL_MS);
	const v = view ?? EMPTY_VIEW;
	const { points, clusterIndexes } = dataOf(v);

	return [
		new ScatterplotLayer({
			id: INCIDENT_LAYER_IDS.points,
			data: points,
			visible,
			pickable: true,
			radiusUnits: 'pixels',
			stroked: true,
			getLineColor: [10, 15, 26, 255],
			lineWidthMinPixels: 1,
			autoHighlight: true,
			highlightColor: [255, 255, 255, 90]
		}),
		new TextLayer<number>({
			id: INCIDENT_LAYER_IDS.labels,
			data: clusterIndexes,
			visible,
			getPosition: (i) => [v.positions[i * 2], v.positions[i * 2 + 1]],
			getText: (i) => countLabel(v.counts[i]),
			getSize: 13,
			getColor: [10, 15, 26, 255],
			fontWeight: 700,
			fontFamily: '"Noto Sans SC", "DejaVu Sans", sans-serif',
			characterSet: '0123456789.k',
			getTextAnchor: 'middle',
			getAlignmentBaseline: 'center',
			updateTriggers: { getPosition: [view], getText: [view] }
		}),
		new ScatterplotLayer<Arrival>({
			id: INCIDENT_LAYER_IDS.arrivals,
			data: fresh,
			visible,
			pickable: true,
			getPosition: (a) => [a.lon, a.lat],
			radiusUnits: 'pixels',
			getRadius: 13,
			filled: false,
			stroked: true,
			lineWidthUnits: 'pixels',
			getLineWidth: 3,
			getLineColor: (a) => {
				const [r, g, b] = INCIDENT_TYPE_COLORS[INCIDENT_TYPES[a.type]] ?? [255, 255, 255];
				return [r, g, b, Math.round(255 * (1 - (now - a.at) / ARRIVAL_MS))];
			},
			updateTriggers: { getLineColor: [now] }
		})
	];
}
