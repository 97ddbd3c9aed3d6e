/**
 * A draft plan of one community: its outline (fixed while planning) and its grids as GeoJSON
 * features with `GridProps`. Drafts are values: an edit never changes one, it returns a new
 * draft that shares every untouched grid feature with the old one, so keeping 100 of them for
 * undo costs little and two drafts can be compared by reference.
 * Edits are run by `applyEdit` (edits/apply.ts).
 */
import type { MultiPolygon, Polygon } from 'geojson';
import type { CommunityFeature, GridCollection, GridFeature, GridProps } from '../domain/city.ts';
import { renodeGrids } from './edits/commit.ts';
import { cleanRing, polygonOf, ringsOf, roundPt } from './geometry.ts';
import { OUTLINE_SEVERAL_PARTS, PlanRefusalError, type LocatedProblem } from './reasons.ts';
import type { Draft } from './types.ts';

export interface CommunityInput {
	id: string;
	geometry: Polygon | MultiPolygon;
}

export type PlannableOutline =
	{ ok: true; outline: Polygon } | ({ ok: false } & LocatedProblem<typeof OUTLINE_SEVERAL_PARTS>);

/**
 * The one Polygon a community's grids are planned in. A community in several parts (islands,
 * an enclave: city packs allow it) cannot be planned in one draft yet: that is refused with
 * OUTLINE_SEVERAL_PARTS, located at the first vertex of the second part.
 */
export function plannableOutline(g: Polygon | MultiPolygon): PlannableOutline {
	if (g.type === 'Polygon') return { ok: true, outline: g };
	if (g.coordinates.length === 1)
		return { ok: true, outline: { type: 'Polygon', coordinates: g.coordinates[0] } };
	const p = g.coordinates[1]?.[0]?.[0];
	return {
		ok: false,
		reason: OUTLINE_SEVERAL_PARTS,
		detail: null,
		location: p ? roundPt(p) : null,
		gridIds: []
	};
}

/**
 * A draft from published data. Coordinates are rounded to the planner's lattice, vertices
 * within `VERTEX_EPS` of each other become one, and a vertex lying on a neighbour's edge is
 * inserted into that edge, so shared boundaries are shared vertex by vertex. Ring orientation
 * and start are kept. Grids that are not Polygons are kept as they are for `validateDraft`
 * to report. The draft is not validated here. A community that cannot be planned (see
 * `plannableOutline`) throws a `PlanRefusalError` carrying the located refusal.
 */
export function createDraft(
	community: CommunityFeature | CommunityInput,
	grids: readonly GridFeature[] | GridCollection
): Draft {
	const id = 'properties' in community ? community.properties.id : community.id;
	const list = 'features' in grids ? grids.features : grids;
	const plannable = plannableOutline(community.geometry);
	if (!plannable.ok) {
		const { ok: _ok, ...problem } = plannable;
		const n = (community.geometry as MultiPolygon).coordinates.length;
		throw new PlanRefusalError(problem, `community ${id} is in ${n} parts: it cannot be planned`);
	}
	const outlineRings = ringsOf(plannable.outline).map((r) => cleanRing(r.map(roundPt)));
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

/** Sum of a numeric property over the draft (population and households are conserved). */
export function draftTotal(draft: Draft, key: 'population' | 'households'): number {
	let s = 0;
	for (const g of draft.grids) s += (g.properties as GridProps)[key];
	return s;
}
