/** A tiny hand-made city for the layer and tooltip tests: 1 street, 2 communities, 3 grids. */
import type {
	CommunityCollection,
	GridCollection,
	HazmatLaneCollection,
	HazmatSiteCollection,
	Patrols,
	StreetCollection
} from '$lib/domain/city';

const box = (w: number, s: number, e: number, n: number) => ({
	type: 'Polygon' as const,
	coordinates: [
		[
			[w, s],
			[e, s],
			[e, n],
			[w, n],
			[w, s]
		]
	]
});

const label = (w: number, s: number, e: number, n: number) => ({
	labelLon: (w + e) / 2,
	labelLat: (s + n) / 2
});

export const streets: StreetCollection = {
	type: 'FeatureCollection',
	features: [
		{
			type: 'Feature',
			geometry: box(117, 39, 117.2, 39.1),
			properties: {
				id: '120116001',
				name: '塘沽街道',
				kind: 'subdistrict',
				population: 9000,
				households: 3500,
				areaKm2: 190,
				...label(117, 39, 117.2, 39.1)
			}
		}
	]
};

export const communities: CommunityCollection = {
	type: 'FeatureCollection',
	features: [
		{
			type: 'Feature',
			geometry: box(117, 39, 117.1, 39.1),
			properties: {
				id: '120116001001',
				name: '新港一社区',
				kind: 'community',
				streetId: '120116001',
				population: 6000,
				households: 2300,
				areaKm2: 95,
				...label(117, 39, 117.1, 39.1)
			}
		},
		{
			type: 'Feature',
			geometry: box(117.1, 39, 117.2, 39.1),
			properties: {
				id: '120116001002',
				name: '东沽村',
				kind: 'village',
				streetId: '120116001',
				population: 3000,
				households: 1200,
				areaKm2: 95,
				...label(117.1, 39, 117.2, 39.1)
			}
		}
	]
};

const grid = (
	id: string,
	communityId: string,
	areaKm2: number,
	geometry: ReturnType<typeof box>,
	population: number
) => ({
	type: 'Feature' as const,
	geometry,
	properties: {
		id,
		name: `第${id.slice(-2)}网格`,
		communityId,
		streetId: '120116001',
		population,
		households: Math.round(population / 2.6),
		areaKm2,
		workerName: '张伟',
		workerPhone: '13800000000'
	}
});

export const grids: GridCollection = {
	type: 'FeatureCollection',
	features: [
		grid('12011600100101', '120116001001', 50, box(117, 39, 117.1, 39.05), 3000),
		grid('12011600100102', '120116001001', 45, box(117, 39.05, 117.1, 39.1), 3000),
		grid('12011600100201', '120116001002', 95, box(117.1, 39, 117.2, 39.1), 3000)
	]
};

export const hazmatSites: HazmatSiteCollection = {
	type: 'FeatureCollection',
	features: [
		{
			type: 'Feature',
			geometry: { type: 'Point', coordinates: [117.05, 39.02] },
			properties: {
				id: 'HZ001',
				name: '渤化储运一号库',
				zone: '临港经济区',
				hazardClass: 2,
				riskLevel: 1,
				substances: ['液氯'],
				quantityTonnes: 120,
				responsibleName: '李强',
				responsiblePhone: '13900000000',
				riskRadiusM: 2500,
				gridId: '12011600100101'
			}
		},
		{
			type: 'Feature',
			geometry: { type: 'Point', coordinates: [117.15, 39.08] },
			properties: {
				id: 'HZ002',
				name: '港城油品仓',
				zone: '临港经济区',
				hazardClass: 3,
				riskLevel: 4,
				substances: ['汽油', '甲醇'],
				quantityTonnes: 40,
				responsibleName: '王芳',
				responsiblePhone: '13700000000',
				riskRadiusM: 400,
				gridId: '12011600100201'
			}
		}
	]
};

export const hazmatLanes: HazmatLaneCollection = {
	type: 'FeatureCollection',
	features: [
		{
			type: 'Feature',
			geometry: {
				type: 'LineString',
				coordinates: [
					[117.05, 39.02],
					[117.15, 39.08]
				]
			},
			properties: { id: 'LN01', name: '临港危化品运输专用道', siteIds: ['HZ001', 'HZ002'] }
		}
	]
};

export const patrols: Patrols = {
	routes: [
		{
			id: 'R1',
			name: '塘沽陆巡一线',
			mode: 'land',
			path: [
				[117, 39],
				[117.1, 39]
			]
		},
		{
			id: 'R2',
			name: '新港海巡',
			mode: 'sea',
			path: [
				[117.3, 39],
				[117.3, 39.1]
			]
		}
	],
	units: [
		{
			id: 'U1',
			callsign: '陆巡01',
			mode: 'land',
			routeId: 'R1',
			status: 'on_patrol',
			track: { lon: [117, 117.1, 117], lat: [39, 39, 39], t: [0, 43_200, 86_400] }
		},
		{
			id: 'U2',
			callsign: '海巡01',
			mode: 'sea',
			routeId: 'R2',
			status: 'responding',
			track: { lon: [117.3, 117.3], lat: [39, 39.1], t: [0, 86_400] }
		}
	]
};
