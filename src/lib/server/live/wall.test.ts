import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/types';
import { ApiError } from '../http/errors';
import { openTestDb } from '../testing/db';
import { LiveBus } from './bus';
import { follow, forgetWallState, parseFollow, release, wallState } from './wall';

let db: Db;
beforeAll(async () => {
	db = await openTestDb();
}, 120_000);
afterAll(async () => {
	await db?.close();
});

describe('wall follow mode', () => {
	it('validates the pushed view and names the bad field', () => {
		expect(parseFollow({ center: [117.7, 39.0], zoom: 12 })).toEqual({
			center: [117.7, 39.0],
			zoom: 12
		});
		for (const [body, field] of [
			[{ center: [117.7], zoom: 12 }, 'center'],
			[{ center: [117.7, 95], zoom: 12 }, 'center.1'],
			[{ center: [117.7, 39], zoom: 40 }, 'zoom'],
			[{ center: [117.7, 39], zoom: 12, extra: 1 }, null],
			// Who pushes is the signed-in user, never a field of the body.
			[{ center: [117.7, 39], zoom: 12, by: '冒充者' }, null],
			['nope', null]
		] as const) {
			try {
				parseFollow(body);
				expect.unreachable();
			} catch (e) {
				expect(e).toBeInstanceOf(ApiError);
				expect((e as ApiError).status).toBe(422);
				if (field) expect((e as ApiError).field).toBe(field);
			}
		}
	});

	it('publishes follow and release on the live bus and keeps the state in the database', async () => {
		const bus = new LiveBus();
		const frames: string[] = [];
		bus.subscribe({ send: (f) => frames.push(new TextDecoder().decode(f)), close() {} });
		expect(await wallState(db)).toEqual({ mode: 'tour' });
		const befores: unknown[] = [];
		const audit = async (_tx: unknown, before: unknown) => void befores.push(before);
		await follow(
			db,
			bus,
			parseFollow({ center: [117.7, 39.0], zoom: 13 }),
			'值班员甲',
			1000,
			audit
		);
		expect(await wallState(db)).toEqual({
			mode: 'follow',
			center: [117.7, 39.0],
			zoom: 13,
			by: '值班员甲',
			since: 1000
		});
		await release(db, bus, audit);
		expect(await wallState(db)).toEqual({ mode: 'tour' });
		// The audit runs in the same transaction and sees the state before the change.
		expect(befores).toEqual([{ mode: 'tour' }, expect.objectContaining({ mode: 'follow' })]);
		expect(frames[0]).toContain('event: wall');
		expect(frames[0]).toContain('"mode":"follow"');
		expect(frames[1]).toContain('"mode":"tour"');
		await follow(db, bus, parseFollow({ center: [117.7, 39.0], zoom: 13 }), '值班员甲');
		await forgetWallState(db); // the embedded database's start-up
		expect(await wallState(db)).toEqual({ mode: 'tour' });
	});
});
