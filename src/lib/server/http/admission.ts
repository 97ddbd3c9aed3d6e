/**
 * Admission control for write routes (issue 16): each route runs at most `active` writes at once
 * and lets at most `queued` more wait, each for at most `waitMs`. Beyond that the request is
 * refused at once with 503 + Retry-After — before anything is read from or written to the
 * database — so an overload costs the client a retry, not a timeout on a write that was then
 * committed anyway, and reads and sign-in keep their share of the database.
 */
import { ApiError } from './errors';

export interface AdmissionLimits {
	/** Writes of this route running at once. */
	active: number;
	/** Writes waiting for a turn; one more is refused with 503. */
	queued: number;
	/** How long a write may wait for its turn before it is refused with 503 (ms). */
	waitMs: number;
}

/** What a route gets unless configured (ONEMAP_WRITE_ACTIVE, ONEMAP_WRITE_QUEUE). */
export const DEFAULT_ADMISSION: AdmissionLimits = { active: 4, queued: 32, waitMs: 5_000 };

/** Retry-After of a refused write, seconds. */
export const OVERLOAD_RETRY_AFTER_S = 1;

function overloaded(route: string, why: string): ApiError {
	return new ApiError(
		503,
		`The server is busy with other writes (${route}: ${why}); nothing was stored. Send it again in ${OVERLOAD_RETRY_AFTER_S} s — with the same Idempotency-Key header it is stored once however often it is sent.`,
		null,
		[],
		{ code: 'overloaded' },
		{ 'retry-after': String(OVERLOAD_RETRY_AFTER_S) }
	);
}

export class Admission {
	#active = 0;
	readonly #waiting: { start: () => void; timer: ReturnType<typeof setTimeout> }[] = [];

	constructor(
		readonly route: string,
		readonly limits: AdmissionLimits = DEFAULT_ADMISSION
	) {}

	/** Writes running now and waiting now (for /api/health and the tests). */
	get depth(): { active: number; queued: number } {
		return { active: this.#active, queued: this.#waiting.length };
	}

	/** Runs `fn` when its turn comes; throws the 503 ApiError when the queue is full or the wait too long. */
	async run<T>(fn: () => Promise<T>): Promise<T> {
		if (this.#active >= this.limits.active) await this.#wait();
		else this.#active++;
		try {
			return await fn();
		} finally {
			const next = this.#waiting.shift();
			if (next) {
				clearTimeout(next.timer);
				next.start(); // the slot passes to the next in line
			} else this.#active--;
		}
	}

	#wait(): Promise<void> {
		if (this.#waiting.length >= this.limits.queued)
			return Promise.reject(overloaded(this.route, `${this.limits.queued} already waiting`));
		return new Promise<void>((resolve, reject) => {
			const entry = {
				start: resolve,
				timer: setTimeout(() => {
					const at = this.#waiting.indexOf(entry);
					if (at >= 0) this.#waiting.splice(at, 1);
					reject(overloaded(this.route, `no turn within ${this.limits.waitMs / 1000} s`));
				}, this.limits.waitMs)
			};
			this.#waiting.push(entry);
		});
	}
}

const routes = new Map<string, Admission>();

/** The one admission queue of a write route (created on first use with `limits`). */
export function admission(route: string, limits: AdmissionLimits = DEFAULT_ADMISSION): Admission {
	let queue = routes.get(route);
	if (!queue) routes.set(route, (queue = new Admission(route, limits)));
	return queue;
}

/** Every write route's queue depth, for /api/health. */
export function admissionDepths(): Record<string, { active: number; queued: number }> {
	return Object.fromEntries([...routes].map(([name, queue]) => [name, queue.depth]));
}
