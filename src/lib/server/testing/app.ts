/**
 * Route tests call a `+server.ts` handler directly; the handler finds its parts with `getApp()`.
 * `useTestApp` puts a partial App where `getApp()` looks (app.ts keeps it on globalThis), with a
 * real `readConfig({})` so every field a handler reads (`config.writeAdmission`, …) is there.
 */
import type { App } from '../app';
import { readConfig } from '../config';

const KEY = Symbol.for('onemap.server.app');
const holder = globalThis as unknown as Record<symbol, unknown>;

export function useTestApp(
	parts: Partial<Omit<App, 'config'>> & { config?: Partial<App['config']> }
): void {
	const { config, ...rest } = parts;
	holder[KEY] = Promise.resolve({
		simulator: null,
		...rest,
		config: { ...readConfig({}), ...config }
	} as unknown as App);
}

export function dropTestApp(): void {
	delete holder[KEY];
}
