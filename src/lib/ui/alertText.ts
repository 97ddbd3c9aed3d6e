/**
 * What an alert row says besides its kind and time: the hazmat site and how far the incident is
 * from it, or the vehicle and how far it is off its lane.
 */
import type { Alert } from '$lib/domain/live';
import type { Translate } from '$lib/i18n/messages';

export function alertPlace(
	a: Alert,
	t: Translate,
	siteName: (siteId: string) => string | null,
	locale: string
): string {
	const d = a.distanceM === null ? '—' : Math.round(a.distanceM).toLocaleString(locale);
	if (a.kind === 'hazmat_radius') {
		const name = a.siteId ? (siteName(a.siteId) ?? a.siteId) : '—';
		return t('alerts.site', { name, d });
	}
	return t('alerts.vehicle', { id: a.vehicleId ?? '—', d });
}
