/**
 * The browser end of the live feed: an EventSource on /api/stream that resumes from the
 * snapshot's rev. EventSource reconnects by itself after a drop and sends the last event id, so
 * the server replays what was missed; a `reload` event means too much was missed to replay.
 */
import type { IncidentRecord, LiveEvent, PatrolPosition } from '$lib/domain/live';

export interface LiveHandlers {
	incidents(change: 'new' | 'status' | 'replay', incidents: IncidentRecord[]): void;
	patrols?(t: number, units: PatrolPosition[]): void;
	reload(reason: string): void;
	/** Connection state, for the UI. */
	status?(connected: boolean): void;
}

export function connectLive(since: number, handlers: LiveHandlers): () => void {
	const source = new EventSource(`/api/stream?since=${since}`);
	const data = <T extends LiveEvent['type']>(e: MessageEvent) =>
		JSON.parse(e.data) as Omit<Extract<LiveEvent, { type: T }>, 'type'>;
	source.addEventListener('open', () => handlers.status?.(true));
	source.addEventListener('error', () => handlers.status?.(false));
	source.addEventListener('incidents', (e) => {
		const d = data<'incidents'>(e as MessageEvent);
		handlers.incidents(d.change, d.incidents);
	});
	source.addEventListener('patrols', (e) => {
		const d = data<'patrols'>(e as MessageEvent);
		handlers.patrols?.(d.t, d.units);
	});
	source.addEventListener('reload', (e) =>
		handlers.reload(data<'reload'>(e as MessageEvent).reason)
	);
	return () => source.close();
}
