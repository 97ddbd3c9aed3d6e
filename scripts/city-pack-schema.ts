/**
 * Writes docs/city-pack.schema.json, the JSON Schema of a city pack's city.json, from the one
 * definition in src/lib/domain/cityPack.ts (a unit test fails when the file is stale).
 *
 *   npx tsx scripts/city-pack-schema.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cityPackSchemaText } from '../src/lib/domain/cityPack';

const out = join(import.meta.dirname, '..', 'docs', 'city-pack.schema.json');
writeFileSync(out, cityPackSchemaText());
console.log(`wrote ${out}`);
