/**
 * Prototypes of the proposed optimisations, measured against the src/ functions they would
 * replace and checked to give the same values (`--profile` prints them). Nothing in src/ uses
 * these; they exist to verify the expected gains of the report's proposals.
 *
 * (1. Loops: the skew + complex-block matMul prototype is now in src, and on wasm the SIMD
 *    kernel of src/loops/quadratic-forms.wat replaces it; the row is gone.)
 * 2. Plan: the f-power polynomials evaluated separably, K[c, d] = sum_b (sum_a C_ab n1_c^a) n2_d^b,
 *    O(N^2 deg) per power of f instead of O(N^2 x monomials), with float64 loops.
 * 3. AP moments: one host pass over (k_j, mu_g) for all nine (l, phi) moment sets.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Plan } from '../src/plan';
import { MATTER_FFTLOG_BIAS } from '../src/plan';
import type { CaseInputs } from '../src/cli/case-file';
import { fftlogGrid } from '../src/fftlog/grid';
import { fPowerMatrices, type ComplexArray } from '../src/kernels/f-power-kernels';
import { fftlogExponents, matterM22 } from '../src/kernels/matrices';
import { compilePoly, parsePoly, type CompiledPoly } from '../src/kernels/polynomial';
import { M22_DEN, P22_MU_POWERS } from '../src/kernels/rsd-matter';
import { hostApMoments, type AngularFactor } from '../src/redshift/ap-moments';
import { gaussLegendre } from '../src/numerics/gauss-legendre';
import { AP_GAUSS_NODES } from '../src/redshift/ap-projection';
import { secondDerivativeOperators } from '../src/numerics/output-spline';
import { splineSecondDerivatives } from '../src/numerics/spline';
import { stats } from './common';

export interface ProposalRow {
  name: string;
  current_ms: number;
  proposed_ms: number;
  max_rel_diff: number;
  note: string;
}

function timeMedian(reps: number, fn: () => unknown): number {
  fn();
  const runs: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    runs.push(performance.now() - t0);
  }
  return stats(runs).median;
}

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(a[i]));
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
  }
  return scale > 0 ? diff / scale : diff;
}

/* ------------------------------------------------------------------ 2. plan: f-power polynomials */

function compile(text: string): CompiledPoly {
  return compilePoly(parsePoly(text.replace(/n12/g, '(n1+n2)')));
}

/** fPowerMatrices with separable polynomial evaluation (same inputs, same outputs). */
export function separableFPowerMatrices(n: number, bias: number, base: ComplexArray, numerator: string, denominator = '1'): (ComplexArray | null)[] {
  const num = compile(numerator);
  const den = compile(denominator);
  const nc = n + 1;
  const eta = fftlogExponents(n, bias);
  let deg = 0;
  for (const poly of [num, den]) for (const terms of poly) for (const [, a, b] of terms) deg = Math.max(deg, a, b);
  const D = deg + 1;
  // z^e for z = nu_c = -eta_c / 2, row-major [nc, D] re/im
  const pr = new Float64Array(nc * D);
  const pi = new Float64Array(nc * D);
  for (let c = 0; c < nc; c++) {
    const zr = -eta.re[c] / 2;
    const zi = -eta.im[c] / 2;
    pr[c * D] = 1;
    for (let e = 1; e < D; e++) {
      const r0 = pr[c * D + e - 1];
      const i0 = pi[c * D + e - 1];
      pr[c * D + e] = r0 * zr - i0 * zi;
      pi[c * D + e] = r0 * zi + i0 * zr;
    }
  }
  /** K[c, d] = sum_b (sum_a C_ab n1_c^a) n2_d^b for one power's monomials. */
  const evaluate = (terms: [number, number, number, number][]): { re: Float64Array; im: Float64Array } => {
    const coef = new Float64Array(D * D); // [a, b]
    for (const [c0, a, b] of terms) coef[a * D + b] += c0;
    const re = new Float64Array(nc * nc);
    const im = new Float64Array(nc * nc);
    const ur = new Float64Array(D);
    const ui = new Float64Array(D);
    for (let c = 0; c < nc; c++) {
      ur.fill(0);
      ui.fill(0);
      for (let a = 0; a < D; a++) {
        const zr = pr[c * D + a];
        const zi = pi[c * D + a];
        for (let b = 0; b < D; b++) {
          const k = coef[a * D + b];
          if (k === 0) continue;
          ur[b] += k * zr;
          ui[b] += k * zi;
        }
      }
      for (let d = 0; d < nc; d++) {
        let sr = 0;
        let si = 0;
        for (let b = 0; b < D; b++) {
          const wr = pr[d * D + b];
          const wi = pi[d * D + b];
          sr += ur[b] * wr - ui[b] * wi;
          si += ur[b] * wi + ui[b] * wr;
        }
        re[c * nc + d] = sr;
        im[c * nc + d] = si;
      }
    }
    return { re, im };
  };
  const dv = evaluate(den[0] ?? []);
  // q = base / den
  const qr = new Float64Array(nc * nc);
  const qi = new Float64Array(nc * nc);
  for (let i = 0; i < nc * nc; i++) {
    const dd = dv.re[i] * dv.re[i] + dv.im[i] * dv.im[i];
    qr[i] = (base.re[i] * dv.re[i] + base.im[i] * dv.im[i]) / dd;
    qi[i] = (base.im[i] * dv.re[i] - base.re[i] * dv.im[i]) / dd;
  }
  return num.map((terms) => {
    if (!terms.length) return null;
    const v = evaluate(terms);
    for (let i = 0; i < nc * nc; i++) {
      const r = qr[i] * v.re[i] - qi[i] * v.im[i];
      v.im[i] = qr[i] * v.im[i] + qi[i] * v.re[i];
      v.re[i] = r;
    }
    return v;
  });
}

function planRows(n: number): ProposalRow[] {
  const m22 = matterM22(n);
  const formula = `196*(${P22_MU_POWERS.mu4_vv})`;
  let cur: (ComplexArray | null)[] = [];
  let prop: (ComplexArray | null)[] = [];
  const t0 = performance.now();
  cur = fPowerMatrices(n, MATTER_FFTLOG_BIAS, m22, formula, M22_DEN);
  const tCur = performance.now() - t0;
  const tProp = timeMedian(3, () => (prop = separableFPowerMatrices(n, MATTER_FFTLOG_BIAS, m22, formula, M22_DEN)));
  let diff = 0;
  cur.forEach((m, p) => {
    if (m && prop[p]) diff = Math.max(diff, maxRelDiff(m.re, prop[p]!.re), maxRelDiff(m.im, prop[p]!.im));
    else if (m || prop[p]) diff = Infinity;
  });
  return [
    {
      name: 'plan: f-power matrices of one P22 kernel (mu4_vv, 3 powers of f)',
      current_ms: tCur,
      proposed_ms: tProp,
      max_rel_diff: diff,
      note: 'fPowerMatrices vs separable evaluation; the plan evaluates 41 such formulas',
    },
  ];
}

/* ------------------------------------------------------------------ 3. AP moments */

const SETS: [0 | 2 | 4, AngularFactor][] = [0, 2, 4].flatMap((phi) => [0, 2, 4].map((l) => [l, phi] as [0 | 2 | 4, AngularFactor]));

function legendre(l: number, x: number): number {
  return l === 0 ? 1 : l === 2 ? (3 * x * x - 1) / 2 : (35 * x ** 4 - 30 * x * x + 3) / 8;
}

/** The nine moment sets [B, J, 5] in one pass (same sums as hostApMoments). */
export function fusedHostApMoments(k: Float64Array, hr: number, dr: number, nSide: number): Float64Array[] {
  const rule = gaussLegendre(AP_GAUSS_NODES);
  const ng = rule.x.length;
  const n = k.length;
  const nj = n - 2 * nSide;
  const out = SETS.map(() => new Float64Array(nj * 5));
  const invD2 = 1 / (dr * dr);
  const volume = hr * invD2;
  const lw = [0, 2, 4].map((l) => Float64Array.from(rule.x, (mu, g) => rule.w[g] * volume * ((2 * l + 1) / 2) * legendre(l, mu)));
  for (let jj = 0; jj < nj; jj++) {
    const j = jj + nSide;
    for (let g = 0; g < ng; g++) {
      const mu = rule.x[g];
      const q2m1 = invD2 - 1 + (hr * hr - invD2) * mu * mu;
      const q = Math.sqrt(1 + q2m1);
      const delta = (k[j] * q2m1) / (q + 1);
      const kt = k[j] * q;
      const upper = kt >= k[j] && kt < k[j + 1];
      const lower = kt < k[j] && kt >= k[j - 1];
      if (!upper && !lower) continue; // far nodes: handled pointwise, as in src
      const mut = Math.sqrt((mu * mu * hr * hr) / (q * q));
      const phis = [1, legendre(2, mut), legendre(4, mut)];
      const d2 = delta * delta;
      const d3 = d2 * delta;
      SETS.forEach(([l, phi], s) => {
        const c = lw[l / 2][g] * phis[phi / 2];
        const m = out[s];
        const base = jj * 5;
        m[base] += c;
        m[base + 1] += c * delta;
        m[base + 2] += c * d2;
        m[base + (lower ? 3 : 4)] += c * d3;
      });
    }
  }
  return out;
}

function momentRows(inputs: CaseInputs, reps: number): ProposalRow[] {
  const c = inputs.cosmology;
  const k = fftlogGrid(inputs.n, c.h as number).kMpc;
  const hr = c.hratio as number;
  const dr = c.Dratio as number;
  const host = { gridKMpc: [k], hratio: [hr], dratio: [dr] };
  const cur = () => SETS.map(([l, phi]) => hostApMoments(host, 10, l, phi).m64);
  const a = cur();
  const b = fusedHostApMoments(k, hr, dr, 10);
  const diff = Math.max(...a.map((m, i) => maxRelDiff(m, b[i])));
  return [
    {
      name: 'AP moments: the 9 (l, phi) host moment sets, B = 1',
      current_ms: timeMedian(reps, cur),
      proposed_ms: timeMedian(reps, () => fusedHostApMoments(k, hr, dr, 10)),
      max_rel_diff: diff,
      note: '9 x hostApMoments vs one fused pass (the tensor twins can be fused the same way)',
    },
  ];
}

/* ------------------------------------------------------------------ 4. D matrices: one per N */

/**
 * The FFTLog grid is k_j = h q_j with q independent of h, and the natural spline's second
 * derivatives in k scale as 1/h^2: D(h) = D(1) / h^2. One [N, N] operator per plan replaces the
 * per-call [B, N, N] host solves and upload (and the matMul becomes one shared-operand product).
 */
function dMatrixRows(n: number, batch: number, reps: number): ProposalRow[] {
  const hs = Array.from({ length: batch }, (_, i) => 0.6 + (0.15 * i) / Math.max(1, batch - 1));
  const grids = hs.map((h) => fftlogGrid(n, h).kMpc);
  const q = fftlogGrid(n, 1).kMpc;
  // float64 check of the scaling on a random vector
  const y = Float64Array.from({ length: n }, (_, j) => Math.sin(j) + 2);
  let diff = 0;
  const d1 = splineSecondDerivatives(q, y);
  grids.forEach((k, b) => {
    const dh = splineSecondDerivatives(k, y);
    diff = Math.max(diff, maxRelDiff(dh, d1.map((v) => v / (hs[b] * hs[b]))));
  });
  const dOne = secondDerivativeOperators([q]); // built once per plan in the proposal
  const stack = tf.randomNormal([batch, 36, n]) as tf.Tensor3D;
  const invH2 = tf.tensor3d(hs.map((h) => 1 / (h * h)), [batch, 1, 1]);
  const current = () =>
    tf.tidy(() => {
      const d = secondDerivativeOperators(grids);
      return tf.matMul(stack, d);
    }).dataSync();
  const proposed = () =>
    tf.tidy(() => tf.mul(tf.reshape(tf.matMul(tf.reshape(stack, [batch * 36, n]), tf.squeeze(dOne, [0])), [batch, 36, n]), invH2)).dataSync();
  const row: ProposalRow = {
    name: `spline y'' for B = ${batch}, 36 channels: per-call D [B,N,N] vs shared D(1)/h^2`,
    current_ms: timeMedian(reps, current),
    proposed_ms: timeMedian(reps, proposed),
    max_rel_diff: diff,
    note: 'max rel diff: float64 D(h) vs D(1)/h^2 (the scaling is exact)',
  };
  tf.dispose([dOne, stack, invH2]);
  return [row];
}

export function runProposals(plan: Plan, inputs: CaseInputs, reps: number, withPlan: boolean): ProposalRow[] {
  return [
    ...(withPlan ? planRows(plan.n) : []),
    ...momentRows(inputs, reps),
    ...dMatrixRows(plan.n, 32, reps),
  ];
}
