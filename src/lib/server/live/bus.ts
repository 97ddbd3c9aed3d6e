/**
 * The live event bus: intake, status changes and the simulator publish; every open
 * /api/stream connection receives. Each event is serialized to its SSE frame once and the
 * same bytes go to every subscriber, so fan-out to 100 clients costs 100 enqueues, not 100
 * JSON.stringify calls.
 */
import type { LiveEvent } from '$lib/domain/live';

export type { LiveEvent, PatrolPosition } from '$lib/domain/live';

export interface Subscriber {
	send(frame: Uint8Array): void;
	close(): void;
}

const encoder = new TextEncoder();

/** One SSE frame. Incident events carry their largest rev as the event id (for resuming). */
export function frame(event: LiveEvent): Uint8Array {
	const { type, ...data } = event;
	let text = '';
	if (event.type === 'incidents' && event.incidents.length) {
		text += `id: ${Math.max(...event.incidents.map((i) => i.rev))}\n`;
	}
	text += `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
	return encoder.encode(text);
}

export class LiveBus {
	private subscribers = new Set<Subscriber>();
	private closed = false;

	get size(): number {
		return this.subscribers.size;
	}

	publish(event: LiveEvent): void {
		if (this.subscribers.size === 0) return;
		const bytes = frame(event);
		for (const s of this.subscribers) s.send(bytes);
	}

	subscribe(s: Subscriber): () => void {
		if (this.closed) {
			s.close();
			return () => {};
		}
		this.subscribers.add(s);
		return () => this.subscribers.delete(s);
	}

	/** Ends every stream (shutdown: the HTTP server cannot close while streams stay open). */
	close(): void {
		this.closed = true;
		for (const s of this.subscribers) s.close();
		this.subscribers.clear();
	}
}
