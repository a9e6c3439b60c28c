/**
 * The float64 VJP of the host linear stage against central finite differences of the forward
 * (irResummation + sigma_v^2), for random cotangents and smooth input directions.
 */
import { describe, expect, it } from 'vitest';
import { fftlogGrid } from '../src/fftlog/grid';
import { sigmaV2, type LinearPowerInput } from '../src/input/linear-power';
import { irResummation, irResummationOff } from '../src/ir/resummation';
import { linearStageVjp, type LinearStageCotangents } from '../src/ir/linear-stage-vjp';
import { loadCase } from './oracle';
import { centredRng } from './metrics';

const rng = centredRng;

function forward(input: LinearPowerInput, k: Float64Array, h: number, rs: number, ir: boolean, alpha = 1) {
  const r = ir ? irResummation({ input, kGridMpc: k, h, rsDragMpc: rs, alphaRs: alpha }) : irResummationOff(input, k);
  return { ...r, sigmaV2: sigmaV2(input) };
}

function contract(out: ReturnType<typeof forward>, dy: LinearStageCotangents): number {
  let s = dy.sigmaV2 * out.sigmaV2 + dy.sigma2Bao * out.sigma2Bao + dy.deltaSigma2Bao * out.deltaSigma2Bao;
  for (let j = 0; j < out.pBin.length; j++) {
    s += dy.pNoWiggle[j] * out.pNoWiggle[j] + dy.pWiggle[j] * out.pWiggle[j] + dy.pBin[j] * out.pBin[j] + dy.pTree[j] * out.pTree[j];
  }
  return s;
}

describe('linear-stage VJP', () => {
  for (const [id, ir, alpha] of [['fiducial', true, 1], ['devir000', false, 1], ['devalpha000', true, 1.04]] as const) {
    it(`matches finite differences (${id})`, () => {
      const c = loadCase(id);
      const input: LinearPowerInput = {
        kMpc: Float64Array.from(c.input.k_Mpc),
        pkMpc3: Float64Array.from(c.input.pk_lin_Mpc3),
        nS: c.derived.n_s,
      };
      const h = c.derived.h;
      const rs = c.derived.rs_drag_Mpc;
      const k = fftlogGrid(256, h).kMpc;
      const r = rng(11);
      const n = k.length;
      // cotangents weighted towards the scales that matter, all outputs at once
      const dy: LinearStageCotangents = {
        pNoWiggle: Float64Array.from({ length: n }, r),
        pWiggle: Float64Array.from({ length: n }, r),
        pBin: Float64Array.from({ length: n }, r),
        pTree: Float64Array.from({ length: n }, r),
        sigmaV2: 30 * r(),
        sigma2Bao: 300 * r(),
        deltaSigma2Bao: 300 * r(),
      };
      const g = linearStageVjp({ input, kGridMpc: k, h, rsDragMpc: rs, irResummation: ir, alphaRs: alpha, noWiggle: false }, dy);
      // smooth relative direction: P -> P (1 + eps v(ln k)), and a BAO-scale wiggle
      for (const v of [
        (lk: number) => Math.sin(0.7 * lk) + 0.3,
        (lk: number) => Math.exp(-((lk + 2.3) ** 2) / 0.5) * Math.cos(8 * lk),
      ]) {
        const dir = input.pkMpc3.map((p, i) => p * v(Math.log(input.kMpc[i])));
        const eps = 1e-5;
        const plus = forward({ ...input, pkMpc3: input.pkMpc3.map((p, i) => p + eps * dir[i]) }, k, h, rs, ir, alpha);
        const minus = forward({ ...input, pkMpc3: input.pkMpc3.map((p, i) => p - eps * dir[i]) }, k, h, rs, ir, alpha);
        const fd = (contract(plus, dy) - contract(minus, dy)) / (2 * eps);
        let ad = 0;
        for (let i = 0; i < dir.length; i++) ad += g.pkMpc3[i] * dir[i];
        expect(Math.abs(ad - fd) / Math.abs(fd)).toBeLessThan(1e-6);
      }
      if (ir) {
        const eps = 1e-4;
        const fd =
          (contract(forward(input, k, h, rs + eps, ir, alpha), dy) - contract(forward(input, k, h, rs - eps, ir, alpha), dy)) / (2 * eps);
        expect(Math.abs(g.rsDragMpc - fd) / Math.abs(fd)).toBeLessThan(1e-6);
      } else expect(g.rsDragMpc).toBe(0);
    });
  }
});
