/// <reference lib="webworker" />
/**
 * The incidents worker: downloads `incidents.arrow` with progress, turns it into the table DuckDB
 * holds (handed back as an Arrow IPC stream, transferred, not copied), and does the per-point work
 * the main thread must not: building supercluster indexes and exact point-in-polygon tests.
 */
import * as Comlink from 'comlink';
import type { MultiPolygon, Polygon } from 'geojson';
import { pointsInside } from '$lib/geo/pointInPolygon';
import { ClusterIndex, type ClusterView } from './clusterIndex';
import { readIncidentColumns } from './columns';
import type { PointSet } from './queries';
import { snapshotIPC } from './snapshot';

export type LoadPhase = 'download' | 'parse' | 'ingest';
export interface LoadProgress {
	phase: LoadPhase;
	bytes: number;
	totalBytes: number | null;
	rows: number;
}
export interface Snapshot {
	rows: number;
	bytes: number;
	/** Arrow IPC stream of the DuckDB table. */
	ipc: Uint8Array;
}

async function download(url: string, onProgress: (p: LoadProgress) => void): Promise<Uint8Array> {
	const response = await fetch(url);
	if (!response.ok) {
		let reason = `${response.status} ${response.statusText}`;
		try {
			reason = ((await response.json()) as { message?: string }).message ?? reason;
		} catch {
			/* not JSON: keep the status line */
		}
		throw new Error(reason);
	}
	const total = Number(response.headers.get('content-length')) || null;
	const reader = response.body!.getReader();
	const chunks: Uint8Array[] = [];
	let bytes = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		chunks.push(value);
		bytes += value.length;
		onProgress({ phase: 'download', bytes, totalBytes: total, rows: 0 });
	}
	const out = new Uint8Array(bytes);
	let offset = 0;
	for (const chunk of chunks) {
		out.set(chunk, offset);
		offset += chunk.length;
	}
	return out;
}

let index: ClusterIndex | null = null;

const api = {
	async snapshot(url: string, onProgress: (p: LoadProgress) => void): Promise<Snapshot> {
		const bytes = await download(url, onProgress);
		onProgress({ phase: 'parse', bytes: bytes.length, totalBytes: bytes.length, rows: 0 });
		const columns = readIncidentColumns(bytes);
		const ipc = snapshotIPC(columns);
		onProgress({
			phase: 'ingest',
			bytes: bytes.length,
			totalBytes: bytes.length,
			rows: columns.length
		});
		return Comlink.transfer({ rows: columns.length, bytes: bytes.length, ipc }, [ipc.buffer]);
	},

	/** Builds an index of these points and returns the clusters in view. */
	cluster(points: PointSet, bbox: [number, number, number, number], zoom: number): ClusterView {
		index = new ClusterIndex(points);
		const view = index.query(bbox, zoom);
		return Comlink.transfer(view, [
			view.positions.buffer,
			view.counts.buffer,
			view.clusterIds.buffer,
			view.ids.buffer,
			view.types.buffer,
			view.sources.buffer,
			view.statuses.buffer,
			view.priorities.buffer,
			view.ts.buffer
		]);
	},

	/** The zoom at which a cluster of the latest index splits. */
	expansionZoom(clusterId: number): number {
		if (!index) throw new Error('no cluster index');
		return index.expansionZoom(clusterId);
	},

	inside(lon: Float64Array, lat: Float64Array, polygon: Polygon | MultiPolygon): Uint32Array {
		const result = pointsInside(lon, lat, polygon);
		return Comlink.transfer(result, [result.buffer]);
	}
};

export type IncidentsWorkerApi = typeof api;

Comlink.expose(api);
