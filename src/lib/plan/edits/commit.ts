/**
 * The step every geometric edit ends with: re-node the candidate grids (so shared boundaries
 * stay shared vertex by vertex), check every invariant on the result, and answer with the new
 * draft or the first failure, located. Plus the small helpers the edits share.
 */
import type { Polygon, Position } from 'geojson';
import type { GridFeature, GridProps } from '../../domain/city.ts';
import type { PolygonInvalidReason } from '../../geo/topology.ts';
import {
	isWellFormedPolygon,
	nodePolygons,
	polygonOf,
	ringsOf,
	roundPt,
	sameRings,
	type Rings
} from '../geometry.ts';
import { validateDraft } from '../invariants.ts';
import type { EditReason, InvariantReason } from '../reasons.ts';
import type { Draft, EditRefused, EditResult, InvariantFailure } from '../types.ts';

export function refuse(
	reason: EditReason | InvariantReason,
	location: Position | null,
	gridIds: string[],
	detail: PolygonInvalidReason | null = null,
	failures: InvariantFailure[] = []
): EditRefused {
	return {
		ok: false,
		reason,
		detail,
		location: location ? roundPt(location) : null,
		gridIds,
		failures
	};
}

export function km2(m2: number): number {
	return Math.round((m2 / 1e6) * 1000) / 1000;
}

/** A copy of a grid with new rings and properties (a stale `bbox` is dropped). */
export function withRings(
	g: GridFeature,
	rings: Rings,
	props: Partial<GridProps> = {}
): GridFeature {
	const { bbox: _bbox, ...rest } = g;
	return {
		...rest,
		type: 'Feature',
		properties: { ...g.properties, ...props },
		geometry: polygonOf(rings)
	};
}

/**
 * Node every Polygon grid against the outline and each other (see `nodePolygons`), keeping
 * the feature objects of grids that did not change. The outline is never modified.
 */
export function renodeGrids(
	outline: Polygon,
	grids: readonly GridFeature[]
): { grids: GridFeature[]; changed: string[] } {
	const idx: number[] = [];
	// Malformed grids (from an import) are left for validateDraft to report.
	grids.forEach((g, i) => {
		if (isWellFormedPolygon(g.geometry)) idx.push(i);
	});
	const input = [ringsOf(outline), ...idx.map((i) => ringsOf(grids[i].geometry))];
	const noded = nodePolygons(input, 1);
	const out = grids.slice();
	const changed: string[] = [];
	idx.forEach((gi, k) => {
		if (sameRings(input[k + 1], noded[k + 1])) return;
		out[gi] = withRings(grids[gi], noded[k + 1]);
		changed.push(grids[gi].properties.id);
	});
	return { grids: out, changed };
}

/** Re-node, check every invariant, and answer with the new draft or the first failure. */
export function commit(
	draft: Draft,
	grids: GridFeature[],
	changed: string[],
	removed: string[]
): EditResult {
	const r = renodeGrids(draft.outline, grids);
	const next: Draft = { communityId: draft.communityId, outline: draft.outline, grids: r.grids };
	const check = validateDraft(next);
	if (!check.valid) {
		const f = check.failures[0];
		return refuse(f.reason, f.location, f.gridIds, f.detail, check.failures);
	}
	const all = changed.slice();
	for (const id of r.changed) if (!all.includes(id)) all.push(id);
	return { ok: true, draft: next, changed: all, removed };
}

export function gridIndex(draft: Draft, id: string): number {
	return draft.grids.findIndex((g) => g.properties.id === id);
}
