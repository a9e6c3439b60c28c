/** Loader of the emulator's CLASS test set copy (emulator-data/test.json.gz; see scripts/pack-emulator-test-set.ts). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

export interface TestRecord {
  index: number;
  params: Record<string, number>;
  rs_drag_Mpc: number;
  f: number[];
  H_kms_Mpc: number[];
  D_A_Mpc: number[];
  D: number[];
  sigma8: number[];
}

export interface EmulatorTestSet {
  k_Mpc: number[];
  z: number[];
  records: TestRecord[];
  /** [record][z][k] */
  pkCb: (r: number, iz: number) => Float32Array;
  pkM: (r: number, iz: number) => Float32Array;
}

export function loadEmulatorTestSet(): EmulatorTestSet {
  const path = join(dirname(fileURLToPath(import.meta.url)), '..', 'emulator-data', 'test.json.gz');
  const d = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8'));
  const arr = (s: string) => {
    const b = Buffer.from(s, 'base64');
    const c = new Uint8Array(b.byteLength);
    c.set(b);
    return new Float32Array(c.buffer);
  };
  const cb = arr(d.pk_cb_Mpc3);
  const m = arr(d.pk_m_Mpc3);
  const [, nz, nk] = d.shape as number[];
  const at = (a: Float32Array) => (r: number, iz: number) => a.subarray((r * nz + iz) * nk, (r * nz + iz + 1) * nk);
  return { k_Mpc: d.k_Mpc, z: d.z, records: d.records, pkCb: at(cb), pkM: at(m) };
}
