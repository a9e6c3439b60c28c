/**
 * The public API's naming convention (docs/API.md) and its deprecated aliases, which stay for one
 * release: they must give exactly what the canonical names give.
 *   - CosmologyInput: n_s, A_s (CLASS names); nS, As deprecated
 *   - predictFromCosmology: derived.{HKmsMpc, DAMpc}; derived.{H, DA} deprecated, not enumerable
 *   - fNL spectra: (components, params, context) with context.fnlShape; the old
 *     (components, l, params, h, shape) forms and a trailing shape deprecated
 *   - the entry exports the user API, not the engine's internals
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as lib from '../src/index';
import { caseInputs, type CaseFile } from '../src/input/case';
import { loadCase } from './oracle';

describe('the public API: canonical names and deprecated aliases', () => {
  let inputs: ReturnType<typeof caseInputs>;
  beforeAll(async () => {
    await lib.useBackend('wasm');
    inputs = caseInputs(loadCase('fiducial') as unknown as CaseFile);
  });

  function rows(cosmo: lib.CosmologyInput): Record<string, Float32Array> {
    const res = lib.computeComponents(lib.getPlan({ n: 128 }), [cosmo], { ...inputs.options, primordialNonGaussianity: true, kOutMpc: inputs.kOutMpc.slice(0, 40) });
    const out = Object.fromEntries(Object.entries(res.components).map(([k, t]) => [k, t.dataSync() as Float32Array]));
    res.dispose();
    return out;
  }

  it('n_s, A_s and their deprecated names nS, As give identical components', () => {
    const { n_s, A_s, ...rest } = inputs.cosmology;
    expect(typeof n_s).toBe('number');
    expect(typeof A_s).toBe('number');
    const canonical = rows({ ...rest, n_s, A_s });
    const deprecated = rows({ ...rest, nS: n_s, As: A_s });
    expect(Object.keys(deprecated).sort()).toEqual(Object.keys(canonical).sort());
    for (const k of Object.keys(canonical)) expect(Array.from(deprecated[k]), k).toEqual(Array.from(canonical[k]));
    // the error names the canonical field
    expect(() => rows({ ...rest, A_s })).toThrow(/n_s/);
  });

  it('fNL spectra: (components, params, {h, fnlShape}) equals the deprecated forms', () => {
    const raw = rows(inputs.cosmology);
    const c = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, tf.tensor2d(v, [1, v.length])]));
    const p = { b1: 1.9, b2: -0.7, bG2: 0.3 };
    const h = inputs.h;
    const same = (a: tf.Tensor, b: tf.Tensor, what: string) => {
      expect(Array.from(a.dataSync()), what).toEqual(Array.from(b.dataSync()));
      a.dispose();
      b.dispose();
    };
    for (const fnlShape of ['equilateral', 'orthogonal'] as const) {
      const ctx = { h, fnlShape };
      same(lib.pkMmFnlL0(c, ctx), lib.pkMmFnl(c, 0, h, fnlShape), `mm l0 ${fnlShape}`);
      same(lib.pkMmFnlL4(c, ctx), lib.pkMmFnl(c, 4, h, fnlShape), `mm l4 ${fnlShape}`);
      same(lib.pkGgFnlL2(c, p, ctx), lib.pkGgFnl(c, 2, p, h, fnlShape), `gg l2 ${fnlShape}`);
      same(lib.pkGmFnlL0(c, p, ctx), lib.pkGmFnl(c, 0, p, h, fnlShape), `gm l0 ${fnlShape}`);
      same(lib.pkGgFnlReal(c, p, ctx), lib.pkGgFnlReal(c, p, h, fnlShape), `gg real ${fnlShape}`);
      const a = lib.assembleFnl(c, p, ctx);
      const b = lib.assembleFnl(c, p, h, fnlShape);
      expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
      for (const k of Object.keys(a)) same(a[k], b[k], k);
    }
    // the template defaults to equilateral, and a wrong one is refused by name
    same(lib.pkGgFnlL0(c, p, { h }), lib.pkGgFnlL0(c, p, { h, fnlShape: 'equilateral' }), 'default template');
    expect(() => lib.pkGgFnlL0(c, p, { h, fnlShape: 'local' as lib.FnlShape })).toThrow(/fnlShape/);
    for (const t of Object.values(c)) t.dispose();
  });

  it('predictFromCosmology: derived.HKmsMpc, DAMpc; H, DA are non-enumerable aliases', () => {
    const r = lib.predictFromCosmology(
      [{ params: { omega_b: 0.0224, omega_cdm: 0.12, h: 0.677, 'ln10^{10}A_s': 3.04, n_s: 0.965, m_ncdm: 0.06 }, z: 0.5 }],
      { n: 128, kOutHMpc: [0.05, 0.1, 0.15] },
    );
    try {
      expect(Object.keys(r.derived).sort()).toEqual(['DAMpc', 'Dratio', 'HKmsMpc', 'f', 'hratio', 'rsDragMpc']);
      expect(r.derived.H).toBe(r.derived.HKmsMpc);
      expect(r.derived.DA).toBe(r.derived.DAMpc);
      const H = r.derived.HKmsMpc.dataSync()[0];
      // H(z = 0.5) for this cosmology is ~ 90 km/s/Mpc (E(z) ~ 1.3)
      expect(H).toBeGreaterThan(80);
      expect(H).toBeLessThan(100);
    } finally {
      r.dispose();
    }
  });

  it('the entry exports the user API, not the engine internals', () => {
    for (const name of ['useBackend', 'getPlan', 'computeComponents', 'computeAsync', 'predictFromCosmology', 'pkGgL0', 'pkGgFnlL0', 'assembleFnl', 'FullShapeLikelihood', 'checkConfig', 'findMap', 'Chain', 'rhat', 'cornerSvg', 'ClaxPtInputError']) {
      expect(lib, name).toHaveProperty(name);
    }
    for (const name of ['getEmulator', 'rowParams', 'backgroundTensors', 'hostBackground', 'apRatiosHost', 'apSideNodes', 'PURE_AP_ROWS', 'hasSyncRead', 'fftlogSizeFromMode', 'InputError']) {
      expect(lib, name).not.toHaveProperty(name);
    }
  });
});
