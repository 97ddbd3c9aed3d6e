/// <reference lib="webworker" />
/**
 * The incidents worker: downloads `incidents.arrow`, keeps it as typed columns, builds the
 * cluster index and answers viewport queries. The main thread only draws what comes back.
 */
import * as Comlink from 'comlink';
import { ClusterIndex, countByCode, type ClusterView } from './clusterIndex';
import { readIncidentColumns, type IncidentColumns } from './columns';

export type LoadPhase = 'download' | 'parse' | 'index';
export interface LoadProgress {
	phase: LoadPhase;
	bytes: number;
	totalBytes: number | null;
	rows: number;
}
export interface LoadSummary {
	rows: number;
	bytes: number;
	grids: number;
}

let columns: IncidentColumns | null = null;
let index: ClusterIndex | null = null;

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

const api = {
	async load(url: string, onProgress: (p: LoadProgress) => void): Promise<LoadSummary> {
		const bytes = await download(url, onProgress);
		onProgress({ phase: 'parse', bytes: bytes.length, totalBytes: bytes.length, rows: 0 });
		columns = readIncidentColumns(bytes);
		onProgress({
			phase: 'index',
			bytes: bytes.length,
			totalBytes: bytes.length,
			rows: columns.length
		});
		index = new ClusterIndex(columns);
		return { rows: columns.length, bytes: bytes.length, grids: columns.dictionaries.gridId.length };
	},

	clusters(bbox: [number, number, number, number], zoom: number): ClusterView {
		if (!columns || !index) throw new Error('incidents not loaded');
		const view = index.query(bbox, zoom, columns);
		return Comlink.transfer(view, [
			view.positions.buffer,
			view.counts.buffer,
			view.clusterIds.buffer,
			view.rows.buffer,
			view.types.buffer,
			view.sources.buffer,
			view.statuses.buffer,
			view.priorities.buffer,
			view.ts.buffer
		]);
	},

	expansionZoom(clusterId: number): number {
		if (!index) throw new Error('incidents not loaded');
		return index.expansionZoom(clusterId);
	},

	/** Incidents per grid, indexed like grids.geojson. */
	gridCounts(): Uint32Array {
		if (!columns) throw new Error('incidents not loaded');
		return countByCode(columns.grid, columns.dictionaries.gridId.length);
	}
};

export type IncidentsWorkerApi = typeof api;

Comlink.expose(api);
