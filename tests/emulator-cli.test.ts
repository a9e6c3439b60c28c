/**
 * `clax-pt linear --cosmo FILE` and `clax-pt compute --cosmo FILE`, in-process: the JSON answer
 * against the CLASS test set's records (one test cosmology), and bad input (out of range, missing
 * fields) refused with exit status 2 and one line naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli/main';
import { loadEmulatorTestSet } from './emulator-data';

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s), isTTY: false } });
  return { code, out, err };
}

const set = loadEmulatorTestSet();
let dir: string;
const write = (name: string, obj: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(obj));
  return p;
};

describe('clax-pt linear / compute --cosmo', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'clax-emu-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('linear prints the training records\' names and units, matching CLASS', async () => {
    const rec = set.records[7];
    const r = await cli('linear', '--cosmo', write('c.json', { params: rec.params, z: set.z, k_Mpc: set.k_Mpc }), '--backend', 'cpu');
    expect(r.code, r.err).toBe(0);
    const a = JSON.parse(r.out);
    for (const key of ['pk_m_Mpc3', 'pk_cb_Mpc3', 'f', 'H_kms_Mpc', 'D_A_Mpc', 'D', 'sigma8', 'rs_drag_Mpc']) expect(a).toHaveProperty(key);
    expect(a.pk_cb_Mpc3).toHaveLength(set.z.length);
    let worst = 0;
    set.z.forEach((_, iz) => {
      const cb = set.pkCb(7, iz);
      a.pk_cb_Mpc3[iz].forEach((v: number, j: number) => (worst = Math.max(worst, Math.abs(v / cb[j] - 1))));
      expect(Math.abs(a.H_kms_Mpc[iz] / rec.H_kms_Mpc[iz] - 1)).toBeLessThan(1e-4);
      expect(Math.abs(a.f[iz] / rec.f[iz] - 1)).toBeLessThan(1e-3);
    });
    expect(worst).toBeLessThan(5e-3);
    expect(Math.abs(a.rs_drag_Mpc / rec.rs_drag_Mpc - 1)).toBeLessThan(1e-3);
  });

  it('bad input: one line naming the field, exit status 2', async () => {
    const p = set.records[0].params;
    const cases: [unknown, RegExp][] = [
      [{ params: { ...p, h: 0.9 }, z: [0.5], k_Mpc: [0.1] }, /params\.h: 0\.9 lies outside/],
      [{ params: { ...p, m_ncdm: 0 }, z: [0.5], k_Mpc: [0.1] }, /params\.m_ncdm/],
      [{ params: p, z: [4], k_Mpc: [0.1] }, /z\[0\]/],
      [{ params: p, z: [0.5], k_Mpc: [50] }, /k_Mpc\[0\]/],
      [{ params: p, z: [0.5] }, /k_Mpc: missing/],
      [{ params: p, z: [0.5], k_Mpc: [0.1], extra: 1 }, /extra .*unknown key/],
    ];
    for (const [obj, re] of cases) {
      const r = await cli('linear', '--cosmo', write('bad.json', obj));
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(re);
    }
    const r = await cli('compute', '--cosmo', write('bad2.json', { params: { ...p, omega_b: 0.03 }, z: 0.5 }));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/params\.omega_b/);
  });

  it('compute --cosmo: spectra per z as JSON', async () => {
    const file = write('cosmo.json', { params: set.records[3].params, z: [0.38, 0.61], bias: { b1: 2.2 } });
    const r = await cli('compute', '--cosmo', file, '--n', '128', '--spectra', 'gg_l0,gg_l2', '--kmin', '0.01', '--kmax', '0.2', '--nk', '5', '--json');
    expect(r.code, r.err).toBe(0);
    const a = JSON.parse(r.out);
    expect(a.results).toHaveLength(2);
    expect(a.results[0].bias.b1).toBe(2.2);
    expect(a.results[1].z).toBe(0.61);
    for (const res of a.results) for (const v of res.spectra_hMpc3.gg_l0) expect(Number.isFinite(v) && v > 0).toBe(true);
  });
});
