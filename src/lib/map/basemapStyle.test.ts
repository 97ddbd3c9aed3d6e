import { describe, expect, it } from 'vitest';
import { DISTRICT_LABEL_LAYER, basemapStyle, labelPoints, unitLabels } from './basemapStyle';

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

describe('unitLabels', () => {
	const unit = (name: string) => ({
		type: 'Feature' as const,
		properties: { name, labelLon: 117.1, labelLat: 39.1 },
		geometry: { type: 'Polygon' as const, coordinates: [] }
	});
	it('labels each level, districts only where the city has them', () => {
		const city = {
			streets: { features: [unit('新城镇')] },
			communities: { features: [unit('一村')] }
		};
		const plain = unitLabels(city);
		expect(plain.streetLabels.features[0].properties.name).toBe('新城镇');
		expect(plain.communityLabels.features[0].geometry.coordinates).toEqual([117.1, 39.1]);
		expect(plain.districtLabels).toBeUndefined();
		expect(unitLabels({ ...city, districts: { features: [] } }).districtLabels).toBeUndefined();
		const withDistricts = unitLabels({ ...city, districts: { features: [unit('滨海新区')] } });
		expect(withDistricts.districtLabels!.features[0].properties.name).toBe('滨海新区');
	});
});
