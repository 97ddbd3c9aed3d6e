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
import { recordColumns, snapshotIPC } from './snapshot';
import { SNAPSHOT_REV_HEADER, type IncidentRecord } from '$lib/domain/live';

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
	/** The change counter the snapshot is current to (the live feed continues from it). */
	rev: number;
	/** Arrow IPC stream of the DuckDB table. */
	ipc: Uint8Array;
}

async function download(
	url: string,
	onProgress: (p: LoadProgress) => void
): Promise<{ bytes: Uint8Array; rev: number }> {
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
	return { bytes: out, rev: Number(response.headers.get(SNAPSHOT_REV_HEADER) ?? 0) || 0 };
}

/** Codes of the membership dictionaries of the loaded snapshot, to encode live records alike. */
let codes: Record<'grid' | 'community' | 'street', Map<string, number>> | null = null;
const indexOf = (values: string[]) => new Map(values.map((v, i) => [v, i]));

let index: ClusterIndex | null = null;

const api = {
	async snapshot(url: string, onProgress: (p: LoadProgress) => void): Promise<Snapshot> {
		const { bytes, rev } = await download(url, onProgress);
		onProgress({ phase: 'parse', bytes: bytes.length, totalBytes: bytes.length, rows: 0 });
		const columns = readIncidentColumns(bytes);
		codes = {
			grid: indexOf(columns.dictionaries.gridId),
			community: indexOf(columns.dictionaries.communityId),
			street: indexOf(columns.dictionaries.streetId)
		};
		const ipc = snapshotIPC(columns);
		onProgress({
			phase: 'ingest',
			bytes: bytes.length,
			totalBytes: bytes.length,
			rows: columns.length
		});
		return Comlink.transfer({ rows: columns.length, bytes: bytes.length, rev, ipc }, [ipc.buffer]);
	},

	/** Live records as rows of the DuckDB table (an Arrow IPC stream), coded like the snapshot. */
	recordsIPC(records: IncidentRecord[]): Uint8Array {
		if (!codes) throw new Error('snapshot not loaded');
		const ipc = snapshotIPC(recordColumns(records, codes));
		return Comlink.transfer(ipc, [ipc.buffer]);
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
