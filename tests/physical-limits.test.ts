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

  it('hratio = Dratio = 1 with AP on equals the AP-off path', () => {
    const base = { ...inputs.options, kOutMpc: inputs.kOutMpc };
    const on = run([{ ...inputs.cosmology, hratio: 1, Dratio: 1 }], { ...base, alcockPaczynski: true });
    const off = run([{ ...inputs.cosmology }], { ...base, alcockPaczynski: false });
    for (const name of Object.keys(off)) {
      const scale = maxAbsInWindow(off[name][0], kh);
      if (scale === 0) continue;
      const err = maxRelativeError(on[name][0], off[name][0], kh);
      expect(err, name).toBeLessThan(name.endsWith('_4') || name.endsWith('_2') ? 1e-4 : 1e-5);
    }
  });

  it("components: 'spectra' returns every row but the eight pure-AP rows, with the same values", () => {
    const base = { ...inputs.options, kOutMpc: inputs.kOutMpc };
    const all = run([inputs.cosmology], base);
    const spectra = run([inputs.cosmology], { ...base, components: 'spectra' });
    expect(Object.keys(all).length).toBe(48);
    expect(Object.keys(all).filter((k) => !(k in spectra)).sort()).toEqual([...PURE_AP_ROWS].sort());
    for (const name of Object.keys(spectra)) expect(Array.from(spectra[name][0]), name).toEqual(Array.from(all[name][0]));
  });

  it('f = 0 reduces the IR-off multipoles to the real-space spectra', () => {
    const out = run([{ ...inputs.cosmology, f: 0 }], { ...inputs.options, irResummation: false, kOutMpc: inputs.kOutMpc });
    const rel = (a: Float32Array, b: Float32Array) => maxRelativeError(a, b, kh);
    expect(rel(out.loop_0_dd[0], out.loop[0])).toBeLessThan(1e-5);
    expect(rel(out.tree_0_dd[0], out.tree[0])).toBeLessThan(1e-6);
    expect(rel(out.ctr_0[0], out.ctr[0])).toBeLessThan(1e-6);
    for (const name of ['loop_0_vv', 'loop_0_vd', 'loop_2_vv', 'loop_2_vd', 'loop_2_dd', 'loop_4_vv', 'loop_4_vd', 'loop_4_dd', 'tree_0_vv', 'tree_0_vd', 'ctr_2', 'ctr_4']) {
      expect(maxAbsInWindow(out[name][0], kh), name).toBe(0);
    }
  });

  it('f = 0 with AP off: isotropic trees, and no quadrupole of the bias terms beyond rounding', () => {
    const out = run([{ ...inputs.cosmology, f: 0 }], { ...inputs.options, alcockPaczynski: false, kOutMpc: inputs.kOutMpc });
    // p_tree is isotropic: its monopole is P_tree and its l = 2 vanishes
    expect(maxRelativeError(out.tree_0_dd[0], out.tree[0], kh)).toBeLessThan(1e-5);
    expect(maxAbsInWindow(out.loop_2_dd[0], kh) / maxAbsInWindow(out.tree[0], kh)).toBeLessThan(1e-6);
    // the isotropic bias terms have no AP-free l = 2
    expect(maxAbsInWindow(out.Id2d2_2[0], kh) / maxAbsInWindow(out.Id2d2[0], kh)).toBeLessThan(1e-10);
  });

  it('a batched call equals the stacked single calls', () => {
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
        expect(maxRelativeError(batched[name][b], single[name][0], kh), `${name}[${b}]`).toBeLessThan(1e-5); // float32: the batched matMuls sum in another order
      }
    });
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
