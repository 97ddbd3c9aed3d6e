/**
 * Selection layer: the shape of a spatial question (a radius around a point, a drawn polygon)
 * and the incidents that answer it, highlighted above everything else.
 * Pure: (shape, result points) → deck.gl layers.
 */
import { PathLayer, ScatterplotLayer } from '@deck.gl/layers';
import { INCIDENT_TYPES } from '$lib/domain/incidents';
import type { PointSet } from '$lib/engine/queries';
import { INCIDENT_TYPE_COLORS } from './palette';

export const SELECTION_LAYER_IDS = {
	circle: 'selection-circle',
	outline: 'selection-outline',
	points: 'selection-points'
} as const;

export type SelectionShape =
	| { kind: 'circle'; center: [number, number]; radiusM: number }
	| { kind: 'polygon'; vertices: [number, number][]; closed: boolean }
	| { kind: 'point'; center: [number, number] };

export interface SelectionInput {
	shape: SelectionShape | null;
	points: PointSet | null;
}

const ACCENT: [number, number, number, number] = [254, 202, 87, 255];

export function selectionLayers({ shape, points }: SelectionInput) {
	const positions = new Float32Array((points?.length ?? 0) * 2);
	const colors = new Uint8Array((points?.length ?? 0) * 4);
	for (let i = 0; i < (points?.length ?? 0); i++) {
		positions[i * 2] = points!.lon[i];
		positions[i * 2 + 1] = points!.lat[i];
		colors.set(INCIDENT_TYPE_COLORS[INCIDENT_TYPES[points!.type[i]]] ?? ACCENT, i * 4);
	}
	const center = shape && shape.kind !== 'polygon' ? [shape] : [];
	const path =
		shape?.kind === 'polygon' && shape.vertices.length > 0
			? [shape.closed ? [...shape.vertices, shape.vertices[0]] : shape.vertices]
			: [];
	return [
		new ScatterplotLayer<SelectionShape & { center: [number, number] }>({
			id: SELECTION_LAYER_IDS.circle,
			data: center as (SelectionShape & { center: [number, number] })[],
			getPosition: (s) => s.center,
			getRadius: (s) => (s.kind === 'circle' ? s.radiusM : 6),
			radiusUnits: shape?.kind === 'circle' ? 'meters' : 'pixels',
			stroked: true,
			filled: true,
			getFillColor: [254, 202, 87, 30],
			getLineColor: ACCENT,
			lineWidthUnits: 'pixels',
			getLineWidth: 2,
			updateTriggers: { getRadius: [shape] }
		}),
		new PathLayer<[number, number][]>({
			id: SELECTION_LAYER_IDS.outline,
			data: path,
			getPath: (p) => p,
			getColor: ACCENT,
			getWidth: 2,
			widthUnits: 'pixels'
		}),
		new ScatterplotLayer({
			id: SELECTION_LAYER_IDS.points,
			data: {
				length: points?.length ?? 0,
				attributes: {
					getPosition: { value: positions, size: 2 },
					getFillColor: { value: colors, size: 4, normalized: true }
				}
			},
			radiusUnits: 'pixels',
			getRadius: 6,
			stroked: true,
			getLineColor: [255, 255, 255, 255],
			lineWidthMinPixels: 2
		})
	];
}
