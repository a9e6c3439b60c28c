/**
 * The fNL terms beyond the oracle: limits that follow from their definition, and gradients
 * against finite differences.
 * - f = 0, IR and AP off: the redshift-space monopoles reduce to the real-space rows
 *   (fNL_0_dd = fNL_loop, fNL_12_0_b1b2 = fNL_d2, fNL_12_0_b1bG2 = fNL_G2: different matrices of
 *   CLASS-PT's generators that must agree there), and every f-dependent row vanishes.
 * - Amplitude scaling, IR off: P_lin -> lambda P_lin with A_s -> lambda A_s scales T by
 *   sqrt(lambda), so every P12 ~ sqrt(A_s) T^3 by lambda^2.
 * - Reverse-mode gradients of a sum of fNL spectra against central differences.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../src/backend';
import { caseInputs, type CaseFile } from '../src/cli/case-file';
import { computeComponents, type ComputeOptions } from '../src/compute';
import { getPlan } from '../src/plan';
import type { CosmologyInput } from '../src/input/linear-stage';
import { assembleFnl } from '../src/assembly/fnl-spectra';
import { maxAbsInWindow, maxRelativeError, WorstCase } from './metrics';
import { loadCase } from './oracle';
import { BOUNDS, expectWithinBound } from './bounds';

const PREFIXES = ['fNL', 'fNLortho'];

function run(cosmos: CosmologyInput[], options: ComputeOptions, n = 256): Record<string, Float32Array> {
  const res = computeComponents(getPlan({ n }), cosmos, { ...options, primordialNonGaussianity: true });
  const out: Record<string, Float32Array> = {};
  for (const [name, t] of Object.entries(res.components)) if (name.startsWith('fNL')) out[name] = t.dataSync() as Float32Array;
  res.dispose();
  return out;
}

describe('fNL limits', () => {
  let inputs: ReturnType<typeof caseInputs>;
  let kh: number[];
  beforeAll(async () => {
    await useBackend('wasm');
    inputs = caseInputs(loadCase('fiducial') as unknown as CaseFile);
    kh = inputs.kOutMpc.map((k) => k / inputs.h);
  });

  it('f = 0 without IR and AP: monopoles equal the real-space rows, f-dependent rows vanish', (ctx) => {
    let worstId = { err: 0, where: '' };
    const note = (err: number, where: string) => { if (!(err <= worstId.err)) worstId = { err, where }; };
    const out = run([{ ...inputs.cosmology, f: 0 }], {
      ...inputs.options, irResummation: false, alcockPaczynski: false, kOutMpc: inputs.kOutMpc,
    });
    for (const p of PREFIXES) {
      note(maxRelativeError(out[`${p}_0_dd`], out[`${p}_loop`], kh), `${p}_0_dd`);
      note(maxRelativeError(out[`${p}_12_0_b1b2`], out[`${p}_d2`], kh), `${p}_12_0_b1b2`);
      note(maxRelativeError(out[`${p}_12_0_b1bG2`], out[`${p}_G2`], kh), `${p}_12_0_b1bG2`);
      for (const row of ['0_vv', '0_vd', '2_vv', '2_vd', '2_dd', '4_vv', '4_vd', '4_dd', '12_0_b2', '12_2_b2', '12_0_bG2', '12_2_bG2']) {
        expect(maxAbsInWindow(out[`${p}_${row}`], kh), `${p}_${row}`).toBe(0);
      }
      for (const [row, mono] of [['12_2_b1b2', 'd2'], ['12_4_b1b2', 'd2'], ['12_2_b1bG2', 'G2'], ['12_4_b1bG2', 'G2']]) {
        const scale = maxAbsInWindow(out[`${p}_${mono}`], kh);
        expect(maxAbsInWindow(out[`${p}_${row}`], kh) / scale, `${p}_${row}`).toBeLessThan(1e-12);
      }
    }
    expectWithinBound(ctx, 'fNL: f = 0 identities (monopoles vs real-space rows)', worstId.err, worstId.where);
  });

  it('asks for A_s, and refuses unknown options', () => {
    const options = { ...inputs.options, kOutMpc: inputs.kOutMpc };
    expect(() => computeComponents(getPlan({ n: 128 }), [{ ...inputs.cosmology, A_s: undefined }], { ...options, primordialNonGaussianity: true }))
      .toThrow(/A_s/);
    expect(() => computeComponents(getPlan({ n: 128 }), [inputs.cosmology], { ...options, primordialNonGausianity: true } as ComputeOptions))
      .toThrow(/options\.primordialNonGausianity/);
  });

  it('assembles classy\'s fNL spectra from the rows', () => {
    const out = run([inputs.cosmology], { ...inputs.options, kOutMpc: inputs.kOutMpc });
    const c = Object.fromEntries(Object.entries(out).map(([k, v]) => [k, tf.tensor2d(v, [1, v.length])]));
    const p = { b1: 1.9, b2: -0.7, bG2: 0.3 };
    const h = inputs.h;
    const spectra = { ...assembleFnl(c, p, h), ...assembleFnl(c, p, h, 'orthogonal') };
    expect(Object.keys(spectra).length).toBe(24);
    const i = 40;
    const r = (name: string) => out[name][i];
    const h3 = h ** 3;
    const close = (name: string, v: number) => expect(Math.abs(spectra[name].dataSync()[i] / v - 1), name).toBeLessThan(1e-6);
    close('gg_fNL_real_ortho', (p.b1 ** 2 * r('fNLortho_loop') + p.b1 * ((p.b2 / 2) * r('fNLortho_d2') + p.bG2 * r('fNLortho_G2'))) * h3);
    close('gm_fNL_l2', (r('fNL_2_vv') + p.b1 * (r('fNL_2_vd') + r('fNL_2_dd')) + (p.b2 / 2) * (r('fNL_12_2_b1b2') + r('fNL_12_2_b2'))
      + p.bG2 * (r('fNL_12_2_b1bG2') + r('fNL_12_2_bG2'))) * h3);
    close('gg_fNL_l0', (r('fNL_0_vv') + p.b1 * r('fNL_0_vd') + p.b1 ** 2 * r('fNL_0_dd') + p.b1 * (p.b2 / 2) * r('fNL_12_0_b1b2')
      + (p.b2 / 2) * r('fNL_12_0_b2') + p.b1 * p.bG2 * r('fNL_12_0_b1bG2') + p.bG2 * r('fNL_12_0_bG2')) * h3);
    close('mm_fNL_l4', r('fNL_4_vv') * h3); // classy's choice: the vv row alone
    tf.dispose([...Object.values(c), ...Object.values(spectra)]);
  });

  it('a batch equals the single calls, and repeated calls leak no tensor', (ctx) => {
    let worstB = { err: 0, where: '' };
    const other = caseInputs(loadCase('dev005') as unknown as CaseFile);
    const opts = { ...inputs.options, kOutMpc: [inputs.kOutMpc, other.kOutMpc] }; // both 85 output k
    const cosmos = [inputs.cosmology, { ...other.cosmology, hratio: 1.02, Dratio: 0.99 }];
    const batch = run(cosmos, opts);
    const singles = cosmos.map((c, b) => run([c], { ...opts, kOutMpc: opts.kOutMpc[b] }));
    const nk = inputs.kOutMpc.length;
    for (const name of Object.keys(batch)) {
      for (let b = 0; b < 2; b++) {
        const rowB = batch[name].slice(b * nk, (b + 1) * nk);
        const scale = maxAbsInWindow(singles[b][name], kh);
        if (scale === 0) continue;
        let d = 0;
        for (let i = 0; i < nk; i++) d = Math.max(d, Math.abs(rowB[i] - singles[b][name][i]));
        if (!(d / scale <= worstB.err)) worstB = { err: d / scale, where: `${name} [${b}]` };
      }
    }
    expectWithinBound(ctx, 'fNL: a batch vs the single calls', worstB.err, worstB.where);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) run([inputs.cosmology], { ...inputs.options, kOutMpc: inputs.kOutMpc });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('P_lin and A_s scaled by lambda scale every row by lambda^2 (IR off)', (ctx) => {
    let worstS = { err: 0, where: '' };
    const lambda = 1.7;
    const options = { ...inputs.options, irResummation: false, kOutMpc: inputs.kOutMpc };
    const pk = inputs.cosmology.pkMpc3 as ArrayLike<number>;
    const base = run([inputs.cosmology], options);
    const scaled = run([{ ...inputs.cosmology, pkMpc3: Array.from(pk, (v) => v * lambda), A_s: (inputs.cosmology.A_s as number) * lambda }], options);
    let n = 0;
    for (const name of Object.keys(base)) {
      if (/_4_dd$/.test(name)) continue; // 0 with IR off
      const expected = base[name].map((v) => v * lambda * lambda);
      const scale = maxAbsInWindow(expected, kh);
      const pureAp = /_12_[24]_b1b|_12_4_b/.test(name); // AP-only rows: compare against their monopole
      const mono = name.replace(/_12_[24]_/, '_12_0_');
      const err = (maxRelativeError(scaled[name], expected, kh) * scale) / (pureAp ? maxAbsInWindow(base[mono], kh) * lambda ** 2 : scale);
      if (!(err <= worstS.err)) worstS = { err, where: name };
      n++;
    }
    expect(n).toBe(46);
    expectWithinBound(ctx, 'fNL: amplitude scaling P, A_s -> lambda P, lambda A_s (IR off)', worstS.err, worstS.where);
  });
});

describe('fNL gradients against finite differences', () => {
  const worst = new WorstCase();
  beforeAll(async () => {
    await useBackend('wasm');
  });

  /** S = sum over k in [0.005, 0.3] h/Mpc of gg_fNL_real + gg_fNL_l0 + gg_fNL_l2, both templates. */
  function sOf(c: ReturnType<typeof caseInputs>, x: Record<string, number | tf.Tensor>, direction: Float64Array) {
    return tf.tidy(() => {
      const pk0 = c.cosmology.pkMpc3 as ArrayLike<number>;
      const t = x.t as tf.Tensor;
      const pk = tf.mul(tf.tensor1d(Float32Array.from(pk0)), tf.add(1, tf.mul(t, tf.tensor1d(Float32Array.from(direction)))));
      const cosmo: CosmologyInput = { ...c.cosmology, pkMpc3: pk, f: x.f, hratio: x.hratio, Dratio: x.Dratio, A_s: x.As };
      const res = computeComponents(getPlan({ n: c.n }), [cosmo], { ...c.options, primordialNonGaussianity: true, kOutMpc: c.kOutMpc });
      const bias = { b1: x.b1, b2: x.b2, bG2: x.bG2 };
      const spectra = { ...assembleFnl(res.components, bias, c.h, 'equilateral'), ...assembleFnl(res.components, bias, c.h, 'orthogonal') };
      const mask = tf.tensor2d([c.kOutMpc.map((k) => (k / c.h >= 0.005 && k / c.h <= 0.3 ? 1 : 0))]);
      const terms = ['gg_fNL_real', 'gg_fNL_l0', 'gg_fNL_l2', 'gg_fNL_real_ortho', 'gg_fNL_l0_ortho', 'gg_fNL_l2_ortho'].map((n) => tf.sum(tf.mul(spectra[n], mask)));
      return tf.addN(terms) as tf.Scalar;
    });
  }

  for (const id of ['fiducial', 'devir000']) {
    it(`agree on ${id}`, () => {
      const c = caseInputs(loadCase(id) as unknown as CaseFile);
      const kIn = c.cosmology.kMpc as ArrayLike<number>;
      // a smooth direction in ln P_lin: a bump around the BAO scales
      const direction = Float64Array.from(kIn, (k) => Math.exp(-((Math.log(k / 0.1)) ** 2)));
      const b = c.bias as Record<string, number>;
      const x0: Record<string, number> = {
        t: 0, f: c.cosmology.f as number, hratio: (c.cosmology.hratio as number) ?? 1, Dratio: (c.cosmology.Dratio as number) ?? 1,
        As: c.cosmology.A_s as number, b1: b.b1, b2: b.b2, bG2: b.bG2,
      };
      const names = Object.keys(x0).filter((k) => c.options.alcockPaczynski || (k !== 'hratio' && k !== 'Dratio'));
      const grads = tf.tidy(() => {
        const vars = names.map((k) => tf.scalar(x0[k]));
        const g = tf.grads((...v: tf.Tensor[]) => sOf(c, { ...x0, ...Object.fromEntries(names.map((k, i) => [k, v[i]])) }, direction))(vars);
        return g.map((t) => t.dataSync()[0]);
      });
      const value = (x: Record<string, number>) => tf.tidy(() => sOf(c, { ...x, t: tf.scalar(x.t) }, direction).dataSync()[0]);
      const S = value(x0);
      names.forEach((k, i) => {
        // S is a polynomial of degree <= 2 in b1, b2, bG2: any step is exact, so take one that
        // moves S by 1% (far above float32 rounding); elsewhere a small relative step
        const nuisance = ['b1', 'b2', 'bG2'].includes(k);
        const step = nuisance ? (1e-2 * Math.abs(S)) / Math.abs(grads[i]) : k === 't' ? 1e-2 : 1e-3 * Math.abs(x0[k]);
        const fd = (value({ ...x0, [k]: x0[k] + step }) - value({ ...x0, [k]: x0[k] - step })) / (2 * step);
        const err = Math.abs(grads[i] - fd) / Math.max(Math.abs(fd), (1e-6 * Math.abs(S)) / step);
        worst.add(k, id, err);
        expect(err, `${k}: AD ${grads[i]} vs FD ${fd}`).toBeLessThanOrEqual(BOUNDS['fNL: gradients vs central differences'].bound);
      });
    });
  }

  it('prints the worst cases; within the bound', (ctx) => {
    console.log(worst.table('fNL gradient AD vs FD').replace(' max|delta|/max|ref| over k in [0.005, 0.3] h/Mpc', ' |AD - FD| / |FD|'));
    const [name, w] = worst.entries().reduce((a, e) => (e[1].err > a[1].err ? e : a));
    expectWithinBound(ctx, 'fNL: gradients vs central differences', w.err, `${w.id} ${name}`);
  });
});
