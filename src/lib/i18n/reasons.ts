/**
 * Every refusal reason of the planner (src/lib/plan/reasons.ts) in words: the catalogue key of
 * each. The map is typed by the reason union, so a reason added there without a message here
 * (or a key missing from the catalogue) fails the type check; reasons.test.ts checks that
 * both languages say something for each.
 */
import { isPlanReason, type PlanReason } from '$lib/plan/reasons';
import type { MessageKey, Translate } from './messages';

export const REASON_MESSAGES = {
	grid_not_found: 'plan.reason.grid_not_found',
	split_line_invalid: 'plan.reason.split_line_invalid',
	split_line_misses: 'plan.reason.split_line_misses',
	split_line_not_across: 'plan.reason.split_line_not_across',
	split_not_two_parts: 'plan.reason.split_not_two_parts',
	split_sliver: 'plan.reason.split_sliver',
	split_invalid_part: 'plan.reason.split_invalid_part',
	merge_same_grid: 'plan.reason.merge_same_grid',
	merge_corner_only: 'plan.reason.merge_corner_only',
	merge_not_adjacent: 'plan.reason.merge_not_adjacent',
	merge_not_contiguous: 'plan.reason.merge_not_contiguous',
	vertex_not_found: 'plan.reason.vertex_not_found',
	edge_not_shared: 'plan.reason.edge_not_shared',
	invalid_position: 'plan.reason.invalid_position',
	boundary_vertex_fixed: 'plan.reason.boundary_vertex_fixed',
	boundary_slide_blocked: 'plan.reason.boundary_slide_blocked',
	boundary_slide_unsupported: 'plan.reason.boundary_slide_unsupported',
	outline_several_parts: 'plan.reason.outline_several_parts',
	outline_invalid: 'plan.reason.outline_invalid',
	no_grids: 'plan.reason.no_grids',
	duplicate_grid_id: 'plan.reason.duplicate_grid_id',
	wrong_community: 'plan.reason.wrong_community',
	not_polygon: 'plan.reason.not_polygon',
	not_contiguous: 'plan.reason.not_contiguous',
	grid_invalid: 'plan.reason.grid_invalid',
	coordinate_precision: 'plan.reason.coordinate_precision',
	bad_coordinate: 'plan.reason.bad_coordinate',
	ring_not_closed: 'plan.reason.ring_not_closed',
	too_few_positions: 'plan.reason.too_few_positions',
	too_many_positions: 'plan.reason.too_many_positions',
	topology_error: 'plan.reason.topology_error',
	wrong_street: 'plan.reason.wrong_street',
	unreadable_file: 'plan.reason.unreadable_file',
	no_shapefile: 'plan.reason.no_shapefile',
	several_layers: 'plan.reason.several_layers',
	not_feature_collection: 'plan.reason.not_feature_collection',
	bad_property: 'plan.reason.bad_property',
	too_large_unpacked: 'plan.reason.too_large_unpacked',
	too_many_features: 'plan.reason.too_many_features',
	beyond_tolerance: 'plan.reason.beyond_tolerance',
	gap: 'plan.reason.gap',
	overlap: 'plan.reason.overlap',
	outside: 'plan.reason.outside'
} as const satisfies Record<PlanReason, MessageKey>;

/** A refusal reason in words; a reason this client does not know (a newer server) as it is. */
export function reasonText(t: Translate, reason: string): string {
	return isPlanReason(reason) ? t(REASON_MESSAGES[reason]) : reason;
}
