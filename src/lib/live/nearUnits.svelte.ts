/**
 * The drill panel's "nearest patrol units": the server's answer for the place in view
 * (/api/units/nearest), so the unit listed first is the unit one-click dispatch sends.
 * Asked again when the place changes and, while it stays, on `refresh` (the page calls it as
 * patrol reports arrive); only the latest answer lands.
 */
import type { NearestUnit } from '$lib/domain/live';
import { nearestUnitsAt } from './caseApi';

type Place = readonly [number, number];

export class NearUnits {
	units = $state.raw<NearestUnit[]>([]);
	error = $state<string | null>(null);
	private seq = 0;

	constructor(
		private readonly fetchUnits: (at: Place) => Promise<{ units: NearestUnit[] }> = (at) =>
			nearestUnitsAt(at)
	) {}

	/** Asks for the units nearest `at` (null: no place, an empty list). */
	async refresh(at: Place | null): Promise<void> {
		const mine = ++this.seq;
		if (!at) {
			this.units = [];
			this.error = null;
			return;
		}
		try {
			const { units } = await this.fetchUnits(at);
			if (mine !== this.seq) return;
			this.units = units;
			this.error = null;
		} catch (e) {
			if (mine === this.seq) this.error = (e as Error).message;
		}
	}
}
