/**
 * Synthetic incident stream (columnar, typed arrays — a million rows stay cheap).
 * Space: a grid is drawn by weight (population, industry, port, hotspots), then a uniform point
 * inside its polygon. Time: 365 days ending at endMs with weekly/seasonal rhythm and a day/night
 * profile in UTC+8. Persistent hotspots (markets, old residential blocks, the port) run all
 * year; "emerging" hotspots only flare during the last 7–14 days.
 */
import {
	INCIDENT_STATUSES,
	INCIDENT_TYPES,
	type IncidentType
} from '../../src/lib/domain/incidents.ts';
import { allocIncidentColumns, type IncidentColumns } from '../../src/lib/domain/incidentArrow.ts';
import type { Admin } from './admin.ts';
import { distM, ringBBox, type Pt } from './geom.ts';
import type { HazmatSiteFeature } from './hazmat.ts';
import { AliasTable, type Rng } from './rng.ts';

const DAY_MS = 86_400_000;
const T = Object.fromEntries(INCIDENT_TYPES.map((t, i) => [t, i])) as Record<IncidentType, number>;

export interface Hotspot {
	kind: 'persistent' | 'emerging';
	label: string;
	gridIds: string[];
	dominantType: IncidentType;
	/** Emerging hotspots: first day (epoch ms, local midnight) of the flare-up. */
	startMs?: number;
	incidents: number;
}

/** Source mix per type: hotline_12345, grid_worker, video_patrol, resident_app. */
const SOURCE_MIX: Record<IncidentType, number[]> = {
	dispute: [0.4, 0.4, 0.02, 0.18],
	public_security: [0.25, 0.35, 0.3, 0.1],
	work_safety: [0.1, 0.6, 0.2, 0.1],
	pollution: [0.45, 0.25, 0.15, 0.15],
	city_appearance: [0.2, 0.35, 0.3, 0.15],
	livelihood: [0.65, 0.1, 0, 0.25],
	hazmat_alarm: [0.05, 0.35, 0.6, 0],
	fire_hazard: [0.25, 0.5, 0.15, 0.1],
	traffic: [0.2, 0.1, 0.6, 0.1]
};
/** Priority 1..4 mix per type. */
const PRIORITY_MIX: Record<IncidentType, number[]> = {
	dispute: [0.01, 0.08, 0.33, 0.58],
	public_security: [0.03, 0.15, 0.4, 0.42],
	work_safety: [0.05, 0.25, 0.4, 0.3],
	pollution: [0.02, 0.12, 0.4, 0.46],
	city_appearance: [0.005, 0.05, 0.3, 0.645],
	livelihood: [0.01, 0.08, 0.35, 0.56],
	hazmat_alarm: [0.15, 0.35, 0.35, 0.15],
	fire_hazard: [0.04, 0.2, 0.4, 0.36],
	traffic: [0.02, 0.12, 0.4, 0.46]
};
/** Median hours to closure per priority. */
const MEDIAN_HOURS = [3, 12, 40, 80];

// Hour-of-day profiles (local time, UTC+8).
const HOURS_GENERAL = [
	0.25, 0.18, 0.12, 0.1, 0.1, 0.16, 0.4, 0.9, 1.5, 1.9, 2.0, 1.8, 1.3, 1.2, 1.7, 1.85, 1.75, 1.5,
	1.1, 0.9, 0.8, 0.7, 0.55, 0.38
];
const HOURS_TRAFFIC = [
	0.2, 0.12, 0.08, 0.08, 0.1, 0.3, 1.0, 2.1, 2.3, 1.5, 1.2, 1.2, 1.1, 1.0, 1.1, 1.3, 1.7, 2.3, 2.2,
	1.3, 0.9, 0.7, 0.5, 0.3
];
const HOURS_SECURITY = [
	0.7, 0.5, 0.35, 0.25, 0.2, 0.25, 0.4, 0.7, 1.0, 1.2, 1.3, 1.3, 1.1, 1.1, 1.2, 1.3, 1.35, 1.4, 1.5,
	1.7, 1.8, 1.7, 1.4, 1.0
];
const HOURS_INDUSTRY = HOURS_GENERAL.map((v) => 0.6 * v + 0.4 * 1.1);
const HOUR_PROFILE: Record<IncidentType, number> = {
	dispute: 0,
	public_security: 2,
	work_safety: 3,
	pollution: 3,
	city_appearance: 0,
	livelihood: 0,
	hazmat_alarm: 3,
	fire_hazard: 0,
	traffic: 1
};
const WEEKDAY = [0.72, 1.05, 1.0, 1.0, 1.0, 0.97, 0.78]; // Sun..Sat

const PORT: Pt = [117.745, 39.005];

const EMERGING_LABEL: Partial<Record<IncidentType, string>> = {
	pollution: '异味投诉激增',
	dispute: '矛盾纠纷聚集',
	livelihood: '停水停暖投诉激增',
	city_appearance: '违建占道集中',
	fire_hazard: '消防隐患集中',
	public_security: '治安警情上升'
};

interface Component {
	grids: AliasTable;
	gridList: Int32Array;
	days: AliasTable;
	dayOffset: number;
	/** Dominant type (index) and its share, or -1 for the grids' own mix. */
	dominant: number;
	dominantShare: number;
	/** Custom type mix for persistent hotspots (or null). */
	mix: number[] | null;
}

function mixOf(entries: Partial<Record<IncidentType, number>>): number[] {
	return INCIDENT_TYPES.map((t) => entries[t] ?? 0);
}

function cumulative(weights: number[]): Float64Array {
	const c = new Float64Array(weights.length);
	let s = 0;
	for (let i = 0; i < weights.length; i++) {
		s += weights[i];
		c[i] = s;
	}
	for (let i = 0; i < c.length; i++) c[i] /= s;
	return c;
}

function drawCum(c: Float64Array, off: number, len: number, u: number): number {
	for (let i = 0; i < len - 1; i++) if (u < c[off + i]) return i;
	return len - 1;
}

export function generateIncidents(
	admin: Admin,
	sites: HazmatSiteFeature[],
	n: number,
	startMs: number,
	endMs: number,
	rng: Rng
): { columns: IncidentColumns; hotspots: Hotspot[] } {
	if (n > 16_000_000) throw new Error('at most 16M incidents');
	const G = admin.grids.length;
	const days = Math.round((endMs - startMs) / DAY_MS);

	// --- Per-grid attributes.
	const labels: Pt[] = [];
	const flat: Float64Array[] = [];
	const boxes: [number, number, number, number][] = [];
	for (const g of admin.grids) {
		const ring = g.feature.geometry.coordinates[0] as Pt[];
		const b = ringBBox(ring);
		boxes.push(b);
		const f = new Float64Array(ring.length * 2);
		ring.forEach((p, i) => {
			f[2 * i] = p[0];
			f[2 * i + 1] = p[1];
		});
		flat.push(f);
		// Label-ish point: bbox centre is enough for distance-based attributes.
		labels.push([(b[0] + b[2]) / 2, (b[1] + b[3]) / 2]);
	}
	const industrial = new Float64Array(G);
	const port = new Float64Array(G);
	const baseWeight = new Float64Array(G);
	const typeCum = new Float64Array(G * 9);
	admin.grids.forEach((g, i) => {
		let dMin = Infinity;
		for (const s of sites) dMin = Math.min(dMin, distM(labels[i], s.geometry.coordinates));
		industrial[i] = Math.exp(-dMin / 1800);
		port[i] = Math.exp(-distM(labels[i], PORT) / 4000);
		const urban =
			g.kind === 'village' ? 0.2 : g.profile === 'core' ? 1 : g.profile === 'suburban' ? 0.6 : 0.35;
		const res = g.kind === 'community' ? 1 : 0.5;
		const ind = industrial[i];
		const prt = port[i];
		const w = [
			16 * res * (0.5 + urban), // dispute
			10 * (0.6 + urban) + 4 * prt, // public_security
			3 + 22 * ind + 6 * prt, // work_safety
			3 + 16 * ind + 3 * (1 - urban), // pollution
			16 * urban + 2, // city_appearance
			20 * res + 4, // livelihood
			0.1 + 16 * ind, // hazmat_alarm
			6 + 4 * ind, // fire_hazard
			10 * urban + 8 * prt + 2 // traffic
		];
		typeCum.set(cumulative(w), i * 9);
		baseWeight[i] = g.feature.properties.population * (1 + 0.6 * ind + 0.4 * prt) + 400;
	});

	// --- Day weights (weekday, season, slow growth).
	const dayW = new Float64Array(days);
	for (let k = 0; k < days; k++) {
		const local = new Date(startMs + k * DAY_MS + 8 * 3600_000);
		const dow = local.getUTCDay();
		const doy = Math.floor(
			(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) -
				Date.UTC(local.getUTCFullYear(), 0, 1)) /
				DAY_MS
		);
		dayW[k] =
			WEEKDAY[dow] *
			(1 + 0.12 * Math.sin((2 * Math.PI * (doy - 100)) / 365)) *
			(0.92 + (0.16 * k) / Math.max(1, days - 1));
	}
	const allDays = new AliasTable(dayW);
	const hourTables = [HOURS_GENERAL, HOURS_TRAFFIC, HOURS_SECURITY, HOURS_INDUSTRY].map(
		(h) => new AliasTable(h)
	);

	// --- Hotspots.
	const hr = rng.fork('hotspots');
	const used = new Set<number>();
	const nearestGrids = (i: number, k: number): number[] =>
		labels
			.map((p, j) => ({ j, d: distM(p, labels[i]) }))
			.sort((a, b) => a.d - b.d || a.j - b.j)
			.slice(0, k)
			.map((x) => x.j);
	const farFromUsed = (i: number, m: number) =>
		[...used].every((j) => distM(labels[i], labels[j]) > m);
	const pickGrid = (filter: (i: number) => boolean, weight: (i: number) => number): number => {
		const cand: number[] = [];
		for (let i = 0; i < G; i++) if (!used.has(i) && filter(i)) cand.push(i);
		if (cand.length === 0) throw new Error('no grid for hotspot');
		return cand[hr.weighted(cand.map(weight))];
	};
	const hotspots: (Hotspot & {
		gridIdx: number[];
		share: number;
		mix: number[] | null;
		dominant: number;
		dayFrom: number;
	})[] = [];
	const streetName = (i: number) =>
		admin.streets[admin.grids[i].streetIndex].feature.properties.name;
	const pop = (i: number) => admin.grids[i].feature.properties.population;
	const marketMix = mixOf({
		city_appearance: 0.35,
		dispute: 0.2,
		traffic: 0.2,
		livelihood: 0.15,
		public_security: 0.1
	});
	const oldBlockMix = mixOf({
		dispute: 0.3,
		livelihood: 0.3,
		fire_hazard: 0.2,
		public_security: 0.1,
		city_appearance: 0.1
	});
	const portMix = mixOf({
		traffic: 0.3,
		work_safety: 0.25,
		public_security: 0.15,
		hazmat_alarm: 0.15,
		pollution: 0.15
	});
	const addPersistent = (
		label: string,
		centre: number,
		size: number,
		share: number,
		mix: number[],
		dom: IncidentType
	) => {
		const gridIdx = nearestGrids(centre, size);
		gridIdx.forEach((j) => used.add(j));
		hotspots.push({
			kind: 'persistent',
			label,
			gridIds: [],
			dominantType: dom,
			incidents: 0,
			gridIdx,
			share,
			mix,
			dominant: -1,
			dayFrom: 0
		});
	};
	// The port.
	let portGrid = 0;
	for (let i = 1; i < G; i++)
		if (distM(labels[i], PORT) < distM(labels[portGrid], PORT)) portGrid = i;
	addPersistent('天津港港区', portGrid, 3, 0.022, portMix, 'traffic');
	for (let k = 0; k < 3; k++) {
		const g = pickGrid(
			(i) => admin.grids[i].profile === 'core' && farFromUsed(i, 2500),
			(i) => pop(i) ** 2
		);
		addPersistent(streetName(g) + '农贸市场', g, hr.int(1, 2), 0.012, marketMix, 'city_appearance');
	}
	for (let k = 0; k < 3; k++) {
		const g = pickGrid(
			(i) =>
				admin.grids[i].profile === 'core' &&
				/塘沽|汉沽|大港|新村|大沽/.test(streetName(i)) &&
				farFromUsed(i, 2500),
			(i) => pop(i)
		);
		addPersistent(streetName(g) + '老旧小区', g, hr.int(2, 3), 0.011, oldBlockMix, 'dispute');
	}
	const emergingCount = hr.int(3, 5);
	const emergingTypes: IncidentType[] = hr.shuffle([
		'dispute',
		'livelihood',
		'city_appearance',
		'fire_hazard',
		'public_security'
	]);
	for (let k = 0; k < emergingCount; k++) {
		const industrialOne = k === 0;
		const g = pickGrid(
			(i) =>
				farFromUsed(i, 4000) &&
				(industrialOne ? industrial[i] > 0.4 : admin.grids[i].kind === 'community'),
			(i) => (industrialOne ? industrial[i] : pop(i))
		);
		const dom: IncidentType = industrialOne ? 'pollution' : emergingTypes[k % emergingTypes.length];
		const span = hr.int(7, 14);
		const gridIdx = nearestGrids(g, hr.int(1, 2));
		gridIdx.forEach((j) => used.add(j));
		hotspots.push({
			kind: 'emerging',
			label: streetName(g) + EMERGING_LABEL[dom],
			gridIds: [],
			dominantType: dom,
			incidents: 0,
			gridIdx,
			share: 0.002 * hr.range(0.7, 1.3),
			mix: null,
			dominant: T[dom],
			dayFrom: days - span
		});
	}

	// --- Components: background + hotspots.
	const components: Component[] = [];
	const shares: number[] = [];
	let hotShare = 0;
	for (const h of hotspots) hotShare += h.share;
	components.push({
		grids: new AliasTable(baseWeight),
		gridList: Int32Array.from({ length: G }, (_, i) => i),
		days: allDays,
		dayOffset: 0,
		dominant: -1,
		dominantShare: 0,
		mix: null
	});
	shares.push(1 - hotShare);
	for (const h of hotspots) {
		const list = Int32Array.from(h.gridIdx);
		const span = days - h.dayFrom;
		components.push({
			grids: new AliasTable(h.gridIdx.map((j) => baseWeight[j])),
			gridList: list,
			days:
				h.kind === 'emerging'
					? new AliasTable(Array.from({ length: span }, (_, k) => (k + 1) ** 2))
					: allDays,
			dayOffset: h.dayFrom,
			dominant: h.dominant,
			dominantShare: 0.75,
			mix: h.mix
		});
		shares.push(h.share);
	}
	const compTable = new AliasTable(shares);
	const mixCum = components.map((c) => (c.mix ? cumulative(c.mix) : null));
	const sourceCum = INCIDENT_TYPES.map((t) => cumulative(SOURCE_MIX[t]));
	const prioCum = INCIDENT_TYPES.map((t) => cumulative(PRIORITY_MIX[t]));

	// --- Draw incidents (generation order), then sort by time.
	const r = rng.fork('draw');
	const gTs = new Float64Array(n);
	const gClosed = new Float64Array(n);
	const gLon = new Float32Array(n);
	const gLat = new Float32Array(n);
	const gType = new Int8Array(n);
	const gSource = new Int8Array(n);
	const gStatus = new Int8Array(n);
	const gPrio = new Uint8Array(n);
	const gGrid = new Int16Array(n);
	const compCount = new Int32Array(components.length);
	for (let i = 0; i < n; i++) {
		const ci = compTable.sample(r);
		compCount[ci]++;
		const comp = components[ci];
		const gi = comp.gridList[comp.grids.sample(r)];
		// Type.
		let type: number;
		if (comp.dominant >= 0 && r.next() < comp.dominantShare) type = comp.dominant;
		else if (mixCum[ci] && r.next() < 0.6)
			type = drawCum(mixCum[ci] as Float64Array, 0, 9, r.next());
		else type = drawCum(typeCum, gi * 9, 9, r.next());
		// Time.
		const day = comp.dayOffset + comp.days.sample(r);
		const hour = hourTables[HOUR_PROFILE[INCIDENT_TYPES[type]]].sample(r);
		let ts = startMs + day * DAY_MS + hour * 3600_000 + Math.floor(r.next() * 3600) * 1000;
		if (ts >= endMs) ts = endMs - 1000;
		if (ts < startMs) ts = startMs;
		// Place: uniform in the grid polygon (tested with the Float32 values that get stored).
		const b = boxes[gi];
		const ring = flat[gi];
		let x = 0;
		let y = 0;
		for (let tries = 0; ; tries++) {
			x = Math.fround(b[0] + (b[2] - b[0]) * r.next());
			y = Math.fround(b[1] + (b[3] - b[1]) * r.next());
			if (pointInFlat(x, y, ring)) break;
			if (tries > 100_000) throw new Error('cannot sample a point in grid ' + gi);
		}
		// Source, priority, lifecycle.
		const source = drawCum(sourceCum[type], 0, 4, r.next());
		const prio = drawCum(prioCum[type], 0, 4, r.next());
		let hours = MEDIAN_HOURS[prio] * Math.exp(0.7 * r.normal());
		if (r.next() < 0.02) hours *= 8;
		const resMs = Math.max(600_000, Math.round(hours * 3600) * 1000);
		let status: number;
		let closed = NaN;
		if (r.next() < 0.004 && ts < endMs - 30 * DAY_MS)
			status = 3 + (r.next() < 0.5 ? 1 : 0); // stuck cases
		else if (ts + resMs < endMs) {
			status = INCIDENT_STATUSES.length - 1;
			closed = ts + resMs;
		} else status = Math.min(4, Math.floor(((endMs - ts) / resMs) * 5));
		gTs[i] = ts;
		gClosed[i] = closed;
		gLon[i] = x;
		gLat[i] = y;
		gType[i] = type;
		gSource[i] = source;
		gStatus[i] = status;
		gPrio[i] = prio + 1;
		gGrid[i] = gi;
	}

	const keys = new Float64Array(n);
	const SH = 16_777_216; // 2^24
	for (let i = 0; i < n; i++) keys[i] = ((gTs[i] - startMs) / 1000) * SH + i;
	keys.sort();
	const columns: IncidentColumns = allocIncidentColumns(n);
	for (let k = 0; k < n; k++) {
		const i = keys[k] % SH;
		const gi = gGrid[i];
		columns.id[k] = k + 1;
		columns.lon[k] = gLon[i];
		columns.lat[k] = gLat[i];
		columns.ts[k] = gTs[i];
		columns.closedTs[k] = gClosed[i];
		columns.type[k] = gType[i];
		columns.source[k] = gSource[i];
		columns.status[k] = gStatus[i];
		columns.priority[k] = gPrio[i];
		columns.grid[k] = gi;
		columns.community[k] = admin.grids[gi].communityIndex;
		columns.street[k] = admin.grids[gi].streetIndex;
	}

	const out: Hotspot[] = hotspots.map((h, k) => ({
		kind: h.kind,
		label: h.label,
		gridIds: h.gridIdx.map((j) => admin.grids[j].feature.properties.id),
		dominantType: h.dominantType,
		...(h.kind === 'emerging' ? { startMs: startMs + h.dayFrom * DAY_MS } : {}),
		incidents: compCount[k + 1]
	}));
	return { columns, hotspots: out };
}

function pointInFlat(x: number, y: number, f: Float64Array): boolean {
	let inside = false;
	const n = f.length / 2;
	for (let i = 0, j = n - 1; i < n; j = i++) {
		const xi = f[2 * i];
		const yi = f[2 * i + 1];
		const xj = f[2 * j];
		const yj = f[2 * j + 1];
		if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
	}
	return inside;
}
