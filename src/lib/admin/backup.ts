/**
 * /admin → 备份: downloads GET /api/admin/backup (a gzipped tarball of the embedded database,
 * db/backup.ts) and hands it to the browser as a file. On PostgreSQL the route answers 409 naming
 * pg_dump; that answer is returned so the page can show it.
 */

export type BackupResult = { file: Blob; name: string } | { refused: string; postgres: boolean };

/** `attachment; filename="onemap-backup-….tar.gz"` → the name; a fallback when absent. */
export function fileNameOf(disposition: string | null): string {
	const match = /filename="?([^";]+)"?/i.exec(disposition ?? '');
	return match ? match[1] : 'onemap-backup.tar.gz';
}

export async function fetchBackup(fetchFn: typeof fetch = fetch): Promise<BackupResult> {
	const response = await fetchFn('/api/admin/backup');
	if (!response.ok) {
		const body = (await response.json().catch(() => ({}))) as { message?: string };
		return {
			refused: body.message ?? `${response.status} ${response.statusText}`,
			postgres: response.status === 409
		};
	}
	return {
		file: await response.blob(),
		name: fileNameOf(response.headers.get('content-disposition'))
	};
}

/** Saves `file` as a download named `name` (an object URL: no second request to the server). */
export function saveFile(file: Blob, name: string): void {
	const url = URL.createObjectURL(file);
	const a = document.createElement('a');
	a.href = url;
	a.download = name;
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
