import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCity } from '../city/load';
import type { Db } from '../db/types';
import { intakeIncidents } from '../incidents/intake';
import { readVersion } from '../incidents/snapshot';
import { validateIntake } from '../incidents/validate';
import { openTestDb, TEST_BACKEND } from '../testing/db';
import { BBOX, fixtureCity } from '../testing/fixtureCity';
import { frame, LiveBus, type LiveEvent } from './bus';
import { cstSecondsOfDay } from '$lib/domain/time';
import { Simulator } from './simulator';
import { positionAt } from '$lib/geo/track';
import {
	MAX_REPLAY,
	MAX_STREAMS_PER_IDENTITY,
	replayEvents,
	sseResponse,
	streamCapProblem
} from './sse';

let db: Db;
beforeAll(async () => {
	db = await openTestDb();
	await db.transaction((tx) => loadCity(tx, fixtureCity()));
}, 120_000);
afterAll(() => db?.close());

interface SseMessage {
	event: string;
	id?: string;
	data: Record<string, unknown>;
}

/** Reads SSE messages from a response until `count` have arrived. */
async function readEvents(response: Response, count: number): Promise<SseMessage[]> {
	const reader = response.body!.getReader();
	const decoder = new TextDecoder();
	let buffer = '';
	const out: SseMessage[] = [];
	while (out.length < count) {
		const { done, value } = await reader.read();
		if (done) break;
		buffer += decoder.decode(value, { stream: true });
		let end;
		while ((end = buffer.indexOf('\n\n')) >= 0) {
			const block = buffer.slice(0, end);
			buffer = buffer.slice(end + 2);
			const fields = Object.fromEntries(
				block
					.split('\n')
					.filter((l) => l && !l.startsWith(':'))
					.map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)])
			);
			if (fields.event)
				out.push({ event: fields.event, id: fields.id, data: JSON.parse(fields.data) });
		}
	}
	await reader.cancel();
	return out;
}

const store = async (body: unknown) => {
	const { incidents, batch } = validateIntake(body);
	return intakeIncidents(db, incidents, batch, 'test');
};

describe('live bus', () => {
	it('frames events as SSE with the largest rev as id', () => {
		const text = new TextDecoder().decode(
			frame({
				type: 'incidents',
				change: 'new',
				incidents: [{ rev: 7 }, { rev: 9 }] as never
			})
		);
		expect(text).toBe(
			'id: 9\nevent: incidents\ndata: {"change":"new","incidents":[{"rev":7},{"rev":9}]}\n\n'
		);
	});

	it('delivers to every subscriber and ends streams on close', () => {
		const bus = new LiveBus();
		const got: number[] = [];
		let closed = 0;
		for (let i = 0; i < 3; i++) bus.subscribe({ send: () => got.push(i), close: () => closed++ });
		bus.publish({ type: 'reload', reason: 'test' });
		expect(got).toEqual([0, 1, 2]);
		bus.close();
		expect(closed).toBe(3);
		expect(bus.size).toBe(0);
	});
});

describe(`live stream (${TEST_BACKEND})`, () => {
	it('says hello, replays what changed since the given rev, then streams live events', async () => {
		const bus = new LiveBus();
		const { rev } = await readVersion(db);
		const [missed] = await store({ type: 'dispute', lon: 117.61, lat: 39.005 });
		const response = sseResponse(bus, {
			rev,
			city: '120000|abc|2026-12-03',
			replay: () => replayEvents(db, rev, rev)
		});
		expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
		const reading = readEvents(response, 3);
		await new Promise((r) => setTimeout(r, 50));
		const [live] = await store({ type: 'traffic', lon: 117.635, lat: 39.01 });
		bus.publish({ type: 'incidents', change: 'new', incidents: [live] });
		const events = await reading;
		expect(events.map((e) => e.event)).toEqual(['hello', 'incidents', 'incidents']);
		expect(events[0].data).toMatchObject({ rev, city: '120000|abc|2026-12-03' });
		expect(events[1].data).toMatchObject({ change: 'replay', incidents: [{ id: missed.id }] });
		expect(events[2]).toMatchObject({
			id: String(live.rev),
			data: { change: 'new', incidents: [{ id: live.id, type: 'traffic' }] }
		});
		expect(bus.size).toBe(0); // the reader went away: unsubscribed
	});

	it('asks a client that is too far behind to reload the snapshot', async () => {
		const events = await replayEvents(db, 0, (await readVersion(db)).rev);
		expect(events).toEqual([expect.objectContaining({ type: 'incidents', change: 'replay' })]);
		const many = Array.from({ length: 1000 }, () => ({
			type: 'dispute',
			lon: 117.61,
			lat: 39.005
		}));
		for (let i = 0; i < 6; i++) await store(many);
		const [reload] = await replayEvents(db, 0, (await readVersion(db)).rev);
		expect(reload.type).toBe('reload');
	});

	it('decides a reload from the change counter alone, without reading a row', async () => {
		const queries: string[] = [];
		const spy = {
			query: async <T>(sql: string, params?: readonly unknown[]) => {
				queries.push(sql);
				return db.query<T>(sql, params);
			},
			exec: (sql: string) => db.exec(sql)
		};
		expect(await replayEvents(spy, 0, MAX_REPLAY + 1)).toEqual([
			expect.objectContaining({ type: 'reload' })
		]);
		expect(await replayEvents(spy, 100, 100 + MAX_REPLAY + 1)).toEqual([
			expect.objectContaining({ type: 'reload' })
		]);
		expect(queries).toEqual([]);
		// Within the window the rows are read and replayed.
		const { rev } = await readVersion(db);
		const [one] = await store({ type: 'dispute', lon: 117.61, lat: 39.005 });
		const [replay] = await replayEvents(spy, rev, rev);
		expect(replay).toMatchObject({ type: 'incidents', incidents: [{ id: one.id }] });
		expect(queries.length).toBe(1);
	});
});

describe('stream cap per sign-in', () => {
	it('refuses a stream beyond MAX_STREAMS_PER_IDENTITY with a 429 and a message', async () => {
		const bus = new LiveBus();
		const held: Response[] = [];
		for (let i = 0; i < MAX_STREAMS_PER_IDENTITY; i++) {
			expect(streamCapProblem(bus, 'session:a')).toBeNull();
			held.push(sseResponse(bus, { rev: 0, identity: 'session:a' }));
		}
		const refused = streamCapProblem(bus, 'session:a');
		expect(refused?.status).toBe(429);
		expect(refused?.message).toMatch(/close OneMap tabs/);
		// Another sign-in (another session of the same user, a device) is not affected.
		expect(streamCapProblem(bus, 'session:b')).toBeNull();
		// A stream that ends frees its place.
		await held[0].body!.cancel();
		expect(streamCapProblem(bus, 'session:a')).toBeNull();
		for (const r of held.slice(1)) await r.body!.cancel();
		expect(bus.size).toBe(0);
	});
});

describe(`simulator (${TEST_BACKEND})`, () => {
	it('interpolates patrol tracks by local time of day', () => {
		const track = { lon: [0, 10, 0], lat: [0, 0, 0], t: [0, 43200, 86400] };
		expect(positionAt(track, 21600)).toEqual([5, 0]);
		expect(positionAt(track, 86400 + 21600)).toEqual([5, 0]);
		expect(cstSecondsOfDay(Date.UTC(2026, 10, 27, 0, 0, 0))).toBe(8 * 3600);
	});

	it('creates incidents through intake, moves cases on and reports patrol positions', async () => {
		const bus = new LiveBus();
		const events: LiveEvent[] = [];
		// The bus only frames events; to see them decoded, subscribe and parse.
		bus.subscribe({
			send: (bytes) => {
				const text = new TextDecoder().decode(bytes);
				const type = /event: (\w+)/.exec(text)![1];
				events.push({ type, ...JSON.parse(/data: (.*)/.exec(text)![1]) } as LiveEvent);
			},
			close: () => {}
		});
		let seed = 42;
		const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
		const sim = new Simulator(db, bus, { ratePerMinute: 60, random });
		await sim.load();
		const created = [];
		for (let i = 0; i < 10; i++) {
			const r = await sim.createIncident();
			if (r) created.push(r);
		}
		expect(created.length).toBeGreaterThan(5);
		for (const r of created) {
			expect(r.lon).toBeGreaterThanOrEqual(BBOX[0]);
			expect(r.lon).toBeLessThanOrEqual(BBOX[2]);
			expect(r.status).toBe('reported');
		}
		const moved = await sim.advanceStatuses();
		expect(moved.length).toBeGreaterThan(0);
		expect(moved.every((m) => m.status === 'registered')).toBe(true);
		sim.publishPatrols();
		const types = events.map((e) => e.type);
		expect(types.filter((t) => t === 'incidents').length).toBe(created.length + 1);
		const patrols = events.find((e) => e.type === 'patrols') as Extract<
			LiveEvent,
			{ type: 'patrols' }
		>;
		expect(patrols.units.map((u) => u.id)).toEqual(['PU01', 'PU02']);
		expect(patrols.units[0].lat).toBeCloseTo(39.001, 6);
	});
});
