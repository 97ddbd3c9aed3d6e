/**
 * The loading overlay's steps on the map pages: the city, the incident download (with its bytes),
 * the engine (with the rows it holds). Pure.
 */
import type { LoadProgress } from '$lib/engine/engine';
import type { Translate } from '$lib/i18n/messages';
import type { MessageKey } from '$lib/i18n/messages';

/** One line of the loading overlay (ui/LoadingOverlay.svelte). */
export interface LoadingStep {
	label: MessageKey;
	done: boolean;
	/** 0..1 where known */
	fraction?: number | null;
	detail?: string;
}

export interface LoadingState {
	cityLoaded: boolean;
	progress: LoadProgress | null;
	engineReady: boolean;
}

/** `detail`: show megabytes and rows beside the steps (the desk; the wall shows bars only). */
export function loadingSteps(
	{ cityLoaded, progress, engineReady }: LoadingState,
	detail?: { t: Translate; locale: string }
): LoadingStep[] {
	const fraction = progress?.totalBytes ? progress.bytes / progress.totalBytes : null;
	const incidents: LoadingStep = {
		label: 'loading.incidents',
		done: progress !== null && progress.phase !== 'download',
		fraction
	};
	const clusters: LoadingStep = { label: 'loading.clusters', done: engineReady };
	if (detail) {
		incidents.detail = progress ? `${(progress.bytes / 1e6).toFixed(1)} MB` : '';
		clusters.detail = progress?.rows
			? detail.t('incidents.total', { count: progress.rows.toLocaleString(detail.locale) })
			: '';
	}
	return [{ label: 'loading.city', done: cityLoaded }, incidents, clusters];
}
