/**
 * Copies the CLASS test set of the linear emulator into emulator-data/ so the tests run from a
 * clean clone: every test cosmology and redshift, the spectra on the training k in [1e-3, 1]
 * 1/Mpc (the judged range) as float32 base64, and every background record.
 *
 *   npx tsx scripts/pack-emulator-test-set.ts --data /work/shared/linear
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const { values } = parseArgs({ options: { data: { type: 'string' }, out: { type: 'string', default: 'emulator-data/test.json.gz' } } });
if (!values.data) throw new Error('--data DIR required');
const dir = values.data;
const meta = JSON.parse(readFileSync(join(dir, 'test.json'), 'utf8'));
const k: number[] = meta.k_Mpc;
const keep = k.map((v, i) => (v >= 1e-3 && v <= 1 ? i : -1)).filter((i) => i >= 0);
const read = (name: string) => {
  const b = readFileSync(join(dir, name));
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
};
const nz = meta.z.length;
const pack = (all: Float32Array) => {
  const out = new Float32Array(meta.records.length * nz * keep.length);
  for (let r = 0; r < meta.records.length * nz; r++) keep.forEach((j, c) => (out[r * keep.length + c] = all[r * k.length + j]));
  return Buffer.from(out.buffer).toString('base64');
};
const out = {
  source: 'CLASS test set of ../shared/linear (test.json, test.pk_cb.f32, test.pk_m.f32), k restricted to [1e-3, 1] 1/Mpc',
  k_Mpc: keep.map((j) => k[j]),
  z: meta.z,
  records: meta.records,
  pk_cb_Mpc3: pack(read('test.pk_cb.f32')),
  pk_m_Mpc3: pack(read('test.pk_m.f32')),
  shape: [meta.records.length, nz, keep.length],
};
mkdirSync('emulator-data', { recursive: true });
writeFileSync(values.out as string, gzipSync(JSON.stringify(out), { level: 9 }));
console.log(`wrote ${values.out}: ${meta.records.length} cosmologies, ${nz} z, ${keep.length} k`);
