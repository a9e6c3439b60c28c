/**
 * Assembly of the spectra from the components (classy.pyx `initialize_output`, `pk_*`):
 * (a) the oracle's own components + bias -> the oracle's spectra, and Pd2d2_0;
 * (b) a float64 re-implementation written from classy's text (pm[i] = get_pk_mult row i),
 *     random parameters, batching, and the power with which each nuisance parameter enters.
 */
import { FNL_SPECTRUM_NAMES } from '../src/assembly/fnl-spectra';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { listCases, loadCase, type OracleCase } from './oracle';
import { expectWithinBound } from './bounds';
import { maxRelativeError, WorstCase, uniformRng } from './metrics';
import {
  assembleAll,
  pd2d2Classy,
  pd2d2Fixed,
  pkGgReal,
  simpsonWeights,
  BIAS_NAMES,
  SPECTRUM_COMPONENTS,
  SPECTRUM_NAMES,
  SPECTRUM_PARAMS,
  type BiasName,
  type SpectrumName,
} from '../src/assembly/spectra';
import { assembleSpectra } from '../src/cli/spectra';
import type { CaseInputs } from '../src/cli/case-file';

interface Out {
  k_Mpc: number[];
  k_hMpc: number[];
  components_Mpc3: Record<string, number[]>;
  bias: Record<BiasName, number>;
  spectra_hMpc3?: Record<SpectrumName, number[]>;
}
const out = (c: OracleCase) => c.output as Out;

/** classy's pk_mult row order (oracle README), rows 0-47. */
const ROWS = [
  'loop', 'Id2d2', 'Id2', 'IG2', 'Id2G2', 'IG2G2', 'IFG2', 'IFG2_0b1', 'IFG2_0', 'IFG2_2', 'ctr', 'ctr_0', 'ctr_2',
  'ctr_4', 'tree', 'tree_0_vv', 'tree_0_vd', 'tree_0_dd', 'tree_2_vv', 'tree_2_vd', 'tree_4_vv', 'loop_0_vv',
  'loop_0_vd', 'loop_0_dd', 'loop_2_vv', 'loop_2_vd', 'loop_2_dd', 'loop_4_vv', 'loop_4_vd', 'loop_4_dd', '0_b1b2',
  '0_b2', '0_b1bG2', '0_bG2', '2_b1b2', '2_b2', '2_b1bG2', '2_bG2', '4_b2', '4_bG2', '4_b1b2', '4_b1bG2',
];

type P = Record<BiasName, number>;
interface Scal { h: number; fz: number; Pd2d2_0: number }

/**
 * classy.pyx, transcribed per k (float64): pm[i] is the value of row i at this k, kh the k passed
 * to classy (1/Mpc). Written from classy's text, not from src/assembly.
 */
function classyRef(name: SpectrumName, pm: number[], kh: number, p: P, s: Scal): number {
  const { b1, b2, bG2, bGamma3, cs, cs0, cs2, cs4, Pshot, a0, a2, b4 } = p;
  const h = s.h;
  const fz = s.fz;
  switch (name) {
    case 'mm_real':
      return (pm[0] + pm[14] + 2 * cs * pm[10] / h ** 2) * h ** 3;
    case 'gg_real':
      return (b1 ** 2 * pm[14] + b1 ** 2 * pm[0] + 2 * (cs * b1 ** 2 + cs0 * b1) * pm[10] / h ** 2 + b1 * b2 * pm[2] + 0.25 * b2 ** 2 * pm[1] + 2 * b1 * bG2 * pm[3] + b1 * (2 * bG2 + 0.8 * bGamma3) * pm[6] + bG2 ** 2 * pm[5] + b2 * bG2 * pm[4]) * h ** 3 + Pshot;
    case 'gm_real':
      return (b1 * pm[14] + b1 * pm[0] + (2 * cs * b1 + cs0) * pm[10] / h ** 2 + (b2 / 2) * pm[2] + bG2 * pm[3] + (bG2 + 0.4 * bGamma3) * pm[6]) * h ** 3;
    case 'mm_l0':
      return (pm[15] + pm[21] + pm[16] + pm[22] + pm[17] + pm[23] + 2 * cs0 * pm[11] / h ** 2) * h ** 3;
    case 'mm_l2':
      return (pm[18] + pm[24] + pm[19] + pm[25] + pm[26] + 2 * cs2 * pm[12] / h ** 2) * h ** 3;
    case 'mm_l4':
      return (pm[20] + pm[27] + pm[28] + pm[29] + 2 * cs4 * pm[13] / h ** 2) * h ** 3;
    case 'gg_l0':
      return ((pm[15] + pm[21] + b1 * pm[16] + b1 * pm[22] + b1 ** 2 * pm[17] + b1 ** 2 * pm[23] + 0.25 * b2 ** 2 * pm[1] + b1 * b2 * pm[30] + b2 * pm[31] + b1 * bG2 * pm[32] + bG2 * pm[33] + b2 * bG2 * pm[4] + bG2 ** 2 * pm[5] + 2 * cs0 * pm[11] / h ** 2
        + (2 * bG2 + 0.8 * bGamma3) * (b1 * pm[7] + pm[8])) * h ** 3
        + Pshot + a0 * (kh / 0.45) ** 2 + a2 * (1 / 3) * (kh / 0.45) ** 2
        + 0.25 * b2 ** 2 * s.Pd2d2_0
        + fz ** 2 * b4 * kh ** 2 * (fz ** 2 / 9 + 2 * fz * b1 / 7 + b1 ** 2 / 5) * (35 / 8) * pm[13] * h);
    case 'gg_l2':
      return ((pm[18] + pm[24] + b1 * pm[19] + b1 * pm[25] + b1 ** 2 * pm[26] + b1 * b2 * pm[34] + b2 * pm[35] + b1 * bG2 * pm[36] + bG2 * pm[37] + 2 * cs2 * pm[12] / h ** 2 + (2 * bG2 + 0.8 * bGamma3) * pm[9]) * h ** 3
        + a2 * (2 / 3) * (kh / 0.45) ** 2
        + fz ** 2 * b4 * kh ** 2 * ((fz ** 2 * 70 + 165 * fz * b1 + 99 * b1 ** 2) * 4 / 693) * (35 / 8) * pm[13] * h);
    case 'gg_l4':
      return ((pm[20] + pm[27] + b1 * pm[28] + b1 ** 2 * pm[29] + b2 * pm[38] + bG2 * pm[39] + 2 * cs4 * pm[13] / h ** 2) * h ** 3
        + fz ** 2 * b4 * kh ** 2 * ((fz ** 2 * 210 + 390 * fz * b1 + 143 * b1 ** 2) * 8 / 5005) * (35 / 8) * pm[13] * h);
    case 'gm_l0':
      return (pm[15] + pm[21] + b1 * (pm[16] + pm[22]) + b1 * (pm[17] + pm[23]) + (b2 / 2) * pm[30] + (b2 / 2) * pm[31] + bG2 * pm[32] + bG2 * pm[33] + 2 * cs0 * pm[11] / h ** 2 + (bG2 + 0.4 * bGamma3) * (b1 * pm[7] + pm[8])) * h ** 3;
    case 'gm_l2':
      return (pm[18] + pm[24] + b1 * (pm[19] + pm[25]) + b1 * pm[26] + (b2 / 2) * pm[34] + (b2 / 2) * pm[35] + bG2 * pm[36] + bG2 * pm[37] + 2 * cs2 * pm[12] / h ** 2 + (bG2 + 0.4 * bGamma3) * pm[9]) * h ** 3;
    case 'gm_l4':
      return (pm[20] + pm[27] + b1 * pm[28] + b1 * pm[29] + (b2 / 2) * pm[38] + bG2 * pm[39] + 2 * cs4 * pm[13] / h ** 2) * h ** 3;
  }
}

function refSpectrum(name: SpectrumName, c: OracleCase, p: P, s: Scal, k = out(c).k_Mpc): number[] {
  const comps = out(c).components_Mpc3;
  return k.map((kh, i) => classyRef(name, ROWS.map((r) => comps[r][i]), kh, p, s));
}

const rng = uniformRng;

const RANGES: Record<BiasName, [number, number]> = {
  b1: [0.5, 4], b2: [-3, 3], bG2: [-2, 2], bGamma3: [-3, 3], cs: [-40, 40], cs0: [-40, 40], cs2: [-60, 60],
  cs4: [-60, 60], Pshot: [-3000, 10000], a0: [-3000, 3000], a2: [-3000, 3000], b4: [-1000, 1000],
};
function randomBias(r: () => number): P {
  const p = {} as P;
  for (const k of BIAS_NAMES) p[k] = RANGES[k][0] + (RANGES[k][1] - RANGES[k][0]) * r();
  return p;
}

const rows = (c: OracleCase, b = 1): Record<string, tf.Tensor2D> => {
  const comps: Record<string, tf.Tensor2D> = {};
  for (const [name, v] of Object.entries(out(c).components_Mpc3)) comps[name] = tf.tensor2d(Array.from({ length: b }, () => v));
  return comps;
};
const disposeAll = (r: Record<string, tf.Tensor | undefined>) => Object.values(r).forEach((t) => t?.dispose());
const rowOf = (t: tf.Tensor, i = 0): number[] => (t.arraySync() as number[][])[i];

let cases: OracleCase[] = [];
beforeAll(async () => {
  await tf.setBackend('cpu');
  cases = listCases().map(loadCase);
});

describe('oracle: the oracle components assembled give the oracle spectra', () => {
  it('every case, every spectrum (float32 assembly)', (ctx) => {
    const worst = new WorstCase();
    let checked = 0;
    for (const c of cases) {
      const o = out(c);
      if (!o.spectra_hMpc3 || Object.keys(o.spectra_hMpc3).length === 0) continue; // devnowiggle000, devalpha000: components only
      const comps = rows(c);
      const spectra = assembleAll(comps, o.bias, { h: c.derived.h, f: c.derived.f, kOutMpc: o.k_Mpc });
      for (const name of SPECTRUM_NAMES) {
        worst.add(name, c.id, maxRelativeError(rowOf(spectra[name]!), o.spectra_hMpc3[name], o.k_hMpc));
      }
      disposeAll(spectra);
      disposeAll(comps);
      checked++;
    }
    console.log(worst.table(`assembly from the oracle's components (${checked} cases)`));
    expect(checked).toBeGreaterThanOrEqual(60);
    expect(worst.entries().length).toBe(SPECTRUM_NAMES.length);
    const [name, w] = worst.entries().reduce((a, e) => (e[1].err > a[1].err ? e : a));
    expectWithinBound(ctx, "assembly: classy's spectra from CLASS-PT's own components", w.err, `${w.id} ${name}`);
  });

  it("pd2d2Classy = derived.Pd2d2_0 (scipy < 1.11 simpson, even='avg') on every case", (ctx) => {
    const worst = new WorstCase();
    for (const c of cases) {
      const o = out(c);
      const ref = c.derived.Pd2d2_0;
      // float64 weights alone: the integration rule
      const w = simpsonWeights(o.k_Mpc.map(Math.log));
      const y = o.k_Mpc.map((k, i) => (o.components_Mpc3.tree[i] * c.derived.h ** 3) ** 2 * k ** 3);
      const f64 = y.reduce((s, v, i) => s + w[i] * v, 0) / Math.PI ** 2;
      worst.add('Pd2d2_0 (float64)', c.id, Math.abs(f64 / ref - 1));
      // the tensor function (float32)
      const tree = tf.tensor2d([o.components_Mpc3.tree]);
      const v = pd2d2Classy(tree, o.k_Mpc, c.derived.h);
      expect(v.shape).toEqual([1]);
      worst.add('Pd2d2_0 (tensor)', c.id, Math.abs(v.dataSync()[0] / ref - 1));
      tree.dispose();
      v.dispose();
    }
    console.log(worst.table('Pd2d2_0 relative error').replace('max|delta|/max|ref| over k in [0.005, 0.3] h/Mpc', '|ours/ref - 1|'));
    const at = (name: string) => worst.entries().find(([n]) => n === name)![1];
    expectWithinBound(ctx, 'assembly: Pd2d2_0 in float64 (relative)', at('Pd2d2_0 (float64)').err, at('Pd2d2_0 (float64)').id);
    expectWithinBound(ctx, 'assembly: Pd2d2_0 through the float32 tensor (relative)', at('Pd2d2_0 (tensor)').err, at('Pd2d2_0 (tensor)').id);
  });

  it("the even-N rule matters: scipy >= 1.11 (Cartwright) misses classy's value on even-N cases", () => {
    const even = cases.filter((c) => out(c).k_Mpc.length % 2 === 0);
    expect(even.length).toBeGreaterThan(5);
    let maxDiff = 0;
    for (const c of even) {
      const o = out(c);
      const w = simpsonWeights(o.k_Mpc.map(Math.log), 'cartwright');
      const v = o.k_Mpc.reduce((s, k, i) => s + w[i] * (o.components_Mpc3.tree[i] * c.derived.h ** 3) ** 2 * k ** 3, 0) / Math.PI ** 2;
      maxDiff = Math.max(maxDiff, Math.abs(v / c.derived.Pd2d2_0 - 1));
    }
    expect(maxDiff).toBeGreaterThan(1e-5);
  });

  it('simpsonWeights reproduce scipy (1.17: Cartwright; pre-1.11: avg) on an irregular grid', () => {
    const x = [0.001, 0.0013, 0.002, 0.0031, 0.005, 0.0072, 0.011, 0.02, 0.05, 0.09].map(Math.log);
    const y = x.map((v) => Math.sin(3 * v) + v * v);
    const integ = (n: number, rule: 'avg' | 'cartwright') => {
      const w = simpsonWeights(x.slice(0, n), rule);
      return y.slice(0, n).reduce((s, v, i) => s + w[i] * v, 0);
    };
    // scipy 1.17.1 simpson(y[:n], x=x[:n])
    expect(integ(10, 'cartwright')).toBeCloseTo(105.09177916284044, 10);
    expect(integ(9, 'cartwright')).toBeCloseTo(101.1598643953922, 10);
    expect(integ(4, 'cartwright')).toBeCloseTo(45.4614237424552, 10);
    expect(integ(3, 'cartwright')).toBeCloseTo(29.42581762728484, 10);
    expect(integ(2, 'cartwright')).toBeCloseTo(11.811478620227707, 10);
    // scipy < 1.11 simpson(..., even='avg') (reimplemented from its source in numpy)
    expect(integ(10, 'avg')).toBeCloseTo(104.84311769480748, 10);
    expect(integ(4, 'avg')).toBeCloseTo(45.49632973889766, 10);
    expect(integ(9, 'avg')).toBeCloseTo(101.1598643953922, 10);
  });

  it('pd2d2Fixed (fixed h/Mpc range on the FFTLog grid) is close to classy but independent of the output k', () => {
    let worst = 0;
    for (const c of cases) {
      const h = c.derived.h;
      const kh = c.fftlog.k_Mpc.map((k) => k / h);
      const tree = tf.tensor2d([c.fftlog.pk_tree_Mpc3, c.fftlog.pk_tree_Mpc3]);
      const v = pd2d2Fixed(tree, kh, tf.tensor1d([h, h]));
      const [a, b] = v.dataSync();
      expect(a).toBe(b);
      worst = Math.max(worst, Math.abs(a / c.derived.Pd2d2_0 - 1));
      const full = pd2d2Fixed(tree, kh, h, { kMinHMpc: 0, kMaxHMpc: Infinity });
      expect(full.dataSync()[0]).toBeGreaterThan(a);
      tree.dispose();
      v.dispose();
      full.dispose();
    }
    console.log(`pd2d2Fixed([1e-3, 0.6] h/Mpc on the FFTLog grid) vs classy's Pd2d2_0: worst |ratio - 1| = ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-2);
  });
});

describe('formulas against a float64 transcription of classy', () => {
  const pick = () => ['dev000', 'dev001', 'devx005', 'devir000', 'fiducial'].map((id) => cases.find((c) => c.id === id)!);

  it('random parameters, random h and f (fixed seed)', () => {
    const r = rng(12345);
    const worst = new WorstCase();
    for (const c of pick()) {
      for (let t = 0; t < 6; t++) {
        const p = randomBias(r);
        const s: Scal = { h: 0.5 + 0.4 * r(), fz: 0.3 + 0.7 * r(), Pd2d2_0: 2000 * r() };
        const comps = rows(c);
        const spectra = assembleAll(comps, p, { h: s.h, f: s.fz, kOutMpc: out(c).k_Mpc, Pd2d2_0: s.Pd2d2_0 });
        for (const name of SPECTRUM_NAMES) {
          worst.add(name, `${c.id}#${t}`, maxRelativeError(rowOf(spectra[name]!), refSpectrum(name, c, p, s), out(c).k_hMpc));
        }
        disposeAll(spectra);
        disposeAll(comps);
      }
    }
    console.log(worst.table('assembly vs float64 classy transcription, random parameters'));
    for (const name of SPECTRUM_NAMES) expect(worst.get(name), name).toBeLessThan(3e-6);
  });

  it('batched: [B] and [B,1] parameters, per-cosmology h, f, k and Pd2d2_0', () => {
    const c = cases.find((x) => x.id === 'dev003')!;
    const B = 4;
    const r = rng(777);
    const ps = Array.from({ length: B }, () => randomBias(r));
    const ss: Scal[] = Array.from({ length: B }, () => ({ h: 0.55 + 0.3 * r(), fz: 0.4 + 0.6 * r(), Pd2d2_0: 1000 * r() }));
    const ks = Array.from({ length: B }, (_, b) => out(c).k_Mpc.map((k) => k * (1 + 0.1 * b)));
    const comps = rows(c, B);
    const bias: Record<string, tf.Tensor> = {};
    BIAS_NAMES.forEach((k, j) => {
      const v = ps.map((p) => p[k]);
      bias[k] = j % 2 === 0 ? tf.tensor1d(v) : tf.tensor2d(v, [B, 1]);
    });
    const ctx = {
      h: tf.tensor1d(ss.map((s) => s.h)),
      f: tf.tensor2d(ss.map((s) => s.fz), [B, 1]),
      kOutMpc: ks,
      Pd2d2_0: tf.tensor1d(ss.map((s) => s.Pd2d2_0)),
    };
    const spectra = assembleAll(comps, bias, ctx);
    for (const name of SPECTRUM_NAMES) {
      expect(spectra[name]!.shape).toEqual([B, out(c).k_Mpc.length]);
      for (let b = 0; b < B; b++) {
        const err = maxRelativeError(rowOf(spectra[name]!, b), refSpectrum(name, c, ps[b], ss[b], ks[b]), out(c).k_hMpc);
        expect(err, `${name}[${b}]`).toBeLessThan(3e-6);
      }
    }
    // Pd2d2_0 per row with per-row k: row b equals the single-row call
    const tree = comps.tree;
    const all = pd2d2Classy(tree, ks, ctx.h).dataSync();
    for (let b = 0; b < B; b++) {
      const one = tf.tidy(() => pd2d2Classy(tf.slice(tree, [b, 0], [1, -1]), ks[b], ss[b].h).dataSync()[0]);
      expect(all[b] / one - 1).toBeLessThan(1e-6);
    }
    disposeAll(spectra);
    disposeAll(comps);
    disposeAll(bias);
    [ctx.h, ctx.f, ctx.Pd2d2_0].forEach((t) => t.dispose());
  });

  it('no tensors leak; gradients flow to the parameters', () => {
    const c = cases.find((x) => x.id === 'dev000')!;
    const comps = rows(c);
    const before = tf.memory().numTensors;
    const spectra = assembleAll(comps, out(c).bias, { h: c.derived.h, f: c.derived.f, kOutMpc: out(c).k_Mpc });
    expect(tf.memory().numTensors - before).toBe(SPECTRUM_NAMES.length);
    disposeAll(spectra);
    // d gg_real / d Pshot = 1 at every k; d gg_real / d b1 = 2 b1 (tree + loop + 2 cs ctr/h^2) h^3 + ...
    const o = out(c);
    const gP = tf.grad((P: tf.Tensor) => tf.sum(pkGgReal(comps, { ...o.bias, Pshot: P }, c.derived.h)))(tf.scalar(o.bias.Pshot));
    expect(gP.dataSync()[0]).toBeCloseTo(o.k_Mpc.length, 3);
    gP.dispose();
    disposeAll(comps);
  });
});

/** n-th forward difference of the spectrum in one parameter, step d. */
function forwardDifference(c: OracleCase, name: SpectrumName, key: BiasName, p: P, d: number, n: number, s: Scal): Float64Array {
  const comps = rows(c);
  const vals: number[][] = [];
  for (let j = 0; j <= n; j++) {
    const spectra = assembleAll(comps, { ...p, [key]: p[key] + j * d }, { h: s.h, f: s.fz, kOutMpc: out(c).k_Mpc, Pd2d2_0: s.Pd2d2_0 }, { only: [name] });
    vals.push(rowOf(spectra[name]!));
    disposeAll(spectra);
  }
  disposeAll(comps);
  const nK = vals[0].length;
  const res = new Float64Array(nK);
  let binom = 1;
  for (let j = 0; j <= n; j++) {
    // sum_j (-1)^(n-j) C(n, j) f(p + j d)
    for (let i = 0; i < nK; i++) res[i] += (n - j) % 2 === 0 ? binom * vals[j][i] : -binom * vals[j][i];
    binom = (binom * (n - j)) / (j + 1);
  }
  return res;
}

/** The power with which each nuisance parameter enters each spectrum (classy's text). */
const DEGREE: Record<SpectrumName, Partial<Record<BiasName, number>>> = {
  mm_real: { cs: 1 }, mm_l0: { cs0: 1 }, mm_l2: { cs2: 1 }, mm_l4: { cs4: 1 },
  gg_real: { b1: 2, b2: 2, bG2: 2, bGamma3: 1, cs: 1, cs0: 1, Pshot: 1 },
  gm_real: { b1: 1, b2: 1, bG2: 1, bGamma3: 1, cs: 1, cs0: 1 },
  gg_l0: { b1: 2, b2: 2, bG2: 2, bGamma3: 1, cs0: 1, Pshot: 1, a0: 1, a2: 1, b4: 1 },
  gg_l2: { b1: 2, b2: 1, bG2: 1, bGamma3: 1, cs2: 1, a2: 1, b4: 1 },
  gg_l4: { b1: 2, b2: 1, bG2: 1, cs4: 1, b4: 1 },
  gm_l0: { b1: 1, b2: 1, bG2: 1, bGamma3: 1, cs0: 1 },
  gm_l2: { b1: 1, b2: 1, bG2: 1, bGamma3: 1, cs2: 1 },
  gm_l4: { b1: 1, b2: 1, bG2: 1, cs4: 1 },
};

describe('each nuisance parameter enters with the right power', () => {
  it('degree in every (spectrum, parameter) pair, leading coefficient vs the float64 transcription', () => {
    const c = cases.find((x) => x.id === 'fiducial')!;
    const p = { ...out(c).bias };
    const s: Scal = { h: c.derived.h, fz: c.derived.f, Pd2d2_0: c.derived.Pd2d2_0 };
    for (const name of SPECTRUM_NAMES) {
      const scale = Math.max(...refSpectrum(name, c, p, s).map(Math.abs));
      for (const key of BIAS_NAMES) {
        const deg = DEGREE[name][key] ?? 0;
        const d = (RANGES[key][1] - RANGES[key][0]) / 4;
        // one order above the degree: zero (float32 rounding only)
        const above = forwardDifference(c, name, key, p, d, deg + 1, s);
        expect(Math.max(...above.map(Math.abs)) / scale, `${name}: order ${deg + 1} in ${key}`).toBeLessThan(1e-5 * 2 ** deg);
        if (deg === 0) continue;
        // the degree itself: the leading coefficient d^deg P / d key^deg / deg!, vs float64 reference
        const ours = forwardDifference(c, name, key, p, d, deg, s);
        const ref = out(c).k_Mpc.map((_, i) => {
          let acc = 0;
          let binom = 1;
          for (let j = 0; j <= deg; j++) {
            const v = classyRef(name, ROWS.map((r) => out(c).components_Mpc3[r][i]), out(c).k_Mpc[i], { ...p, [key]: p[key] + j * d }, s);
            acc += (deg - j) % 2 === 0 ? binom * v : -binom * v;
            binom = (binom * (deg - j)) / (j + 1);
          }
          return acc;
        });
        const refMax = Math.max(...ref.map(Math.abs));
        expect(refMax, `${name}: ${key} enters`).toBeGreaterThan(0);
        const err = maxRelativeError(ours, ref, out(c).k_hMpc);
        expect(err, `${name}: coefficient of ${key}^${deg}`).toBeLessThan(2e-4);
      }
    }
  });

  it('explicit coefficients: b1^2, b2^2, bG2^2, cs, Pshot, a0, a2, b4 terms', () => {
    const c = cases.find((x) => x.id === 'dev000')!;
    const o = out(c);
    const p = { ...o.bias };
    const { h, f } = c.derived;
    const s: Scal = { h, fz: f, Pd2d2_0: c.derived.Pd2d2_0 };
    const pm = (r: string) => o.components_Mpc3[r];
    const kk = o.k_Mpc;
    const check = (name: SpectrumName, key: BiasName, deg: number, d: number, expected: number[]) => {
      const diff = Array.from(forwardDifference(c, name, key, p, d, deg, s)).map((v) => v / d ** deg);
      const err = maxRelativeError(diff, expected, o.k_hMpc);
      expect(err, `${name} / ${key}`).toBeLessThan(2e-4);
    };
    // d^2 gg_real / d b1^2 = 2 (tree + loop + 2 cs ctr / h^2) h^3
    check('gg_real', 'b1', 2, 1, kk.map((_, i) => 2 * (pm('tree')[i] + pm('loop')[i] + (2 * p.cs * pm('ctr')[i]) / h ** 2) * h ** 3));
    // d^2 gg_real / d b2^2 = 2 (1/4) Id2d2 h^3 ; gg_l0 adds 2 (1/4) Pd2d2_0
    check('gg_real', 'b2', 2, 1, kk.map((_, i) => 0.5 * pm('Id2d2')[i] * h ** 3));
    check('gg_l0', 'b2', 2, 1, kk.map((_, i) => 0.5 * (pm('Id2d2')[i] * h ** 3 + c.derived.Pd2d2_0)));
    // d^2 gg_real / d bG2^2 = 2 IG2G2 h^3
    check('gg_real', 'bG2', 2, 1, kk.map((_, i) => 2 * pm('IG2G2')[i] * h ** 3));
    // linear: cs, cs0 (real), Pshot, a0, a2, b4
    check('mm_real', 'cs', 1, 10, kk.map((_, i) => (2 * pm('ctr')[i] / h ** 2) * h ** 3));
    check('gm_real', 'cs0', 1, 10, kk.map((_, i) => (pm('ctr')[i] / h ** 2) * h ** 3));
    check('gg_real', 'cs0', 1, 10, kk.map((_, i) => ((2 * p.b1 * pm('ctr')[i]) / h ** 2) * h ** 3));
    check('mm_l2', 'cs2', 1, 10, kk.map((_, i) => (2 * pm('ctr_2')[i] / h ** 2) * h ** 3));
    check('gg_real', 'Pshot', 1, 1000, kk.map(() => 1));
    check('gg_l0', 'Pshot', 1, 1000, kk.map(() => 1));
    check('gg_l0', 'a0', 1, 1000, kk.map((k) => (k / 0.45) ** 2));
    check('gg_l0', 'a2', 1, 1000, kk.map((k) => (1 / 3) * (k / 0.45) ** 2));
    check('gg_l2', 'a2', 1, 1000, kk.map((k) => (2 / 3) * (k / 0.45) ** 2));
    const b1 = p.b1;
    check('gg_l0', 'b4', 1, 100, kk.map((k, i) => f ** 2 * k ** 2 * (f ** 2 / 9 + (2 * f * b1) / 7 + b1 ** 2 / 5) * (35 / 8) * pm('ctr_4')[i] * h));
    check('gg_l2', 'b4', 1, 100, kk.map((k, i) => f ** 2 * k ** 2 * ((70 * f ** 2 + 165 * f * b1 + 99 * b1 ** 2) * 4 / 693) * (35 / 8) * pm('ctr_4')[i] * h));
    check('gg_l4', 'b4', 1, 100, kk.map((k, i) => f ** 2 * k ** 2 * ((210 * f ** 2 + 390 * f * b1 + 143 * b1 ** 2) * 8 / 5005) * (35 / 8) * pm('ctr_4')[i] * h));
  });
});

describe('component and parameter tables', () => {
  it('each spectrum reads exactly its listed components and parameters', () => {
    const c = cases.find((x) => x.id === 'dev000')!;
    const o = out(c);
    for (const name of SPECTRUM_NAMES) {
      const needed = [...SPECTRUM_COMPONENTS[name], ...(name === 'gg_l0' ? ['tree'] : [])];
      const only: Record<string, tf.Tensor2D> = {};
      for (const r of needed) only[r] = tf.tensor2d([o.components_Mpc3[r]]);
      const bias: Partial<P> = {};
      for (const k of SPECTRUM_PARAMS[name]) bias[k] = o.bias[k];
      const ctx = { h: c.derived.h, f: c.derived.f, kOutMpc: o.k_Mpc };
      const ok = assembleAll(only, bias, ctx, { only: [name] });
      expect(maxRelativeError(rowOf(ok[name]!), o.spectra_hMpc3![name], o.k_hMpc)).toBeLessThan(2e-6);
      disposeAll(ok);
      for (const r of new Set(needed)) {
        const less = { ...only };
        delete less[r];
        expect(() => assembleAll(less, bias, ctx, { only: [name] }), `${name} without ${r}`).toThrow(r);
        expect(assembleAll(less, bias, ctx, { only: [name], skipMissing: true })[name]).toBeUndefined();
      }
      for (const k of SPECTRUM_PARAMS[name]) {
        const less = { ...bias };
        delete less[k];
        expect(() => assembleAll(only, less, ctx, { only: [name] }), `${name} without ${k}`).toThrow(k);
      }
      disposeAll(only);
    }
  });
});

describe('CLI assembleSpectra', () => {
  const inputsOf = (c: OracleCase, components: string[]): CaseInputs =>
    ({
      h: c.derived.h,
      kOutMpc: out(c).k_Mpc,
      bias: out(c).bias,
      cosmology: { f: components.includes('tree_0_vv') ? c.derived.f : undefined },
    }) as unknown as CaseInputs;

  it('returns the twelve spectra (and the 24 fNL ones) as number arrays from number-array components', () => {
    const c = cases.find((x) => x.id === 'fiducial')!;
    const comps = out(c).components_Mpc3;
    const got = assembleSpectra(comps, inputsOf(c, Object.keys(comps)));
    const fnl = FNL_SPECTRUM_NAMES.flatMap((n) => [n, `${n}_ortho`]);
    expect(Object.keys(got).sort()).toEqual([...SPECTRUM_NAMES, ...fnl].sort());
    for (const name of SPECTRUM_NAMES) {
      expect(Array.isArray(got[name])).toBe(true);
      expect(maxRelativeError(got[name], out(c).spectra_hMpc3![name], out(c).k_hMpc), name).toBeLessThan(2e-6);
    }
  });

  it('leaves out the spectra whose components are missing (RSD off, no bias tracers)', () => {
    const c = cases.find((x) => x.id === 'dev000')!;
    const all = out(c).components_Mpc3;
    const real = Object.fromEntries(Object.entries(all).filter(([k]) => ROWS.indexOf(k) >= 0 && ROWS.indexOf(k) <= 14));
    expect(Object.keys(assembleSpectra(real, inputsOf(c, Object.keys(real)))).sort()).toEqual(['gg_real', 'gm_real', 'mm_real']);
    const matter = { loop: all.loop, tree: all.tree, ctr: all.ctr };
    expect(Object.keys(assembleSpectra(matter, inputsOf(c, Object.keys(matter))))).toEqual(['mm_real']);
    expect(assembleSpectra({}, inputsOf(c, []))).toEqual({});
  });
});
