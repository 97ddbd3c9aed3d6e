/** Land mask and basemap sea from the real (OSM-derived) Bohai Bay sea polygon. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
	bboxPolygon,
	buffer,
	difference,
	featureCollection,
	intersect,
	kinks,
	polygon,
	simplify
} from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import {
	M_PER_DEG_LAT,
	M_PER_DEG_LON,
	closeRing,
	openRing,
	ringSignedArea,
	type Pt,
	type Ring
} from './geom.ts';
import type { NbsItem } from './admin.ts';

export const LAND_BBOX: [number, number, number, number] = [117.3, 38.6, 118.1, 39.35];
export const SEA_WINDOW: [number, number, number, number] = [116.9, 38.3, 118.5, 39.6];

export interface Inputs {
	sea: Feature<Polygon | MultiPolygon>;
	nbs: NbsItem[];
}

/** Read the real inputs from the data folder (only files under data/). */
export function readInputs(dataDir: string): Inputs {
	const seaFc = JSON.parse(
		readFileSync(join(dataDir, 'bohai-sea.osm.geojson'), 'utf8')
	) as FeatureCollection<Polygon | MultiPolygon>;
	if (seaFc.features.length !== 1) throw new Error('expected one sea feature');
	const nbs = JSON.parse(
		readFileSync(join(dataDir, 'binhai-streets-towns.nbs2023.json'), 'utf8')
	) as {
		items: NbsItem[];
	};
	return { sea: seaFc.features[0], nbs: nbs.items };
}

function polygons(f: Feature<Polygon | MultiPolygon> | null): Pt[][][] {
	if (!f) return [];
	const g = f.geometry;
	const list = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
	return list.map((rings) => rings.map((r) => r.map((p) => [p[0], p[1]] as Pt)));
}

/**
 * Remove needle-sharp vertices (angle between the two edges below minDeg): in the 1:10m
 * coastline those are breakwaters and piers drawn as zero-width spikes (or hairline inlets),
 * kilometres long and centimetres wide near the tip — not land anyone lives on, and too thin
 * for the 1e-6° grid the boundaries are snapped to.
 */
export function despike(ring: Ring, minDeg = 10): Ring {
	const pts = openRing(ring);
	const sharp = (i: number) => {
		const n = pts.length;
		const p = pts[(i - 1 + n) % n];
		const v = pts[i];
		const q = pts[(i + 1) % n];
		const ax = (p[0] - v[0]) * M_PER_DEG_LON;
		const ay = (p[1] - v[1]) * M_PER_DEG_LAT;
		const bx = (q[0] - v[0]) * M_PER_DEG_LON;
		const by = (q[1] - v[1]) * M_PER_DEG_LAT;
		return (Math.abs(Math.atan2(ax * by - ay * bx, ax * bx + ay * by)) * 180) / Math.PI < minDeg;
	};
	for (let changed = true; changed && pts.length > 3;) {
		changed = false;
		for (let i = 0; i < pts.length; i++)
			if (sharp(i)) {
				pts.splice(i, 1);
				changed = true;
				break;
			}
	}
	return closeRing(pts);
}

/** Opening radius (m): land narrower than twice this (breakwaters, piers) is dropped. */
export const LAND_OPENING_M = 40;

const landCache = new Map<string, Ring>();

/**
 * Land = bbox minus sea, cleaned for use as the root of the administrative tiling:
 * a morphological opening (erode, then dilate by LAND_OPENING_M) removes breakwaters and piers
 * that the 1:10m coastline draws as metre-wide strips; then the largest piece, its outer ring,
 * simplified (~3 m) and without needle-sharp inlet tips.
 */
export function buildLand(sea: Feature<Polygon | MultiPolygon>): Ring {
	const cacheKey = JSON.stringify(sea.geometry);
	const cached = landCache.get(cacheKey);
	if (cached) return cached.map((p) => [p[0], p[1]] as Pt);
	const box = bboxPolygon(LAND_BBOX) as Feature<Polygon>;
	const diff = difference(featureCollection([box, sea])) as Feature<Polygon | MultiPolygon> | null;
	if (!diff) throw new Error('no land');
	const eroded = buffer(diff, -LAND_OPENING_M, { units: 'meters', steps: 4 });
	const opened = eroded ? buffer(eroded, LAND_OPENING_M, { units: 'meters', steps: 4 }) : null;
	const pieces = polygons((opened ?? null) as Feature<Polygon | MultiPolygon> | null).sort(
		(a, b) => Math.abs(ringSignedArea(b[0])) - Math.abs(ringSignedArea(a[0]))
	);
	if (pieces.length === 0) throw new Error('no land');
	const simple = simplify(polygon([pieces[0][0]]), { tolerance: 0.00003, highQuality: true });
	// Put points on (or a hair outside) the bbox edges back exactly onto them.
	const snapEdge = (v: number, lo: number, hi: number) =>
		v < lo + 2e-5 ? lo : v > hi - 2e-5 ? hi : v;
	const ring = despike(
		closeRing(
			openRing(simple.geometry.coordinates[0] as Pt[]).map(
				(p) =>
					[
						snapEdge(p[0], LAND_BBOX[0], LAND_BBOX[2]),
						snapEdge(p[1], LAND_BBOX[1], LAND_BBOX[3])
					] as Pt
			)
		)
	);
	if (kinks(polygon([ring])).features.length > 0) throw new Error('land mask self-intersects');
	landCache.set(cacheKey, ring);
	return ring.map((p) => [p[0], p[1]] as Pt);
}

/** The sea clipped to the basemap window, as polygons with holes. */
export function buildSea(sea: Feature<Polygon | MultiPolygon>): Pt[][][] {
	const box = bboxPolygon(SEA_WINDOW) as Feature<Polygon>;
	return polygons(
		intersect(featureCollection([box, sea])) as Feature<Polygon | MultiPolygon> | null
	);
}

export function ringPolygon(ring: Ring): Feature<Polygon> {
	return polygon([ring]);
}
