/**
 * A city pack imported into the running server (/admin's 城市数据, start-up's demo city): the
 * import itself (citypack/index.ts), then what the running parts must learn — the live feed tells
 * every open page that the city changed, and the demo simulator stops when the city is real
 * (it would write synthetic incidents into a real city's data unless ONEMAP_SIMULATOR=on).
 */
import type { OnProgress } from '$lib/domain/cityPack';
import type { App } from '../app';
import type { AuditActor } from '../audit/audit';
import { simulatorRuns } from '../config';
import { importCityPack, type ImportRun, type PackSource } from '.';

export async function importIntoApp(
	app: App,
	source: PackSource,
	opts: { actor: AuditActor | string; onProgress?: OnProgress }
): Promise<ImportRun> {
	const run = await importCityPack(app.db, source, opts);
	if (!run.result) return run;
	app.cityIdentity.forget();
	const synthetic = run.report.pack.synthetic;
	if (app.simulator && !simulatorRuns(app.config.simulator, synthetic)) {
		app.simulator.stop();
		app.simulator = null;
	} else await app.simulator?.load();
	for (const event of run.result.events) app.bus.publish(event);
	return run;
}
