import { describe, expect, it } from 'vitest';
import { readConfig, simulatorRuns } from './config';

describe('simulator mode', () => {
	it('runs by default only on the synthetic demo city, never on a real one', () => {
		const mode = readConfig({}).simulator;
		expect(mode).toBe('auto');
		expect(simulatorRuns(mode, true)).toBe(true);
		expect(simulatorRuns(mode, false)).toBe(false);
	});

	it('runs on a real city only when turned on explicitly; off is off', () => {
		expect(simulatorRuns(readConfig({ ONEMAP_SIMULATOR: 'on' }).simulator, false)).toBe(true);
		expect(simulatorRuns(readConfig({ ONEMAP_SIMULATOR: 'OFF' }).simulator, true)).toBe(false);
		expect(readConfig({ ONEMAP_SIMULATOR: 'false' }).simulator).toBe('off');
	});
});
