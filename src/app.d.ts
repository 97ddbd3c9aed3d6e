// See https://svelte.dev/docs/kit/types#app.d.ts
import type { SessionUser } from '$lib/domain/auth';

declare global {
	namespace App {
		interface Locals {
			/** Set by hooks.server.ts from the session cookie or device token; null when signed out. */
			user: SessionUser | null;
		}
		// interface Error {}
		// interface PageData {}
		// interface PageState {}
		// interface Platform {}
	}
}

export {};
