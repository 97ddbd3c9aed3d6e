/**
 * Where a unit's name goes: the pole of inaccessibility (the inside point farthest from the
 * outline, Mapbox's polylabel algorithm) of its largest part. Works for Polygons and
 * MultiPolygons (a district with islands is labelled on its mainland, not in the sea between).
 * Planar in lon/lat, which is fine at a city's scale; holes are honoured.
 */
import type { MultiPolygon, Polygon, Position } from 'geojson';

type Ring = Position[];

/** Signed-free planar area of a polygon (outer ring minus holes), in degrees². */
export function polygonArea(rings: Ring[]): number {
	let total = 0;
	rings.forEach((ring, i) => {
		let a = 0;
		for (let j = 0, k = ring.length - 1; j < ring.length; k = j++)
			a += (ring[k][0] - ring[j][0]) * (ring[k][1] + ring[j][1]);
		total += (i === 0 ? 1 : -1) * Math.abs(a / 2);
	});
	return total;
}

/** The part with the largest area (a Polygon's only part). */
export function largestPart(geometry: Polygon | MultiPolygon): Ring[] {
	if (geometry.type === 'Polygon') return geometry.coordinates;
	let best: Ring[] = geometry.coordinates[0] ?? [];
	let bestArea = -Infinity;
	for (const part of geometry.coordinates) {
		const a = polygonArea(part);
		if (a > bestArea) [best, bestArea] = [part, a];
	}
	return best;
}

/** Signed distance from a point to the polygon's outline: positive inside, negative outside. */
function signedDistance(x: number, y: number, rings: Ring[]): number {
	let inside = false;
	let min = Infinity;
	for (const ring of rings) {
		for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
			const [ax, ay] = ring[i];
			const [bx, by] = ring[j];
			if (ay > y !== by > y && x < ((bx - ax) * (y - ay)) / (by - ay) + ax) inside = !inside;
			min = Math.min(min, segmentDistance2(x, y, ax, ay, bx, by));
		}
	}
	return (inside ? 1 : -1) * Math.sqrt(min);
}

function segmentDistance2(px: number, py: number, ax: number, ay: number, bx: number, by: number) {
	let [x, y] = [ax, ay];
	let dx = bx - x;
	let dy = by - y;
	if (dx !== 0 || dy !== 0) {
		const t = ((px - x) * dx + (py - y) * dy) / (dx * dx + dy * dy);
		if (t > 1) [x, y] = [bx, by];
		else if (t > 0) [x, y] = [x + dx * t, y + dy * t];
	}
	dx = px - x;
	dy = py - y;
	return dx * dx + dy * dy;
}

interface Cell {
	x: number;
	y: number;
	h: number;
	d: number;
	max: number;
}

function cell(x: number, y: number, h: number, rings: Ring[]): Cell {
	const d = signedDistance(x, y, rings);
	return { x, y, h, d, max: d + h * Math.SQRT2 };
}

/** A max-heap of cells by their potential (`max`). */
class CellHeap {
	private items: Cell[] = [];
	get size() {
		return this.items.length;
	}
	push(c: Cell) {
		const a = this.items;
		a.push(c);
		for (let i = a.length - 1; i > 0;) {
			const up = (i - 1) >> 1;
			if (a[up].max >= a[i].max) break;
			[a[up], a[i]] = [a[i], a[up]];
			i = up;
		}
	}
	pop(): Cell {
		const a = this.items;
		const top = a[0];
		const last = a.pop()!;
		if (a.length) {
			a[0] = last;
			for (let i = 0; ;) {
				const [l, r] = [2 * i + 1, 2 * i + 2];
				let m = i;
				if (l < a.length && a[l].max > a[m].max) m = l;
				if (r < a.length && a[r].max > a[m].max) m = r;
				if (m === i) break;
				[a[m], a[i]] = [a[i], a[m]];
				i = m;
			}
		}
		return top;
	}
}

/**
 * The pole of inaccessibility of one polygon, to within `precision` degrees (default: a
 * thousandth of the polygon's smaller side, plenty for a label).
 */
export function poleOfInaccessibility(rings: Ring[], precision?: number): [number, number] {
	const outer = rings[0];
	if (!outer || outer.length === 0) return [NaN, NaN];
	let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
	for (const [x, y] of outer) {
		w = Math.min(w, x);
		s = Math.min(s, y);
		e = Math.max(e, x);
		n = Math.max(n, y);
	}
	const size = Math.min(e - w, n - s);
	if (size === 0) return [w, s];
	const eps = precision ?? size / 1000;
	const h0 = size / 2;
	const queue = new CellHeap();
	for (let x = w; x < e; x += size)
		for (let y = s; y < n; y += size) queue.push(cell(x + h0, y + h0, h0, rings));
	// Start from the bbox centre; keep the best cell found so far.
	let best = cell((w + e) / 2, (s + n) / 2, 0, rings);
	let guard = 0;
	while (queue.size && guard++ < 200_000) {
		const c = queue.pop();
		if (c.d > best.d) best = c;
		if (c.max - best.d <= eps) continue;
		const h = c.h / 2;
		queue.push(cell(c.x - h, c.y - h, h, rings));
		queue.push(cell(c.x + h, c.y - h, h, rings));
		queue.push(cell(c.x - h, c.y + h, h, rings));
		queue.push(cell(c.x + h, c.y + h, h, rings));
	}
	return [best.x, best.y];
}

/** The label point of a unit: the pole of inaccessibility of its largest part. */
export function labelPoint(geometry: Polygon | MultiPolygon): [number, number] {
	return poleOfInaccessibility(largestPart(geometry));
}
