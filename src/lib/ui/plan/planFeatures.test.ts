import { booleanPointInPolygon } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import type { Point } from 'geojson';
import type { DraftConflict } from '$lib/domain/plans';
import { computeBalance, type SplitSuggestion } from '$lib/plan';
import { G, P, fixture, fixtureDraft } from '$lib/plan/testing';
import {
	gridFeatures,
	labelFeatures,
	outlineFeatures,
	overlayFeatures,
	vertexFeatures
} from './planFeatures';

// square4: a 20 × 20 square (units of 0.001°) in four quadrants, SW = G(1), SE = G(2),
// NE = G(3), NW = G(4).
describe('gridFeatures', () => {
	it('carries each grid with its deviation, selection and refusal', () => {
		const draft = fixtureDraft('square4');
		const balance = computeBalance(draft, {
			lon: [117.605, 117.606, 117.615],
			lat: [39.005, 39.005, 39.005],
			ts: [0, 0, 0]
		});
		const fc = gridFeatures(draft, balance, [G(1), null], [G(3)]);
		expect(fc.features.map((f) => f.properties)).toEqual(
			draft.grids.map((g) => ({
				id: g.properties.id,
				name: g.properties.name,
				deviation: balance.grids.find((b) => b.id === g.properties.id)!.deviation,
				outside: balance.grids.find((b) => b.id === g.properties.id)!.outside,
				selected: g.properties.id === G(1),
				refused: g.properties.id === G(3)
			}))
		);
		expect(fc.features[0].geometry).toBe(draft.grids[0].geometry);
	});

	it('without a balance every deviation is 0; both merge picks are selected', () => {
		const draft = fixtureDraft('square4');
		const fc = gridFeatures(draft, null, [G(2), G(4)], []);
		expect(fc.features.map((f) => f.properties?.deviation)).toEqual([0, 0, 0, 0]);
		expect(fc.features.filter((f) => f.properties?.selected).map((f) => f.properties?.id)).toEqual([
			G(2),
			G(4)
		]);
	});

	it('is empty without a draft', () => {
		expect(gridFeatures(null, null, [], []).features).toEqual([]);
		expect(outlineFeatures(null).features).toEqual([]);
		expect(labelFeatures(null).features).toEqual([]);
		expect(vertexFeatures(null).features).toEqual([]);
	});
});

describe('outline, labels, vertices', () => {
	it('the outline is the community', () => {
		const draft = fixtureDraft('square4');
		expect(outlineFeatures(draft).features).toEqual([
			{ type: 'Feature', geometry: draft.outline, properties: {} }
		]);
	});

	it('one label per grid, inside it', () => {
		const draft = fixtureDraft('square4');
		const labels = labelFeatures(draft).features;
		expect(labels.map((l) => l.properties?.name)).toEqual(
			draft.grids.map((g) => g.properties.name)
		);
		labels.forEach((l, i) => {
			expect(l.geometry.type).toBe('Point');
			expect(booleanPointInPolygon(l.geometry as Point, draft.grids[i])).toBe(true);
		});
	});

	it('one handle per distinct vertex; a vertex of one grid only is fixed', () => {
		const draft = fixtureDraft('square4');
		const handles = vertexFeatures(draft).features;
		const at = (x: number, y: number) =>
			handles.filter((h) => {
				const [lon, lat] = (h.geometry as Point).coordinates;
				return lon === P(x, y)[0] && lat === P(x, y)[1];
			});
		const keys = handles.map((h) => (h.geometry as Point).coordinates.join(','));
		expect(new Set(keys).size).toBe(keys.length);
		// The centre is shared by all four grids, a corner of the square by one.
		expect(at(10, 10).map((h) => h.properties?.fixed)).toEqual([false]);
		expect(at(0, 0).map((h) => h.properties?.fixed)).toEqual([true]);
		// The middle of the south edge: SW and SE.
		expect(at(10, 0).map((h) => h.properties?.fixed)).toEqual([false]);
	});
});

describe('overlayFeatures', () => {
	it('stacks diff, their grids, the suggestion, the refusal and the located problems', () => {
		const theirs = fixture('square4').grids;
		const conflict: DraftConflict = {
			message: '',
			field: 'version',
			current: {
				version: 2,
				basePlanVersion: 0,
				grids: theirs,
				updatedBy: '',
				updatedAt: '',
				note: '',
				scheduled: null
			},
			changedBy: null,
			changedAt: null,
			changedGridIds: [G(2)]
		};
		const diff = [
			{
				type: 'Feature' as const,
				geometry: { type: 'Point' as const, coordinates: [1, 2] },
				properties: { role: 'diff-added' as const }
			}
		];
		const out = overlayFeatures({
			diff,
			review: conflict,
			suggestion: { gridId: G(1), line: [P(0, 5), P(10, 5)] } as unknown as SplitSuggestion,
			refusal: P(3, 3),
			problems: [
				{ feature: null, reason: 'gap', location: null, message: '' },
				{ feature: G(4), reason: 'gap', location: [117.601, 39.019], message: '' }
			]
		});
		expect(out.map((f) => f.properties.role)).toEqual([
			'diff-added',
			'theirs',
			'suggest',
			'refusal',
			'problem'
		]);
		expect(out[1].geometry).toEqual({
			type: 'LineString',
			coordinates: theirs.features[1].geometry.coordinates[0]
		});
		expect(out[4].geometry).toEqual({ type: 'Point', coordinates: [117.601, 39.019] });
	});

	it('is empty when nothing is on screen', () => {
		expect(
			overlayFeatures({ diff: null, review: null, suggestion: null, refusal: null, problems: [] })
		).toEqual([]);
	});
});
