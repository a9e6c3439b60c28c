/**
 * The IR-on AP projection of the matter multipoles in float64 on the host, for a batch: the same
 * algorithm as ./matter-multipoles `projectMatterMultipoles` (CLASS-PT `nonlinear_pt_loop`, the AP
 * loop of the RSD part: every μ-power array at k_t by its natural spline in k over the FFTLog
 * nodes, the integrand at (k_t, mu_t) with the anisotropic BAO damping, Gauss-Legendre sums with
 * the fiducial L_l(mu)), evaluated pointwise in double precision as CLASS-PT does, from the
 * float64 loop arrays (../loops/exact-loops) and the float64 linear stage.
 *
 * Why: `loop_2_dd`, `loop_4_dd` and `loop_4_vd` carry the l = 2, 4 parts of the tree, whose
 * anisotropy (Sigma_tot(mu) and the AP map) is a small remainder of the tree's monopole; at high
 * redshift the loops are ~1/300 of the tree, so float32 interpolated integrands (relative
 * rounding 6e-8 of the tree) became 4e-5 (z = 2.4) to 1.6e-4 (z = 2.8) of loop_4_dd. Here every
 * step is float64 and the rows agree with CLASS-PT to the float32 storage of the result.
 * The float32 tensor projection still supplies the gradient where one can reach these rows
 * (../compute.ts adds the constant difference).
 */
import { apGaussRule, legendreEven } from '../numerics/gauss-legendre';
import { splineSecondDerivatives } from '../numerics/spline';
import * as tf from '@tensorflow/tfjs-core';
import type { LinearStage } from '../input/linear-stage';
import { exactStack, stackRows } from '../loops/exact-loops';
import { MATTER_ROWS } from './matter-multipoles';

export interface MatterProjectionInputs {
  /** the μ-power loop arrays (./matter-multipoles MuPowerLoops): names and float64 values [B, C, N] */
  names: string[];
  values64: Float64Array;
  linear: LinearStage;
  f: number[];
  /** 1 and 1 when AP is off */
  hratio: number[];
  dratio: number[];
  nSide: number;
}

/** mu_t power (0..8) and family of a μ-power channel name (`P22_mu4_vv`, `P13w_mu6`, ...) */
function channelOf(name: string): { p: number; family: 0 | 1 | 2; kind: 'nw22' | 'nw13' | 'w' } {
  const p = Number(/_mu(\d)/.exec(name)![1]);
  const family = name.includes('_dd') ? 2 : name.includes('_vd') ? 1 : 0; // vv, vd, dd
  const kind = name.startsWith('P22w_') || name.startsWith('P13w_') ? 'w' : name.startsWith('P13_') ? 'nw13' : 'nw22';
  return { p, family, kind };
}

/** The 18 rows of MATTER_ROWS on the FFTLog grid, float64, each [B N] (zero at the Nside end nodes, trap T16). */
export function matterMultipolesFloat64(x: MatterProjectionInputs): Record<string, Float64Array> {
  const { names, values64, linear, nSide } = x;
  const B = linear.gridKMpc.length;
  const n = linear.gridKMpc[0].length;
  const C = names.length;
  const iNw = names.indexOf('Pnw');
  const iW = names.indexOf('Pw');
  // the loop channels: family (vv 0, vd 1, dd 2) and factor index kind * 5 + p/2 (kind: 0 P22, 1 P13 (x P13ratio), 2 wiggle (x e))
  const loopIdx: number[] = [];
  const family: number[] = [];
  const factorIdx: number[] = [];
  names.forEach((name, c) => {
    if (c === iNw || c === iW) return;
    const ch = channelOf(name);
    loopIdx.push(c);
    family.push(ch.family);
    factorIdx.push((ch.kind === 'nw22' ? 0 : ch.kind === 'nw13' ? 1 : 2) * 5 + ch.p / 2);
  });
  const L = loopIdx.length;
  const rule = apGaussRule();
  const G = rule.x.length;
  // w_g (2l + 1)/2 L_l(mu_g) for l = 0, 2, 4 (without the volume factor), [G, 3]
  const lw = new Float64Array(3 * G);
  for (let g = 0; g < G; g++) for (let l = 0; l < 3; l++) lw[3 * g + l] = rule.w[g] * legendreEven((2 * l) as 0 | 2 | 4, rule.x[g]) * ((4 * l + 1) / 2);
  const R = MATTER_ROWS.length;
  const row = Object.fromEntries(MATTER_ROWS.map((name, r) => [name, r])) as Record<(typeof MATTER_ROWS)[number], number>;
  const out = new Float64Array(R * B * n);
  const at = new Float64Array(C);
  const factor = new Float64Array(15);
  const fam = new Float64Array(3);
  const sums = new Float64Array(27); // [loops | trees | ctrs] x (a = 0..2) x (l = 0..2)
  const nodes = new Float64Array(n * 2 * C); // per node: the C values, then their C second derivatives
  for (let b = 0; b < B; b++) {
    const k = linear.gridKMpc[b];
    const f = x.f[b];
    const hr = x.hratio[b];
    const invD2 = 1 / (x.dratio[b] * x.dratio[b]);
    const volume = hr * invD2;
    const sigma2 = linear.sigma2Bao[b];
    const deltaSigma2 = linear.deltaSigma2Bao[b];
    for (let c = 0; c < C; c++) {
      const y = values64.subarray((b * C + c) * n, (b * C + c + 1) * n);
      const d2 = splineSecondDerivatives(k, y);
      for (let i = 0; i < n; i++) {
        nodes[i * 2 * C + c] = y[i];
        nodes[i * 2 * C + C + c] = d2[i];
      }
    }
    for (let j = nSide; j < n - nSide; j++) {
      sums.fill(0);
      for (let g = 0; g < G; g++) {
        const mu = rule.x[g];
        const q2 = invD2 + (hr * hr - invD2) * mu * mu;
        const kt = k[j] * Math.sqrt(q2);
        const mu2 = (mu * mu * hr * hr) / q2;
        // CLASS-PT AP_BSEARCH_SETUP: k[i] <= k_t < k[i + 1], i in [0, n - 2], walked from node j
        let i = j;
        while (i > 0 && kt < k[i]) i--;
        while (i < n - 2 && kt >= k[i + 1]) i++;
        const h = k[i + 1] - k[i];
        const wb = (kt - k[i]) / h;
        const wa = 1 - wb;
        const wa3 = ((wa * wa * wa - wa) * h * h) / 6;
        const wb3 = ((wb * wb * wb - wb) * h * h) / 6;
        const o0 = i * 2 * C;
        const o1 = o0 + 2 * C;
        for (let c = 0; c < C; c++) at[c] = wa * nodes[o0 + c] + wb * nodes[o1 + c] + wa3 * nodes[o0 + C + c] + wb3 * nodes[o1 + C + c];
        const kt2 = kt * kt;
        const sigmaTot = sigma2 * (1 + f * mu2 * (2 + f)) + f * f * mu2 * (mu2 - 1) * deltaSigma2;
        const e = Math.exp(-sigmaTot * kt2);
        const pNw = at[iNw];
        const pWe = at[iW] * e;
        const ratio = 1 + pWe / pNw; // CLASS-PT P13ratio
        const pTree = pNw + (1 + sigmaTot * kt2) * pWe;
        const ctr = kt2 * (pNw + pWe);
        let m = 1;
        for (let p = 0; p < 5; p++, m *= mu2) {
          factor[p] = m;
          factor[5 + p] = m * ratio;
          factor[10 + p] = m * e;
        }
        fam[0] = 0;
        fam[1] = 0;
        fam[2] = 0;
        for (let c = 0; c < L; c++) fam[family[c]] += at[loopIdx[c]] * factor[factorIdx[c]];
        const t1 = f * mu2;
        const t2 = t1 * t1;
        for (let l = 0; l < 3; l++) {
          const w = lw[3 * g + l];
          sums[l] += w * fam[0];
          sums[3 + l] += w * fam[1];
          sums[6 + l] += w * fam[2];
          sums[9 + l] += w * pTree;
          sums[12 + l] += w * t1 * pTree;
          sums[15 + l] += w * t2 * pTree;
          sums[18 + l] += w * ctr;
          sums[21 + l] += w * t1 * ctr;
          sums[24 + l] += w * t2 * ctr;
        }
      }
      const put = (name: (typeof MATTER_ROWS)[number], v: number) => (out[(row[name] * B + b) * n + j] = volume * v);
      // loops by family (vv, vd, dd) and l; 2_dd, 4_dd carry the tree, 4_vd 2 f mu_t^2 tree (trap T18)
      put('loop_0_vv', sums[0]); put('loop_2_vv', sums[1]); put('loop_4_vv', sums[2]);
      put('loop_0_vd', sums[3]); put('loop_2_vd', sums[4]); put('loop_4_vd', sums[5] + 2 * sums[14]);
      put('loop_0_dd', sums[6]); put('loop_2_dd', sums[7] + sums[10]); put('loop_4_dd', sums[8] + sums[11]);
      put('tree_0_dd', sums[9]);
      put('tree_0_vd', 2 * sums[12]); put('tree_2_vd', 2 * sums[13]);
      put('tree_0_vv', sums[15]); put('tree_2_vv', sums[16]); put('tree_4_vv', sums[17]);
      put('ctr_0', -sums[18]); put('ctr_2', -sums[22]); put('ctr_4', -sums[26]);
    }
  }
  return Object.fromEntries(MATTER_ROWS.map((name, r) => [name, out.subarray(r * B * n, (r + 1) * B * n)]));
}

/**
 * The IR-on matter multipoles on the grid as tensors [B, N] by row: the float64 values above, with
 * the float32 tensor projection `tensorRows` (./matter-multipoles projectMatterMultipoles) run only
 * where a gradient can reach them (its tensor plus the constant difference).
 */
export function matterMultipoleRows(x: MatterProjectionInputs, tensorRows?: () => Record<string, tf.Tensor2D>): Record<string, tf.Tensor2D> {
  const exact = matterMultipolesFloat64(x);
  const B = x.linear.gridKMpc.length;
  const n = x.linear.gridKMpc[0].length;
  const R = MATTER_ROWS.length;
  const values = new Float64Array(B * R * n); // [B, R, N]
  MATTER_ROWS.forEach((name, r) => {
    for (let b = 0; b < B; b++) values.set(exact[name].subarray(b * n, (b + 1) * n), (b * R + r) * n);
  });
  const tensorPath = tensorRows && (() => {
    const rows = tensorRows();
    return tf.stack(MATTER_ROWS.map((name) => rows[name]), 1) as tf.Tensor3D;
  });
  return stackRows(exactStack(values, [B, R, n], tensorPath), [...MATTER_ROWS]);
}
