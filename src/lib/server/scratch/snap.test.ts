import { it } from 'vitest';
import { openDatabase } from '../db/open';
import { SnapshotCache } from '../incidents/snapshot';

it('snap', async () => {
	const db = await openDatabase({ databaseUrl: null, dbDir: '/tmp/proto/db-real' });
	let t = performance.now();
	const lap = (s: string) => { const n = performance.now(); console.log(s, Math.round(n - t)); t = n; };
	const q = async (name: string, sql: string, p: unknown[] = []) => { const r = await db.query(sql, p); lap(name); return r; };
	await q('warm', 'select count(*) from incident');
	await q('sorted-sub', `SELECT array_agg(id) AS id, array_agg(lon) lon, array_agg(lat) lat, array_agg(ts) ts, array_agg(closed) closed, array_agg(type) type, array_agg(source) source, array_agg(status) status, array_agg(priority) priority, array_agg(grid_id) g, array_agg(community_id) c, array_agg(street_id) s FROM (SELECT id, ST_X(geom) lon, ST_Y(geom) lat, (extract(epoch FROM ts) * 1000)::float8 ts, (extract(epoch FROM closed_ts) * 1000)::float8 closed, type, source, status, priority, grid_id, community_id, street_id FROM incident ORDER BY id) x`);
	await q('sorted-sub-codes', `SELECT array_agg(id) AS id, array_agg(lon) lon, array_agg(lat) lat, array_agg(ts) ts, array_agg(closed) closed, array_agg(type) type, array_agg(g) g FROM (SELECT id, ST_X(geom) lon, ST_Y(geom) lat, (extract(epoch FROM ts) * 1000)::float8 ts, (extract(epoch FROM closed_ts) * 1000)::float8 closed, array_position($1::text[], type) type, grid_id g FROM incident ORDER BY id) x`, [['dispute','traffic']]);
	await q('epoch-only', `SELECT array_agg((extract(epoch FROM ts) * 1000)::float8) FROM incident`);
	await q('epoch-fast', `SELECT array_agg(date_part('epoch', ts) * 1000) FROM incident`);
	await q('x only', `SELECT array_agg(ST_X(geom)) FROM incident`);
	await q('text only', `SELECT array_agg(grid_id) FROM incident`);
	await q('status code', `SELECT array_agg(array_position($1::text[], status)) FROM incident`, [['reported','closed']]);
	await q('string_agg', `SELECT string_agg(grid_id, ',') FROM incident`);
	const s = new SnapshotCache();
	await s.get(db); lap('cache');
	await db.close();
}, 600_000);
