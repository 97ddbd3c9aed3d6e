/**
 * Reads `incidents.arrow` into flat typed columns (no object per incident).
 * Shared by the browser worker and the unit tests.
 */
import { tableFromIPC, type Table, type Vector } from 'apache-arrow';
import type { IncidentColumns as Columns } from '$lib/domain/incidentArrow';

/** The columns of domain/incidentArrow.ts as read back, with the file's dictionaries. */
export interface IncidentColumns extends Columns {
	/** The dictionaries themselves, to check them against the vocabularies. */
	dictionaries: Record<
		'type' | 'source' | 'status' | 'gridId' | 'communityId' | 'streetId',
		string[]
	>;
}

type NumericArray = ArrayLike<number> & {
	set(a: ArrayLike<number>, offset: number): void;
	subarray(begin: number, end: number): NumericArray;
};
type TypedArrayCtor<T> = { new (length: number): T };

function column<T extends NumericArray>(table: Table, name: string, ctor: TypedArrayCtor<T>): T {
	const vector = table.getChild(name);
	if (!vector) throw new Error(`incidents.arrow has no column "${name}"`);
	const out = new ctor(table.numRows);
	let offset = 0;
	for (const chunk of vector.data) {
		// Dictionary columns keep their codes in `values`; plain columns their values.
		out.set((chunk.values as NumericArray).subarray(0, chunk.length), offset);
		offset += chunk.length;
	}
	return out;
}

function dictionary(table: Table, name: string): string[] {
	const vector = table.getChild(name) as Vector | null;
	const dict = vector?.data[0]?.dictionary;
	if (!dict) throw new Error(`incidents.arrow column "${name}" is not dictionary-encoded`);
	return Array.from(dict.toArray() as Iterable<string>);
}

export function readIncidentColumns(bytes: Uint8Array): IncidentColumns {
	const table = tableFromIPC(bytes);
	return {
		length: table.numRows,
		id: column(table, 'id', Uint32Array),
		lon: column(table, 'lon', Float32Array),
		lat: column(table, 'lat', Float32Array),
		ts: column(table, 'ts', Float64Array),
		closedTs: column(table, 'closedTs', Float64Array),
		type: column(table, 'type', Int8Array),
		source: column(table, 'source', Int8Array),
		status: column(table, 'status', Int8Array),
		priority: column(table, 'priority', Uint8Array),
		grid: column(table, 'gridId', Int16Array),
		community: column(table, 'communityId', Int16Array),
		street: column(table, 'streetId', Int16Array),
		dictionaries: {
			type: dictionary(table, 'type'),
			source: dictionary(table, 'source'),
			status: dictionary(table, 'status'),
			gridId: dictionary(table, 'gridId'),
			communityId: dictionary(table, 'communityId'),
			streetId: dictionary(table, 'streetId')
		}
	};
}
