import { describe, expect, it } from 'vitest';
import type { MultiPolygon } from 'geojson';
import { createDraft, draftToCollection, draftTotal, findGrid, plannableOutline } from './draft.ts';
import { applyEdit } from './edits/index.ts';
import { roundCoord, signedArea, ringsOf } from './geometry.ts';
import { validateDraft } from './invariants.ts';
import { OUTLINE_SEVERAL_PARTS, PlanRefusalError } from './reasons.ts';
import { G, P, deepFreeze, fixture, fixtureDraft } from './testing.ts';

describe('createDraft', () => {
	it('rounds, merges near-duplicate vertices and fills T-junctions', () => {
		const f = fixture('near-duplicates');
		const d = createDraft(f.community, f.grids);
		const [west, east] = d.grids.map((g) => g.geometry.coordinates[0]);
		for (const ring of [west, east])
			for (const p of ring) expect([roundCoord(p[0]), roundCoord(p[1])]).toEqual(p);
		// The west grid's corners, 1.4e-9° off, are now the outline's and the east grid's.
		expect(west[1]).toEqual([117.61, 39]);
		expect(west[3]).toEqual([117.61, 39.01]);
		// The east grid's vertex on the shared edge is now in the west grid too.
		expect(west[2]).toEqual([117.610000001, 39.005]);
		expect(east).toContainEqual([117.610000001, 39.005]);
		expect(validateDraft(d).method).toBe('exact');
	});

	it('keeps ring orientation, ring start and unchanged features', () => {
		const f = fixture('real-community');
		const d = createDraft(f.community, f.grids.features);
		f.grids.features.forEach((g, i) => {
			expect(d.grids[i]).toBe(g);
			expect(signedArea(ringsOf(d.grids[i].geometry)[0])).toBeGreaterThan(0);
		});
		const cw = fixture('square4');
		cw.grids.features[0].geometry.coordinates[0].reverse();
		const d2 = createDraft(cw.community, cw.grids);
		expect(d2.grids[0].geometry.coordinates[0]).toEqual(
			cw.grids.features[0].geometry.coordinates[0]
		);
	});

	it('takes the community as a feature or as id + geometry', () => {
		const f = fixture('square4');
		const a = createDraft(f.community, f.grids);
		const b = createDraft(
			{ id: f.community.properties.id, geometry: f.community.geometry },
			f.grids
		);
		expect(b).toEqual(a);
		expect(a.communityId).toBe('120116001001');
	});
});

describe('applyEdit', () => {
	it('dispatches every kind of edit', () => {
		const d = deepFreeze(fixtureDraft('square4'));
		const split = applyEdit(d, { kind: 'split', gridId: G(1), line: [P(4, -1), P(4, 11)] });
		expect(split.ok).toBe(true);
		expect(applyEdit(d, { kind: 'merge', a: G(1), b: G(2) }).ok).toBe(true);
		expect(applyEdit(d, { kind: 'moveVertex', from: P(10, 10), to: P(11, 11) }).ok).toBe(true);
		expect(
			applyEdit(d, { kind: 'moveEdge', a: P(10, 0), b: P(10, 10), delta: [0.001, 0] }).ok
		).toBe(true);
		const w = applyEdit(d, {
			kind: 'assignWorker',
			gridId: G(2),
			workerName: '赵敏',
			workerPhone: '1'
		});
		if (!w.ok) throw new Error(w.reason);
		expect(findGrid(w.draft, G(2))?.properties.workerName).toBe('赵敏');
		const refused = applyEdit(d, { kind: 'merge', a: G(1), b: G(3) });
		expect(refused).toMatchObject({ ok: false, reason: 'merge_corner_only' });
	});

	it('keeps population and households over splits and merges', () => {
		const d = fixtureDraft('square4');
		const s = applyEdit(d, { kind: 'split', gridId: G(4), line: [P(6, 9), P(8, 21)] });
		if (!s.ok) throw new Error(s.reason);
		const m = applyEdit(s.draft, { kind: 'merge', a: G(4) + 'b', b: G(3) });
		if (!m.ok) throw new Error(m.reason);
		for (const key of ['population', 'households'] as const)
			expect(draftTotal(m.draft, key)).toBe(draftTotal(d, key));
	});
});

describe('draftToCollection', () => {
	it('gives the grids as a FeatureCollection', () => {
		const d = fixtureDraft('holed');
		const fc = draftToCollection(d);
		expect(fc.type).toBe('FeatureCollection');
		expect(fc.features).toEqual(d.grids);
		expect(fc.features).not.toBe(d.grids);
	});
});

describe('plannableOutline', () => {
	const square = (x: number) => [
		[
			[x, 39],
			[x + 0.01, 39],
			[x + 0.01, 39.01],
			[x, 39.01],
			[x, 39]
		]
	];

	it('takes a Polygon or a one-part MultiPolygon', () => {
		const one: MultiPolygon = { type: 'MultiPolygon', coordinates: [square(117)] };
		expect(plannableOutline(one)).toEqual({
			ok: true,
			outline: { type: 'Polygon', coordinates: square(117) }
		});
	});

	it('refuses a community in several parts, located at the second part', () => {
		const two: MultiPolygon = { type: 'MultiPolygon', coordinates: [square(117), square(118)] };
		expect(plannableOutline(two)).toEqual({
			ok: false,
			reason: OUTLINE_SEVERAL_PARTS,
			detail: null,
			location: [118, 39],
			gridIds: []
		});
		let thrown: unknown;
		try {
			createDraft({ id: 'c', geometry: two }, []);
		} catch (e) {
			thrown = e;
		}
		expect(thrown).toBeInstanceOf(PlanRefusalError);
		expect((thrown as PlanRefusalError).problem).toMatchObject({
			reason: OUTLINE_SEVERAL_PARTS,
			location: [118, 39]
		});
	});
});
