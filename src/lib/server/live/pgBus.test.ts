/**
 * The live bus across app servers (pgBus.ts) and the leader lock (leader.ts). The payload
 * encoding is tested everywhere; the rest needs a real PostgreSQL and is skipped on PGlite:
 *   PGTEST_PORT=55601 URL=$(scripts/pg-test-cluster.sh start)
 *   DATABASE_URL=$URL npx vitest run src/lib/server/live/pgBus.test.ts
 * Two "processes" here are two PgBus (each with its own LiveBus) on one database.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentRecord, LiveEvent } from '$lib/domain/live';
import { SIMULATOR_ACTOR } from '../audit/audit';
import { loadCity } from '../city/load';
import type { Db } from '../db/types';
import { intake, publishIntake } from '../incidents/intake';
import { validateIntake } from '../incidents/validate';
import { fixtureCity } from '../testing/fixtureCity';
import { openTestDb, TEST_BACKEND } from '../testing/db';
import { LiveBus, type Subscriber } from './bus';
import { Leadership } from './leader';
import {
	coalesce,
	decodeWire,
	encodeClose,
	encodeEvent,
	MAX_PAYLOAD,
	PgBus,
	type Wire
} from './pgBus';
import { follow } from './wall';
import { checkHealth } from '../health';

const record = (id: number): IncidentRecord =>
	({ id, rev: id, lon: 117.6, lat: 39, description: 'x'.repeat(500) }) as IncidentRecord;

describe('NOTIFY payloads', () => {
	it('carry ids, not rows, and split a large batch under the 8000-byte limit', () => {
		const incidents = Array.from({ length: 5000 }, (_, i) => record(1_000_000 + i));
		const payloads = encodeEvent('p1', { type: 'incidents', change: 'new', incidents });
		expect(payloads.length).toBeGreaterThan(1);
		const ids: number[] = [];
		for (const p of payloads) {
			expect(Buffer.byteLength(p)).toBeLessThanOrEqual(MAX_PAYLOAD);
			expect(p).not.toContain('xxx');
			const w = decodeWire(p) as Extract<Wire, { k: 'incidents' }>;
			expect(w).toMatchObject({ o: 'p1', k: 'incidents', c: 'new' });
			ids.push(...w.ids);
		}
		expect(ids).toEqual(incidents.map((i) => i.id));
	});

	it('name the responding units of a patrol report and nothing of a wall change', () => {
		const [patrols] = encodeEvent('p1', {
			type: 'patrols',
			t: 5,
			units: [
				{ id: 'PU01', lon: 1, lat: 2, status: 'responding' },
				{ id: 'PU02', lon: 1, lat: 2, status: 'on_patrol' }
			]
		});
		expect(decodeWire(patrols)).toEqual({ o: 'p1', k: 'patrols', t: 5, r: ['PU01'] });
		const [wall] = encodeEvent('p1', {
			type: 'wall',
			mode: 'follow',
			center: [1, 2],
			zoom: 3,
			by: '值班员',
			since: 0
		});
		expect(decodeWire(wall)).toEqual({ o: 'p1', k: 'wall' });
		expect(encodeEvent('p1', { type: 'hello', rev: 1, serverTime: 0 })).toEqual([]);
		const big = encodeEvent('p1', { type: 'reload', reason: 'y'.repeat(9000) });
		expect(decodeWire(big[0])).toMatchObject({ k: 'event', e: { type: 'reload' } });
		expect(decodeWire(encodeClose('p1', { owner: 'device:3' }))).toEqual({
			o: 'p1',
			k: 'close',
			owner: 'device:3'
		});
		expect(decodeWire('not json')).toBeNull();
		expect(decodeWire('{"x":1}')).toBeNull();
	});
});

describe('coalesce', () => {
	it('merges runs of the same kind and change, keeping the order of everything else', () => {
		const inc = (c: 'new' | 'status', ids: number[]): Wire => ({ o: 'x', k: 'incidents', c, ids });
		const wall: Wire = { o: 'x', k: 'wall' };
		expect(
			coalesce([inc('new', [1]), inc('new', [2, 3]), inc('status', [1]), wall, inc('status', [4])])
		).toEqual([inc('new', [1, 2, 3]), inc('status', [1]), wall, inc('status', [4])]);
		const many = Array.from({ length: 12 }, (_, i) =>
			inc(
				'new',
				Array.from({ length: 1000 }, (_, j) => i * 1000 + j)
			)
		);
		expect(coalesce(many).map((w) => (w as { ids: number[] }).ids.length)).toEqual([
			5000, 5000, 2000
		]);
	});
});

describe('LiveBus with a relay', () => {
	it('delivers its own events here once and hands them to the relay; remote ones only here', () => {
		const bus = new LiveBus();
		const relayed: unknown[] = [];
		bus.connect({ publish: (e) => relayed.push(e), close: (t) => relayed.push(t) });
		const here = probe('5', '5|s1');
		bus.subscribe(here);
		bus.publish({ type: 'reload', reason: 'mine' });
		bus.deliver({ type: 'reload', reason: 'theirs' });
		expect(here.events.map((e) => (e as { reason: string }).reason)).toEqual(['mine', 'theirs']);
		expect(relayed).toEqual([{ type: 'reload', reason: 'mine' }]);
		expect(bus.closeIdentity('5|other')).toBe(0);
		expect(here.closed).toBe(false);
		expect(bus.closeIdentity('5|s1')).toBe(1);
		expect(here.closed).toBe(true);
		bus.closeOwner('device:1');
		expect(relayed.slice(1)).toEqual([
			{ identity: '5|other' },
			{ identity: '5|s1' },
			{ owner: 'device:1' }
		]);
		// closeLocal (a close from another server) is not sent back out.
		bus.closeLocal({ owner: 'x' });
		expect(relayed).toHaveLength(4);
		// After a relay outage: the streams end, the bus still takes new ones.
		const again = probe();
		bus.subscribe(again);
		expect(bus.resetStreams()).toBe(1);
		expect(again.closed).toBe(true);
		expect(bus.open).toBe(true);
	});
});

const pgOnly = describe.skipIf(TEST_BACKEND !== 'postgres');

interface Probe extends Subscriber {
	events: LiveEvent[];
	closed: boolean;
}

function probe(owner?: string, identity?: string): Probe {
	const p: Probe = {
		events: [],
		closed: false,
		owner,
		identity,
		send(bytes) {
			const text = new TextDecoder().decode(bytes);
			const type = /event: (\w+)/.exec(text)![1];
			p.events.push({ type, ...JSON.parse(/data: (.*)/.exec(text)![1]) } as LiveEvent);
		},
		close() {
			p.closed = true;
		}
	};
	return p;
}

async function until(what: () => boolean, ms = 5000): Promise<void> {
	const end = Date.now() + ms;
	while (!what()) {
		if (Date.now() > end) throw new Error('timed out');
		await new Promise((r) => setTimeout(r, 20));
	}
}

/** Ends the backend of one of our own connections (a dropped connection, a crashed server). */
async function terminate(url: string, applicationName: string): Promise<void> {
	const c = new pg.Client({ connectionString: url });
	await c.connect();
	try {
		await c.query(
			'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
			[applicationName]
		);
	} finally {
		await c.end();
	}
}

pgOnly('two app servers on one PostgreSQL', () => {
	let db: Db & { url?: string };
	let url: string;
	const busA = new LiveBus();
	const busB = new LiveBus();
	let a: PgBus;
	let b: PgBus;
	const logs: string[] = [];

	beforeAll(async () => {
		db = await openTestDb();
		url = db.url!;
		await db.transaction((tx) => loadCity(tx, fixtureCity()));
		const opts = { url, db, backoff: { minMs: 50, maxMs: 200 }, log: (m: string) => logs.push(m) };
		a = new PgBus({ ...opts, bus: busA });
		b = new PgBus({ ...opts, bus: busB });
		await a.start();
		await b.start();
		expect(a.status().connected && b.status().connected).toBe(true);
	}, 120_000);
	afterAll(async () => {
		await a?.stop();
		await b?.stop();
		await db?.close();
	});

	it('an incident published on one reaches the other once, read from the table, and its own once', async () => {
		const onA = probe();
		const onB = probe();
		busA.subscribe(onA);
		busB.subscribe(onB);
		const { incidents } = validateIntake(
			{ type: 'dispute', lon: 117.61, lat: 39.005, description: 'cross-server' },
			Date.now()
		);
		const result = await intake(db, incidents, false, SIMULATOR_ACTOR);
		publishIntake(busA, result);
		const id = result.records[0].id;
		await until(() => onB.events.length > 0);
		await a.settled();
		await b.settled();
		await new Promise((r) => setTimeout(r, 200)); // a duplicate would have arrived by now
		for (const p of [onA, onB]) {
			expect(p.events).toHaveLength(1);
			expect(p.events[0]).toMatchObject({ type: 'incidents', change: 'new' });
			const [got] = (p.events[0] as Extract<LiveEvent, { type: 'incidents' }>).incidents;
			expect(got).toMatchObject({ id, description: 'cross-server', rev: result.records[0].rev });
			expect(got).toHaveProperty('version'); // the case record, as the publishing server sends
		}
	});

	it('a revocation or a sign-out on one ends the matching streams on the other', async () => {
		const device = probe('device:7');
		const session = probe('12', '12|abc');
		const other = probe('13', '13|def');
		busB.subscribe(device);
		busB.subscribe(session);
		busB.subscribe(other);
		expect(busA.closeOwner('device:7')).toBe(0); // none here
		busA.closeIdentity('12|abc');
		await until(() => device.closed && session.closed);
		await b.settled();
		expect(other.closed).toBe(false);
	});

	it('follow mode pushed through one shows on the other, read from the database', async () => {
		const onB = probe();
		busB.subscribe(onB);
		await follow(db, busA, { center: [117.6, 39.0], zoom: 14 }, '值班员乙', 42);
		await until(() => onB.events.some((e) => e.type === 'wall'));
		expect(onB.events.find((e) => e.type === 'wall')).toMatchObject({
			mode: 'follow',
			zoom: 14,
			by: '值班员乙',
			since: 42
		});
	});

	it('/api/health is unavailable while the bus cannot connect, and says why', async () => {
		const bus = new LiveBus();
		const lost = new PgBus({
			url: 'postgres://postgres@127.0.0.1:1/nowhere',
			db,
			bus,
			backoff: { minMs: 60_000, maxMs: 60_000 },
			log: () => {}
		});
		await lost.start();
		try {
			const h = await checkHealth({
				db,
				bus,
				pgBus: lost,
				leadership: null,
				simulator: null
			} as never);
			expect(h.status).toBe('unavailable');
			expect(h.database).toMatchObject({ reachable: true });
			expect(h.bus).toMatchObject({ kind: 'postgres', connected: false, code: 'ECONNREFUSED' });
			expect(h.bus!.problem).toMatch(/live bus/);
			expect(h.bus!.problem).not.toContain('127.0.0.1');
			expect(h.jobs).toEqual({ leader: true, simulator: 'off' }); // no leader lock: this one runs them
			const ok = await checkHealth({
				db,
				bus: busA,
				pgBus: a,
				leadership: null,
				simulator: null
			} as never);
			expect(ok.bus).toMatchObject({ kind: 'postgres', connected: true, reconnects: 0 });
		} finally {
			await lost.stop();
		}
	});

	it('a change whose rows cannot be read ends the streams there, so they catch up by rev', async () => {
		const busC = new LiveBus();
		const broken = {
			query: async () => Promise.reject(Object.assign(new Error('gone'), { code: 'ECONNRESET' })),
			exec: async () => {}
		};
		const c = new PgBus({ url, db: broken, bus: busC, log: () => {} });
		await c.start();
		try {
			const held = probe();
			busC.subscribe(held);
			busA.publish({ type: 'incidents', change: 'status', incidents: [record(1)] });
			await until(() => held.closed);
			expect(busC.open).toBe(true);
		} finally {
			await c.stop();
		}
	});

	it('reconnects after its connection drops, says so meanwhile, and ends its streams to resume by rev', async () => {
		const held = probe();
		busB.subscribe(held);
		const seen: boolean[] = [];
		const watch = setInterval(() => seen.push(b.status().connected), 5);
		await terminate(url, b.applicationName);
		await until(() => seen.includes(false));
		expect(b.status().problem).toMatch(/live bus/);
		await until(() => b.status().connected && b.status().reconnects === 1);
		clearInterval(watch);
		expect(held.closed).toBe(true);
		expect(b.status().problem).toBeUndefined();
		// And it receives again.
		const after = probe();
		busB.subscribe(after);
		busA.publish({ type: 'reload', reason: 'after reconnect' });
		await until(() => after.events.length === 1);
		expect(after.events[0]).toMatchObject({ type: 'reload', reason: 'after reconnect' });
	});
});

pgOnly('the leader lock', () => {
	let db: Db & { url?: string };
	beforeAll(async () => {
		db = await openTestDb();
	}, 120_000);
	afterAll(async () => {
		await db?.close();
	});

	it('exactly one server leads; when its connection dies it stops, and another takes over', async () => {
		const running = new Set<string>();
		const losses: string[] = [];
		const make = (name: string) =>
			new Leadership({
				url: db.url!,
				retryMs: 100,
				log: () => {},
				onLead: () => void running.add(name),
				onLose: () => {
					running.delete(name);
					losses.push(name);
				}
			});
		const one = make('one');
		const two = make('two');
		await one.start();
		await two.start();
		await new Promise((r) => setTimeout(r, 400));
		expect([one.leader, two.leader]).toEqual([true, false]);
		expect([...running]).toEqual(['one']);
		// The leader's connection dies (a crashed server, a dropped route): it stops its jobs; a
		// server takes the lock on its next try (either one: the first reconnects as well).
		await terminate(db.url!, one.applicationName);
		await until(() => losses.includes('one'));
		await until(() => running.size === 1);
		await new Promise((r) => setTimeout(r, 400));
		expect(running.size).toBe(1);
		expect([one, two].filter((l) => l.leader)).toHaveLength(1);
		// The leader goes away for good: the other takes over within a try.
		const [leader, standby] = one.leader ? [one, two] : [two, one];
		await leader.stop();
		await until(() => standby.leader);
		expect(running.size).toBe(1);
		await standby.stop();
		expect(running.size).toBe(0);
	});
});
