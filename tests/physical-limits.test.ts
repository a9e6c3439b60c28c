/**
 * Limits that do not rest on the oracle: the AP projection with hratio = Dratio = 1 equals the
 * AP-off path; with f = 0 the redshift-space multipoles reduce to the real-space spectra times
 * Legendre weights; a batched call equals the stacked single calls; repeated calls do not leak.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../src/backend';
import { caseInputs, type CaseFile } from '../src/cli/case-file';
import { computeComponents, type ComputeOptions } from '../src/compute';
import { getPlan } from '../src/plan';
import { PURE_AP_ROWS } from '../src/redshift/pure-ap-float64';
import type { CosmologyInput } from '../src/input/linear-stage';
import { maxAbsInWindow, maxRelativeError } from './metrics';
import { loadCase } from './oracle';
import { expectWithinBound } from './bounds';

/** The worst of err(name) over the names, and where. */
function worstOver(names: string[], err: (name: string) => number): { err: number; where: string; count: number } {
  let w = { err: 0, where: 'no row', count: 0 };
  for (const name of names) {
    const e = err(name);
    w.count++;
    if (!(e <= w.err)) w = { ...w, err: e, where: name };
  }
  return w.where === 'no row' && w.count > 0 ? { ...w, where: `all ${w.count} rows equal` } : w;
}

/**
 * Rows left out of the amplitude scaling: the pure-AP rows (l = 2, 4 of isotropic terms) are AP
 * remainders of 1e-4 to 1e-8 of their monopoles, stored in float32: tested in float64 against
 * CLASS-PT instead. (Id2d2 carries CLASS-PT's + 1e-6 inside |...|: 1e-8 of the row, kept.)
 */
const PURE_AP_OF: Record<string, true> = Object.fromEntries(PURE_AP_ROWS.map((n) => [n, true]));

function run(cosmos: CosmologyInput[], options: ComputeOptions, n = 256): Record<string, Float32Array[]> {
  const plan = getPlan({ n });
  const res = computeComponents(plan, cosmos, options);
  const out: Record<string, Float32Array[]> = {};
  const B = cosmos.length;
  for (const [name, t] of Object.entries(res.components)) {
    const v = t.dataSync() as Float32Array;
    const nk = t.shape[1];
    out[name] = Array.from({ length: B }, (_, b) => v.slice(b * nk, (b + 1) * nk));
  }
  res.dispose();
  return out;
}

describe('physical limits and batching', () => {
  let inputs: ReturnType<typeof caseInputs>;
  let kh: number[];
  beforeAll(async () => {
    await useBackend('wasm');
    const c = loadCase('fiducial') as unknown as CaseFile;
    inputs = caseInputs(c);
    kh = inputs.kOutMpc.map((k) => k / inputs.h);
  });

  it('hratio = Dratio = 1 with AP on equals the AP-off path', (ctx) => {
    const base = { ...inputs.options, kOutMpc: inputs.kOutMpc };
    const on = run([{ ...inputs.cosmology, hratio: 1, Dratio: 1 }], { ...base, alcockPaczynski: true });
    const off = run([{ ...inputs.cosmology }], { ...base, alcockPaczynski: false });
    const w = worstOver(Object.keys(off).filter((name) => maxAbsInWindow(off[name][0], kh) > 0), (name) => maxRelativeError(on[name][0], off[name][0], kh));
    expect(w.count).toBeGreaterThanOrEqual(40);
    expectWithinBound(ctx, 'limits: AP on with hratio = Dratio = 1 vs AP off', w.err, w.where);
  });

  it("components: 'spectra' returns every row but the eight pure-AP rows, with the same values", () => {
    const base = { ...inputs.options, kOutMpc: inputs.kOutMpc };
    const all = run([inputs.cosmology], base);
    const spectra = run([inputs.cosmology], { ...base, components: 'spectra' });
    expect(Object.keys(all).length).toBe(48);
    expect(Object.keys(all).filter((k) => !(k in spectra)).sort()).toEqual([...PURE_AP_ROWS].sort());
    for (const name of Object.keys(spectra)) expect(Array.from(spectra[name][0]), name).toEqual(Array.from(all[name][0]));
  });

  it('f = 0 reduces the IR-off multipoles to the real-space spectra', (ctx) => {
    const out = run([{ ...inputs.cosmology, f: 0 }], { ...inputs.options, irResummation: false, kOutMpc: inputs.kOutMpc });
    const pairs: Record<string, string> = { loop_0_dd: 'loop', tree_0_dd: 'tree', ctr_0: 'ctr' };
    const w = worstOver(Object.keys(pairs), (name) => maxRelativeError(out[name][0], out[pairs[name]][0], kh));
    expectWithinBound(ctx, 'limits: f = 0 (IR off): monopoles vs real space', w.err, w.where);
    for (const name of ['loop_0_vv', 'loop_0_vd', 'loop_2_vv', 'loop_2_vd', 'loop_2_dd', 'loop_4_vv', 'loop_4_vd', 'loop_4_dd', 'tree_0_vv', 'tree_0_vd', 'ctr_2', 'ctr_4']) {
      expect(maxAbsInWindow(out[name][0], kh), name).toBe(0);
    }
  });

  it('f = 0 with AP off: isotropic trees, and no quadrupole of the bias terms beyond rounding', (ctx) => {
    const out = run([{ ...inputs.cosmology, f: 0 }], { ...inputs.options, alcockPaczynski: false, kOutMpc: inputs.kOutMpc });
    // p_tree is isotropic: its monopole is P_tree and its l = 2 vanishes
    const tree = maxRelativeError(out.tree_0_dd[0], out.tree[0], kh);
    const l2 = maxAbsInWindow(out.loop_2_dd[0], kh) / maxAbsInWindow(out.tree[0], kh);
    expectWithinBound(ctx, 'limits: f = 0 (IR on, AP off): isotropy (tree_0_dd vs tree, loop_2_dd / tree)', Math.max(tree, l2), tree > l2 ? 'tree_0_dd' : 'loop_2_dd');
    // the isotropic bias terms have no AP-free l = 2
    expect(maxAbsInWindow(out.Id2d2_2[0], kh) / maxAbsInWindow(out.Id2d2[0], kh)).toBeLessThan(1e-10);
  });

  /**
   * Amplitude scaling: with P_lin -> lambda P_lin every one-loop row scales as lambda^2 and the
   * trees and counterterm shapes as lambda, exactly (IR resummation off: CLASS-PT's IR split is
   * not homogeneous in the amplitude, its P_nw moves by ~3e-3 for lambda = 0.5). lambda from 1
   * to 0.05 spans D(z)^2 over z in [0, 3] and beyond: a precision loss at small amplitudes (high
   * redshift) shows here without any reference data. AP on (the bias multipoles go through the
   * AP projection), at z = 2.5-like AP ratios.
   */
  it('P_lin -> lambda P_lin scales the loops by lambda^2 and the trees by lambda (IR off), lambda in [0.05, 1]', (ctx) => {
    const opts = { ...inputs.options, irResummation: false, kOutMpc: inputs.kOutMpc };
    const cosmo = { ...inputs.cosmology, hratio: 1.03, Dratio: 0.98 };
    const ref = run([cosmo], opts);
    const linear = new Set(['tree', 'ctr', 'tree_0_vv', 'tree_0_vd', 'tree_0_dd', 'tree_2_vv', 'tree_2_vd', 'tree_4_vv', 'ctr_0', 'ctr_2', 'ctr_4']);
    let worst = { err: 0, where: '' };
    let count = 0;
    for (const lambda of [0.5, 0.2, 0.05]) {
      const scaled = run([{ ...cosmo, pkMpc3: Array.from(cosmo.pkMpc3 as ArrayLike<number>, (p) => p * lambda) }], opts);
      for (const name of Object.keys(ref)) {
        if (name in PURE_AP_OF) continue;
        const power = linear.has(name) ? 1 : 2;
        const err = maxRelativeError(scaled[name][0].map((v) => v / lambda ** power), ref[name][0], kh);
        count++;
        if (err > worst.err) worst = { err, where: `${name}, lambda = ${lambda}` };
      }
    }
    expect(count).toBe(3 * 40);
    expectWithinBound(ctx, 'limits: amplitude scaling P -> lambda P (IR off), lambda in [0.05, 1]', worst.err, worst.where);
  });

  it('a batched call equals the stacked single calls', (ctx) => {
    let worst = { err: 0, where: '' };
    const cosmos: CosmologyInput[] = [0.9, 1, 1.1].map((a, i) => ({
      ...inputs.cosmology,
      pkMpc3: Array.from(inputs.cosmology.pkMpc3 as ArrayLike<number>, (p) => p * a),
      f: (inputs.cosmology.f as number) * (1 + 0.05 * i),
      hratio: 1 + 0.01 * i,
      Dratio: 1 - 0.01 * i,
      rsDragMpc: (inputs.cosmology.rsDragMpc as number) * (1 + 0.01 * i),
    }));
    const opts = { ...inputs.options, kOutMpc: inputs.kOutMpc };
    const batched = run(cosmos, opts);
    cosmos.forEach((c, b) => {
      const single = run([c], opts);
      for (const name of Object.keys(single)) {
        const scale = maxAbsInWindow(single[name][0], kh);
        if (scale === 0) continue;
        const err = maxRelativeError(batched[name][b], single[name][0], kh);
        if (err > worst.err) worst = { err, where: `${name}[${b}]` };
      }
    });
    expectWithinBound(ctx, 'limits: a batch vs the stacked single calls', worst.err, worst.where);
  });

  it('repeated calls do not grow tf.memory().numTensors (1000 calls)', () => {
    const cosmo = { ...inputs.cosmology };
    const cheap = { ...inputs.options, redshiftSpace: false, biasedTracers: false, kOutMpc: inputs.kOutMpc };
    run([cosmo], cheap, 128); // warm the plan
    const before = tf.memory().numTensors;
    for (let i = 0; i < 1000; i++) computeComponents(getPlan({ n: 128 }), [cosmo], cheap).dispose();
    expect(tf.memory().numTensors).toBe(before);
    // the full pipeline and its gradient, a few times
    const full = { ...inputs.options, kOutMpc: inputs.kOutMpc };
    run([cosmo], full, 128);
    const before2 = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      run([cosmo], full, 128);
      const f = tf.scalar(inputs.cosmology.f as number);
      const g = tf.grad((x: tf.Tensor) => {
        const res = computeComponents(getPlan({ n: 128 }), [{ ...cosmo, f: x as tf.Scalar }], full);
        return tf.sum(res.components.loop_0_vv);
      })(f);
      tf.dispose([f, g]);
    }
    expect(tf.memory().numTensors).toBe(before2);
  });
});
