/**
 * The live event bus: intake, status changes and the simulator publish; every open
 * /api/stream connection receives. Each event is serialized to its SSE frame once and the
 * same bytes go to every subscriber, so fan-out to 100 clients costs 100 enqueues, not 100
 * JSON.stringify calls.
 *
 * One process (the embedded database) has only this in-process bus. Several app servers on one
 * PostgreSQL connect a relay (pgBus.ts, LISTEN/NOTIFY): `publish` and `closeOwner`/
 * `closeIdentity` then also reach the other processes, which `deliver` the event or
 * `closeLocal` the streams there. Callers use the same API either way.
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

/** Which streams to end: a holder (a revoked device, a changed user) or one sign-in. */
export type CloseTarget = { owner: string } | { identity: string };

/** Carries what happens on this bus to the other app servers (pgBus.ts). */
export interface BusRelay {
	/** An event published here (already delivered to this process's streams). */
	publish(event: LiveEvent): void;
	/** A closeOwner / closeIdentity made here (already done in this process). */
	close(target: CloseTarget): void;
}

export class LiveBus {
	private subscribers = new Set<Subscriber>();
	private closed = false;
	private relay: BusRelay | null = null;

	/** From now on, publishes and closes also go to the other processes through `relay`. */
	connect(relay: BusRelay | null): void {
		this.relay = relay;
	}

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

	/** To every stream of this process and, with a relay, of every other process (once each). */
	publish(event: LiveEvent): void {
		this.deliver(event);
		this.relay?.publish(event);
	}

	/** To this process's streams only (an event that came from another process). */
	deliver(event: LiveEvent): void {
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

	/**
	 * Ends the streams held by `owner` (a revoked device token, a disabled user, a new role), on
	 * every process; returns how many were open in this one.
	 */
	closeOwner(owner: string): number {
		const n = this.closeLocal({ owner });
		this.relay?.close({ owner });
		return n;
	}

	/** Ends the streams of one sign-in (a session signed out), on every process. */
	closeIdentity(identity: string): number {
		const n = this.closeLocal({ identity });
		this.relay?.close({ identity });
		return n;
	}

	/** Ends this process's streams that match `target`. */
	closeLocal(target: CloseTarget): number {
		let n = 0;
		for (const s of [...this.subscribers]) {
			if ('owner' in target ? s.owner !== target.owner : s.identity !== target.identity) continue;
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

	/**
	 * Ends this process's streams but keeps taking new ones: after the relay was down, clients
	 * reconnect and catch up by `rev` (what they may have missed meanwhile).
	 */
	resetStreams(): number {
		const n = this.subscribers.size;
		for (const s of [...this.subscribers]) s.close();
		this.subscribers.clear();
		return n;
	}

	/** Ends every stream (shutdown: the HTTP server cannot close while streams stay open). */
	close(): void {
		this.closed = true;
		for (const s of this.subscribers) s.close();
		this.subscribers.clear();
	}
}
