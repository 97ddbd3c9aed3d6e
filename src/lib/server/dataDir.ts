import { resolve } from 'node:path';

/** Where the generated demo city lives (`npm run data` writes it, the server serves it). */
export function dataDir(): string {
	return resolve(process.env.ONEMAP_DATA_DIR ?? 'var/data');
}
