import { describe, expect, it } from 'vitest';
import type { StyleSpecification } from 'maplibre-gl';
import { basemapStyle, LABEL_FONT } from './basemapStyle';
import {
	basemapNotice,
	fetchExternalStyle,
	packStyle,
	pmtilesUrl,
	usesPmtiles,
	type PackStyleOptions
} from './packBasemap';

const empty = { type: 'FeatureCollection' as const, features: [] };
const o: PackStyleOptions = {
	dataUrl: (f) => `/data/${f}`,
	fontUrl: '/_app/font.woff2',
	streetLabels: empty,
	communityLabels: empty,
	origin: 'http://onemap.test:3000'
};

/** Layers whose source is not declared, and layer ids used twice. */
function problems(style: StyleSpecification): string[] {
	const missing = style.layers
		.filter((l) => 'source' in l && !(l.source in style.sources))
		.map((l) => `${l.id}: no source`);
	const ids = style.layers.map((l) => l.id);
	const twice = ids.filter((id, i) => ids.indexOf(id) !== i).map((id) => `${id}: twice`);
	return [...missing, ...twice];
}

describe('packStyle', () => {
	it('onemap: OneMap’s own style, unchanged', () => {
		expect(packStyle({ kind: 'onemap' }, o)).toEqual(basemapStyle(o));
		expect(usesPmtiles(packStyle({ kind: 'onemap' }, o))).toBe(false);
	});

	for (const flavor of ['protomaps', 'openmaptiles'] as const) {
		it(`pmtiles (${flavor}): a vector source on this origin, layers of its schema, own font`, () => {
			const style = packStyle(
				{ kind: 'pmtiles', url: '/data/basemap/city.pmtiles', flavor, attribution: '© city' },
				o
			);
			expect(style.sources.basemap).toEqual({
				type: 'vector',
				url: 'pmtiles://http://onemap.test:3000/data/basemap/city.pmtiles',
				attribution: '© city'
			});
			expect(usesPmtiles(style)).toBe(true);
			const layers = new Set(
				style.layers.map((l) => ('source-layer' in l ? l['source-layer'] : null)).filter(Boolean)
			);
			expect([...layers].sort()).toEqual(
				flavor === 'protomaps'
					? ['boundaries', 'earth', 'landuse', 'places', 'roads', 'water']
					: ['boundary', 'landcover', 'landuse', 'place', 'transportation', 'water', 'waterway']
			);
			expect(style['font-faces']).toEqual({ [LABEL_FONT]: o.fontUrl });
			for (const l of style.layers)
				if (l.type === 'symbol') expect(l.layout?.['text-font']).toEqual([LABEL_FONT]);
			// The city's own unit labels stay on top of the basemap.
			expect(style.layers.slice(-2).map((l) => l.id)).toEqual([
				'community-labels',
				'street-labels'
			]);
			expect(problems(style)).toEqual([]);
		});
	}

	it('raster: the intranet URL template with its tile size and max zoom', () => {
		const style = packStyle(
			{
				kind: 'raster',
				url: 'http://tdt.intranet/vec/{z}/{x}/{y}.png',
				tileSize: 512,
				maxZoom: 17
			},
			o
		);
		expect(style.sources.basemap).toEqual({
			type: 'raster',
			tiles: ['http://tdt.intranet/vec/{z}/{x}/{y}.png'],
			tileSize: 512,
			maxzoom: 17
		});
		expect(style.layers.map((l) => l.id)).toEqual([
			'background',
			'basemap-raster',
			'community-labels',
			'street-labels'
		]);
		expect(problems(style)).toEqual([]);
	});

	it('style: the fetched style with its own sources, the unit labels added on top', () => {
		const external: StyleSpecification = {
			version: 8,
			glyphs: 'http://maps.intranet/fonts/{fontstack}/{range}.pbf',
			sources: { osm: { type: 'vector', url: 'http://maps.intranet/tiles.json' } },
			layers: [
				{ id: 'bg', type: 'background' },
				{ id: 'roads', type: 'line', source: 'osm', 'source-layer': 'roads' }
			]
		};
		const basemap = { kind: 'style', url: 'http://maps.intranet/style.json' } as const;
		const style = packStyle(basemap, o, external);
		expect(style.glyphs).toBe(external.glyphs);
		expect(Object.keys(style.sources)).toEqual(['osm', 'street-labels', 'community-labels']);
		expect(style.layers.map((l) => l.id)).toEqual([
			'bg',
			'roads',
			'community-labels',
			'street-labels'
		]);
		expect(style['font-faces']).toEqual({ [LABEL_FONT]: o.fontUrl });
		expect(problems(style)).toEqual([]);
		// Before it arrives (or when it fails): OneMap's own style.
		expect(packStyle(basemap, o)).toEqual(basemapStyle(o));
	});
});

describe('pmtilesUrl', () => {
	it('makes the origin-relative URL absolute', () => {
		expect(pmtilesUrl('/data/basemap/a.pmtiles', 'https://x.test')).toBe(
			'pmtiles://https://x.test/data/basemap/a.pmtiles'
		);
	});
});

describe('fetchExternalStyle', () => {
	const answer = (body: unknown, status = 200) =>
		(async () => new Response(JSON.stringify(body), { status })) as unknown as typeof fetch;
	it('returns a style, refuses what is not one', async () => {
		const style = { version: 8, sources: {}, layers: [] };
		expect(await fetchExternalStyle('http://m/s.json', answer(style))).toEqual(style);
		await expect(fetchExternalStyle('http://m/s.json', answer({ a: 1 }))).rejects.toThrow(
			'not a MapLibre style'
		);
		await expect(fetchExternalStyle('http://m/s.json', answer({}, 404))).rejects.toThrow('404');
	});
});

describe('basemapNotice', () => {
	const notice = '演示数据';
	it('the demo: its notice and the OpenStreetMap credit of its coastline', () => {
		expect(basemapNotice({ synthetic: true, basemap: { kind: 'onemap' } }, notice)).toBe(
			'演示数据 · © OpenStreetMap contributors'
		);
	});
	it('a synthetic pack with its own basemap: the notice and that attribution', () => {
		const basemap = {
			kind: 'pmtiles',
			url: '/x',
			flavor: 'protomaps',
			attribution: '© P'
		} as const;
		expect(basemapNotice({ synthetic: true, basemap }, notice)).toBe('演示数据 · © P');
		expect(
			basemapNotice({ synthetic: true, basemap: { kind: 'style', url: 'http://s' } }, notice)
		).toBe('演示数据');
	});
	it('a real city: the pack’s attribution, or nothing', () => {
		const basemap = {
			kind: 'raster',
			url: 'http://t/{z}/{x}/{y}.png',
			tileSize: 256,
			maxZoom: 18,
			attribution: '天地图'
		} as const;
		expect(basemapNotice({ synthetic: false, basemap }, notice)).toBe('天地图');
		expect(basemapNotice({ synthetic: false, basemap: { kind: 'onemap' } }, notice)).toBe('');
	});
});
