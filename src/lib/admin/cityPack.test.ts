import { describe, expect, it } from 'vitest';
import { readNdjson } from './cityPack';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
	const encoder = new TextEncoder();
	return new ReadableStream({
		start(c) {
			for (const chunk of chunks) c.enqueue(encoder.encode(chunk));
			c.close();
		}
	});
}

describe('readNdjson', () => {
	it('joins lines split across chunks and keeps a last line without newline', async () => {
		const lines: unknown[] = [];
		await readNdjson(streamOf(['{"a":1}\n{"b"', ':2}\n\n{"c":', '"中文"}']), (l) => lines.push(l));
		expect(lines).toEqual([{ a: 1 }, { b: 2 }, { c: '中文' }]);
	});
});
