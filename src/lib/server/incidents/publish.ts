/**
 * After a transition commits: the changed cases go on the live bus as `incidents` `status`
 * events (with their new rev and version), and patrol units taken or freed are shown so at once.
 */
import type { LiveBus } from '../live/bus';
import type { Simulator } from '../live/simulator';
import type { TransitionResult } from './lifecycle';

export function publishTransitions(
	bus: LiveBus,
	simulator: Simulator | null,
	results: TransitionResult[]
): void {
	if (results.length === 0) return;
	// Only the last state of each case: several steps in one request are one change to a viewer.
	const last = new Map(results.map((r) => [r.record.id, r.record]));
	bus.publish({ type: 'incidents', change: 'status', incidents: [...last.values()] });
	let units = false;
	for (const r of results) {
		if (r.held.length) simulator?.setHeld(r.held, r.record.id);
		if (r.released.length) simulator?.setHeld(r.released, null);
		units ||= r.held.length > 0 || r.released.length > 0;
	}
	if (units) simulator?.publishPatrols();
}
