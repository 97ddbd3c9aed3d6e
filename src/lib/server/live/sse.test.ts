import { describe, expect, it } from 'vitest';
import { parseSince } from './sse';

const at = (query: string, lastEventId?: string) =>
	parseSince(
		new URL(`http://x/api/stream${query}`),
		new Request('http://x/', { headers: lastEventId ? { 'last-event-id': lastEventId } : {} })
	);

describe('parseSince', () => {
	it('reads ?since= and refuses anything but a change number (400 naming since)', () => {
		expect(at('?since=42')).toBe(42);
		expect(at('')).toBeNull();
		expect(at('?since=')).toBeNull();
		for (const bad of ["'%20OR%201=1", '-1', '1.5', '1e3', '99999999999999999999', '%00'])
			expect(() => at(`?since=${bad}`)).toThrow(
				expect.objectContaining({ status: 400, field: 'since' })
			);
	});

	it('ignores a bad Last-Event-ID header (EventSource sends it by itself)', () => {
		expect(at('', '17')).toBe(17);
		expect(at('', 'garbage')).toBeNull();
		expect(at('?since=3', '17')).toBe(3);
	});
});
