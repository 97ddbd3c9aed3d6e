import { DAY_SECONDS, cstSecondsOfDay } from '$lib/domain/time';

/**
 * The patrol clock: real CST time of day, ticking once a second. Replaying the past is asked
 * for in the URL — `?clock=HH:MM` starts at a fixed time, `?speed=N` runs N times real time
 * (`?speed=0` freezes it: screenshots, tests) — and then the map shows tracks, not live units.
 */
export class PatrolClock {
	timeOfDay = $state(cstSecondsOfDay(Date.now()));
	speed = $state(1);
	/** The URL asked for a replay: the map shows the tracks at this clock, never live positions. */
	replay = $state(false);
	/** Minimum milliseconds between redraws, so software-rendered walls are not saturated. */
	frameMs = 1000;

	init(url: URL): void {
		const clock = url.searchParams.get('clock');
		const match = clock?.match(/^(\d{1,2}):(\d{2})$/);
		if (match) {
			this.timeOfDay = (Number(match[1]) * 3600 + Number(match[2]) * 60) % DAY_SECONDS;
			this.replay = true;
		}
		const speed = Number(url.searchParams.get('speed'));
		if (url.searchParams.has('speed') && Number.isFinite(speed) && speed >= 0) {
			this.speed = speed;
			this.replay = true;
		}
		// A fast replay moves visibly: redraw more often.
		if (this.speed > 1) this.frameMs = 100;
	}

	/** Runs the clock; returns a function that stops it. */
	start(): () => void {
		let last = performance.now();
		let handle = 0;
		const tick = (now: number) => {
			if (now - last >= this.frameMs) {
				if (!this.replay) this.timeOfDay = cstSecondsOfDay(Date.now());
				else if (this.speed > 0)
					this.timeOfDay = (this.timeOfDay + ((now - last) / 1000) * this.speed) % DAY_SECONDS;
				last = now;
			}
			handle = requestAnimationFrame(tick);
		};
		handle = requestAnimationFrame(tick);
		return () => cancelAnimationFrame(handle);
	}
}
