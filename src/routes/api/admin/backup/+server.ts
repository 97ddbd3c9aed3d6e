import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { recordAudit } from '$lib/server/audit/audit';
import { auditActor } from '$lib/server/auth/request';
import { backupFileName, takeBackup } from '$lib/server/db/backup';
import { answer } from '$lib/server/http/errors';

/**
 * GET /api/admin/backup → the embedded database as a gzipped tarball (a consistent copy taken
 * while the server runs; restore with `npm run db -- restore <file> <new folder>`), audited.
 * On PostgreSQL → 409 naming pg_dump.
 */
export const GET: RequestHandler = (event) =>
	answer(async () => {
		const app = await getApp();
		const actor = auditActor(event);
		const copy = await takeBackup(app.db);
		const name = backupFileName();
		await recordAudit(app.db, {
			actor,
			action: 'database.backup',
			targetType: 'database',
			after: { file: name, bytes: copy.size },
			ip: actor.ip
		});
		return new Response(copy, {
			headers: {
				'content-type': 'application/gzip',
				'content-disposition': `attachment; filename="${name}"`,
				'content-length': String(copy.size),
				'cache-control': 'no-store'
			}
		});
	});
