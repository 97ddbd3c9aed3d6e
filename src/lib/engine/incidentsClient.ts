/** The main thread's handle on the incidents worker. */
import * as Comlink from 'comlink';
import type { IncidentsWorkerApi, LoadProgress } from './incidents.worker';

export type { LoadProgress } from './incidents.worker';
export type { ClusterView } from './clusterIndex';

export interface IncidentsClient {
	api: Comlink.Remote<IncidentsWorkerApi>;
	load(url: string, onProgress: (p: LoadProgress) => void): ReturnType<IncidentsWorkerApi['load']>;
	terminate(): void;
}

export function createIncidentsClient(): IncidentsClient {
	const worker = new Worker(new URL('./incidents.worker.ts', import.meta.url), { type: 'module' });
	const api = Comlink.wrap<IncidentsWorkerApi>(worker);
	return {
		api,
		load: (url, onProgress) => api.load(url, Comlink.proxy(onProgress)),
		terminate: () => {
			api[Comlink.releaseProxy]();
			worker.terminate();
		}
	};
}
