/**
 * Who is signed in, asked once per page load and read by whatever needs it: the user menu
 * shows it, headers offer only the links the role may follow. Kept in context by the root
 * layout, so no component has to hand the user up to its parent.
 */
import { getContext, setContext } from 'svelte';
import type { SessionUser } from '$lib/domain/auth';
import { whoAmI, type WhoAmI } from './client';

export class Me {
	user = $state.raw<SessionUser | null>(null);
	/** Signed in by a device (kiosk cookie or Bearer token), not a person's session. */
	device = $state(false);
	private asked: Promise<void> | null = null;

	constructor(private readonly ask: () => Promise<WhoAmI> = whoAmI) {}

	/** Asks the server once; later calls wait for the same answer. A failure leaves it signed out. */
	load(): Promise<void> {
		this.asked ??= this.ask()
			.then((me) => {
				this.user = me.user;
				this.device = me.via === 'device' || me.via === 'bearer';
			})
			.catch(() => {});
		return this.asked;
	}
}

const KEY = Symbol('me');
export const setMe = (me: Me) => setContext(KEY, me);
export const getMe = () => getContext<Me>(KEY);
