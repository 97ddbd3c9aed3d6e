/**
 * A layer's coordinates → WGS84. Which CRS: the layer's `crs` in city.json when it names one;
 * `auto`: the file's own declaration (.prj, GeoPackage srs, GeoJSON `crs`), else the manifest's
 * `crs`. A note says which was used and why. Every feature whose coordinates do not fit that CRS
 * (projected metres in a lon/lat file, lon/lat swapped, outside the Gauss–Krüger zone) is refused
 * with `crs-mismatch`, located.
 */
import type { Geometry, Position } from 'geojson';
import type { PackMessage } from '$lib/domain/cityPack';
import {
	converterToWgs84,
	crsByName,
	crsTitle,
	crsFromWkt,
	implausibleReason,
	type Crs
} from '$lib/geo/crs';
import { REASONS, message } from './messages';
import type { RawLayer } from './layer';

/** "EPSG:4527", "urn:ogc:def:crs:EPSG::4527", "urn:ogc:def:crs:OGC:1.3:CRS84", or WKT → Crs. */
export function declaredCrs(text: string): Crs | null {
	const t = text.trim();
	const urn = /^urn:ogc:def:crs:(EPSG|OGC):[\d.]*:(\w+)$/i.exec(t);
	if (urn) return crsByName(urn[1].toUpperCase() === 'OGC' ? urn[2] : `EPSG:${urn[2]}`);
	return crsByName(t) ?? crsFromWkt(t);
}

/** The CRS a layer is read in, with a note; or an error message (crs-unknown). */
export function chooseCrs(
	layer: RawLayer,
	layerCrs: string,
	manifestCrs: string,
	file: string
): { crs: Crs; note: PackMessage } | { error: PackMessage } {
	const source = { file, layer: layer.layer };
	const used = (crs: Crs, why: { zh: string; en: string }) => ({
		crs,
		note: message('crs-used', { crs: crsTitle(crs), why }, { source })
	});
	if (layerCrs.toLowerCase() !== 'auto') {
		const crs = crsByName(layerCrs);
		if (!crs) return { error: message('crs-unknown', { crs: layerCrs }, { source }) };
		const declared = layer.declared ? declaredCrs(layer.declared.text) : null;
		const also =
			declared && declared.id !== crs.id
				? {
						zh: `；文件的 ${layer.declared!.from} 写的是 ${declared.id}，以 city.json 为准`,
						en: `; the file's ${layer.declared!.from} says ${declared.id}, city.json wins`
					}
				: { zh: '', en: '' };
		return used(crs, {
			zh: `city.json 为此文件指定${also.zh}`,
			en: `set for this file in city.json${also.en}`
		});
	}
	if (layer.declared && layer.declared.text.trim()) {
		const crs = declaredCrs(layer.declared.text);
		if (!crs)
			return {
				error: message(
					'crs-unknown',
					{ crs: `${layer.declared.from}: ${layer.declared.text.slice(0, 120)}` },
					{ source }
				)
			};
		return used(crs, {
			zh: `文件的 ${layer.declared.from}`,
			en: `from the file's ${layer.declared.from}`
		});
	}
	const fallback = manifestCrs.toLowerCase() === 'auto' ? 'EPSG:4326' : manifestCrs;
	const crs = crsByName(fallback);
	if (!crs) return { error: message('crs-unknown', { crs: manifestCrs }, { source }) };
	return used(crs, {
		zh: '文件未声明坐标系，用 city.json 的 crs',
		en: "the file declares none: city.json's crs"
	});
}

const fmt = (n: number) => (Number.isFinite(n) ? String(Math.round(n * 1e6) / 1e6) : String(n));

/** The first position of `coords` not fitting `crs`, with why, or null. */
function firstMisfit(crs: Crs, coords: unknown): { p: Position; why: keyof typeof REASONS } | null {
	if (!Array.isArray(coords)) return null;
	if (typeof coords[0] === 'number' || coords.length === 0 || !Array.isArray(coords[0])) {
		const p = coords as Position;
		if (p.length < 2) return null;
		const why = implausibleReason(crs, p);
		return why ? { p, why } : null;
	}
	for (const c of coords) {
		const hit = firstMisfit(crs, c);
		if (hit) return hit;
	}
	return null;
}

function mapCoords(coords: unknown, f: (p: readonly number[]) => [number, number]): unknown {
	if (!Array.isArray(coords)) return coords;
	if (typeof coords[0] === 'number') return f(coords as number[]);
	return coords.map((c) => mapCoords(c, f));
}

function mapGeometry(g: Geometry, f: (p: readonly number[]) => [number, number]): Geometry {
	if (g.type === 'GeometryCollection')
		return { type: g.type, geometries: g.geometries.map((x) => mapGeometry(x, f)) };
	return { type: g.type, coordinates: mapCoords(g.coordinates, f) } as Geometry;
}

function misfitIn(crs: Crs, g: Geometry): ReturnType<typeof firstMisfit> {
	if (g.type === 'GeometryCollection') {
		for (const x of g.geometries) {
			const hit = misfitIn(crs, x);
			if (hit) return hit;
		}
		return null;
	}
	return firstMisfit(crs, g.coordinates);
}

/** Convert one geometry to WGS84, or say where it does not fit (crs-mismatch). */
export function projector(crs: Crs, file: string, layer?: string) {
	const to = converterToWgs84(crs);
	const crsText = crsTitle(crs);
	const mismatch = (
		p: readonly number[],
		why: keyof typeof REASONS,
		index: number,
		rows: boolean,
		field?: string
	) =>
		message(
			'crs-mismatch',
			{ x: fmt(p[0]), y: fmt(p[1]), crs: crsText, reason: REASONS[why] },
			{ source: { file, layer, index, field }, rows }
		);
	return {
		crs,
		geometry(g: Geometry, index: number): { geometry: Geometry } | { error: PackMessage } {
			const bad = misfitIn(crs, g);
			if (bad) return { error: mismatch(bad.p, bad.why, index, false) };
			return { geometry: mapGeometry(g, to) };
		},
		point(
			p: [number, number],
			index: number,
			rows: boolean,
			field?: string
		): { at: [number, number] } | { error: PackMessage } {
			const why = implausibleReason(crs, p);
			if (why) return { error: mismatch(p, why, index, rows, field) };
			return { at: to(p) };
		}
	};
}
export type Projector = ReturnType<typeof projector>;
