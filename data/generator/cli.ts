/**
 * npm run data -- [--seed N] [--incidents N] [--out DIR] [--end-date YYYY-MM-DD]
 * Defaults: seed 20261127, 200000 incidents, $ONEMAP_DATA_DIR or var/data, today (UTC+8).
 */
import {
	DEFAULT_INCIDENTS,
	DEFAULT_SEED,
	generateCity,
	incidentWindow,
	todayUtc8,
	writeCity
} from './index.ts';

interface Args {
	seed: number;
	incidents: number;
	out: string;
	endDate: string;
}

function usage(): string {
	return 'usage: npm run data -- [--seed N] [--incidents N] [--out DIR] [--end-date YYYY-MM-DD]';
}

function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): Args {
	const args: Args = {
		seed: DEFAULT_SEED,
		incidents: DEFAULT_INCIDENTS,
		out: env.ONEMAP_DATA_DIR || 'var/data',
		endDate: ''
	};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const eq = arg.indexOf('=');
		const name = eq >= 0 ? arg.slice(0, eq) : arg;
		const value = () => {
			if (eq >= 0) return arg.slice(eq + 1);
			const v = argv[++i];
			if (v === undefined) throw new Error(`${name} needs a value\n${usage()}`);
			return v;
		};
		const int = (v: string) => {
			const x = Number(v.replace(/_/g, ''));
			if (!Number.isInteger(x) || x < 0)
				throw new Error(`${name}: not a non-negative integer: ${v}`);
			return x;
		};
		switch (name) {
			case '--seed':
				args.seed = int(value());
				break;
			case '--incidents':
				args.incidents = int(value());
				break;
			case '--out':
				args.out = value();
				break;
			case '--end-date':
				args.endDate = value();
				break;
			case '-h':
			case '--help':
				console.log(usage());
				process.exit(0);
				break;
			default:
				throw new Error(`unknown argument ${arg}\n${usage()}`);
		}
	}
	if (!args.endDate) args.endDate = todayUtc8();
	incidentWindow(args.endDate); // validates
	return args;
}

function main(): void {
	const t0 = performance.now();
	const args = parseArgs(process.argv.slice(2));
	console.log(
		`OneMap demo city: seed ${args.seed}, ${args.incidents.toLocaleString('en-US')} incidents, end date ${args.endDate} → ${args.out}`
	);
	const city = generateCity({ seed: args.seed, incidents: args.incidents, endDate: args.endDate });
	const t1 = performance.now();
	const { files } = writeCity(city, args.out);
	const t2 = performance.now();
	const c = city.manifest.counts;
	console.log(
		`  ${c.streets} streets, ${c.communities} communities, ${c.grids} grids, ${c.roads} roads, ` +
			`${c.hazmatSites} hazmat sites, ${c.hazmatLanes} lanes, ${c.patrolRoutes} patrol routes, ` +
			`${c.patrolUnits} units, ${c.incidents.toLocaleString('en-US')} incidents`
	);
	for (const f of files)
		console.log(`  ${f.name.padEnd(22)} ${(f.bytes / 1e6).toFixed(2).padStart(8)} MB`);
	for (const h of city.hotspots.filter((x) => x.kind === 'emerging')) {
		const since = new Date((h.startMs ?? 0) + 8 * 3600_000).toISOString().slice(0, 10);
		console.log(
			`  emerging hotspot: ${h.label} (${h.dominantType}, grid ${h.gridIds.join(', ')}) since ${since}`
		);
	}
	const stages = Object.entries(city.timings)
		.map(([k, v]) => `${k} ${v.toFixed(1)}s`)
		.join(', ');
	console.log(
		`  generated in ${((t1 - t0) / 1000).toFixed(1)} s (${stages}), written in ${((t2 - t1) / 1000).toFixed(1)} s`
	);
}

try {
	main();
} catch (err) {
	console.error(err instanceof Error ? err.message : err);
	process.exit(1);
}
