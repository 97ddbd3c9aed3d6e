/**
 * Workload balance of a draft (一格一员: one worker per grid, so grids should carry similar
 * loads). Per grid: population and households (the grid's properties; after a split they are
 * the area-share estimate), incidents in a time window counted against the *draft* boundaries,
 * and a workload score:
 *
 *   workload = 100 × Σ_k w_k · (grid's value of k) / (community total of k),  k ∈ {population,
 *   households, incidents}, weights normalised over the measures whose total is not zero.
 *
 * So workloads add up to 100 (per cent of the community's work), the target per worker is
 * 100 / number of grids, and deviation = workload / target − 1.
 *
 * Incidents come as columns (typed arrays lon/lat/ts, epoch ms), as the engine holds them.
 */
import type { Position } from 'geojson';
import { cutRings, splitGrid } from './edits/split.ts';
import {
	bboxOfRings,
	metresPerDegree,
	pointInRings,
	ringsOf,
	roundPt,
	signedArea,
	type Pt,
	type Rings
} from './geometry.ts';
import type { Draft, SplitOptions } from './types.ts';

export interface IncidentColumns {
	lon: ArrayLike<number>;
	lat: ArrayLike<number>;
	/** Epoch milliseconds. */
	ts: ArrayLike<number>;
}

export interface WorkloadWeights {
	population: number;
	households: number;
	incidents: number;
}

export const DEFAULT_WEIGHTS: WorkloadWeights = {
	population: 0.4,
	households: 0.2,
	incidents: 0.4
};
/** Default tolerance: a grid more than 20 % above or below the target is flagged. */
export const DEFAULT_TOLERANCE = 0.2;
/** The window: incidents of the last 90 days. */
export const DEFAULT_WINDOW_DAYS = 90;

export interface BalanceOptions {
	/** Window [fromMs, toMs) on `ts`; either end may be left open. */
	fromMs?: number;
	toMs?: number;
	weights?: Partial<WorkloadWeights>;
	/** Allowed |deviation| (fraction of the target). */
	tolerance?: number;
}

export interface GridBalance {
	id: string;
	population: number;
	households: number;
	incidents: number;
	workload: number;
	/** workload / target − 1. */
	deviation: number;
	/** |deviation| > tolerance. */
	outside: boolean;
}

export interface Balance {
	grids: GridBalance[];
	totals: { population: number; households: number; incidents: number };
	/** Target workload per worker: total workload / number of grids. */
	target: number;
	tolerance: number;
	/** Incidents in the window that fall in no grid of the draft. */
	unassigned: number;
}

interface Shape {
	rings: Rings;
	bbox: [number, number, number, number];
}

function shapes(draft: Draft): Shape[] {
	return draft.grids.map((g) => {
		const rings = ringsOf(g.geometry);
		return { rings, bbox: bboxOfRings(rings) };
	});
}

function inWindow(ts: number, opts: BalanceOptions): boolean {
	return (
		(opts.fromMs === undefined || ts >= opts.fromMs) && (opts.toMs === undefined || ts < opts.toMs)
	);
}

/**
 * Incidents per grid (in draft order) within the window. A point on a shared border counts
 * for the first grid in draft order that contains it, as the server's intake does.
 */
export function countIncidents(
	draft: Draft,
	points: IncidentColumns,
	opts: Pick<BalanceOptions, 'fromMs' | 'toMs'> = {}
): { counts: Int32Array; unassigned: number } {
	const grids = shapes(draft);
	const counts = new Int32Array(grids.length);
	let unassigned = 0;
	const n = points.lon.length;
	const p: Pt = [0, 0];
	for (let i = 0; i < n; i++) {
		if (!inWindow(points.ts[i], opts)) continue;
		p[0] = points.lon[i];
		p[1] = points.lat[i];
		let found = false;
		for (let g = 0; g < grids.length; g++) {
			const b = grids[g].bbox;
			if (p[0] < b[0] || p[0] > b[2] || p[1] < b[1] || p[1] > b[3]) continue;
			if (pointInRings(p, grids[g].rings)) {
				counts[g]++;
				found = true;
				break;
			}
		}
		if (!found) unassigned++;
	}
	return { counts, unassigned };
}

interface Scorer {
	(population: number, households: number, incidents: number): number;
}

/** The workload function for given community totals and weights (see the module comment). */
function scorer(totals: Balance['totals'], weights: Partial<WorkloadWeights> | undefined): Scorer {
	const w = { ...DEFAULT_WEIGHTS, ...weights };
	const wp = totals.population > 0 ? w.population : 0;
	const wh = totals.households > 0 ? w.households : 0;
	const wi = totals.incidents > 0 ? w.incidents : 0;
	const sum = wp + wh + wi;
	if (sum <= 0) return () => 0;
	return (population, households, incidents) =>
		(100 *
			((wp * population) / (totals.population || 1) +
				(wh * households) / (totals.households || 1) +
				(wi * incidents) / (totals.incidents || 1))) /
		sum;
}

/** Per-grid balance of a draft. */
export function computeBalance(
	draft: Draft,
	points: IncidentColumns,
	opts: BalanceOptions = {}
): Balance {
	const tolerance = opts.tolerance ?? DEFAULT_TOLERANCE;
	const { counts, unassigned } = countIncidents(draft, points, opts);
	const totals = { population: 0, households: 0, incidents: 0 };
	draft.grids.forEach((g, i) => {
		totals.population += g.properties.population;
		totals.households += g.properties.households;
		totals.incidents += counts[i];
	});
	const score = scorer(totals, opts.weights);
	const workloads = draft.grids.map((g, i) =>
		score(g.properties.population, g.properties.households, counts[i])
	);
	const total = workloads.reduce((a, b) => a + b, 0);
	const target = draft.grids.length > 0 ? total / draft.grids.length : 0;
	const grids = draft.grids.map((g, i): GridBalance => {
		const deviation = target > 0 ? workloads[i] / target - 1 : 0;
		return {
			id: g.properties.id,
			population: g.properties.population,
			households: g.properties.households,
			incidents: counts[i],
			workload: workloads[i],
			deviation,
			outside: Math.abs(deviation) > tolerance
		};
	});
	return { grids, totals, target, tolerance, unassigned };
}

export interface PartEstimate {
	/** Share of the grid's area. */
	areaShare: number;
	population: number;
	households: number;
	incidents: number;
	workload: number;
}

export interface SplitSuggestion {
	gridId: string;
	/** The cut, a straight line across the whole grid: pass it to `splitGrid` as it is. */
	line: [Pt, Pt];
	/** Estimates for the two halves (population and households by area share). */
	parts: [PartEstimate, PartEstimate];
	/** |w₁ − w₂| / (w₁ + w₂): 0 is a perfect balance of the two halves. */
	imbalance: number;
	/** The grid's deviation before the split. */
	deviation: number;
}

export interface SuggestOptions extends BalanceOptions {
	/** Grid to split (default: the one with the largest workload). */
	gridId?: string;
	/** Cut directions tried, evenly over 180° (default 12). */
	angles?: number;
	/** Parallel cuts tried per direction, evenly across the grid (default 15). */
	offsets?: number;
	/** Passed on to `splitGrid` when the best candidates are checked. */
	split?: SplitOptions;
}

interface Candidate {
	angle: number;
	offset: number;
	line: [Pt, Pt];
	parts: [PartEstimate, PartEstimate];
	imbalance: number;
	chordM: number;
}

/**
 * Propose a straight cut of the most loaded grid that best balances its two halves by
 * workload: several directions × parallel offsets, then a finer search around the best, each
 * scored on |w₁ − w₂| (a shorter cut wins among near-equal ones); the best candidates are then
 * checked with the real `splitGrid` and the first it accepts is returned. Null when there is
 * no load or no straight cut gives two acceptable halves.
 */
export function suggestSplit(
	draft: Draft,
	points: IncidentColumns,
	opts: SuggestOptions = {}
): SplitSuggestion | null {
	const balance = computeBalance(draft, points, opts);
	let gi = opts.gridId ? draft.grids.findIndex((g) => g.properties.id === opts.gridId) : -1;
	if (gi < 0 && opts.gridId) return null;
	if (gi < 0)
		balance.grids.forEach((g, i) => {
			if (g.workload > 0 && (gi < 0 || g.workload > balance.grids[gi].workload)) gi = i;
		});
	if (gi < 0) return null;
	const grid = draft.grids[gi];
	const rings = ringsOf(grid.geometry);
	const score = scorer(balance.totals, opts.weights);
	const minShare = opts.split?.minPartRatio ?? 0.005;

	// The grid's incidents in the window, once.
	const inside: Pt[] = [];
	const box = bboxOfRings(rings);
	for (let i = 0; i < points.lon.length; i++) {
		if (!inWindow(points.ts[i], opts)) continue;
		const p: Pt = [points.lon[i], points.lat[i]];
		if (p[0] < box[0] || p[0] > box[2] || p[1] < box[1] || p[1] > box[3]) continue;
		if (pointInRings(p, rings)) inside.push(p);
	}

	// A local metric frame around the grid's bounding-box centre.
	const cx = (box[0] + box[2]) / 2;
	const cy = (box[1] + box[3]) / 2;
	const { kx, ky } = metresPerDegree(cy);
	const toXY = (p: Position): Pt => [(p[0] - cx) * kx, (p[1] - cy) * ky];
	const toLL = (x: number, y: number): Pt => roundPt([cx + x / kx, cy + y / ky]);
	const verts = rings[0].map(toXY);
	const half = Math.hypot((box[2] - box[0]) * kx, (box[3] - box[1]) * ky) / 2 + 10;
	const areaOf = (r: Rings) =>
		Math.abs(signedArea(r[0])) - r.slice(1).reduce((s, h) => s + Math.abs(signedArea(h)), 0);
	const total = areaOf(rings);
	const props = grid.properties;

	const evaluate = (angle: number, offset: number): Candidate | null => {
		const dx = Math.cos(angle);
		const dy = Math.sin(angle);
		const ox = -dy * offset;
		const oy = dx * offset;
		const line: [Pt, Pt] = [
			toLL(ox - dx * half, oy - dy * half),
			toLL(ox + dx * half, oy + dy * half)
		];
		const cut = cutRings(rings, line);
		if (!cut.ok) return null;
		const share = areaOf(cut.parts[0]) / total;
		if (share < minShare || share > 1 - minShare) return null;
		let incA = 0;
		for (const p of inside) if (pointInRings(p, cut.parts[0])) incA++;
		// Shared out by area as splitGrid does, so the estimate matches what the split writes.
		const popA = Math.round(props.population * share);
		const hhA = Math.round(props.households * share);
		const part = (s: number, population: number, households: number, inc: number) => ({
			areaShare: s,
			population,
			households,
			incidents: inc,
			workload: score(population, households, inc)
		});
		const a = part(share, popA, hhA, incA);
		const b = part(
			1 - share,
			props.population - popA,
			props.households - hhA,
			inside.length - incA
		);
		const sum = a.workload + b.workload;
		const c0 = toXY(cut.chord[0]);
		const c1 = toXY(cut.chord[cut.chord.length - 1]);
		return {
			angle,
			offset,
			line,
			parts: [a, b],
			imbalance: sum > 0 ? Math.abs(a.workload - b.workload) / sum : 0,
			chordM: Math.hypot(c1[0] - c0[0], c1[1] - c0[1])
		};
	};
	const better = (a: Candidate, b: Candidate) =>
		Math.abs(a.imbalance - b.imbalance) > 0.01 ? a.imbalance - b.imbalance : a.chordM - b.chordM;

	const A = Math.max(1, opts.angles ?? 12);
	const K = Math.max(1, opts.offsets ?? 15);
	const found: Candidate[] = [];
	const spans: [number, number][] = [];
	for (let a = 0; a < A; a++) {
		const angle = (Math.PI * a) / A;
		const nx = -Math.sin(angle);
		const ny = Math.cos(angle);
		let lo = Infinity;
		let hi = -Infinity;
		for (const v of verts) {
			const s = v[0] * nx + v[1] * ny;
			if (s < lo) lo = s;
			if (s > hi) hi = s;
		}
		spans.push([lo, hi]);
		for (let k = 1; k <= K; k++) {
			const c = evaluate(angle, lo + ((hi - lo) * k) / (K + 1));
			if (c) found.push(c);
		}
	}
	if (found.length === 0) return null;
	found.sort(better);
	// Finer search around the best coarse candidate.
	const best = found[0];
	const stepA = Math.PI / A;
	const [lo, hi] = spans[Math.round(best.angle / stepA) % A];
	const stepS = (hi - lo) / (K + 1);
	for (let i = -2; i <= 2; i++)
		for (let j = -4; j <= 4; j++) {
			if (i === 0 && j === 0) continue;
			const c = evaluate(best.angle + (stepA * i) / 3, best.offset + (stepS * j) / 5);
			if (c) found.push(c);
		}
	found.sort(better);

	for (const c of found.slice(0, 8)) {
		const r = splitGrid(draft, props.id, c.line, opts.split);
		if (!r.ok) continue;
		return {
			gridId: props.id,
			line: c.line,
			parts: c.parts,
			imbalance: c.imbalance,
			deviation: balance.grids[gi].deviation
		};
	}
	return null;
}
