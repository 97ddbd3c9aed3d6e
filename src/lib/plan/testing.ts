/** Helpers shared by the planner's tests: fixtures, coordinates, canonical rings. */
import type { Polygon, Position } from 'geojson';
import type { CommunityFeature, GridCollection, GridFeature } from '../domain/city.ts';
import { createDraft } from './draft.ts';
import type { Draft } from './types.ts';
import { signedArea, type Pt } from './geometry.ts';
import concave from './fixtures/concave.json';
import frame from './fixtures/frame.json';
import holed from './fixtures/holed.json';
import nearDuplicates from './fixtures/near-duplicates.json';
import realCommunity from './fixtures/real-community.json';
import square4 from './fixtures/square4.json';

export interface Fixture {
	description: string;
	community: CommunityFeature;
	grids: GridCollection;
}

export const FIXTURES = {
	square4,
	holed,
	concave,
	frame,
	'near-duplicates': nearDuplicates,
	'real-community': realCommunity
} as unknown as Record<string, Fixture>;

export type FixtureName =
	'square4' | 'holed' | 'concave' | 'frame' | 'near-duplicates' | 'real-community';

export function fixture(name: FixtureName): Fixture {
	// A deep copy, so no test can change another's input.
	return structuredClone(FIXTURES[name]);
}

export function fixtureDraft(name: FixtureName): Draft {
	const f = fixture(name);
	return createDraft(f.community, f.grids);
}

/** A point of the hand-made fixtures: (x, y) in units of 0.001° from 117.6 E, 39.0 N. */
export function P(x: number, y: number): Pt {
	return [Math.round((117.6 + x * 0.001) * 1e9) / 1e9, Math.round((39 + y * 0.001) * 1e9) / 1e9];
}

/** Grid id in the fixtures' community. */
export const G = (n: number): string => '1201160010010' + n;

/**
 * A ring as a value independent of start and direction: shells counter-clockwise, holes
 * clockwise, starting at the smallest vertex (by lon, then lat), closed.
 */
export function canonicalRing(ring: Position[], hole: boolean): Position[] {
	const open = ring.slice(0, -1).map((p): Pt => [p[0], p[1]]);
	const ccw = signedArea(open) > 0;
	const oriented = ccw === !hole ? open : open.slice().reverse();
	let k = 0;
	oriented.forEach((p, i) => {
		const q = oriented[k];
		if (p[0] < q[0] || (p[0] === q[0] && p[1] < q[1])) k = i;
	});
	const out = [...oriented.slice(k), ...oriented.slice(0, k)];
	return [...out, out[0]];
}

export function canonical(poly: Polygon): Position[][] {
	return poly.coordinates.map((r, i) => canonicalRing(r, i > 0));
}

/** The fields the golden files pin down, per grid in draft order. */
export function goldenView(grids: readonly GridFeature[]) {
	return grids.map((g) => ({
		id: g.properties.id,
		population: g.properties.population,
		households: g.properties.households,
		workerName: g.properties.workerName,
		coordinates: canonical(g.geometry)
	}));
}

/** Freeze a value and everything in it: a mutation then throws (modules are strict). */
export function deepFreeze<T>(value: T): T {
	if (value && typeof value === 'object' && !Object.isFrozen(value)) {
		Object.freeze(value);
		for (const v of Object.values(value)) deepFreeze(v);
	}
	return value;
}
