/**
 * The wall's follow mode (browser side of /api/wall/follow): a duty officer pushes a view to the
 * wall and releases it; the wall asks what it should show when it starts.
 */
import type { WallState } from '$lib/domain/live';

/** Puts this view on the wall until released; the server's refusal reason, or null when done. */
export async function followWall(view: {
	center: [number, number];
	zoom: number;
}): Promise<string | null> {
	const response = await fetch('/api/wall/follow', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(view)
	});
	return response.ok ? null : ((await response.json()) as { message: string }).message;
}

/** Gives the wall back to its tour. */
export async function releaseWall(): Promise<void> {
	await fetch('/api/wall/follow', { method: 'DELETE' });
}

/** What the wall shows now (null when the server does not say). */
export async function wallState(): Promise<WallState | null> {
	const response = await fetch('/api/wall/follow');
	return response.ok ? ((await response.json()) as WallState) : null;
}
