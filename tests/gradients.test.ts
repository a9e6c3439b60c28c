/**
 * Reverse-mode gradients of S = sum_k (gg_l0 + gg_l2 + gg_l4) against central finite
 * differences of the same forward pass, on oracle cases with AP and IR on and off: every
 * nuisance parameter, f, hratio, Dratio, r_s,drag and smooth directions in P_lin.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../src/backend';
import { getPlan } from '../src/plan';
import { computeComponents } from '../src/compute';
import { caseInputs, type CaseFile } from '../src/cli/case-file';
import { predictGradient, sumOfGalaxyMultipoles, type SInputs } from '../src/cli/gradient';
import { WorstCase } from './metrics';
import { loadCase } from './oracle';
import { BOUNDS, expectWithinBound } from './bounds';

const CASES = ['fiducial', 'dev000', 'dev006', 'dev012', 'devir000', 'devir001', 'devx000', 'devx004', 'devfast000', 'dev030'];
const worst = new WorstCase();
type GradientFamily = 'gradients: nuisance parameters' | 'gradients: f, hratio, Dratio' | 'gradients: r_s,drag (BAO-weighted loop multipoles)' | 'gradients: P_lin directions';
const families = new Map<string, GradientFamily>();

function sValue(c: CaseFile, x: SInputs): number {
  return tf.tidy(() => sumOfGalaxyMultipoles(caseInputs(c), x).dataSync()[0]);
}

describe('gradients of S against finite differences', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  for (const id of CASES) {
    it(`agree on ${id}`, async () => {
      const c = loadCase(id) as unknown as CaseFile;
      const inputs = caseInputs(c);
      const { S, wrt } = await predictGradient(c);
      const base: SInputs = {
        pkMpc3: Array.from(inputs.cosmology.pkMpc3 as ArrayLike<number>),
        f: inputs.cosmology.f as number,
        hratio: (inputs.cosmology.hratio as number) ?? 1,
        Dratio: (inputs.cosmology.Dratio as number) ?? 1,
        rsDragMpc: (inputs.cosmology.rsDragMpc as number) ?? 0,
        bias: { ...inputs.bias },
      };
      expect(Math.abs(sValue(c, base) - S) / Math.abs(S)).toBeLessThan(1e-6);
      const check = (label: string, family: GradientFamily, ad: number, plus: SInputs, minus: SInputs, step: number) => {
        const fd = (sValue(c, plus) - sValue(c, minus)) / (2 * step);
        const err = Math.abs(ad - fd) / Math.max(Math.abs(fd), 1e-6 * Math.abs(S) / step);
        worst.add(label, id, err);
        families.set(label, family);
        expect(err, `${label}: AD ${ad} vs FD ${fd}`).toBeLessThanOrEqual(BOUNDS[family].bound);
      };
      // S is a polynomial of degree <= 2 in every nuisance parameter, so central differences are
      // exact for any step: take one that moves S by 1% to stay far above float32 rounding
      for (const name of Object.keys(inputs.bias)) {
        const v = inputs.bias[name];
        const ad = wrt[name] as number;
        if (ad === 0) {
          expect(name).toBe('cs'); // the only parameter S does not contain
          continue;
        }
        const step = (1e-2 * Math.abs(S)) / Math.abs(ad);
        check(name, 'gradients: nuisance parameters', wrt[name] as number,
          { ...base, bias: { ...base.bias, [name]: v + step } },
          { ...base, bias: { ...base.bias, [name]: v - step } }, step);
      }
      const scalars: [keyof SInputs, string, boolean][] = [
        ['f', 'f', true],
        ['hratio', 'hratio', inputs.options.alcockPaczynski],
        ['Dratio', 'Dratio', inputs.options.alcockPaczynski],
      ];
      for (const [key, name, used] of scalars) {
        if (!used) {
          expect(wrt[name]).toBe(0);
          continue;
        }
        const v = base[key] as number;
        const step = 1e-3 * v;
        check(name, 'gradients: f, hratio, Dratio', wrt[name] as number, { ...base, [key]: v + step }, { ...base, [key]: v - step }, step);
      }
      // r_s,drag moves S by only ~1e-6 of itself per Mpc (through the BAO damping alone), below
      // what float32 differences of S resolve. Its gradient is checked on the BAO-weighted sum of
      // the loop multipoles, where the damping is resolvable (dln/dln r_s ~ 1e-3).
      if (inputs.options.irResummation) {
        const plan = getPlan({ n: inputs.n });
        const hh = inputs.h;
        const w = tf.tensor2d(Float32Array.from(inputs.kOutMpc, (k) => (k / hh > 0.05 && k / hh < 0.3 ? (k / hh) ** 2 : 0)), [1, inputs.kOutMpc.length]);
        const T = (r: number | tf.Scalar) => {
          const res = computeComponents(plan, [{ ...inputs.cosmology, rsDragMpc: r }], { ...inputs.options, kOutMpc: inputs.kOutMpc });
          return tf.sum(tf.mul(tf.add(res.components.loop_0_dd, res.components.loop_2_vv), w)) as tf.Scalar;
        };
        const rs0 = base.rsDragMpc as number;
        const val = (r: number) => tf.tidy(() => T(r).dataSync()[0]);
        const ad = tf.tidy(() => tf.grad((r: tf.Tensor) => T(r as tf.Scalar))(tf.scalar(rs0)).dataSync()[0]);
        const h = 0.02 * rs0;
        const fd = (-val(rs0 + 2 * h) + 8 * val(rs0 + h) - 8 * val(rs0 - h) + val(rs0 - 2 * h)) / (12 * h);
        const err = Math.abs(ad - fd) / Math.abs(fd);
        worst.add('rs_drag_Mpc (loop multipoles)', id, err);
        families.set('rs_drag_Mpc (loop multipoles)', 'gradients: r_s,drag (BAO-weighted loop multipoles)');
        expect(err, `rs_drag_Mpc: AD ${ad} vs FD ${fd}`).toBeLessThanOrEqual(BOUNDS['gradients: r_s,drag (BAO-weighted loop multipoles)'].bound);
        expect(Number.isFinite(wrt.rs_drag_Mpc as number)).toBe(true);
        w.dispose();
      } else expect(wrt.rs_drag_Mpc).toBe(0);
      // smooth relative directions in P_lin: P (1 + eps v(ln k))
      const k = inputs.cosmology.kMpc as number[];
      const g = wrt.pk_lin_Mpc3 as number[];
      const pk = base.pkMpc3 as number[];
      for (const [label, v] of [
        ['P_lin tilt', (lk: number) => 0.5 * Math.sin(0.6 * lk) + 0.2],
        ['P_lin BAO-scale bump', (lk: number) => Math.exp(-((lk + 2.5) ** 2) / 0.3)],
      ] as const) {
        const dir = pk.map((p, i) => p * v(Math.log(k[i])));
        const eps = 2e-3;
        let ad = 0;
        for (let i = 0; i < pk.length; i++) ad += g[i] * dir[i];
        check(label, 'gradients: P_lin directions', ad, { ...base, pkMpc3: pk.map((p, i) => p + eps * dir[i]) }, { ...base, pkMpc3: pk.map((p, i) => p - eps * dir[i]) }, eps);
      }
    });
  }

  it('prints the worst cases; each family within its bound', (ctx) => {
    console.log(worst.table('AD vs FD of S').replace(' max|delta|/max|ref| over k in [0.005, 0.3] h/Mpc', ' |AD - FD| / |FD|'));
    for (const family of new Set(families.values())) {
      let err = 0;
      let where = 'no entry';
      for (const [label, w] of worst.entries()) if (families.get(label) === family && !(w.err <= err)) [err, where] = [w.err, `${w.id} ${label}`];
      expectWithinBound(ctx, family, err, where);
    }
    expect(new Set(families.values()).size).toBe(4);
  });
});
