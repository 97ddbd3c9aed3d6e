import { describe, expect, it } from 'vitest';
import {
	DEFAULT_TOLERANCE,
	computeBalance,
	countIncidents,
	suggestSplit,
	type IncidentColumns
} from './balance.ts';
import { splitGrid } from './edits/split.ts';
import { G, P, fixtureDraft } from './testing.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 27);

/** Incident columns from [x, y, daysAgo] in fixture units. */
function columns(points: [number, number, number][]): IncidentColumns {
	const lon = new Float64Array(points.length);
	const lat = new Float64Array(points.length);
	const ts = new Float64Array(points.length);
	points.forEach(([x, y, ago], i) => {
		[lon[i], lat[i]] = P(x, y);
		ts[i] = NOW - ago * DAY;
	});
	return { lon, lat, ts };
}

/** n points spread over a rectangle (fixture units), all `ago` days old. */
function spread(n: number, x0: number, y0: number, x1: number, y1: number, ago = 1) {
	const out: [number, number, number][] = [];
	for (let i = 0; i < n; i++) {
		const fx = ((i * 0.618034) % 1) * 0.98 + 0.01;
		const fy = ((i * 0.414214 + 0.5) % 1) * 0.98 + 0.01;
		out.push([x0 + (x1 - x0) * fx, y0 + (y1 - y0) * fy, ago]);
	}
	return out;
}

const window = { fromMs: NOW - 90 * DAY, toMs: NOW + 1 };

describe('countIncidents', () => {
	it('counts per draft grid within the window, border points once', () => {
		const pts = columns([
			...spread(10, 0, 0, 10, 10),
			...spread(20, 10, 0, 20, 10),
			...spread(30, 10, 10, 20, 20),
			...spread(40, 0, 10, 10, 20),
			...spread(5, 0, 0, 10, 10, 120), // too old
			[25, 5, 1], // outside the community
			[10, 5, 1] // on the SW/SE border
		]);
		const { counts, unassigned } = countIncidents(fixtureDraft('square4'), pts, window);
		expect(Array.from(counts).reduce((a, b) => a + b, 0)).toBe(101);
		expect(unassigned).toBe(1);
		const c = Array.from(counts);
		expect(c[0] + c[1]).toBe(31);
		expect(c.slice(2)).toEqual([30, 40]);
	});
});

describe('computeBalance', () => {
	const pts = columns([
		...spread(10, 0, 0, 10, 10),
		...spread(20, 10, 0, 20, 10),
		...spread(30, 10, 10, 20, 20),
		...spread(40, 0, 10, 10, 20)
	]);

	it('scores workload as a share of the community, against target = total / grids', () => {
		// Population, households and incidents are all 10/20/30/40 % by grid.
		const b = computeBalance(fixtureDraft('square4'), pts, window);
		expect(b.totals).toEqual({ population: 10000, households: 4000, incidents: 100 });
		expect(b.target).toBeCloseTo(25, 9);
		expect(b.tolerance).toBe(DEFAULT_TOLERANCE);
		expect(b.grids.map((g) => g.workload)).toEqual(
			[10, 20, 30, 40].map((x) => expect.closeTo(x, 9))
		);
		expect(b.grids.map((g) => g.deviation)).toEqual(
			[-0.6, -0.2, 0.2, 0.6].map((x) => expect.closeTo(x, 9))
		);
		expect(b.grids.map((g) => g.outside)).toEqual([true, false, false, true]);
		expect(b.grids[3]).toMatchObject({
			id: G(4),
			population: 4000,
			households: 1600,
			incidents: 40
		});
	});

	it('honours weights and a tolerance, and ignores measures with no total', () => {
		const d = fixtureDraft('square4');
		const onlyIncidents = computeBalance(d, pts, {
			...window,
			weights: { population: 0, households: 0, incidents: 1 },
			tolerance: 0.7
		});
		expect(onlyIncidents.grids.every((g) => !g.outside)).toBe(true);
		const none = computeBalance(d, columns([]), {
			weights: { population: 1, households: 0, incidents: 1 }
		});
		expect(none.grids.map((g) => g.workload)).toEqual(
			[10, 20, 30, 40].map((x) => expect.closeTo(x, 9))
		);
	});

	it('recounts incidents for draft boundaries, not published ones', () => {
		const d = fixtureDraft('square4');
		const r = splitGrid(d, G(4), [P(5, 9), P(5, 21)]);
		if (!r.ok) throw new Error(r.reason);
		const b = computeBalance(r.draft, pts, window);
		const halves = b.grids.filter((g) => g.id.startsWith(G(4)));
		expect(halves.map((g) => g.incidents).reduce((a, x) => a + x, 0)).toBe(40);
		expect(halves.every((g) => g.incidents > 10)).toBe(true);
		expect(b.target).toBeCloseTo(20, 9);
	});
});

describe('suggestSplit', () => {
	it('proposes a cut of the most loaded grid that balances its halves', () => {
		// NW carries the most: 200 incidents in its western quarter.
		const pts = columns([
			...spread(10, 0, 0, 10, 10),
			...spread(20, 10, 0, 20, 10),
			...spread(30, 10, 10, 20, 20),
			...spread(200, 0, 10, 2.5, 20)
		]);
		const d = fixtureDraft('square4');
		const t0 = performance.now();
		const s = suggestSplit(d, pts, window);
		const ms = performance.now() - t0;
		expect(s).not.toBeNull();
		expect(s!.gridId).toBe(G(4));
		expect(s!.deviation).toBeGreaterThan(0.5);
		expect(s!.imbalance).toBeLessThan(0.05);
		expect(ms).toBeLessThan(500);
		// The line is directly usable, and the split it gives is as balanced as promised.
		const r = splitGrid(d, G(4), s!.line);
		if (!r.ok) throw new Error(r.reason);
		const b = computeBalance(r.draft, pts, window);
		const [a, c] = b.grids.filter((g) => g.id.startsWith(G(4)));
		expect(Math.abs(a.workload - c.workload) / (a.workload + c.workload)).toBeLessThan(0.05);
		expect(new Set([a.incidents, c.incidents])).toEqual(new Set(s!.parts.map((p) => p.incidents)));
		expect(a.population + c.population).toBe(4000);
		// Most incidents are west, so the western half is the narrow one.
		for (const p of s!.parts) expect(p.incidents).toBeGreaterThan(50);
	});

	it('splits the grid it is asked to, and gives up when there is nothing to balance', () => {
		const d = fixtureDraft('holed');
		const s = suggestSplit(d, columns([]), { gridId: G(2) });
		expect(s?.gridId).toBe(G(2));
		expect(s!.imbalance).toBeLessThan(0.02);
		expect(suggestSplit(d, columns([]), { gridId: 'nope' })).toBeNull();
		const empty = {
			...d,
			grids: d.grids.map((g) => ({
				...g,
				properties: { ...g.properties, population: 0, households: 0 }
			}))
		};
		expect(suggestSplit(empty, columns([]))).toBeNull();
	});

	it('skips cuts that would cross a concave grid twice', () => {
		const s = suggestSplit(fixtureDraft('concave'), columns([]), { gridId: G(1) });
		expect(s).not.toBeNull();
		const r = splitGrid(fixtureDraft('concave'), G(1), s!.line);
		expect(r.ok).toBe(true);
	});
});
