/**
 * What the planner's map draws, built from the draft and the page's state: pure functions from
 * the core's `Draft` (and its balance) to the GeoJSON `PlanMap` takes. Nothing here changes a
 * draft or touches the map.
 */
import { pointOnFeature } from '@turf/turf';
import type { Feature, FeatureCollection, Point, Position } from 'geojson';
import type { DraftConflict, PlanProblem } from '$lib/domain/plans';
import type { Balance, Draft, SplitSuggestion } from '$lib/plan';
import type { OverlayFeature } from './planView';

/**
 * The draft's grids with what the map colours them by: `deviation` and `outside` from the
 * balance, `selected` (the selected grid, or the first grid picked for a merge), `refused`
 * (named by the latest refused edit).
 */
export function gridFeatures(
	draft: Draft | null,
	balance: Balance | null,
	highlighted: readonly (string | null)[],
	refusedIds: readonly string[]
): FeatureCollection {
	const dev = new Map(balance?.grids.map((g) => [g.id, g]));
	const refused = new Set(refusedIds);
	const selected = new Set(highlighted.filter((id) => id !== null));
	return {
		type: 'FeatureCollection',
		features: (draft?.grids ?? []).map((g) => ({
			type: 'Feature',
			geometry: g.geometry,
			properties: {
				id: g.properties.id,
				name: g.properties.name,
				deviation: dev.get(g.properties.id)?.deviation ?? 0,
				outside: dev.get(g.properties.id)?.outside ?? false,
				selected: selected.has(g.properties.id),
				refused: refused.has(g.properties.id)
			}
		}))
	};
}

/** The community's outline (empty without a draft). */
export function outlineFeatures(draft: Draft | null): FeatureCollection {
	return {
		type: 'FeatureCollection',
		features: draft ? [{ type: 'Feature', geometry: draft.outline, properties: {} }] : []
	};
}

/** One label point per grid (`name`), on the grid: polygon labels would repeat once per tile. */
export function labelFeatures(draft: Draft | null): FeatureCollection {
	return {
		type: 'FeatureCollection',
		features: (draft?.grids ?? []).map((g) => ({
			type: 'Feature',
			geometry: pointOnFeature(g).geometry,
			properties: { name: g.properties.name }
		}))
	};
}

/**
 * Vertex handles, one per distinct position. A vertex of one grid only lies on the community
 * outline and cannot move (the core refuses it): `fixed`, drawn small and grey; shared ones move
 * both neighbours.
 */
export function vertexFeatures(draft: Draft | null): FeatureCollection {
	// vertex key → [position, grids using it]
	const users = new Map<string, [Position, Set<string>]>();
	for (const g of draft?.grids ?? [])
		for (const ring of g.geometry.coordinates)
			for (const v of ring) {
				const key = `${v[0]},${v[1]}`;
				const entry = users.get(key) ?? [v, new Set<string>()];
				entry[1].add(g.properties.id);
				users.set(key, entry);
			}
	const features: Feature<Point>[] = [...users.values()].map(([v, grids]) => ({
		type: 'Feature',
		geometry: { type: 'Point', coordinates: v },
		properties: { fixed: grids.size < 2 }
	}));
	return { type: 'FeatureCollection', features };
}

/** What the overlay shows besides the grids. */
export interface OverlayState {
	/** A diff on screen (its features from `diffOverlay`). */
	diff: readonly OverlayFeature[] | null;
	/** A 409 being reviewed: their changed grids are outlined over mine. */
	review: DraftConflict | null;
	suggestion: SplitSuggestion | null;
	refusal: Position | null;
	problems: readonly PlanProblem[];
}

const point = (p: Position, role: 'refusal' | 'problem'): OverlayFeature => ({
	type: 'Feature',
	geometry: { type: 'Point', coordinates: p },
	properties: { role }
});

/**
 * The overlay, bottom to top: the diff, their changed grids (`theirs`, outer rings), the
 * suggested split line, the refused edit's location and every located problem.
 */
export function overlayFeatures(s: OverlayState): OverlayFeature[] {
	const out: OverlayFeature[] = [];
	if (s.diff) out.push(...s.diff);
	if (s.review?.current) {
		const ids = new Set(s.review.changedGridIds);
		for (const g of s.review.current.grids.features)
			if (ids.has(g.properties.id))
				out.push({
					type: 'Feature',
					geometry: { type: 'LineString', coordinates: g.geometry.coordinates[0] },
					properties: { role: 'theirs' }
				});
	}
	if (s.suggestion)
		out.push({
			type: 'Feature',
			geometry: { type: 'LineString', coordinates: s.suggestion.line },
			properties: { role: 'suggest' }
		});
	if (s.refusal) out.push(point(s.refusal, 'refusal'));
	for (const p of s.problems) if (p.location) out.push(point(p.location, 'problem'));
	return out;
}
