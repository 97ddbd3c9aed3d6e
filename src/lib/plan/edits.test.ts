import { describe, expect, it } from 'vitest';
import { POLYGON_SELF_INTERSECTION } from '../geo/topology.ts';
import {
	assignWorker,
	cutRings,
	defaultSplitIds,
	mergeGrids,
	moveEdge,
	moveVertex,
	snapPosition,
	splitGrid
} from './edits/index.ts';
import { COORD_DECIMALS, ringsOf, roundCoord } from './geometry.ts';
import { validateDraft } from './invariants.ts';
import {
	BOUNDARY_SLIDE_BLOCKED,
	BOUNDARY_VERTEX_FIXED,
	EDGE_NOT_SHARED,
	EDIT_REASONS,
	GRID_INVALID,
	GRID_NOT_FOUND,
	INVALID_POSITION,
	MERGE_CORNER_ONLY,
	MERGE_NOT_ADJACENT,
	MERGE_SAME_GRID,
	OVERLAP,
	SPLIT_INVALID_PART,
	SPLIT_LINE_INVALID,
	SPLIT_LINE_MISSES,
	SPLIT_LINE_NOT_ACROSS,
	SPLIT_NOT_TWO_PARTS,
	SPLIT_SLIVER,
	VERTEX_NOT_FOUND
} from './reasons.ts';
import type { Draft, EditResult } from './types.ts';
import { G, P, deepFreeze, fixtureDraft, goldenView } from './testing.ts';
import squareSplit from './fixtures/square4.split.golden.json';
import frameMerge from './fixtures/frame.merge.golden.json';
import holedSlide from './fixtures/holed.slide.golden.json';

function applied(r: EditResult): Draft {
	if (!r.ok) throw new Error(`refused: ${r.reason} ${r.detail ?? ''} at ${r.location}`);
	// Every accepted edit leaves a draft that tiles exactly, with rounded coordinates.
	expect(validateDraft(r.draft)).toMatchObject({ valid: true, method: 'exact' });
	for (const g of r.draft.grids)
		for (const ring of g.geometry.coordinates)
			for (const p of ring) expect([roundCoord(p[0]), roundCoord(p[1])]).toEqual(p);
	return r.draft;
}

function refused(r: EditResult) {
	if (r.ok) throw new Error('expected a refusal');
	return r;
}

const areaSum = (d: Draft) => d.grids.reduce((s, g) => s + g.properties.areaKm2, 0);

describe('splitGrid', () => {
	it('splits a square grid as in the golden file', () => {
		const d = deepFreeze(fixtureDraft('square4'));
		const r = splitGrid(d, G(1), [P(4, -1), P(4, 11)]);
		const next = applied(r);
		expect(goldenView(next.grids)).toEqual(squareSplit.grids);
		expect(r).toMatchObject({
			changed: [G(1) + 'a', G(1) + 'b', G(4)],
			removed: [G(1)]
		});
		// Untouched grids are the same objects; the outline is never changed.
		expect(next.grids[2]).toBe(d.grids[1]);
		expect(next.outline).toBe(d.outline);
		const halves = next.grids[0].properties.areaKm2 + next.grids[1].properties.areaKm2;
		expect(Math.abs(halves - d.grids[0].properties.areaKm2)).toBeLessThanOrEqual(0.0015);
	});

	it('accepts a line that ends exactly on the boundary, and one through two corners', () => {
		const d = fixtureDraft('square4');
		applied(splitGrid(d, G(1), [P(4, 0), P(4, 10)]));
		const diag = applied(splitGrid(d, G(1), [P(0, 0), P(10, 10)]));
		const halves = diag.grids.slice(0, 2).map((g) => ringsOf(g.geometry)[0].length);
		expect(halves).toEqual([3, 3]);
		// The diagonal's ends are existing vertices: no neighbour changes.
		expect(diag.grids[2]).toBe(d.grids[1]);
		expect(diag.grids[4]).toBe(d.grids[3]);
	});

	it('splits along a bent polyline and keeps its inner vertices in both halves', () => {
		const d = fixtureDraft('square4');
		const next = applied(splitGrid(d, G(3), [P(9, 12), P(15, 14), P(15, 21)]));
		const [a, b] = next.grids.filter((g) => g.properties.id.startsWith(G(3)));
		for (const g of [a, b]) expect(JSON.stringify(g.geometry)).toContain(JSON.stringify(P(15, 14)));
	});

	it('splits a grid next to a hole', () => {
		const d = fixtureDraft('holed');
		applied(splitGrid(d, G(1), [P(5, -1), P(5, 11)]));
		// Across the S grid's full width, one edge of which is on the lake.
		applied(splitGrid(d, G(1), [P(15, -1), P(15, 10)]));
	});

	it('shares population and households by area and keeps totals', () => {
		const d = fixtureDraft('real-community');
		const g = d.grids[0];
		const [x0, y0, x1, y1] = [0, 1, 2, 3].map((i) =>
			[Math.min, Math.min, Math.max, Math.max][i](...g.geometry.coordinates[0].map((p) => p[i % 2]))
		);
		const y = (y0 + y1) / 2;
		const next = applied(
			splitGrid(d, g.properties.id, [
				[x0 - 0.001, y],
				[x1 + 0.001, y]
			])
		);
		const halves = next.grids.slice(0, 2).map((h) => h.properties);
		expect(halves[0].population + halves[1].population).toBe(g.properties.population);
		expect(halves[0].households + halves[1].households).toBe(g.properties.households);
		expect(halves[0].areaKm2).toBeGreaterThanOrEqual(halves[1].areaKm2);
		expect(halves[0].workerName).toBe(g.properties.workerName);
		expect(halves[1].workerName).toBe('');
		const share = halves[0].areaKm2 / (halves[0].areaKm2 + halves[1].areaKm2);
		expect(halves[0].population / g.properties.population).toBeCloseTo(share, 2);
		expect(areaSum(next)).toBeCloseTo(areaSum(d), 2);
	});

	it('uses a caller-provided id generator', () => {
		const next = applied(
			splitGrid(fixtureDraft('square4'), G(1), [P(4, -1), P(4, 11)], {
				newIds: () => [G(5), G(6)]
			})
		);
		expect(next.grids.map((g) => g.properties.id).slice(0, 2)).toEqual([G(5), G(6)]);
		expect(defaultSplitIds(next.grids[0], new Set(['xa', 'xc']))).toEqual([G(5) + 'a', G(5) + 'b']);
		const taken = new Set(['xa', 'xb', 'xc']);
		const x = { ...next.grids[0], properties: { ...next.grids[0].properties, id: 'x' } };
		expect(defaultSplitIds(x, taken)).toEqual(['xd', 'xe']);
	});

	it('refuses a line that misses the grid', () => {
		const r = refused(splitGrid(fixtureDraft('square4'), G(1), [P(15, -1), P(15, 11)]));
		expect(r).toMatchObject({ reason: SPLIT_LINE_MISSES, location: null, gridIds: [G(1)] });
	});

	it('refuses a line that only grazes the grid (along an edge, or touching a corner)', () => {
		const d = fixtureDraft('square4');
		expect(refused(splitGrid(d, G(1), [P(10, -1), P(10, 11)])).reason).toBe(SPLIT_LINE_NOT_ACROSS);
		const corner = refused(splitGrid(d, G(1), [P(8, 12), P(12, 8)]));
		expect(corner).toMatchObject({ reason: SPLIT_LINE_NOT_ACROSS, location: P(10, 10) });
	});

	it('refuses a line that ends inside, at the dangling end', () => {
		const r = refused(splitGrid(fixtureDraft('square4'), G(1), [P(4, -1), P(4, 6)]));
		expect(r.reason).toBe(SPLIT_LINE_NOT_ACROSS);
		expect(r.location![0]).toBe(P(4, 0)[0]);
		expect(r.location![1]).toBeGreaterThan(P(4, 6)[1]);
		expect(r.location![1]).toBeLessThan(P(4, 6.01)[1]);
	});

	it('refuses a cut that crosses the grid twice (three pieces)', () => {
		const r = refused(splitGrid(fixtureDraft('concave'), G(1), [P(-1, 15), P(31, 15)]));
		expect(r).toMatchObject({ reason: SPLIT_NOT_TWO_PARTS, location: P(20, 15) });
	});

	it('refuses a cut from the shell to a hole (one piece)', () => {
		const frame = applied(mergeGrids(fixtureDraft('frame'), G(1), G(3)));
		const r = refused(splitGrid(frame, G(1), [P(15, -1), P(15, 12)]));
		expect(r).toMatchObject({ reason: SPLIT_NOT_TWO_PARTS, location: P(15, 10) });
		// Right through the frame, shell to hole to shell, is two chords: also refused.
		expect(refused(splitGrid(frame, G(1), [P(15, -1), P(15, 31)])).reason).toBe(
			SPLIT_NOT_TWO_PARTS
		);
	});

	it('refuses slivers, by share and by area', () => {
		const d = fixtureDraft('square4');
		const r = refused(splitGrid(d, G(1), [P(0.04, -1), P(0.04, 11)]));
		expect(r.reason).toBe(SPLIT_SLIVER);
		expect(r.location![0]).toBeLessThan(P(0.04, 0)[0]);
		// 0.4 % of the grid but ~4,300 m²: fine with a lower ratio, refused by a higher area.
		applied(splitGrid(d, G(1), [P(0.04, -1), P(0.04, 11)], { minPartRatio: 0.001 }));
		expect(
			refused(
				splitGrid(d, G(1), [P(0.04, -1), P(0.04, 11)], {
					minPartRatio: 0.001,
					minPartAreaM2: 5000
				})
			).reason
		).toBe(SPLIT_SLIVER);
	});

	it('refuses a cut line that crosses itself', () => {
		const r = refused(
			splitGrid(fixtureDraft('square4'), G(1), [P(2, -1), P(2, 6), P(6, 4), P(4, 2), P(4, 11)])
		);
		expect(r).toMatchObject({ reason: SPLIT_INVALID_PART, detail: POLYGON_SELF_INTERSECTION });
		expect(r.location).toEqual(P(4, 5));
	});

	it('refuses bad input', () => {
		const d = fixtureDraft('square4');
		expect(refused(splitGrid(d, 'nope', [P(4, -1), P(4, 11)])).reason).toBe(GRID_NOT_FOUND);
		expect(refused(splitGrid(d, G(1), [P(4, -1)])).reason).toBe(SPLIT_LINE_INVALID);
		expect(refused(splitGrid(d, G(1), [P(4, -1), P(4, -1)])).reason).toBe(SPLIT_LINE_INVALID);
		expect(refused(splitGrid(d, G(1), [P(4, -1), [NaN, 39]])).reason).toBe(SPLIT_LINE_INVALID);
	});

	it('rounds every new vertex to the lattice', () => {
		const d = fixtureDraft('real-community');
		const g = d.grids[1];
		const c = g.geometry.coordinates[0];
		const mid = (i: number) => [(c[i][0] + c[i + 1][0]) / 2 + 1e-11, (c[i][1] + c[i + 1][1]) / 2];
		const line = [mid(0), mid(2)];
		const r = splitGrid(d, g.properties.id, line);
		if (r.ok) applied(r);
		else expect(EDIT_REASONS).toContain(r.reason);
		expect(COORD_DECIMALS).toBeLessThanOrEqual(9);
	});
});

describe('cutRings', () => {
	it('gives both parts the identical chord vertices', () => {
		const ring = ringsOf(fixtureDraft('real-community').grids[0].geometry);
		const b = ring[0];
		const cx = b.reduce((s, p) => s + p[0], 0) / b.length;
		const cy = b.reduce((s, p) => s + p[1], 0) / b.length;
		const r = cutRings(ring, [
			[cx - 0.05, cy - 0.003],
			[cx + 0.05, cy + 0.004]
		]);
		if (!r.ok) throw new Error(r.reason);
		const [p1, p2] = r.parts.map((p) => new Set(p[0].map((q) => q.join())));
		for (const q of r.chord) {
			expect(p1.has(q.join())).toBe(true);
			expect(p2.has(q.join())).toBe(true);
		}
	});
});

describe('mergeGrids', () => {
	it('merges two grids sharing two separate edges into a polygon with a hole (golden)', () => {
		const d = deepFreeze(fixtureDraft('frame'));
		const r = mergeGrids(d, G(1), G(3));
		const next = applied(r);
		expect(goldenView(next.grids)).toEqual(frameMerge.grids);
		expect(r).toMatchObject({ changed: [G(1)], removed: [G(3)] });
		expect(next.grids[1]).toBe(d.grids[1]);
	});

	it('keeps the first grid’s id, name and worker and sums the rest', () => {
		const d = fixtureDraft('square4');
		const next = applied(mergeGrids(d, G(2), G(1)));
		expect(next.grids).toHaveLength(3);
		const m = next.grids.find((g) => g.properties.id === G(2))!.properties;
		expect(m).toMatchObject({
			name: '第02网格',
			workerName: '王芳',
			population: 3000,
			households: 1200
		});
		expect(m.areaKm2).toBeCloseTo(d.grids[0].properties.areaKm2 + d.grids[1].properties.areaKm2, 2);
	});

	it('refuses grids that only touch at a corner, reporting the corner', () => {
		const r = refused(mergeGrids(fixtureDraft('square4'), G(1), G(3)));
		expect(r).toEqual({
			ok: false,
			reason: MERGE_CORNER_ONLY,
			detail: null,
			location: P(10, 10),
			gridIds: [G(1), G(3)],
			failures: []
		});
	});

	it('refuses grids that do not touch, a grid with itself, and unknown ids', () => {
		const d = applied(splitGrid(fixtureDraft('square4'), G(1), [P(4, -1), P(4, 11)]));
		expect(refused(mergeGrids(d, G(1) + 'b', G(2))).reason).toBe(MERGE_NOT_ADJACENT);
		expect(refused(mergeGrids(d, G(2), G(2))).reason).toBe(MERGE_SAME_GRID);
		expect(refused(mergeGrids(d, G(2), 'nope')).reason).toBe(GRID_NOT_FOUND);
	});

	it('undoes a split exactly (as a shape)', () => {
		const d = fixtureDraft('real-community');
		const g = d.grids[2];
		const b = g.geometry.coordinates[0];
		const cx = b.reduce((s, p) => s + p[0], 0) / b.length;
		const cy = b.reduce((s, p) => s + p[1], 0) / b.length;
		const split = applied(
			splitGrid(d, g.properties.id, [
				[cx - 0.02, cy],
				[cx + 0.02, cy]
			])
		);
		const back = applied(mergeGrids(split, g.properties.id + 'a', g.properties.id + 'b'));
		const merged = back.grids.find((h) => h.properties.id === g.properties.id + 'a')!;
		// Same area; the cut's end points stay behind as vertices on straight edges.
		expect(merged.properties.areaKm2).toBeCloseTo(g.properties.areaKm2, 3);
		expect(merged.properties.population).toBe(g.properties.population);
	});
});

describe('moveVertex', () => {
	it('moves a shared interior vertex in every grid that has it', () => {
		const d = deepFreeze(fixtureDraft('square4'));
		const r = moveVertex(d, P(10, 10), P(12, 11));
		const next = applied(r);
		expect(r.ok && r.changed.sort()).toEqual([G(1), G(2), G(3), G(4)]);
		for (const g of next.grids)
			expect(JSON.stringify(g.geometry)).toContain(JSON.stringify(P(12, 11)));
		expect(JSON.stringify(next)).not.toContain(JSON.stringify(P(10, 10)));
		expect(areaSum(next)).toBeCloseTo(areaSum(d), 2);
	});

	it('slides a division point along the outline (golden)', () => {
		const next = applied(moveVertex(fixtureDraft('holed'), P(30, 10), P(31, 12)));
		expect(goldenView(next.grids)).toEqual(holedSlide.grids);
	});

	it('slides past outline vertices, which change hands', () => {
		const d = fixtureDraft('square4');
		// West to (3,0): SE takes over the stretch, including the outline vertex (10,0).
		const once = applied(moveVertex(d, P(10, 0), P(3, -2)));
		expect(ringsOf(once.grids[1].geometry)[0].map(String)).toContain(P(10, 0).join());
		// East again past (10,0) to (14,0): SW gets (10,0) back.
		const back = applied(moveVertex(once, P(3, 0), P(14, 0)));
		const sw = ringsOf(back.grids[0].geometry)[0].map(String);
		expect(sw).toEqual(expect.arrayContaining([P(10, 0).join(), P(14, 0).join()]));
		expect(sw).not.toContain(P(3, 0).join());
		// Round the outline's corner (20,0) up to (20,8): SE becomes a triangle.
		const round = applied(moveVertex(d, P(10, 0), P(22, 8)));
		expect(goldenView([round.grids[1]])[0].coordinates).toEqual([
			[P(10, 10), P(20, 8), P(20, 10), P(10, 10)]
		]);
		expect(ringsOf(round.grids[0].geometry)[0].map(String)).toContain(P(20, 0).join());
	});

	it('slides along a hole’s ring', () => {
		const next = applied(moveVertex(fixtureDraft('holed'), P(20, 10), P(15, 9)));
		expect(JSON.stringify(next.grids[0].geometry)).toContain(JSON.stringify(P(15, 10)));
	});

	it('slides the division points of the real community both ways', () => {
		const d = fixtureDraft('real-community');
		const counts = new Map<string, number>();
		for (const g of d.grids)
			for (const p of g.geometry.coordinates[0].slice(1))
				counts.set(p.join(), (counts.get(p.join()) ?? 0) + 1);
		const outline = new Set(d.outline.coordinates.flat().map((p) => p.join()));
		const division = [...counts].filter(([k, n]) => n >= 2 && outline.has(k)).map(([k]) => k);
		expect(division.length).toBeGreaterThan(2);
		let moved = 0;
		for (const k of division) {
			const v = k.split(',').map(Number);
			for (const dx of [-0.002, 0.002]) {
				const r = moveVertex(d, v, [v[0] + dx, v[1] + dx / 2]);
				if (r.ok) {
					applied(r);
					moved++;
				} else expect([BOUNDARY_SLIDE_BLOCKED, GRID_INVALID, OVERLAP]).toContain(r.reason);
			}
		}
		expect(moved).toBeGreaterThan(division.length / 2);
	});

	it('refuses a move that makes a bow-tie, at the crossing', () => {
		const d = fixtureDraft('square4');
		// The centre dragged east out of the community: SE's edge to it crosses SE's east edge.
		const r = refused(moveVertex(d, P(10, 10), P(25, 5)));
		expect(r).toMatchObject({
			reason: GRID_INVALID,
			detail: POLYGON_SELF_INTERSECTION,
			location: P(20, 10 / 3),
			gridIds: [G(2)]
		});
		expect(r.failures.length).toBeGreaterThan(0);
	});

	it('refuses a bow-tie inside one grid at the exact crossing', () => {
		// A lone interior vertex of the concave grid's notch corner (10,10) dragged right past
		// the notch: the U grid's ring (…, 20,10 → 10,10 → 10,20, …) crosses itself.
		const r = refused(moveVertex(fixtureDraft('concave'), P(10, 10), P(25, 15)));
		expect(r).toMatchObject({ reason: GRID_INVALID, detail: POLYGON_SELF_INTERSECTION });
		expect(r.location).toEqual(P(20, 50 / 3));
	});

	it('refuses a move that overlaps a neighbour', () => {
		const d = applied(splitGrid(fixtureDraft('square4'), G(2), [P(15, -1), P(15, 11)]));
		// The centre pushed into the SE grid's east half, which does not share it.
		const r = refused(moveVertex(d, P(10, 10), P(17, 5)));
		expect([OVERLAP, GRID_INVALID]).toContain(r.reason);
	});

	it('keeps outline vertices of a single grid fixed and stops at division points', () => {
		const d = fixtureDraft('square4');
		expect(refused(moveVertex(d, P(0, 0), P(1, 1)))).toMatchObject({
			reason: BOUNDARY_VERTEX_FIXED,
			location: P(0, 0),
			gridIds: [G(1)]
		});
		// Dragged beyond the SE/NE division point (20,10): the nearest place on the stretch is
		// that point itself.
		expect(refused(moveVertex(d, P(10, 0), P(22, 12)))).toMatchObject({
			reason: BOUNDARY_SLIDE_BLOCKED,
			location: P(20, 10)
		});
	});

	it('picks a vertex within a tolerance, and refuses unknown vertices and bad input', () => {
		const d = fixtureDraft('square4');
		expect(refused(moveVertex(d, P(10.001, 10), P(11, 11))).reason).toBe(VERTEX_NOT_FOUND);
		applied(moveVertex(d, P(10.001, 10), P(11, 11), { pickToleranceM: 1 }));
		expect(refused(moveVertex(d, P(10, 10), [NaN, 1])).reason).toBe(INVALID_POSITION);
	});

	it('answers a move to the same place with the same draft', () => {
		const d = fixtureDraft('square4');
		const r = moveVertex(d, P(10, 10), P(10, 10));
		expect(r).toEqual({ ok: true, draft: d, changed: [], removed: [] });
	});

	it('collapses a vertex moved onto its neighbour', () => {
		const d = applied(splitGrid(fixtureDraft('square4'), G(1), [P(4, -1), P(4, 11)]));
		// (4,10) onto (10,10) along the shared edge: the vertex disappears everywhere.
		const next = applied(moveVertex(d, P(4, 10), P(10, 10)));
		expect(JSON.stringify(next)).not.toContain(JSON.stringify(P(4, 10)));
	});
});

describe('moveEdge', () => {
	it('moves both ends of a shared edge; an end on the outline slides', () => {
		const d = fixtureDraft('square4');
		const next = applied(moveEdge(d, P(10, 0), P(10, 10), [0.002, 0]));
		const s = JSON.stringify(next);
		expect(s).toContain(JSON.stringify(P(12, 0)));
		expect(s).toContain(JSON.stringify(P(12, 10)));
		expect(s).not.toContain(JSON.stringify(P(10, 10)));
	});

	it('moves a division line from outline to outline', () => {
		const d = applied(splitGrid(fixtureDraft('square4'), G(1), [P(4, -1), P(4, 11)]));
		const next = applied(moveEdge(d, P(4, 0), P(4, 10), [-0.001, 0.0005]));
		// (4,0) is on the outline and slides to (3,0); (4,10) is inside and moves freely,
		// putting a bend into NW's bottom edge.
		expect(JSON.stringify(next)).toContain(JSON.stringify(P(3, 0)));
		expect(JSON.stringify(next.grids[4].geometry)).toContain(JSON.stringify(P(3, 10.5)));
	});

	it('refuses an edge that is not shared by two grids', () => {
		const r = refused(moveEdge(fixtureDraft('square4'), P(0, 0), P(10, 0), [0, 0.001]));
		expect(r).toMatchObject({ reason: EDGE_NOT_SHARED, location: P(5, 0), gridIds: [G(1)] });
	});
});

describe('assignWorker', () => {
	it('changes only the worker', () => {
		const d = deepFreeze(fixtureDraft('square4'));
		const r = assignWorker(d, G(1), { workerName: '赵敏', workerPhone: '13900000000' });
		if (!r.ok) throw new Error(r.reason);
		expect(r.draft.grids[0].properties).toMatchObject({ id: G(1), workerName: '赵敏' });
		expect(r.draft.grids[0].geometry).toBe(d.grids[0].geometry);
		expect(assignWorker(d, 'x', { workerName: '', workerPhone: '' }).ok).toBe(false);
	});
});

describe('snapPosition', () => {
	const d = fixtureDraft('square4');
	it('prefers a vertex within the tolerance', () => {
		// 0.0001° ≈ 8.6 m east, 11 m north of the centre vertex.
		const r = snapPosition(d, P(10.1, 10.1), 20);
		expect(r).toMatchObject({ position: P(10, 10), kind: 'vertex' });
		expect(r.gridIds.sort()).toEqual([G(1), G(2), G(3), G(4)]);
		expect(r.distanceM).toBeGreaterThan(13);
		expect(r.distanceM).toBeLessThan(15);
	});

	it('falls back to the nearest edge, rounded', () => {
		const r = snapPosition(d, P(5, 10.05), 20);
		expect(r).toMatchObject({ position: P(5, 10), kind: 'edge' });
		expect(r.gridIds.sort()).toEqual([G(1), G(4)]);
	});

	it('snaps to nothing beyond the tolerance, and ignores a dragged vertex', () => {
		expect(snapPosition(d, P(5, 5), 20)).toMatchObject({ kind: 'none', position: P(5, 5) });
		const r = snapPosition(d, P(10.1, 10.1), 20, { ignore: P(10, 10) });
		expect(r.kind).toBe('none');
	});

	it('snaps to the outline too, unless told not to', () => {
		expect(snapPosition(d, P(5, -0.1), 20)).toMatchObject({ kind: 'edge', position: P(5, 0) });
		expect(snapPosition(d, P(5, -0.1), 20, { gridIds: [G(3)], outline: false }).kind).toBe('none');
	});
});

describe('edits never change their input', () => {
	it('works on a deeply frozen draft', () => {
		const d = deepFreeze(fixtureDraft('holed'));
		applied(splitGrid(d, G(3), [P(15, 19), P(15, 31)]));
		applied(mergeGrids(d, G(1), G(2)));
		applied(moveVertex(d, P(30, 10), P(30, 12)));
		applied(moveEdge(d, P(20, 10), P(30, 10), [0, 0.001]));
	});
});

describe('random edit sequences', () => {
	it('never leave a draft that breaks an invariant', () => {
		let seed = 11;
		const r = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
		const tally: Record<string, number> = {};
		for (const name of ['real-community', 'holed', 'frame', 'concave'] as const) {
			let d = fixtureDraft(name);
			for (let i = 0; i < 60; i++) {
				const g = d.grids[Math.floor(r() * d.grids.length)];
				const ring = g.geometry.coordinates[0];
				const v = ring[Math.floor(r() * (ring.length - 1))];
				const k = r();
				let res: EditResult;
				if (k < 0.3) {
					const xs = ring.map((p) => p[0]);
					const ys = ring.map((p) => p[1]);
					const [x0, x1, y0, y1] = [
						Math.min(...xs),
						Math.max(...xs),
						Math.min(...ys),
						Math.max(...ys)
					];
					const a = r() * Math.PI;
					const L = x1 - x0 + y1 - y0;
					const cx = x0 + (x1 - x0) * (0.3 + 0.4 * r());
					const cy = y0 + (y1 - y0) * (0.3 + 0.4 * r());
					res = splitGrid(d, g.properties.id, [
						[cx - Math.cos(a) * L, cy - Math.sin(a) * L],
						[cx + Math.cos(a) * L, cy + Math.sin(a) * L]
					]);
				} else if (k < 0.5) {
					const h = d.grids[Math.floor(r() * d.grids.length)];
					res = mergeGrids(d, g.properties.id, h.properties.id);
				} else if (k < 0.85) {
					res = moveVertex(d, v, [v[0] + (r() - 0.5) * 0.004, v[1] + (r() - 0.5) * 0.004]);
				} else {
					const w = ring[ring.indexOf(v) + 1];
					res = moveEdge(d, v, w, [(r() - 0.5) * 0.002, (r() - 0.5) * 0.002]);
				}
				tally[res.ok ? 'ok' : res.reason] = (tally[res.ok ? 'ok' : res.reason] ?? 0) + 1;
				if (res.ok) d = applied(res);
				else expect(res.location === null || res.location.every(Number.isFinite)).toBe(true);
			}
		}
		expect(tally.ok).toBeGreaterThan(100);
	});
});

describe('malformed input', () => {
	it('is kept for validateDraft to report, not crashed on', () => {
		const d = fixtureDraft('square4');
		const broken = {
			...d.grids[0],
			geometry: { type: 'Polygon', coordinates: [[P(0, 0), P(1, 1)]] }
		} as unknown as (typeof d.grids)[number];
		const r = splitGrid({ ...d, grids: [broken, ...d.grids.slice(1)] }, G(2), [
			P(15, -1),
			P(15, 11)
		]);
		expect(r).toMatchObject({ ok: false, reason: GRID_INVALID, gridIds: [G(1)] });
	});

	it('lets an id generator give the old id to one half', () => {
		const next = applied(
			splitGrid(fixtureDraft('square4'), G(1), [P(4, -1), P(4, 11)], {
				newIds: (g) => [g.properties.id, G(5)]
			})
		);
		expect(next.grids.map((g) => g.properties.id).slice(0, 2)).toEqual([G(1), G(5)]);
	});
});
