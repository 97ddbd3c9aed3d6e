import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ForeignFolderError, GENERATED_MARKER, isOwnedFolder, writeCity } from './index';

describe('the generator never replaces a folder it did not write', () => {
	const base = mkdtempSync(join(tmpdir(), 'onemap-folder-'));

	it('refuses a folder holding a user file, and leaves the file as it was', () => {
		const dir = join(base, 'mine');
		mkdirSync(dir);
		writeFileSync(join(dir, 'streets.shp'), 'my boundaries');
		expect(isOwnedFolder(dir)).toBe(false);
		// The city is never looked at: the check comes first.
		expect(() => writeCity({} as never, dir)).toThrow(ForeignFolderError);
		expect(readFileSync(join(dir, 'streets.shp'), 'utf8')).toBe('my boundaries');
	});

	it('accepts an absent, an empty, a marked, or an older generated folder', () => {
		expect(isOwnedFolder(join(base, 'absent'))).toBe(true);
		const empty = join(base, 'empty');
		mkdirSync(empty);
		expect(isOwnedFolder(empty)).toBe(true);
		const marked = join(base, 'marked');
		mkdirSync(marked);
		writeFileSync(join(marked, GENERATED_MARKER), '{}');
		expect(isOwnedFolder(marked)).toBe(true);
		const older = join(base, 'older');
		mkdirSync(older);
		writeFileSync(join(older, 'manifest.json'), JSON.stringify({ synthetic: true, seed: 7 }));
		expect(isOwnedFolder(older)).toBe(true);
		writeFileSync(join(older, 'manifest.json'), JSON.stringify({ name: 'my city' }));
		expect(isOwnedFolder(older)).toBe(false);
		expect(existsSync(join(older, 'manifest.json'))).toBe(true);
	});
});
