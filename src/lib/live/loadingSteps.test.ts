import { describe, expect, it } from 'vitest';
import { loadingSteps } from './loadingSteps';

describe('loading steps', () => {
	const t = (key: string, p?: Record<string, string | number>) => `${key}:${p?.count}`;

	it('shows the download as a fraction, done once parsing starts', () => {
		const downloading = { phase: 'download' as const, bytes: 2e6, totalBytes: 8e6, rows: 0 };
		expect(loadingSteps({ cityLoaded: true, progress: downloading, engineReady: false })).toEqual([
			{ label: 'loading.city', done: true },
			{ label: 'loading.incidents', done: false, fraction: 0.25 },
			{ label: 'loading.clusters', done: false }
		]);
		const none = loadingSteps({ cityLoaded: false, progress: null, engineReady: false });
		expect(none[1]).toEqual({ label: 'loading.incidents', done: false, fraction: null });
	});

	it('adds megabytes and rows where asked', () => {
		const ingest = { phase: 'ingest' as const, bytes: 12_345_678, totalBytes: null, rows: 1500 };
		const [, incidents, clusters] = loadingSteps(
			{ cityLoaded: true, progress: ingest, engineReady: false },
			{ t, locale: 'en' }
		);
		expect(incidents).toMatchObject({ done: true, fraction: null, detail: '12.3 MB' });
		expect(clusters.detail).toBe('incidents.total:1,500');
	});
});
