/**
 * Demo hazmat transport vehicles: a few drive back and forth along the dedicated hazmat lanes,
 * and now and then one strays off its lane for a couple of minutes — so the off-lane alert rule
 * (alerts/rules.ts) has something real to catch. Positions are a pure function of time, like the
 * patrol tracks: no state to keep, and the tests can ask where a vehicle is at any moment.
 */
import type { VehiclePosition } from '$lib/domain/live';
import { distanceToLineM } from '../alerts/rules';

export interface Lane {
	id: string;
	coords: [number, number][];
}

interface LaneGeometry extends Lane {
	/** Cumulative metres at each vertex. */
	cum: number[];
	length: number;
}

const RAD = Math.PI / 180;
const M_PER_DEG = 111_320;
/** ~36 km/h. */
const SPEED_MPS = 10;
/** Each vehicle's stray cycle: in some cycles it leaves the lane for STRAY_MS. */
const CYCLE_MS = 10 * 60_000;
const STRAY_MS = 2 * 60_000;
const STRAY_PEAK_M = 400;
const STRAY_SHARE = 0.35;
/** At most this many vehicles in all (two per lane). */
export const MAX_VEHICLES = 6;

/** A stable pseudo-random number in [0, 1) for (vehicle, cycle) — no shared RNG state. */
function hash01(a: number, b: number): number {
	let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35);
	h ^= h >>> 15;
	h = Math.imul(h, 0x2c1b3c6d);
	h ^= h >>> 12;
	return (h >>> 0) / 4_294_967_296;
}

function measure(lane: Lane): LaneGeometry {
	const cum = [0];
	for (let i = 1; i < lane.coords.length; i++) {
		const [x0, y0] = lane.coords[i - 1];
		const [x1, y1] = lane.coords[i];
		const kx = Math.cos(((y0 + y1) / 2) * RAD) * M_PER_DEG;
		cum.push(cum[i - 1] + Math.hypot((x1 - x0) * kx, (y1 - y0) * M_PER_DEG));
	}
	return { ...lane, cum, length: cum[cum.length - 1] };
}

/** The point `s` metres along the lane, shifted `offset` metres to its left. */
function along(lane: LaneGeometry, s: number, offset: number): [number, number] {
	let i = 1;
	while (i < lane.cum.length - 1 && lane.cum[i] < s) i++;
	const [x0, y0] = lane.coords[i - 1];
	const [x1, y1] = lane.coords[i];
	const seg = lane.cum[i] - lane.cum[i - 1] || 1;
	const f = Math.max(0, Math.min(1, (s - lane.cum[i - 1]) / seg));
	const kx = Math.cos(y0 * RAD) * M_PER_DEG;
	const dx = ((x1 - x0) * kx) / seg;
	const dy = ((y1 - y0) * M_PER_DEG) / seg;
	return [x0 + (x1 - x0) * f + (-dy * offset) / kx, y0 + (y1 - y0) * f + (dx * offset) / M_PER_DEG];
}

export class HazmatFleet {
	private lanes: LaneGeometry[];
	private vehicles: { id: string; lane: LaneGeometry; phase: number; n: number }[];

	constructor(lanes: Lane[]) {
		this.lanes = lanes.filter((l) => l.coords.length >= 2).map(measure);
		this.vehicles = [];
		for (let k = 0; k < 2 && this.vehicles.length < MAX_VEHICLES; k++) {
			for (const lane of this.lanes) {
				if (this.vehicles.length >= MAX_VEHICLES) break;
				const n = this.vehicles.length;
				this.vehicles.push({
					id: `HV${String(n + 1).padStart(2, '0')}`,
					lane,
					phase: k * lane.length, // the second vehicle of a lane starts at the other end
					n
				});
			}
		}
	}

	lane(id: string): [number, number][] | undefined {
		return this.lanes.find((l) => l.id === id)?.coords;
	}

	/** Where every vehicle is at `at` (epoch ms). */
	positions(at: number): VehiclePosition[] {
		return this.vehicles.map((v) => {
			const trip = 2 * v.lane.length || 1;
			const x = ((((at / 1000) * SPEED_MPS + v.phase) % trip) + trip) % trip;
			const s = x <= v.lane.length ? x : trip - x; // there and back
			// Stagger the vehicles' cycles so they do not all stray at once.
			const t = at + v.n * (CYCLE_MS / MAX_VEHICLES);
			const cycle = Math.floor(t / CYCLE_MS);
			const inCycle = t - cycle * CYCLE_MS;
			let offset = 0;
			if (hash01(v.n + 1, cycle) < STRAY_SHARE && inCycle < STRAY_MS)
				offset = STRAY_PEAK_M * Math.sin((Math.PI * inCycle) / STRAY_MS);
			const [lon, lat] = along(v.lane, s, offset);
			return {
				id: v.id,
				laneId: v.lane.id,
				lon: Math.round(lon * 1e6) / 1e6,
				lat: Math.round(lat * 1e6) / 1e6,
				offLaneM: Math.round(distanceToLineM(lon, lat, v.lane.coords))
			};
		});
	}
}
