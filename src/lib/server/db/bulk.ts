/**
 * Bulk inserts that run unchanged on PGlite and PostgreSQL: one INSERT … SELECT FROM unnest(…)
 * per batch, with one array parameter per input column. Far fewer round trips than row-by-row
 * inserts, and no COPY (node-postgres needs an extra package for it, PGlite another API).
 */
import type { Queryable } from './types';

export interface BulkInput {
	/** PostgreSQL element type of the array parameter, e.g. 'float8', 'text'. */
	type: string;
	values: readonly unknown[];
}

export const input = (type: string, values: readonly unknown[]): BulkInput => ({ type, values });

/**
 * Inserts `inputs` (equal-length arrays, unnested side by side) into `table`. `columns` maps each
 * target column to an SQL expression over the input names; by default every input is stored in
 * the column of its own name. Extra entries override or add columns (e.g. a point built from
 * lon and lat); `null` leaves an input out of the table.
 */
export async function bulkInsert(
	tx: Queryable,
	table: string,
	inputs: Record<string, BulkInput>,
	columns: Record<string, string | null> = {},
	batchRows = 25_000
): Promise<void> {
	const names = Object.keys(inputs);
	const n = names.length ? inputs[names[0]].values.length : 0;
	for (const name of names) {
		if (inputs[name].values.length !== n) throw new Error(`bulkInsert ${table}.${name}: length`);
	}
	const targets: Record<string, string | null> = Object.fromEntries(names.map((k) => [k, k]));
	Object.assign(targets, columns);
	const stored = Object.entries(targets).filter((e): e is [string, string] => e[1] !== null);
	const sql =
		`INSERT INTO ${table} (${stored.map(([c]) => c).join(', ')}) ` +
		`SELECT ${stored.map(([, e]) => e).join(', ')} ` +
		`FROM unnest(${names.map((k, i) => `$${i + 1}::${inputs[k].type}[]`).join(', ')}) ` +
		`AS t(${names.join(', ')})`;
	for (let offset = 0; offset < n; offset += batchRows) {
		const end = Math.min(n, offset + batchRows);
		await tx.query(
			sql,
			names.map((k) => inputs[k].values.slice(offset, end))
		);
	}
}
