/** Who did it, for plan history and case-audit entries (auth sets locals.user; may be null). */
export function actorOf(locals: App.Locals): string {
	return locals.user?.displayName ?? 'anonymous';
}
