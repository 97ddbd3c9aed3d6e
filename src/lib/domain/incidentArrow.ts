/**
 * The incident columns (typed arrays, one entry per incident) and their one writer:
 * incidents.arrow, Arrow IPC *file* format, record batches of ≤ 65,536 rows, columns and
 * dictionaries exactly as documented in src/lib/domain/incidents.ts. Dictionaries are built
 * here with fixed contents and explicit ids, so index = position in the documented list even
 * for values that never occur, and the bytes do not depend on process state.
 */
import {
	Dictionary,
	Field,
	Float32,
	Float64,
	Int16,
	Int8,
	RecordBatch,
	Schema,
	Struct,
	Table,
	Uint32,
	Uint8,
	Utf8,
	makeData,
	tableToIPC,
	vectorFromArray,
	type Data,
	type DataType
} from 'apache-arrow';
import { INCIDENT_COLUMNS, INCIDENT_SOURCES, INCIDENT_STATUSES, INCIDENT_TYPES } from './incidents';

/**
 * Incidents as columns, in the order and codes of src/lib/domain/incidents.ts: the generator
 * fills them, the server's snapshot fills them from the database, incidentsToArrow writes them.
 * Grid/community/street are indexes into the dictionaries given to incidentsToArrow.
 */
export interface IncidentColumns {
	length: number;
	id: Uint32Array;
	lon: Float32Array;
	lat: Float32Array;
	ts: Float64Array;
	closedTs: Float64Array;
	/** Dictionary codes: positions in INCIDENT_TYPES / INCIDENT_SOURCES / INCIDENT_STATUSES. */
	type: Int8Array;
	source: Int8Array;
	status: Int8Array;
	priority: Uint8Array;
	/** Dictionary codes: positions in grids.geojson / communities.geojson / streets.geojson. */
	grid: Int16Array;
	community: Int16Array;
	street: Int16Array;
}

/** Zero-filled incident columns for n rows. */
export function allocIncidentColumns(n: number): IncidentColumns {
	return {
		length: n,
		id: new Uint32Array(n),
		lon: new Float32Array(n),
		lat: new Float32Array(n),
		ts: new Float64Array(n),
		closedTs: new Float64Array(n),
		type: new Int8Array(n),
		source: new Int8Array(n),
		status: new Int8Array(n),
		priority: new Uint8Array(n),
		grid: new Int16Array(n),
		community: new Int16Array(n),
		street: new Int16Array(n)
	};
}

export const BATCH_ROWS = 65_536;

export interface ArrowDictionaries {
	gridIds: string[];
	communityIds: string[];
	streetIds: string[];
}

export function incidentsToArrow(cols: IncidentColumns, dicts: ArrowDictionaries): Uint8Array {
	const utf8 = (values: readonly string[]) => vectorFromArray(values as string[], new Utf8());
	const dictTypes = {
		type: new Dictionary(new Utf8(), new Int8(), 0, false),
		source: new Dictionary(new Utf8(), new Int8(), 1, false),
		status: new Dictionary(new Utf8(), new Int8(), 2, false),
		gridId: new Dictionary(new Utf8(), new Int16(), 3, false),
		communityId: new Dictionary(new Utf8(), new Int16(), 4, false),
		streetId: new Dictionary(new Utf8(), new Int16(), 5, false)
	};
	const dictValues = {
		type: utf8(INCIDENT_TYPES),
		source: utf8(INCIDENT_SOURCES),
		status: utf8(INCIDENT_STATUSES),
		gridId: utf8(dicts.gridIds),
		communityId: utf8(dicts.communityIds),
		streetId: utf8(dicts.streetIds)
	};
	const plainTypes = {
		id: new Uint32(),
		lon: new Float32(),
		lat: new Float32(),
		ts: new Float64(),
		closedTs: new Float64(),
		priority: new Uint8()
	};
	const fieldType = (name: (typeof INCIDENT_COLUMNS)[number]): DataType =>
		name in dictTypes
			? dictTypes[name as keyof typeof dictTypes]
			: plainTypes[name as keyof typeof plainTypes];
	const fields = INCIDENT_COLUMNS.map((name) => new Field(name, fieldType(name), false));
	const schema = new Schema(fields);

	const batches: RecordBatch[] = [];
	for (
		let offset = 0;
		offset < cols.length || (offset === 0 && batches.length === 0);
		offset += BATCH_ROWS
	) {
		const end = Math.min(cols.length, offset + BATCH_ROWS);
		const length = end - offset;
		const column = (name: (typeof INCIDENT_COLUMNS)[number]): Data => {
			const sub = <A extends { subarray(a: number, b: number): A }>(a: A) =>
				a.subarray(offset, end);
			switch (name) {
				case 'id':
					return makeData({ type: plainTypes.id, length, nullCount: 0, data: sub(cols.id) });
				case 'lon':
					return makeData({ type: plainTypes.lon, length, nullCount: 0, data: sub(cols.lon) });
				case 'lat':
					return makeData({ type: plainTypes.lat, length, nullCount: 0, data: sub(cols.lat) });
				case 'ts':
					return makeData({ type: plainTypes.ts, length, nullCount: 0, data: sub(cols.ts) });
				case 'closedTs':
					return makeData({
						type: plainTypes.closedTs,
						length,
						nullCount: 0,
						data: sub(cols.closedTs)
					});
				case 'priority':
					return makeData({
						type: plainTypes.priority,
						length,
						nullCount: 0,
						data: sub(cols.priority)
					});
				case 'type':
				case 'source':
				case 'status':
					return makeData({
						type: dictTypes[name],
						length,
						nullCount: 0,
						data: sub(cols[name]),
						dictionary: dictValues[name]
					});
				case 'gridId':
				case 'communityId':
				case 'streetId': {
					const src =
						name === 'gridId' ? cols.grid : name === 'communityId' ? cols.community : cols.street;
					return makeData({
						type: dictTypes[name],
						length,
						nullCount: 0,
						data: sub(src),
						dictionary: dictValues[name]
					});
				}
			}
		};
		const children = INCIDENT_COLUMNS.map(column);
		batches.push(
			new RecordBatch(
				schema,
				makeData({ type: new Struct(fields), length, nullCount: 0, children })
			)
		);
		if (cols.length === 0) break;
	}
	return tableToIPC(new Table(schema, batches), 'file');
}
