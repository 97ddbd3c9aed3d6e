import { describe, expect, it } from 'vitest';
import { DISTRICT_LABEL_LAYER, basemapStyle, labelPoints } from './basemapStyle';

const empty = { type: 'FeatureCollection' as const, features: [] };
const base = {
	dataUrl: (f: string) => `/data/${f}`,
	fontUrl: '/font.woff2',
	streetLabels: empty,
	communityLabels: empty
};

describe('basemap style', () => {
	it('has district labels, above the street labels, only for a city with districts', () => {
		expect(basemapStyle(base).layers.map((l) => l.id)).not.toContain(DISTRICT_LABEL_LAYER);
		const style = basemapStyle({ ...base, districtLabels: empty });
		const ids = style.layers.map((l) => l.id);
		expect(ids.at(-1)).toBe(DISTRICT_LABEL_LAYER);
		expect(ids.indexOf('street-labels')).toBeLessThan(ids.indexOf(DISTRICT_LABEL_LAYER));
		expect(style.sources['district-labels']).toBeDefined();
	});

	it('places labels at the given point, else inside the largest part of a MultiPolygon', () => {
		const island = [
			[
				[118, 39],
				[118.01, 39],
				[118.01, 39.01],
				[118, 39]
			]
		];
		const mainland = [
			[
				[117, 39],
				[117.4, 39],
				[117.4, 39.2],
				[117, 39.2],
				[117, 39]
			]
		];
		const points = labelPoints([
			{
				properties: { name: '甲', labelLon: 1, labelLat: 2 },
				geometry: { type: 'Polygon', coordinates: mainland }
			},
			{
				properties: { name: '乙' },
				geometry: { type: 'MultiPolygon', coordinates: [island, mainland] }
			}
		]);
		expect(points.features[0].geometry.coordinates).toEqual([1, 2]);
		const [x, y] = points.features[1].geometry.coordinates;
		expect(x).toBeGreaterThan(117);
		expect(x).toBeLessThan(117.4);
		expect(y).toBeCloseTo(39.1, 2);
		expect(points.features[1].properties.name).toBe('乙');
	});
});
