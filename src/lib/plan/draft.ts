/**
 * A draft plan of one community: its outline (fixed while planning) and its grids as GeoJSON
 * features with `GridProps`. Drafts are values: an edit never changes one, it returns a new
 * draft that shares every untouched grid feature with the old one, so keeping 100 of them for
 * undo costs little and two drafts can be compared by reference.
 *
 * `applyEdit` is the single entry point the page and the server use: it runs the edit, checks
 * the invariants on the result (on commit, not on pointer move) and returns either the new
 * draft or a refusal with a reason and a spot to highlight.
 */
import type { MultiPolygon, Polygon } from 'geojson';
import type { CommunityFeature, GridCollection, GridFeature, GridProps } from '../domain/city.ts';
import {
	assignWorker,
	mergeGrids,
	moveEdge,
	moveVertex,
	renodeGrids,
	splitGrid,
	type EditResult
} from './edits.ts';
import { cleanRing, polygonOf, ringsOf, roundPt } from './geometry.ts';
import type { Draft, Edit } from './types.ts';

export type { Draft, Edit } from './types.ts';
export type { EditResult } from './edits.ts';

export interface CommunityInput {
	id: string;
	geometry: Polygon | MultiPolygon;
}

/**
 * The one Polygon a community's grids are planned in. A community in several parts (islands,
 * an enclave: city packs allow it) cannot be planned in one draft yet: that is refused.
 */
export function plannableOutline(g: Polygon | MultiPolygon): Polygon {
	if (g.type === 'Polygon') return g;
	if (g.coordinates.length === 1) return { type: 'Polygon', coordinates: g.coordinates[0] };
	throw new Error(
		`社区由 ${g.coordinates.length} 块组成，暂不能在规划中编辑 · a community in ${g.coordinates.length} parts cannot be planned yet`
	);
}

/**
 * A draft from published data. Coordinates are rounded to the planner's lattice, vertices
 * within `VERTEX_EPS` of each other become one, and a vertex lying on a neighbour's edge is
 * inserted into that edge, so shared boundaries are shared vertex by vertex. Ring orientation
 * and start are kept. Grids that are not Polygons are kept as they are for `validateDraft`
 * to report. The draft is not validated here.
 */
export function createDraft(
	community: CommunityFeature | CommunityInput,
	grids: readonly GridFeature[] | GridCollection
): Draft {
	const id = 'properties' in community ? community.properties.id : community.id;
	const list = 'features' in grids ? grids.features : grids;
	const outlineRings = ringsOf(plannableOutline(community.geometry)).map((r) =>
		cleanRing(r.map(roundPt))
	);
	const draft: Draft = {
		communityId: id,
		outline: polygonOf(outlineRings),
		grids: list.slice()
	};
	return { ...draft, grids: renodeGrids(draft.outline, draft.grids).grids };
}

/** The draft's grids as a FeatureCollection (what the server stores and exports). */
export function draftToCollection(draft: Draft): GridCollection {
	return { type: 'FeatureCollection', features: draft.grids.slice() };
}

export function findGrid(draft: Draft, id: string): GridFeature | undefined {
	return draft.grids.find((g) => g.properties.id === id);
}

/** Apply one edit; the result is checked against every invariant before it is returned. */
export function applyEdit(draft: Draft, edit: Edit): EditResult {
	switch (edit.kind) {
		case 'split':
			return splitGrid(draft, edit.gridId, edit.line, edit.options);
		case 'merge':
			return mergeGrids(draft, edit.a, edit.b);
		case 'moveVertex':
			return moveVertex(draft, edit.from, edit.to);
		case 'moveEdge':
			return moveEdge(draft, edit.a, edit.b, edit.delta);
		case 'assignWorker':
			return assignWorker(draft, edit.gridId, {
				workerName: edit.workerName,
				workerPhone: edit.workerPhone
			});
	}
}

/** Sum of a numeric property over the draft (population and households are conserved). */
export function draftTotal(draft: Draft, key: 'population' | 'households'): number {
	let s = 0;
	for (const g of draft.grids) s += (g.properties as GridProps)[key];
	return s;
}
