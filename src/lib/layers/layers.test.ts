import { describe, expect, it } from 'vitest';
import type { ClusterView } from '$lib/engine/clusterIndex';
import {
	COMMUNITY_MIN_ZOOM,
	GRID_LAYER_IDS,
	GRID_MIN_ZOOM,
	DISTRICT_PICK_MAX_ZOOM,
	choroplethValues,
	classScale,
	gridsLayers,
	unitsOf
} from './grids';
import { HAZMAT_LAYER_IDS, hazmatLayers } from './hazmat';
import { INCIDENT_LAYER_IDS, clusterRadius, countLabel, incidentsLayers } from './incidents';
import { PATROL_LAYER_IDS, patrolsLayers, unitPositions, withLiveStatus } from './patrols';
import { positionAt } from '$lib/geo/track';
import {
	DENSITY_RAMP,
	HAZMAT_LANE_COLOR,
	INCIDENT_TYPE_COLORS,
	RISK_LEVEL_COLORS,
	clusterColor
} from './palette';
import * as city from './fixtures';
import { ALERT_LAYER_IDS, alertsLayers } from './alerts';
import type { Alert, CaseRecord } from '$lib/domain/live';

type Accessor<T, R> = (d: T, info?: { index: number }) => R;
type AnyLayer = { id: string; props: Record<string, unknown> };
const byId = (layers: { id: string }[]) =>
	Object.fromEntries(layers.map((l) => [l.id, l])) as unknown as Record<string, AnyLayer>;

describe('grids layer', () => {
	const none = { level: 'grid' as const, metric: 'density' as const, counts: null };
	const input = { ...city, choropleth: none, zoom: 9, visible: true };

	it('shows street lines always, community lines from 10.5, grid lines from 12', () => {
		const at = (zoom: number) =>
			Object.fromEntries(gridsLayers({ ...input, zoom }).map((l) => [l.id, l.props.visible]));
		expect(at(9)).toMatchObject({
			[GRID_LAYER_IDS.fill]: true,
			[GRID_LAYER_IDS.street]: true,
			[GRID_LAYER_IDS.community]: false,
			[GRID_LAYER_IDS.grid]: false
		});
		expect(at(COMMUNITY_MIN_ZOOM)).toMatchObject({
			[GRID_LAYER_IDS.community]: true,
			[GRID_LAYER_IDS.grid]: false
		});
		expect(at(GRID_MIN_ZOOM)).toMatchObject({
			[GRID_LAYER_IDS.community]: true,
			[GRID_LAYER_IDS.grid]: true
		});
	});

	it('fades the choropleth as the map zooms in', () => {
		const opacity = (zoom: number) =>
			byId(gridsLayers({ ...input, zoom }))[GRID_LAYER_IDS.fill].props.opacity as number;
		expect(opacity(9)).toBeGreaterThan(opacity(12.5));
		expect(opacity(12.5)).toBeGreaterThan(opacity(15));
	});

	it('hides every sub-layer when toggled off, without removing them', () => {
		const layers = gridsLayers({ ...input, zoom: 14, visible: false });
		expect(layers).toHaveLength(4);
		expect(layers.every((l) => l.props.visible === false)).toBe(true);
	});

	it('computes density per km², counts and rates per 1,000 residents', () => {
		const counts = new Uint32Array([100, 900, 95]);
		expect(Array.from(choroplethValues(city.grids.features, counts, 'density'))).toEqual([
			2, 20, 1
		]);
		expect(Array.from(choroplethValues(city.grids.features, counts, 'count'))).toEqual([
			100, 900, 95
		]);
		expect(Array.from(choroplethValues(city.grids.features, counts, 'per1000'))).toEqual(
			Array.from(new Float32Array([100 / 3, 300, 95 / 3]))
		);
	});

	it('fills the chosen level: communities instead of grids', () => {
		const counts = new Uint32Array([10, 20]);
		const fill = byId(
			gridsLayers({ ...input, choropleth: { level: 'community', metric: 'count', counts } })
		)[GRID_LAYER_IDS.fill];
		expect(fill.props.data).toBe(city.communities);
		expect(fill.props.updateTriggers).toEqual({ getFillColor: [counts, 'count'] });
	});

	it('colours grids by incident density (incidents per km²), hottest grid in the hottest class', () => {
		const counts = new Uint32Array([100, 900, 95]); // densities 2, 20, 1 per km²
		const choropleth = { level: 'grid' as const, metric: 'density' as const, counts };
		const fill = byId(gridsLayers({ ...input, choropleth }))[GRID_LAYER_IDS.fill];
		const getFillColor = fill.props.getFillColor as unknown as Accessor<unknown, number[]>;
		const colors = city.grids.features.map((f) => getFillColor(f));
		expect(colors[1]).toEqual(DENSITY_RAMP[DENSITY_RAMP.length - 1]);
		expect(colors[2]).toEqual(DENSITY_RAMP[0]);
		expect(fill.props.updateTriggers).toEqual({ getFillColor: [counts, 'density'] });
	});

	it('puts quantile thresholds in ascending order', () => {
		const scale = classScale(new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]));
		expect(scale.thresholds).toHaveLength(DENSITY_RAMP.length - 1);
		expect([...scale.thresholds].sort((a, b) => a - b)).toEqual(scale.thresholds);
	});

	it('paints units without incidents in the lowest colour, however many there are', () => {
		const none = classScale(new Float32Array(16));
		expect(none.thresholds).toEqual([]);
		expect(none.colorOf(0)).toEqual(DENSITY_RAMP[0]);
		const few = classScale(new Float32Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 9]));
		expect(few.colorOf(0)).toEqual(DENSITY_RAMP[0]);
		expect(few.colorOf(9)).toEqual(DENSITY_RAMP[DENSITY_RAMP.length - 1]);
		expect(few.colors).toHaveLength(few.thresholds.length + 1);
		expect(new Set(few.thresholds).size).toBe(few.thresholds.length);
		// 14 empty districts and two with incidents: the two stand out from the empty ones.
		const districts = classScale(Float32Array.from([...new Array(14).fill(0), 1, 2]));
		expect(districts.colorOf(1)).not.toEqual(districts.colorOf(0));
		expect(districts.colorOf(2)).toEqual(DENSITY_RAMP[DENSITY_RAMP.length - 1]);
		// Counts get whole-number boundaries: 0 | 1 | 2 and more.
		const counts = classScale(Float32Array.from([...new Array(14).fill(0), 1, 2]), true);
		expect(counts.thresholds).toEqual([1, 2]);
		expect(counts.colors).toHaveLength(3);
	});
});

describe('patrols layer', () => {
	it('interpolates a unit along its 24-hour track and wraps around midnight', () => {
		const unit = city.patrols.units[0];
		expect(positionAt(unit.track, 0)).toEqual([117, 39]);
		expect(positionAt(unit.track, 21_600)[0]).toBeCloseTo(117.05, 9);
		expect(positionAt(unit.track, 43_200)).toEqual([117.1, 39]);
		expect(positionAt(unit.track, 86_400 + 21_600)[0]).toBeCloseTo(117.05, 9);
		expect(Array.from(unitPositions(city.patrols.units, 43_200))).toEqual(
			Array.from(new Float32Array([117.1, 39, 117.3, 39.05]))
		);
	});

	it('draws routes by mode, trails up to the current time and units at their positions', () => {
		const layers = byId(patrolsLayers({ patrols: city.patrols, timeOfDay: 43_200, visible: true }));
		expect(Object.keys(layers)).toEqual(Object.values(PATROL_LAYER_IDS));
		expect(layers[PATROL_LAYER_IDS.trails].props).toMatchObject({ currentTime: 43_200 });
		const units = layers[PATROL_LAYER_IDS.units].props;
		const getPosition = units.getPosition as unknown as Accessor<unknown, number[]>;
		expect(getPosition(city.patrols.units[1], { index: 1 })[1]).toBeCloseTo(39.05, 5);
		expect(units.updateTriggers).toEqual({ getPosition: [43_200, null] });
		const getColor = layers[PATROL_LAYER_IDS.routes].props.getColor as unknown as Accessor<
			unknown,
			number[]
		>;
		expect(getColor(city.patrols.routes[0]).slice(0, 3)).not.toEqual(
			getColor(city.patrols.routes[1]).slice(0, 3)
		);
	});

	it('draws units where and as the server reported them, else on their track', () => {
		const [u1, u2] = city.patrols.units;
		// U1 (on patrol in the city data) responds; U2 (responding there) is reported on patrol.
		const live = new Map([
			[u1.id, { id: u1.id, lon: 118, lat: 40, status: 'responding' as const }],
			[u2.id, { id: u2.id, lon: 117.3, lat: 39.05, status: 'on_patrol' as const }]
		]);
		expect(Array.from(unitPositions(city.patrols.units, 43_200, live))).toEqual(
			Array.from(new Float32Array([118, 40, 117.3, 39.05]))
		);
		// A unit the report lacks stands on its track at the time of day.
		expect(
			Array.from(unitPositions(city.patrols.units, 0, new Map([[u1.id, live.get(u1.id)!]])))
		).toEqual(Array.from(new Float32Array([118, 40, ...positionAt(u2.track, 0)])));
		const layers = byId(
			patrolsLayers({ patrols: city.patrols, timeOfDay: 43_200, live, visible: true })
		);
		const data = layers[PATROL_LAYER_IDS.units].props.data as typeof city.patrols.units;
		expect(data.map((u) => u.status)).toEqual(['responding', 'on_patrol']);
		const getRadius = layers[PATROL_LAYER_IDS.units].props.getRadius as unknown as Accessor<
			unknown,
			number
		>;
		expect(getRadius(data[0])).toBeGreaterThan(getRadius(data[1]));
		// One data array per report: a clock tick does not make the layer new data.
		expect(withLiveStatus(city.patrols.units, live)).toBe(data);
		expect(withLiveStatus(city.patrols.units, null)).toBe(city.patrols.units);
	});

	it('toggles visibility of all three sub-layers', () => {
		const layers = patrolsLayers({ patrols: city.patrols, timeOfDay: 0, visible: false });
		expect(layers.map((l) => l.props.visible)).toEqual([false, false, false]);
	});
});

describe('hazmat layer', () => {
	it('draws lanes, risk rings in metres and sites coloured by risk level', () => {
		const layers = byId(
			hazmatLayers({ sites: city.hazmatSites, lanes: city.hazmatLanes, visible: true })
		);
		const rings = layers[HAZMAT_LAYER_IDS.rings].props;
		expect(rings.radiusUnits).toBe('meters');
		const getRadius = rings.getRadius as unknown as Accessor<unknown, number>;
		expect(city.hazmatSites.features.map((f) => getRadius(f))).toEqual([2500, 400]);
		const getFill = layers[HAZMAT_LAYER_IDS.sites].props.getFillColor as unknown as Accessor<
			unknown,
			number[]
		>;
		expect(getFill(city.hazmatSites.features[0])).toEqual(RISK_LEVEL_COLORS[1]);
		expect(getFill(city.hazmatSites.features[1])).toEqual(RISK_LEVEL_COLORS[4]);
		expect(layers[HAZMAT_LAYER_IDS.lanes].props.data).toBe(city.hazmatLanes.features);
	});

	it('draws live transport vehicles, red when off their lane', () => {
		const vehicles = [
			{ id: 'V1', laneId: 'LN01', lon: 117.1, lat: 39.05, offLaneM: 10 },
			{ id: 'V2', laneId: 'LN01', lon: 117.12, lat: 39.06, offLaneM: 400 }
		];
		const layer = byId(
			hazmatLayers({ sites: city.hazmatSites, lanes: city.hazmatLanes, vehicles, visible: true })
		)[HAZMAT_LAYER_IDS.vehicles];
		const color = layer.props.getFillColor as unknown as Accessor<unknown, number[]>;
		expect(color(vehicles[0])).toEqual(HAZMAT_LANE_COLOR);
		expect(color(vehicles[1])).toEqual([255, 23, 68, 255]);
	});

	it('toggles visibility', () => {
		const layers = hazmatLayers({
			sites: city.hazmatSites,
			lanes: city.hazmatLanes,
			visible: false
		});
		expect(layers.every((l) => !l.props.visible)).toBe(true);
	});
});

describe('incidents layer', () => {
	const view: ClusterView = {
		length: 3,
		positions: new Float32Array([117, 39, 117.1, 39.1, 117.2, 39.2]),
		counts: new Uint32Array([250, 1, 12_000]),
		clusterIds: new Int32Array([7, -1, 9]),
		ids: new Int32Array([-1, 42, -1]),
		types: new Int8Array([-1, 3, -1]),
		sources: new Int8Array([-1, 0, -1]),
		statuses: new Int8Array([-1, 5, -1]),
		priorities: new Uint8Array([0, 2, 0]),
		ts: new Float64Array([NaN, 1.7e12, NaN])
	};

	it('passes positions, colours and radii as binary attributes', () => {
		const layers = byId(incidentsLayers({ view, visible: true }));
		const data = layers[INCIDENT_LAYER_IDS.points].props.data as unknown as {
			length: number;
			attributes: Record<string, { value: ArrayLike<number>; size: number }>;
		};
		expect(data.length).toBe(3);
		expect(data.attributes.getPosition.value).toBe(view.positions);
		const colors = Array.from(data.attributes.getFillColor.value);
		expect(colors.slice(0, 4)).toEqual(clusterColor(250));
		expect(colors.slice(4, 8)).toEqual(INCIDENT_TYPE_COLORS.pollution);
		expect(colors.slice(8, 12)).toEqual(clusterColor(12_000));
		expect(Array.from(data.attributes.getRadius.value)).toEqual(
			Array.from(new Float32Array([clusterRadius(250), clusterRadius(1), clusterRadius(12_000)]))
		);
	});

	it('labels clusters only, with compact counts', () => {
		const labels = byId(incidentsLayers({ view, visible: true }))[INCIDENT_LAYER_IDS.labels].props;
		expect(labels.data).toEqual([0, 2]);
		const getText = labels.getText as unknown as Accessor<number, string>;
		expect([0, 2].map((i) => getText(i))).toEqual(['250', '12k']);
		expect(countLabel(1234)).toBe('1.2k');
	});

	it('rings live arrivals for a minute, fading', () => {
		const arrivals = [
			{ id: 1, lon: 117, lat: 39, type: 0, at: 1_000 },
			{ id: 2, lon: 117, lat: 39, type: 1, at: 1_000 - 61_000 }
		];
		const ring = byId(incidentsLayers({ view, visible: true, arrivals, now: 31_000 }))[
			INCIDENT_LAYER_IDS.arrivals
		].props;
		expect((ring.data as unknown[]).length).toBe(1);
		const getLineColor = ring.getLineColor as unknown as Accessor<unknown, number[]>;
		expect(getLineColor(arrivals[0])[3]).toBe(128);
	});

	it('keeps the points and labels data while only the arrivals clock ticks', () => {
		const arrivals = [{ id: 1, lon: 117, lat: 39, type: 0, at: 1_000 }];
		const a = byId(incidentsLayers({ view, visible: true, arrivals, now: 2_000 }));
		const b = byId(incidentsLayers({ view, visible: true, arrivals, now: 3_000 }));
		// The same objects: deck.gl compares data by reference and re-uploads nothing.
		expect(b[INCIDENT_LAYER_IDS.points].props.data).toBe(a[INCIDENT_LAYER_IDS.points].props.data);
		expect(b[INCIDENT_LAYER_IDS.labels].props.data).toBe(a[INCIDENT_LAYER_IDS.labels].props.data);
		const other = byId(incidentsLayers({ view: { ...view }, visible: true, now: 3_000 }));
		expect(other[INCIDENT_LAYER_IDS.points].props.data).not.toBe(
			a[INCIDENT_LAYER_IDS.points].props.data
		);
	});

	it('grows cluster bubbles with the count and draws nothing before data', () => {
		expect(clusterRadius(10)).toBeLessThan(clusterRadius(1000));
		const empty = incidentsLayers({ view: null, visible: true });
		expect((empty[0].props.data as unknown as { length: number }).length).toBe(0);
		expect(incidentsLayers({ view, visible: false }).every((l) => !l.props.visible)).toBe(true);
	});
});

describe('alerts layer', () => {
	it('rings open alerts and marks overdue cases at their positions', () => {
		const alert = { id: 1, kind: 'hazmat_radius', ts: 0, lon: 117.1, lat: 39.1 } as Alert;
		const overdue = { id: 5, lon: 117.2, lat: 39.2 } as CaseRecord;
		const layers = byId(alertsLayers({ alerts: [alert], overdue: [overdue], visible: true }));
		const getPosition = layers[ALERT_LAYER_IDS.alerts].props.getPosition as unknown as Accessor<
			unknown,
			number[]
		>;
		expect(getPosition(alert)).toEqual([117.1, 39.1]);
		expect(layers[ALERT_LAYER_IDS.overdue].props.data).toEqual([overdue]);
		expect(
			alertsLayers({ alerts: [], overdue: [], visible: false }).every((l) => !l.props.visible)
		).toBe(true);
	});
});

describe('grids layer with districts and MultiPolygon units', () => {
	const twoParts = {
		type: 'MultiPolygon' as const,
		coordinates: [
			city.streets.features[0].geometry.coordinates as number[][][],
			[
				[
					[117.5, 39.5],
					[117.6, 39.5],
					[117.6, 39.6],
					[117.5, 39.5]
				]
			]
		]
	};
	const districts = {
		type: 'FeatureCollection' as const,
		features: [
			{
				type: 'Feature' as const,
				geometry: twoParts,
				properties: {
					id: '120116',
					name: '滨海新区',
					kind: 'district',
					population: 0,
					households: 0,
					areaKm2: 200,
					labelLon: 117.1,
					labelLat: 39.05
				}
			}
		]
	};
	const streets = {
		...city.streets,
		features: [{ ...city.streets.features[0], geometry: twoParts }]
	};
	const none = { level: 'street' as const, metric: 'count' as const, counts: null };

	it('adds district outlines and a district pick layer only where the city has districts', () => {
		const without = byId(gridsLayers({ ...city, choropleth: none, zoom: 9, visible: true }));
		expect(without[GRID_LAYER_IDS.district]).toBeUndefined();
		const layers = (zoom: number) =>
			byId(gridsLayers({ ...city, districts, streets, choropleth: none, zoom, visible: true }));
		expect(layers(9)[GRID_LAYER_IDS.district].props.visible).toBe(true);
		expect(layers(9)[GRID_LAYER_IDS.districtFill].props.visible).toBe(true);
		expect(layers(9)[GRID_LAYER_IDS.districtFill].props.pickable).toBe(true);
		expect(layers(DISTRICT_PICK_MAX_ZOOM)[GRID_LAYER_IDS.districtFill].props.visible).toBe(false);
	});

	it('colours a MultiPolygon street in the choropleth like any other', () => {
		const counts = Uint32Array.from([4]);
		const fill = byId(
			gridsLayers({
				...city,
				districts,
				streets,
				choropleth: { ...none, counts },
				zoom: 9,
				visible: true
			})
		)[GRID_LAYER_IDS.fill];
		const data = fill.props.data as typeof streets;
		expect(data.features[0].geometry.type).toBe('MultiPolygon');
		const color = (fill.props.getFillColor as Accessor<unknown, number[]>)(data.features[0]);
		expect(DENSITY_RAMP).toContainEqual(color);
	});

	it('maps the districts themselves at the district level (none for a city without)', () => {
		const counts = Uint32Array.from([9]);
		const choropleth = { level: 'district' as const, metric: 'count' as const, counts };
		const fill = byId(
			gridsLayers({ ...city, districts, streets, choropleth, zoom: 9, visible: true })
		)[GRID_LAYER_IDS.fill];
		expect(fill.props.data).toBe(districts);
		expect(unitsOf(city, 'district').features).toEqual([]);
	});
});
