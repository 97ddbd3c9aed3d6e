import { DAY_SECONDS, cstSecondsOfDay } from '$lib/domain/time';

/**
 * The time the patrol layer shows. Starts at the current time of day in China and runs
 * `speed` times faster than real time (default 30×, so movement is visible on the wall).
 * `?clock=HH:MM` starts at a fixed time, `?speed=0` freezes it (screenshots, tests).
 */
export class PatrolClock {
	timeOfDay = $state(cstSecondsOfDay(Date.now()));
	speed = $state(30);
	/** Minimum milliseconds between redraws, so software-rendered walls are not saturated. */
	frameMs = 100;

	init(url: URL): void {
		const clock = url.searchParams.get('clock');
		const match = clock?.match(/^(\d{1,2}):(\d{2})$/);
		if (match) this.timeOfDay = (Number(match[1]) * 3600 + Number(match[2]) * 60) % DAY_SECONDS;
		const speed = Number(url.searchParams.get('speed'));
		if (url.searchParams.has('speed') && Number.isFinite(speed) && speed >= 0) this.speed = speed;
	}

	/** Runs the clock; returns a function that stops it. */
	start(): () => void {
		let last = performance.now();
		let handle = 0;
		const tick = (now: number) => {
			if (now - last >= this.frameMs) {
				if (this.speed > 0) {
					this.timeOfDay = (this.timeOfDay + ((now - last) / 1000) * this.speed) % DAY_SECONDS;
				}
				last = now;
			}
			handle = requestAnimationFrame(tick);
		};
		handle = requestAnimationFrame(tick);
		return () => cancelAnimationFrame(handle);
	}
}
