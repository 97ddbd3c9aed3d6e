import { describe, expect, it } from 'vitest';
import { fetchBackup, fileNameOf } from './backup';

describe('fetchBackup', () => {
	it('returns the file and the name the server gave it', async () => {
		const bytes = new Uint8Array([0x1f, 0x8b, 8, 0]);
		const result = await fetchBackup(async (url) => {
			expect(url).toBe('/api/admin/backup');
			return new Response(bytes, {
				headers: {
					'content-type': 'application/gzip',
					'content-disposition': 'attachment; filename="onemap-backup-20261204-1830.tar.gz"'
				}
			});
		});
		if (!('file' in result)) throw new Error('expected a file');
		expect(result.name).toBe('onemap-backup-20261204-1830.tar.gz');
		expect(new Uint8Array(await result.file.arrayBuffer())).toEqual(bytes);
	});

	it('on PostgreSQL returns the 409 naming pg_dump', async () => {
		const message = 'This server runs on PostgreSQL (DATABASE_URL): back it up with pg_dump -Fc';
		const result = await fetchBackup(async () => Response.json({ message }, { status: 409 }));
		expect(result).toEqual({ refused: message, postgres: true });
	});

	it('other refusals keep their message or status', async () => {
		expect(
			await fetchBackup(async () => new Response('x', { status: 403, statusText: 'Forbidden' }))
		).toEqual({ refused: '403 Forbidden', postgres: false });
	});
});

describe('fileNameOf', () => {
	it('falls back when the header is missing', () => {
		expect(fileNameOf(null)).toBe('onemap-backup.tar.gz');
		expect(fileNameOf('attachment; filename=a.tar.gz')).toBe('a.tar.gz');
	});
});
