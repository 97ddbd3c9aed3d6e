import { describe, expect, it } from 'vitest';
import { G, P, fixtureDraft } from '$lib/plan/testing';
import { diffOverlay, splitAlong, splitCandidates } from './planView';

// square4: a 20 × 20 square (units of 0.001°) in four quadrants, SW = G(1), SE = G(2),
// NE = G(3), NW = G(4).
describe('splitCandidates', () => {
	it('puts the grid the line runs through longest first', () => {
		const draft = fixtureDraft('square4');
		// From inside SW (x 8) far into SE (x 19), at y 5.
		const ids = splitCandidates(draft, [P(8, 5), P(19, 5)]).map((g) => g.properties.id);
		expect(ids).toEqual([G(2), G(1)]);
	});

	it('puts the selected grid first even when the line is mostly elsewhere', () => {
		const draft = fixtureDraft('square4');
		const ids = splitCandidates(draft, [P(8, 5), P(19, 5)], G(1)).map((g) => g.properties.id);
		expect(ids[0]).toBe(G(1));
	});

	it('finds nothing for a line outside the community', () => {
		const draft = fixtureDraft('square4');
		expect(splitCandidates(draft, [P(30, 30), P(40, 30)])).toEqual([]);
	});
});

describe('splitAlong', () => {
	it('splits the grid a line crosses and leaves the others', () => {
		const draft = fixtureDraft('square4');
		// From west of the square across SW, ending inside SE.
		const answer = splitAlong(draft, [P(-2, 5), P(12, 5)]);
		expect(answer.ok).toBe(true);
		if (!answer.ok) return;
		expect(answer.gridId).toBe(G(1));
		expect(answer.result.draft.grids).toHaveLength(5);
		expect(answer.result.removed).toEqual([G(1)]);
	});

	it('answers the most likely grid’s refusal when no grid accepts the line', () => {
		const draft = fixtureDraft('square4');
		// Ends inside SW: not across it.
		const answer = splitAlong(draft, [P(-2, 5), P(5, 5)]);
		expect(answer.ok).toBe(false);
		if (answer.ok) return;
		expect(answer.result.reason).toBe('split_line_not_across');
	});

	it('answers split_line_misses for a line that touches no grid', () => {
		const answer = splitAlong(fixtureDraft('square4'), [P(30, 30), P(40, 30)]);
		expect(answer.ok).toBe(false);
		if (!answer.ok) expect(answer.result.reason).toBe('split_line_misses');
	});
});

describe('diffOverlay', () => {
	it('draws old outlines of removed and reshaped grids, fills added and reshaped ones', () => {
		const before = fixtureDraft('square4');
		const answer = splitAlong(before, [P(-2, 5), P(12, 5)]);
		if (!answer.ok) throw new Error('split refused');
		const after = answer.result.draft;
		const added = after.grids
			.map((g) => g.properties.id)
			.filter((id) => !before.grids.some((g) => g.properties.id === id));
		const overlay = diffOverlay(before.grids, after.grids, {
			added,
			removed: [G(1)],
			reshaped: [G(2)]
		});
		const roles = overlay.map((f) => f.properties.role).sort();
		expect(roles).toEqual(['diff-added', 'diff-added', 'diff-old', 'diff-old', 'diff-reshaped']);
		const old = overlay.filter((f) => f.properties.role === 'diff-old');
		expect(old.every((f) => f.geometry.type === 'LineString')).toBe(true);
	});
});
