import { describe, expect, it } from 'vitest';
import { INCIDENT_TYPES } from '$lib/domain/incidents';
import { ApiError } from '../http/errors';
import { readJsonBody } from '../http/body';
import { toWgs84 } from './coords';
import { MAX_BATCH, validateIntake } from './validate';
import gcoord from 'gcoord';

const NOW = Date.UTC(2026, 10, 27, 2);

function rejects(body: unknown): ApiError {
	try {
		validateIntake(body, NOW);
	} catch (err) {
		if (err instanceof ApiError) return err;
		throw err;
	}
	throw new Error('expected a rejection');
}

describe('intake validation', () => {
	it('accepts a minimal incident and fills in the defaults', () => {
		const { incidents, batch } = validateIntake({ type: 'dispute', lon: 117.61, lat: 39.005 }, NOW);
		expect(batch).toBe(false);
		expect(incidents).toEqual([
			{
				type: 'dispute',
				lon: 117.61,
				lat: 39.005,
				crs: 'wgs84',
				ts: NOW,
				source: 'resident_app',
				priority: 4,
				description: null
			}
		]);
		expect(
			validateIntake({ type: 'hazmat_alarm', lon: 117.61, lat: 39 }, NOW).incidents[0].priority
		).toBe(2);
	});

	it('accepts every known type, RFC 3339 times and explicit fields', () => {
		for (const type of INCIDENT_TYPES) {
			const { incidents } = validateIntake(
				{
					type,
					lon: 117.61,
					lat: 39.005,
					ts: '2026-11-27T08:30:00+08:00',
					source: 'grid_worker',
					priority: 1,
					description: '楼道堆物'
				},
				NOW
			);
			expect(incidents[0]).toMatchObject({ type, ts: Date.UTC(2026, 10, 27, 0, 30), priority: 1 });
		}
	});

	it.each([
		[{ lon: 117.6, lat: 39 }, 'type', /is required/],
		[{ type: 'fire', lon: 117.6, lat: 39 }, 'type', /must be one of: dispute, public_security/],
		[{ type: 'dispute', lon: 190, lat: 39 }, 'lon', /between -180 and 180/],
		[{ type: 'dispute', lon: 117.6, lat: '39' }, 'lat', /must be a number/],
		[{ type: 'dispute', lon: 117.6, lat: 39, lng: 1 }, 'lng', /unknown field/],
		[{ type: 'dispute', lon: 117.6, lat: 39, crs: 'utm' }, 'crs', /wgs84, gcj02, bd09/],
		[{ type: 'dispute', lon: 117.6, lat: 39, priority: 5 }, 'priority', /1 \(特急\)/],
		[{ type: 'dispute', lon: 117.6, lat: 39, source: 'twitter' }, 'source', /hotline_12345/],
		[
			{ type: 'dispute', lon: 117.6, lat: 39, ts: NOW + 3600_000 },
			'ts',
			/between 2000-01-01 and now/
		],
		[{ type: 'dispute', lon: 117.6, lat: 39, ts: 'yesterday' }, 'ts', /RFC 3339/]
	])('rejects %j naming "%s"', (body, field, message) => {
		const err = rejects(body);
		expect(err.status).toBe(422);
		expect(err.field).toBe(field);
		expect(err.message).toMatch(message);
		expect(err.message.startsWith(`${field}: `)).toBe(true);
	});

	it('names the item of a batch and lists every problem', () => {
		const err = rejects([
			{ type: 'dispute', lon: 117.6, lat: 39 },
			{ type: 'dispute', lon: 117.6, lat: 95 },
			{ type: 'nope', lon: 117.6, lat: 39 }
		]);
		expect(err).toMatchObject({ status: 422, field: '[1].lat' });
		expect(err.errors.map((e) => e.field)).toEqual(['[1].lat', '[2].type']);
	});

	it('rejects bodies that are not incidents, empty batches and oversized batches', () => {
		expect(rejects('dispute')).toMatchObject({ status: 422 });
		expect(rejects([42])).toMatchObject({ status: 422, field: '[0]' });
		expect(rejects([])).toMatchObject({ status: 422 });
		const many = Array.from({ length: MAX_BATCH + 1 }, () => ({
			type: 'dispute',
			lon: 117.6,
			lat: 39
		}));
		expect(rejects(many)).toMatchObject({ status: 413 });
	});

	it('converts GCJ-02 and BD-09 to WGS84', () => {
		const wgs: [number, number] = [117.65, 39.02];
		const gcj = gcoord.transform(wgs, gcoord.WGS84, gcoord.GCJ02) as [number, number];
		const bd = gcoord.transform(wgs, gcoord.WGS84, gcoord.BD09) as [number, number];
		expect(gcj[0] - wgs[0]).toBeGreaterThan(0.004); // ~500 m apart: worth converting
		for (const [crs, p] of [
			['GCJ-02', gcj],
			['bd09', bd]
		] as const) {
			const [x] = validateIntake({ type: 'traffic', lon: p[0], lat: p[1], crs }, NOW).incidents;
			expect(x.lon).toBeCloseTo(wgs[0], 5);
			expect(x.lat).toBeCloseTo(wgs[1], 5);
		}
		expect(toWgs84(1, 2, 'wgs84')).toEqual([1, 2]);
	});
});

describe('request bodies', () => {
	const post = (
		body: BodyInit,
		headers: Record<string, string> = { 'content-type': 'application/json' }
	) =>
		new Request('http://x/api/incidents', {
			method: 'POST',
			body,
			headers,
			duplex: 'half'
		} as RequestInit);

	it('parses JSON and answers 415, 400 and 413 clearly', async () => {
		expect(await readJsonBody(post('{"a":1}'), 100)).toEqual({ a: 1 });
		await expect(
			readJsonBody(post('{"a":1}', { 'content-type': 'text/plain' }), 100)
		).rejects.toMatchObject({
			status: 415
		});
		await expect(readJsonBody(post('{"a":'), 100)).rejects.toMatchObject({
			status: 400,
			message: expect.stringMatching(/not valid JSON/)
		});
		await expect(readJsonBody(post('x'.repeat(200)), 100)).rejects.toMatchObject({ status: 413 });
		// A streamed body without Content-Length is counted while it is read.
		const stream = new ReadableStream({
			start(c) {
				for (let i = 0; i < 10; i++) c.enqueue(new TextEncoder().encode('['.repeat(50)));
				c.close();
			}
		});
		await expect(readJsonBody(post(stream), 100)).rejects.toMatchObject({ status: 413 });
	});
});
