import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { booleanPointInPolygon } from '@turf/turf';
import {
	DataType,
	tableFromIPC,
	type Dictionary,
	type Int,
	type Table,
	type Utf8,
	type Vector
} from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	CITY_FILES,
	type CommunityCollection,
	type GridCollection,
	type HazmatSiteCollection,
	type Manifest,
	type StreetCollection
} from '../../src/lib/domain/city.ts';
import {
	INCIDENT_COLUMNS,
	INCIDENT_SOURCES,
	INCIDENT_STATUSES,
	INCIDENT_TYPES
} from '../../src/lib/domain/incidents.ts';
import { BATCH_ROWS } from '../../src/lib/domain/incidentArrow.ts';
import { generateCity, writeCity, type City } from './index.ts';
import { TEST_OPTIONS, readJson, tempDir } from './testing.ts';

let dir = '';
let city: City;
let table: Table;
let manifest: Manifest;
let grids: GridCollection;
let communities: CommunityCollection;
let streets: StreetCollection;
let sites: HazmatSiteCollection;
let ts: Float64Array;
const N = TEST_OPTIONS.incidents;

beforeAll(() => {
	dir = join(tempDir('incidents'), 'data');
	city = generateCity(TEST_OPTIONS);
	writeCity(city, dir);
	table = tableFromIPC(readFileSync(join(dir, CITY_FILES.incidents)));
	manifest = readJson(dir, CITY_FILES.manifest);
	grids = readJson(dir, CITY_FILES.grids);
	communities = readJson(dir, CITY_FILES.communities);
	streets = readJson(dir, CITY_FILES.streets);
	sites = readJson(dir, CITY_FILES.hazmatSites);
	ts = table.getChild('ts')?.toArray() as Float64Array;
});

afterAll(() => {
	if (dir) rmSync(join(dir, '..'), { recursive: true, force: true });
});

function col(name: string): Vector {
	const v = table.getChild(name);
	if (!v) throw new Error('missing column ' + name);
	return v;
}
function dictionaryValues(name: string): string[] {
	const dict = col(name).data[0].dictionary as Vector<Utf8>;
	return Array.from({ length: dict.length }, (_, i) => dict.get(i) as string);
}
const hourOf = (ms: number) => new Date(ms + 8 * 3600_000).getUTCHours();

describe('incidents.arrow', () => {
	it('has the documented columns and types', () => {
		expect(table.numRows).toBe(N);
		expect(table.schema.fields.map((f) => f.name)).toEqual([...INCIDENT_COLUMNS]);
		const type = (name: string) => col(name).type as DataType;
		const expected: Record<string, string> = {
			id: 'Uint32',
			lon: 'Float32',
			lat: 'Float32',
			ts: 'Float64',
			closedTs: 'Float64',
			type: 'Dictionary<Int8, Utf8>',
			source: 'Dictionary<Int8, Utf8>',
			status: 'Dictionary<Int8, Utf8>',
			priority: 'Uint8',
			gridId: 'Dictionary<Int16, Utf8>',
			communityId: 'Dictionary<Int16, Utf8>',
			streetId: 'Dictionary<Int16, Utf8>'
		};
		for (const name of INCIDENT_COLUMNS) {
			expect(String(type(name)), name).toBe(expected[name]);
			expect(DataType.isDictionary(type(name)), name).toBe(expected[name].startsWith('Dictionary'));
			expect(table.schema.fields.find((f) => f.name === name)?.nullable, name).toBe(false);
		}
		expect(((type('gridId') as Dictionary).indices as Int).bitWidth).toBe(16);
		expect(((type('gridId') as Dictionary).indices as Int).isSigned).toBe(true);
		for (const b of table.batches) expect(b.numRows).toBeLessThanOrEqual(BATCH_ROWS);
		// Arrow IPC *file* format: magic bytes at both ends.
		const bytes = readFileSync(join(dir, CITY_FILES.incidents));
		expect(bytes.subarray(0, 6).toString('latin1')).toBe('ARROW1');
		expect(bytes.subarray(bytes.length - 6).toString('latin1')).toBe('ARROW1');
	});

	it('uses the fixed dictionaries in documented order', () => {
		expect(dictionaryValues('type')).toEqual([...INCIDENT_TYPES]);
		expect(dictionaryValues('source')).toEqual([...INCIDENT_SOURCES]);
		expect(dictionaryValues('status')).toEqual([...INCIDENT_STATUSES]);
		expect(dictionaryValues('gridId')).toEqual(grids.features.map((f) => f.properties.id));
		expect(dictionaryValues('communityId')).toEqual(
			communities.features.map((f) => f.properties.id)
		);
		expect(dictionaryValues('streetId')).toEqual(streets.features.map((f) => f.properties.id));
	});

	it('numbers rows 1..N in time order inside [startMs, endMs)', () => {
		const id = col('id').toArray() as Uint32Array;
		for (let i = 0; i < N; i++) {
			expect(id[i]).toBe(i + 1);
			expect(ts[i]).toBeGreaterThanOrEqual(manifest.startMs);
			expect(ts[i]).toBeLessThan(manifest.endMs);
			if (i > 0) expect(ts[i]).toBeGreaterThanOrEqual(ts[i - 1]);
		}
	});

	it('closes cases after they are reported; old ones mostly closed, recent ones open', () => {
		const closed = col('closedTs').toArray() as Float64Array;
		const status = col('status');
		let old = 0;
		let oldClosed = 0;
		const recentStatuses = new Set<string>();
		for (let i = 0; i < N; i++) {
			const s = status.get(i) as string;
			if (Number.isNaN(closed[i])) expect(s).not.toBe('closed');
			else {
				expect(s).toBe('closed');
				expect(closed[i]).toBeGreaterThanOrEqual(ts[i]);
				expect(closed[i]).toBeLessThan(manifest.endMs);
			}
			if (ts[i] < manifest.endMs - 60 * 86_400_000) {
				old++;
				if (s === 'closed') oldClosed++;
			}
			if (ts[i] > manifest.endMs - 3 * 86_400_000) recentStatuses.add(s);
		}
		expect(oldClosed / old).toBeGreaterThan(0.97);
		expect(recentStatuses.size).toBeGreaterThanOrEqual(4);
	});

	it('places every incident inside its grid (sample), with consistent community/street', () => {
		const lon = col('lon').toArray() as Float32Array;
		const lat = col('lat').toArray() as Float32Array;
		const gridId = col('gridId');
		const communityId = col('communityId');
		const streetId = col('streetId');
		const byId = new Map(grids.features.map((g) => [g.properties.id, g]));
		for (let i = 0; i < N; i += 7) {
			const g = byId.get(gridId.get(i) as string);
			expect(g).toBeDefined();
			if (!g) continue;
			expect(booleanPointInPolygon([lon[i], lat[i]], g), `incident ${i + 1}`).toBe(true);
			expect(communityId.get(i)).toBe(g.properties.communityId);
			expect(streetId.get(i)).toBe(g.properties.streetId);
		}
	});

	it('has a day/night and weekly rhythm', () => {
		const hours = new Array(24).fill(0);
		const weekday = new Array(7).fill(0);
		for (const x of ts) {
			hours[hourOf(x)]++;
			weekday[new Date(x + 8 * 3600_000).getUTCDay()]++;
		}
		expect(hours[10]).toBeGreaterThan(3 * hours[3]);
		expect(hours[15]).toBeGreaterThan(3 * hours[4]);
		expect(weekday[3]).toBeGreaterThan(weekday[0]);
	});

	it('mixes types, sources and priorities plausibly', () => {
		const type = col('type');
		const prio = col('priority').toArray() as Uint8Array;
		const counts = new Map<string, number>();
		const p = [0, 0, 0, 0];
		for (let i = 0; i < N; i++) {
			counts.set(type.get(i) as string, (counts.get(type.get(i) as string) ?? 0) + 1);
			expect(prio[i]).toBeGreaterThanOrEqual(1);
			expect(prio[i]).toBeLessThanOrEqual(4);
			p[prio[i] - 1]++;
		}
		for (const t of INCIDENT_TYPES) expect(counts.get(t) ?? 0, t).toBeGreaterThan(0);
		expect(p[0]).toBeLessThan(0.06 * N);
		expect(p[3]).toBeGreaterThan(p[0]);
		const sources = new Set<string>();
		for (let i = 0; i < N; i++) sources.add(col('source').get(i) as string);
		expect(sources.size).toBe(4);
	});

	it('puts hazmat alarms near hazmat sites', () => {
		const gridId = col('gridId');
		const type = col('type');
		const siteGrids = new Set(sites.features.map((s) => s.properties.gridId));
		let near = 0;
		let nearAlarm = 0;
		let far = 0;
		let farAlarm = 0;
		for (let i = 0; i < N; i++) {
			const isAlarm = type.get(i) === 'hazmat_alarm';
			if (siteGrids.has(gridId.get(i) as string)) {
				near++;
				if (isAlarm) nearAlarm++;
			} else {
				far++;
				if (isAlarm) farAlarm++;
			}
		}
		expect(nearAlarm / near).toBeGreaterThan(4 * (farAlarm / far));
	});

	it('has 3–5 emerging hotspots that only flare in the last 7–14 days', () => {
		const emerging = city.hotspots.filter((h) => h.kind === 'emerging');
		expect(emerging.length).toBeGreaterThanOrEqual(3);
		expect(emerging.length).toBeLessThanOrEqual(5);
		const gridId = col('gridId');
		for (const h of emerging) {
			const start = h.startMs ?? 0;
			expect(manifest.endMs - start).toBeGreaterThanOrEqual(7 * 86_400_000);
			expect(manifest.endMs - start).toBeLessThanOrEqual(14 * 86_400_000);
			const mine = new Set(h.gridIds);
			let recent = 0;
			let before = 0;
			for (let i = 0; i < N; i++) {
				if (!mine.has(gridId.get(i) as string)) continue;
				if (ts[i] >= start) recent++;
				else before++;
			}
			const days = (manifest.endMs - start) / 86_400_000;
			const expectedFromBaseline = (before / (365 - days)) * days;
			expect(recent, h.label).toBeGreaterThan(3 * expectedFromBaseline + 2);
		}
		expect(city.hotspots.filter((h) => h.kind === 'persistent').length).toBeGreaterThanOrEqual(3);
	});
});
