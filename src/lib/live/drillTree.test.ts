import { describe, expect, it } from 'vitest';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import {
	districtCounts,
	districtScope,
	drillTree,
	drillView,
	hasDistricts,
	scopeCenter,
	streetsOfDistrict,
	unitCenter,
	unitName
} from './drillTree';

const box = (x: number): Polygon => ({
	type: 'Polygon',
	coordinates: [
		[
			[x, 0],
			[x + 1, 0],
			[x + 1, 1],
			[x, 1],
			[x, 0]
		]
	]
});
const twoParts: MultiPolygon = {
	type: 'MultiPolygon',
	coordinates: [box(0).coordinates, box(5).coordinates]
};
const feature = <P>(
	geometry: Polygon | MultiPolygon,
	properties: P
): Feature<Polygon | MultiPolygon, P> => ({
	type: 'Feature',
	geometry,
	properties
});
const unit = { population: 0, households: 0, areaKm2: 1, labelLon: 0.5, labelLat: 0.5 };

function city(withDistricts: boolean) {
	return {
		districts: {
			type: 'FeatureCollection' as const,
			features: withDistricts
				? [
						feature(twoParts, { ...unit, id: 'D1', name: '甲区', kind: 'district' }),
						feature(box(2), { ...unit, id: 'D2', name: '乙区', kind: 'district' })
					]
				: []
		},
		streets: {
			type: 'FeatureCollection' as const,
			features: [
				feature(twoParts, {
					...unit,
					id: 'S1',
					name: '一街',
					kind: 'subdistrict' as const,
					...(withDistricts ? { districtId: 'D1' } : {})
				}),
				feature(box(2), {
					...unit,
					id: 'S2',
					name: '二街',
					kind: 'town' as const,
					...(withDistricts ? { districtId: 'D2' } : {})
				}),
				feature(box(3), {
					...unit,
					id: 'S3',
					name: '三街',
					kind: 'town' as const,
					...(withDistricts ? { districtId: 'D1' } : {})
				})
			]
		},
		communities: {
			type: 'FeatureCollection' as const,
			features: [
				feature(box(3), {
					...unit,
					id: 'C1',
					name: '三社区',
					kind: 'community' as const,
					streetId: 'S3'
				})
			]
		},
		grids: {
			type: 'FeatureCollection' as const,
			features: [
				{
					type: 'Feature' as const,
					geometry: box(3),
					properties: {
						...unit,
						id: 'G1',
						name: '第01网格',
						communityId: 'C1',
						streetId: 'S3',
						workerName: '王',
						workerPhone: '1'
					}
				}
			]
		}
	};
}
const labels = { city: '某市', area: '区域', incident: (id: number) => `#${id}` };

describe('drillTree', () => {
	it('goes city → street → community → grid where the city has no districts', () => {
		const c = city(false);
		expect(hasDistricts(c)).toBe(false);
		const top = drillTree(c, { kind: 'district' }, labels);
		expect(top.children.map((x) => x.label)).toEqual(['一街', '二街', '三街']);
		const grid = drillTree(c, { kind: 'unit', level: 'grid', index: 0 }, labels);
		expect(grid.crumbs.map((x) => x.label)).toEqual(['某市', '三街', '三社区', '第01网格']);
		expect(grid.grids).toEqual([0]);
	});

	it('goes city → district → street → community → grid where it has', () => {
		const c = city(true);
		expect(hasDistricts(c)).toBe(true);
		const top = drillTree(c, { kind: 'district' }, labels);
		expect(top.children.map((x) => x.label)).toEqual(['甲区', '乙区']);
		expect(top.children[0].scope).toEqual({ kind: 'streets', district: 0, streets: [0, 2] });
		const d = drillTree(c, districtScope(c, 0), labels);
		expect(d.title).toBe('甲区');
		expect(d.crumbs.map((x) => x.label)).toEqual(['某市', '甲区']);
		expect(d.children.map((x) => x.label)).toEqual(['一街', '三街']);
		const grid = drillTree(c, { kind: 'unit', level: 'grid', index: 0 }, labels);
		expect(grid.crumbs.map((x) => x.label)).toEqual(['某市', '甲区', '三街', '三社区', '第01网格']);
		const street = drillTree(c, { kind: 'unit', level: 'street', index: 1 }, labels);
		expect(street.crumbs.map((x) => x.label)).toEqual(['某市', '乙区', '二街']);
	});

	it('counts a district as the sum of its streets', () => {
		const c = city(true);
		expect(streetsOfDistrict(c, 1)).toEqual([1]);
		expect(Array.from(districtCounts(c, Uint32Array.from([3, 4, 5])))).toEqual([8, 4]);
		expect(Array.from(districtCounts(city(false), Uint32Array.from([3, 4, 5])))).toEqual([]);
	});

	it('titles an area and an incident, whose workers come from the incidents', () => {
		const c = city(true);
		const area = drillTree(c, { kind: 'area', bbox: [0, 0, 1, 1] }, labels);
		expect(area.title).toBe('区域');
		expect(area.grids).toBeNull();
		expect(drillTree(c, { kind: 'incident', id: 7 }, labels).crumbs.at(-1)?.label).toBe('#7');
	});
});

describe('drill view', () => {
	const c = { ...city(false), manifest: { center: [9, 9] as [number, number] } };

	it('names a grid with its community in front', () => {
		expect(unitName(c, 'grid', 0)).toBe('三社区 第01网格');
		expect(unitName(c, 'street', 1)).toBe('二街');
		expect(unitName(c, 'grid', 5)).toBe('');
	});

	it('centres a scope on its unit, its district label, its area, or the city', () => {
		expect(unitCenter(c, 'street', 0)).toEqual([3, 0.5]);
		expect(scopeCenter(c, { kind: 'unit', level: 'community', index: 0 })).toEqual([3.5, 0.5]);
		expect(scopeCenter(c, { kind: 'unit', level: 'grid', index: 7 })).toBeNull();
		expect(scopeCenter(c, { kind: 'area', bbox: [0, 0, 2, 4] })).toEqual([1, 2]);
		expect(scopeCenter(c, { kind: 'incident', id: 3 })).toEqual([9, 9]);
		const d = { ...city(true), manifest: c.manifest };
		expect(scopeCenter(d, districtScope(d, 1))).toEqual([0.5, 0.5]);
	});

	it("lists a unit's own grid workers, and an area's from its top grids once known", () => {
		const grid = drillView(c, { kind: 'unit', level: 'grid', index: 0 }, labels, null);
		expect(grid.title).toBe('第01网格');
		expect(grid.responsible).toEqual([
			{ where: '三社区 第01网格', workerName: '王', workerPhone: '1' }
		]);
		const area = { kind: 'area' as const, bbox: [0, 0, 1, 1] as [number, number, number, number] };
		expect(drillView(c, area, labels, null).responsible).toEqual([]);
		expect(drillView(c, area, labels, Int32Array.from([0, 4])).responsible).toHaveLength(1);
		expect(drillView(c, { kind: 'incident', id: 7 }, labels, null).title).toBe('#7');
	});
});
