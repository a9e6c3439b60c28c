// Copies the CLASS-PT oracle cases from ../shared/oracle/cases into oracle-data/ as
// gzipped JSON (one file per case, content unchanged), so the tests run from a clean clone.
// Usage: node scripts/import-oracle.mjs [sourceDir]
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const src = process.argv[2] ?? '../shared/oracle/cases';
const dst = 'oracle-data';
mkdirSync(dst, { recursive: true });
let n = 0;
for (const name of readdirSync(src).sort()) {
  if (!name.endsWith('.json')) continue;
  const text = readFileSync(join(src, name), 'utf8');
  JSON.parse(text); // validate
  writeFileSync(join(dst, name + '.gz'), gzipSync(text, { level: 9 }));
  n++;
}
console.log(`imported ${n} cases into ${dst}/`);
