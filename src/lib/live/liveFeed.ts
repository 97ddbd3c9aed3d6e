/**
 * The browser end of the live feed: an EventSource on /api/stream that resumes from the
 * snapshot's rev. After a network drop or a server restart it reconnects with exponential
 * backoff (1 s, 2 s, 4 s … 30 s) from the last rev it saw, so the server replays what was missed;
 * a `reload` event means too much was missed to replay.
 */
import type {
	Alert,
	IncidentRecord,
	LiveEvent,
	PatrolPosition,
	PlanPublishedEvent,
	VehiclePosition,
	WallState,
	CityLoadedEvent
} from '$lib/domain/live';

export interface LiveHandlers {
	incidents(change: 'new' | 'status' | 'replay', incidents: IncidentRecord[]): void;
	patrols?(t: number, units: PatrolPosition[]): void;
	alerts?(change: 'new' | 'ack', alerts: Alert[]): void;
	wall?(state: WallState): void;
	vehicles?(t: number, vehicles: VehiclePosition[]): void;
	reload(reason: string): void;
	/** A grid plan was published (the grids changed: offer a reload). */
	plan?(event: Omit<PlanPublishedEvent, 'type'>): void;
	/** A city pack was imported: names, boundaries and basemap all changed. */
	city?(event: Omit<CityLoadedEvent, 'type'>): void;
	/** On every (re)connect: the server's rev and the loaded city's token. */
	hello?(event: Omit<Extract<LiveEvent, { type: 'hello' }>, 'type'>): void;
	/** Connection state, for the UI. */
	status?(connected: boolean): void;
}

export interface Backoff {
	minDelayMs: number;
	maxDelayMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { minDelayMs: 1000, maxDelayMs: 30_000 };

/** The delay before reconnect attempt `n` (0-based): doubling from min, capped at max. */
export function backoffDelay(n: number, b: Backoff = DEFAULT_BACKOFF): number {
	return Math.min(b.maxDelayMs, b.minDelayMs * 2 ** n);
}

export function connectLive(
	since: number,
	handlers: LiveHandlers,
	backoff: Backoff = DEFAULT_BACKOFF
): () => void {
	let lastRev = since;
	let attempts = 0;
	let closed = false;
	let source: EventSource | null = null;
	let timer: ReturnType<typeof setTimeout> | null = null;

	const data = <T extends LiveEvent['type']>(e: Event) =>
		JSON.parse((e as MessageEvent).data) as Omit<Extract<LiveEvent, { type: T }>, 'type'>;

	const open = () => {
		if (closed) return;
		const s = new EventSource(`/api/stream?since=${lastRev}`);
		source = s;
		s.addEventListener('open', () => {
			attempts = 0;
			handlers.status?.(true);
		});
		s.addEventListener('error', () => {
			// Take reconnection into our own hands: EventSource gives up for good on an HTTP error
			// (a restarting server) and retries at a fixed pace otherwise.
			handlers.status?.(false);
			s.close();
			if (closed || source !== s) return;
			timer = setTimeout(open, backoffDelay(attempts++, backoff));
		});
		s.addEventListener('incidents', (e) => {
			const d = data<'incidents'>(e);
			for (const r of d.incidents) lastRev = Math.max(lastRev, r.rev);
			handlers.incidents(d.change, d.incidents);
		});
		s.addEventListener('patrols', (e) => {
			const d = data<'patrols'>(e);
			handlers.patrols?.(d.t, d.units);
		});
		s.addEventListener('alerts', (e) => {
			const d = data<'alerts'>(e);
			handlers.alerts?.(d.change, d.alerts);
		});
		s.addEventListener('vehicles', (e) => {
			const d = data<'vehicles'>(e);
			handlers.vehicles?.(d.t, d.vehicles);
		});
		s.addEventListener('wall', (e) => handlers.wall?.(data<'wall'>(e) as WallState));
		s.addEventListener('reload', (e) => handlers.reload(data<'reload'>(e).reason));
		s.addEventListener('plan', (e) => handlers.plan?.(data<'plan'>(e)));
		s.addEventListener('city', (e) => handlers.city?.(data<'city'>(e)));
		s.addEventListener('hello', (e) => handlers.hello?.(data<'hello'>(e)));
	};
	open();
	return () => {
		closed = true;
		if (timer) clearTimeout(timer);
		source?.close();
	};
}
