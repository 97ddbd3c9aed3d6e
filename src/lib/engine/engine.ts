/**
 * The browser's incident engine: DuckDB-WASM (in its worker) holds the incidents and answers
 * every filter and aggregate in SQL (`queries.ts`, called with `engine.db`); the incidents worker
 * downloads the snapshot and does the per-point work. The main thread only receives typed arrays.
 */
import * as Comlink from 'comlink';
import type { MultiPolygon, Polygon } from 'geojson';
import type { IncidentRecord } from '$lib/domain/live';
import { bboxOf } from '$lib/geo/bbox';
import { binsToView, type ClusterView } from './clusterIndex';
import { browserDuckDB, type BrowserDuckDB } from './duckdbBrowser';
import type { IncidentFilter } from './filter';
import type { IncidentsWorkerApi, LoadProgress } from './incidents.worker';
import { binClusters, pointsInBox, polygonCandidates, type Bbox, type PointSet } from './queries';

export type { LoadProgress } from './incidents.worker';
export type { ClusterView } from './clusterIndex';

/**
 * Up to this many incidents in view are clustered by supercluster in the worker; above it, SQL
 * bins them (an index of a million points takes ~7 s to build, a GROUP BY ~0.1 s).
 */
export const SUPERCLUSTER_MAX_POINTS = 8_000;

export interface LoadSummary {
	rows: number;
	bytes: number;
	/** The change counter the snapshot is current to: the live feed continues from it. */
	rev: number;
	/** Milliseconds from the start of the download to DuckDB ready. */
	loadMs: number;
}

export class IncidentEngine {
	private constructor(
		readonly db: BrowserDuckDB,
		private readonly worker: Worker,
		private readonly api: Comlink.Remote<IncidentsWorkerApi>
	) {}

	/** Starts DuckDB and the worker, then loads the snapshot at `url`. */
	static async open(
		url: string,
		onProgress: (p: LoadProgress) => void
	): Promise<{ engine: IncidentEngine; summary: LoadSummary }> {
		const started = performance.now();
		const worker = new Worker(new URL('./incidents.worker.ts', import.meta.url), {
			type: 'module'
		});
		const api = Comlink.wrap<IncidentsWorkerApi>(worker);
		try {
			const [db, snapshot] = await Promise.all([
				browserDuckDB(),
				api.snapshot(url, Comlink.proxy(onProgress))
			]);
			await db.loadIncidents(snapshot.ipc);
			const engine = new IncidentEngine(db, worker, api);
			const summary = {
				rows: snapshot.rows,
				bytes: snapshot.bytes,
				rev: snapshot.rev,
				loadMs: performance.now() - started
			};
			return { engine, summary };
		} catch (e) {
			worker.terminate();
			throw e;
		}
	}

	/** Clusters of the filtered incidents in view: supercluster when few, SQL bins when many. */
	async clusters(f: IncidentFilter, view: Bbox, zoom: number): Promise<ClusterView> {
		// A plain copy: the caller's box may be a reactive proxy, which cannot go to a worker.
		const bbox: Bbox = [view[0], view[1], view[2], view[3]];
		// One query answers the common case (many in view); its total decides the other.
		const bins = await binClusters(this.db, f, bbox, zoom);
		let inView = 0;
		for (let i = 0; i < bins.length; i++) inView += bins.count[i];
		if (inView > SUPERCLUSTER_MAX_POINTS) return binsToView(bins);
		const points = await pointsInBox(this.db, f, bbox, SUPERCLUSTER_MAX_POINTS);
		return this.api.cluster(points, bbox, zoom);
	}

	/** Adds new incidents and applies changed ones (from the live feed). */
	async upsert(records: IncidentRecord[]): Promise<void> {
		if (records.length === 0) return;
		await this.db.upsertIncidents(await this.api.recordsIPC(records));
	}

	/** The zoom at which a supercluster cluster of the latest view splits. */
	expansionZoom(clusterId: number): Promise<number> {
		return this.api.expansionZoom(clusterId);
	}

	/** Filtered incidents inside a polygon: bbox in SQL, then the exact test in the worker. */
	async inPolygon(f: IncidentFilter, polygon: Polygon | MultiPolygon): Promise<PointSet> {
		const c = await polygonCandidates(this.db, f, bboxOf(polygon));
		const keep = await this.api.inside(c.lon, c.lat, polygon);
		const pick = <T extends { [i: number]: number }>(ctor: new (n: number) => T, from: T) => {
			const out = new ctor(keep.length);
			keep.forEach((k, i) => (out[i] = from[k]));
			return out;
		};
		return {
			length: keep.length,
			id: pick(Int32Array, c.id),
			lon: pick(Float64Array, c.lon),
			lat: pick(Float64Array, c.lat),
			ts: pick(Float64Array, c.ts),
			type: pick(Int8Array, c.type),
			source: pick(Int8Array, c.source),
			status: pick(Int8Array, c.status),
			priority: pick(Uint8Array, c.priority)
		};
	}

	async close(): Promise<void> {
		this.api[Comlink.releaseProxy]();
		this.worker.terminate();
		await this.db.close();
	}
}
