/**
 * Case status (GB/T 30428 cycle): reported → registered → dispatched → handling → verifying →
 * closed. A status only moves forward; closing stamps closed_ts.
 */
import { INCIDENT_STATUSES, type IncidentStatus } from '$lib/domain/incidents';
import type { Queryable } from '../db/types';
import { ApiError } from '../http/errors';
import { RECORD_COLUMNS, type IncidentRecord } from './records';

export function nextStatus(status: IncidentStatus): IncidentStatus | null {
	const i = INCIDENT_STATUSES.indexOf(status);
	return i >= 0 && i < INCIDENT_STATUSES.length - 1 ? INCIDENT_STATUSES[i + 1] : null;
}

export async function setStatus(
	db: Queryable,
	id: number,
	status: IncidentStatus,
	at: number = Date.now()
): Promise<IncidentRecord> {
	const rows = await db.query<IncidentRecord>(
		`UPDATE incident AS i
		 SET status = $2, closed_ts = CASE WHEN $2 = 'closed' THEN to_timestamp($4 / 1000.0) END
		 WHERE i.id = $1 AND array_position($3::text[], i.status) < array_position($3::text[], $2)
		 RETURNING ${RECORD_COLUMNS}`,
		[id, status, INCIDENT_STATUSES, at]
	);
	if (rows.length) return rows[0];
	const [current] = await db.query<{ status: IncidentStatus }>(
		'SELECT status FROM incident WHERE id = $1',
		[id]
	);
	if (!current) throw new ApiError(404, `There is no incident ${id}.`, 'id');
	throw new ApiError(
		409,
		`Incident ${id} is already "${current.status}"; a status only moves forward (${INCIDENT_STATUSES.join(' → ')}).`,
		'status'
	);
}
