/**
 * The live event bus: intake, status changes and the simulator publish; every open
 * /api/stream connection receives. Each event is serialized to its SSE frame once and the
 * same bytes go to every subscriber, so fan-out to 100 clients costs 100 enqueues, not 100
 * JSON.stringify calls.
 */
import type { LiveEvent } from '$lib/domain/live';
import { maskEvent } from '../auth/mask';

export type { LiveEvent, PatrolPosition } from '$lib/domain/live';

export interface Subscriber {
	send(frame: Uint8Array): void;
	close(): void;
	/** Receives events without personal data (the wall: auth/mask.ts). */
	masked?: boolean;
	/** Who holds the stream (SessionUser.id), so revoking a device or user can end it. */
	owner?: string;
	/** Which sign-in holds it (one session, or one device), for the per-identity stream cap. */
	identity?: string;
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

	/** False once close() ran (shutdown): no stream is accepted any more. */
	get open(): boolean {
		return !this.closed;
	}

	/** How many streams one sign-in holds (the per-identity cap of /api/stream). */
	countIdentity(identity: string): number {
		let n = 0;
		for (const s of this.subscribers) if (s.identity === identity) n++;
		return n;
	}

	publish(event: LiveEvent): void {
		if (this.subscribers.size === 0) return;
		const bytes = frame(event);
		let masked: Uint8Array | null = null;
		for (const s of this.subscribers) {
			if (s.masked) {
				if (!masked) {
					const m = maskEvent(event);
					masked = m === event ? bytes : frame(m);
				}
				s.send(masked);
			} else s.send(bytes);
		}
	}

	/** Ends the streams held by `owner` (a revoked device token, a disabled user). */
	closeOwner(owner: string): number {
		let n = 0;
		for (const s of [...this.subscribers]) {
			if (s.owner !== owner) continue;
			this.subscribers.delete(s);
			s.close();
			n++;
		}
		return n;
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
