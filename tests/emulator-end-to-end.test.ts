/**
 * End to end: cosmological parameters -> emulator + background -> one-loop engine -> classy's
 * spectra, against CLASS-PT for every oracle case inside the emulator's range (gg_l0, gg_l2
 * within 0.5% over k in [0.005, 0.3] h/Mpc, metric max|delta|/max|ref|); the derived scalars
 * against the ones CLASS-PT used; gradients with respect to all six cosmological parameters
 * and the nuisance parameters against central finite differences; batching; no tensor leak.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../src/backend';
import { predictFromCosmology, type CosmologyCase } from '../src/cosmology/end-to-end';
import { COSMO_PARAM_NAMES, type CosmoParamName } from '../src/cosmology/params';
import { isInputError } from '../src/errors';
import { listCases, loadCase } from './oracle';
import { maxRelativeError, WorstCase } from './metrics';
import { emulatorCase } from './emulator-oracle';
import { expectWithinBound, type Family } from './bounds';

describe('end to end: cosmology -> spectra vs CLASS-PT', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('every spectrum it computes and f, r_s, hratio, Dratio, for every oracle case in range', (ctx) => {
    const worst = new WorstCase();
    const skipped: string[] = [];
    for (const id of listCases()) {
      const c = loadCase(id);
      const ec = emulatorCase(c);
      if (typeof ec === 'string') {
        skipped.push(`${id} (${ec})`);
        continue;
      }
      const r = predictFromCosmology(ec.cases, ec.options);
      try {
        const ref = (c as unknown as { output: { spectra_hMpc3: Record<string, number[]> } }).output.spectra_hMpc3;
        for (const name of ['gg_l0', 'gg_l2', 'gg_l4', 'mm_real', 'gg_real'] as const) {
          if (!r.spectra[name] || !ref[name]) continue;
          worst.add(name, id, maxRelativeError(r.spectra[name]!.dataSync(), ref[name], ec.kHMpc));
        }
        // gg_l4 is 1-4% of gg_l0 here: its error relative to the monopole is what P's error sets
        if (ref.gg_l0 && ref.gg_l4 && r.spectra.gg_l4) {
        const l0 = ref.gg_l0.reduce((m, v, i) => (ec.kHMpc[i] >= 0.005 && ec.kHMpc[i] <= 0.3 ? Math.max(m, Math.abs(v)) : m), 0);
        const l4 = ref.gg_l4.reduce((m, v, i) => (ec.kHMpc[i] >= 0.005 && ec.kHMpc[i] <= 0.3 ? Math.max(m, Math.abs(v)) : m), 0);
        worst.add('gg_l4 / max|gg_l0|', id, (maxRelativeError(r.spectra.gg_l4!.dataSync(), ref.gg_l4, ec.kHMpc) * l4) / l0);
        }
        const d = c.derived;
        const rel = (t: tf.Tensor, v: number) => Math.abs(t.dataSync()[0] / v - 1);
        worst.add('f', id, rel(r.derived.f, d.f));
        worst.add('rs_drag', id, rel(r.derived.rsDragMpc, d.rs_drag_Mpc));
        if (ec.options.alcockPaczynski) {
          worst.add('hratio', id, rel(r.derived.hratio, d.hratio));
          worst.add('Dratio', id, rel(r.derived.Dratio, d.Dratio));
        }
      } finally {
        r.dispose();
      }
    }
    console.log(worst.table('emulator-driven spectra vs CLASS-PT (scalars: relative error)') + `\n  skipped: ${skipped.join(', ')}`);
    expect(worst.entries().length).toBe(10);
    const check = (family: Family, name: string) => {
      const w = worst.entries().find(([n]) => n === name)![1];
      expectWithinBound(ctx, family, w.err, `${w.id} ${name}`);
    };
    check('emulator end to end: gg_l0', 'gg_l0');
    check('emulator end to end: gg_l2', 'gg_l2');
    check('emulator end to end: gg_l4', 'gg_l4');
    check('emulator end to end: gg_l4 relative to max|gg_l0|', 'gg_l4 / max|gg_l0|');
    check('emulator end to end: mm_real, gg_real', worst.get('mm_real') > worst.get('gg_real') ? 'mm_real' : 'gg_real');
    check('emulator end to end: f, r_s,drag (relative)', worst.get('f') > worst.get('rs_drag') ? 'f' : 'rs_drag');
    check('emulator end to end: hratio, Dratio (relative)', worst.get('hratio') > worst.get('Dratio') ? 'hratio' : 'Dratio');
  });
});

describe('end to end: gradients, batching, memory', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  const fid = loadCase('fiducial');
  const base = emulatorCase(fid);
  if (typeof base === 'string') throw new Error(`fiducial not in range: ${base}`);
  const kH = base.kHMpc;
  const window = Float32Array.from(kH, (k) => (k >= 0.005 && k <= 0.3 ? 1 : 0));
  const BIAS = ['b1', 'b2', 'bG2', 'bGamma3', 'cs0', 'cs2', 'Pshot', 'a0', 'a2', 'b4'] as const;
  const params0 = base.cases[0].params as Record<CosmoParamName, number>;
  const bias0: Record<string, number> = { ...(base.cases[0].bias as Record<string, number>), a0: 100, a2: -200 }; // every term of gg_l0, gg_l2 in play

  /**
   * S = sum over k in [0.005, 0.3] h/Mpc of gg_l0 + gg_l2, (Mpc/h)^3, at the case's k in 1/Mpc
   * (fixed as h varies) or at its k in h/Mpc (k h moves with h)
   */
  let kMode: 'Mpc' | 'hMpc' = 'Mpc';
  const S = (p: Record<string, number | tf.Scalar>, b: Record<string, number | tf.Scalar>, z: number | tf.Scalar = 0.5): tf.Scalar => {
    const kOpt = kMode === 'Mpc' ? { kOutMpc: base.options.kOutMpc } : { kOutMpc: undefined, kOutHMpc: kH };
    const r = predictFromCosmology([{ params: p as CosmologyCase['params'], z, bias: b }], { ...base.options, ...kOpt, only: ['gg_l0', 'gg_l2'] });
    const out = tf.tidy(() => tf.sum(tf.mul(tf.add(r.spectra.gg_l0!, r.spectra.gg_l2!), tf.tensor2d(window, [1, window.length]))) as tf.Scalar);
    r.dispose();
    return out;
  };

  // z a tensor: the float32 tensor path of the linear inputs; z a number: their float64 Jacobian op
  for (const [mode, zIs] of [['Mpc', 'tensor'], ['hMpc', 'tensor'], ['Mpc', 'number'], ['hMpc', 'number']] as const)
  it(`gradients with respect to the six cosmological parameters, ${zIs === 'tensor' ? 'z ' : ''}and the nuisance parameters match central differences (k in ${mode === 'Mpc' ? '1/Mpc' : 'h/Mpc'}, z a ${zIs})`, (ctx) => {
    kMode = mode;
    const names = [...COSMO_PARAM_NAMES, 'z', ...BIAS];
    const x0: number[] = [...COSMO_PARAM_NAMES.map((n) => params0[n]), 0.5, ...BIAS.map((n) => bias0[n])];
    const split = (xs: (number | tf.Scalar)[]) => {
      const p: Record<string, number | tf.Scalar> = {};
      const b: Record<string, number | tf.Scalar> = { ...bias0 };
      names.forEach((n, i) => {
        if (i < COSMO_PARAM_NAMES.length) p[n] = xs[i];
        else if (n !== 'z') b[n] = xs[i];
      });
      return { p, b, z: xs[COSMO_PARAM_NAMES.length] };
    };
    const zIndex = COSMO_PARAM_NAMES.length;
    const xs = x0.map((v, i) => (zIs === 'number' && i === zIndex ? (v as unknown as tf.Scalar) : tf.scalar(v)));
    const wrt = xs.filter((x) => x instanceof tf.Tensor) as tf.Scalar[];
    const { value, grads } = tf.valueAndGrads((...t: tf.Tensor[]) => {
      let next = 0;
      const { p, b, z } = split(xs.map((x) => (x instanceof tf.Tensor ? (t[next++] as tf.Scalar) : x)));
      return S(p, b, z);
    })(wrt);
    const gw = grads.map((t) => t.dataSync()[0]);
    const g = names.map((_, i) => (zIs === 'number' && i === zIndex ? NaN : gw[i - (zIs === 'number' && i > zIndex ? 1 : 0)]));
    const s0 = value.dataSync()[0];
    tf.dispose([value, ...grads, ...wrt]);
    // steps: 0.5% of each parameter's range (cosmology) or of its size (nuisance)
    const steps: Record<string, number> = { omega_b: 3.5e-5, omega_cdm: 4.5e-4, h: 1.5e-3, 'ln10^{10}A_s': 6e-3, n_s: 1e-3, m_ncdm: 2.5e-3, z: 1.5e-2 };
    const lines: string[] = [];
    let worst = 0;
    let worstName = '';
    names.forEach((n, i) => {
      if (Number.isNaN(g[i])) return; // z given as a number
      const d = steps[n] ?? Math.max(1e-2, 5e-3 * Math.abs(x0[i]));
      const at = (v: number) => {
        const xsv = x0.slice();
        xsv[i] = v;
        const { p, b, z } = split(xsv);
        const t = S(p, b, z);
        const out = t.dataSync()[0];
        t.dispose();
        return out;
      };
      const fd = (at(x0[i] + d) - at(x0[i] - d)) / (2 * d);
      // relative to the larger of |fd| and the size of S's change over the step scale
      const scale = Math.max(Math.abs(fd), (1e-4 * Math.abs(s0)) / d);
      const err = Math.abs(g[i] - fd) / scale;
      if (err > worst) [worst, worstName] = [err, n];
      lines.push(`  ${n.padEnd(14)} autodiff ${g[i].toExponential(4).padStart(12)}  central diff ${fd.toExponential(4).padStart(12)}  rel ${err.toExponential(1)}`);
    });
    console.log(`dS/dtheta, S = sum gg_l0 + gg_l2 over [0.005, 0.3] h/Mpc (fiducial, k in ${mode === 'Mpc' ? '1/Mpc' : 'h/Mpc'}, z a ${zIs}, S = ${s0.toExponential(4)})\n${lines.join('\n')}`);
    expectWithinBound(ctx, 'emulator end to end: gradients vs central differences', worst, `${worstName} (k in ${mode}, z a ${zIs})`);
  });

  it('a batch equals stacked single calls; repeated calls leak no tensor', () => {
    const other = { ...params0, omega_cdm: 0.13, h: 0.7, m_ncdm: 0.2 };
    const cases: CosmologyCase[] = [
      { params: params0, z: 0.5, bias: bias0 },
      { params: other, z: 1.1, bias: { ...bias0, b1: 1.5 } },
    ];
    const opts = { ...base.options, only: ['gg_l0', 'gg_l2', 'mm_real'] as const };
    const batch = predictFromCosmology(cases, opts);
    let worst = 0;
    cases.forEach((c, b) => {
      const single = predictFromCosmology([c], opts);
      for (const name of opts.only) {
        const a = batch.spectra[name]!.arraySync() as number[][];
        const s = (single.spectra[name]!.arraySync() as number[][])[0];
        const m = Math.max(...s.map(Math.abs));
        a[b].forEach((v, i) => (worst = Math.max(worst, Math.abs(v - s[i]) / m)));
      }
      single.dispose();
    });
    // the differentiable path (tensor parameters) on the same batch: float32 emulator vs float64
    const asTensors = cases.map((c) => ({ ...c, params: Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, tf.scalar(v as number)])) as CosmologyCase['params'] }));
    const tb = predictFromCosmology(asTensors, opts);
    let worstT = 0;
    for (const name of opts.only) {
      const a = tb.spectra[name]!.arraySync() as number[][];
      const h = batch.spectra[name]!.arraySync() as number[][];
      a.forEach((row, b) => {
        const m = Math.max(...h[b].map(Math.abs));
        row.forEach((v, i) => (worstT = Math.max(worstT, Math.abs(v - h[b][i]) / m)));
      });
    }
    tb.dispose();
    asTensors.forEach((c) => tf.dispose(Object.values(c.params) as tf.Tensor[]));
    batch.dispose();
    console.log(`batched vs single: worst ${worst.toExponential(2)}; tensor-parameter path vs host path: ${worstT.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-5);
    expect(worstT).toBeLessThan(1e-4);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) predictFromCosmology(cases, opts).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses input outside the valid range before computing, naming the field', () => {
    const bad: [CosmologyCase[], string][] = [
      [[{ params: { ...params0, h: 0.9 }, z: 0.5, bias: bias0 }], 'params.h'],
      [[{ params: params0, z: 3.2, bias: bias0 }], 'z'],
      [[{ params: params0, z: 0.5, bias: bias0 }, { params: { ...params0, m_ncdm: 0.6 }, z: 0.5, bias: bias0 }], 'cases[1].params.m_ncdm'],
      [[{ params: params0, z: 0.5, bias: { ...bias0, bX: 1 } }], 'bias.bX'],
    ];
    for (const [cases, field] of bad) {
      let err: unknown;
      try {
        predictFromCosmology(cases, base.options).dispose();
      } catch (e) {
        err = e;
      }
      expect(isInputError(err), String(err)).toBe(true);
      expect((err as { field: string }).field).toBe(field);
    }
    expect(() => predictFromCosmology([{ params: params0, z: 0.5 }], { ...base.options, kOutMpc: [1e3] })).toThrow(/kOutMpc/);
  });
});
