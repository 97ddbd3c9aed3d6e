/**
 * Writes the "Every message" lists of docs/city-pack.md from the reader's and the checker's
 * message tables (the one place each message is worded).
 *
 *   npx tsx scripts/city-pack-messages.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHECK_MESSAGES } from '../src/lib/server/citypack/check/messages';
import { READ_MESSAGE_LIST } from '../src/lib/server/citypack/read/messages';

const doc = join(import.meta.dirname, '..', 'docs', 'city-pack.md');
const row = (m: { code: string; severity: string; zh: string; en: string }) =>
	`| \`${m.code}\` | ${m.severity} | ${m.zh.replace(/\|/g, '\\|')} | ${m.en.replace(/\|/g, '\\|')} |`;
const table = (list: { code: string; severity: string; zh: string; en: string }[]) =>
	['| code | kind | 中文 | English |', '|---|---|---|---|', ...list.map(row)].join('\n');
const check = Object.entries(CHECK_MESSAGES).map(([code, t]) => ({ code, ...t }));
const body = `### Reading (files, formats, CRS, mapping)\n\n${table(READ_MESSAGE_LIST)}\n\n### Checking (geometry, coverage, hierarchy, registers)\n\n${table(check)}\n`;
const text = readFileSync(doc, 'utf8').replace(
	/<!-- messages:start -->[\s\S]*<!-- messages:end -->/,
	`<!-- messages:start -->\n\n${body}\n<!-- messages:end -->`
);
writeFileSync(doc, text);
console.log(`wrote ${doc}`);
