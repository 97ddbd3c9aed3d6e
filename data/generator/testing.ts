/** Shared helpers for the generator's tests (small, fast cities). */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GenerateOptions } from './index.ts';

export const TEST_OPTIONS = {
	seed: 20261127,
	incidents: 3000,
	endDate: '2026-11-27'
} as const satisfies GenerateOptions;

export function tempDir(prefix: string): string {
	return mkdtempSync(join(tmpdir(), 'onemap-' + prefix + '-'));
}

export function readJson<T>(dir: string, file: string): T {
	return JSON.parse(readFileSync(join(dir, file), 'utf8')) as T;
}
