/**
 * What every /admin tab shares: the API client and the one error/notice line of the page.
 * `run` clears both, runs an action and shows its success text or the server's refusal.
 */
import { adminApi, type AdminApi } from './adminApi';

export class AdminSession {
	error = $state('');
	notice = $state('');

	constructor(
		/** Words for a refusal: the page's `t('admin.error', { reason })`. */
		private readonly failure: (reason: string) => string,
		readonly api: AdminApi = adminApi()
	) {}

	async run(fn: () => Promise<unknown>, done?: string): Promise<boolean> {
		this.error = '';
		this.notice = '';
		try {
			await fn();
			if (done) this.notice = done;
			return true;
		} catch (err) {
			this.error = this.failure((err as Error).message);
			return false;
		}
	}
}
