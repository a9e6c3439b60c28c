/**
 * Prototypes of the proposed optimisations, measured against the src/ functions they would
 * replace and checked to give the same values (`--profile` prints them). Nothing in src/ uses
 * these; they exist to verify the expected gains of the report's proposals.
 *
 * 1. Loops: the anti-diagonal products as a "skew" of the outer product (mul + pad + reshape +
 *    contiguous slice) instead of a Hankel gather / tile, and the kernel contraction as one
 *    matMul against a real 2x2 block [[Re M', Im M'], [-Im M', Re M']] that returns
 *    [Re A | Im A] directly (no rank-5 slices). All ops have gradients on wasm.
 * 2. Plan: the f-power polynomials evaluated separably, K[c, d] = sum_b (sum_a C_ab n1_c^a) n2_d^b,
 *    O(N^2 deg) per power of f instead of O(N^2 x monomials), with float64 loops.
 * 3. AP moments: one host pass over (k_j, mu_g) for all nine (l, phi) moment sets.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Plan } from '../src/plan';
import { MATTER_FFTLOG_BIAS } from '../src/plan';
import type { CaseInputs } from '../src/cli/case-file';
import { fftlogGrid } from '../src/fftlog/grid';
import { antiDiagonalProducts, fftlogCoefficients, quadraticLoops } from '../src/loops/loop-integrals';
import type { QuadraticKernels, TensorBasis } from '../src/loops/tensor-basis';
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

/* ------------------------------------------------------------------ 1. loops */

/** [ns, 2nc, 2K] real block of a complex sheared kernel set (built once per plan). */
export function complexBlock(kernels: QuadraticKernels, nc: number): tf.Tensor3D {
  return tf.tidy(() => {
    const [ns, , twoK] = kernels.block.shape;
    const K = twoK / 2;
    const re = tf.slice(kernels.block, [0, 0, 0], [ns, nc, K]);
    const im = tf.slice(kernels.block, [0, 0, K], [ns, nc, K]);
    return tf.concat([tf.concat([re, im], 2), tf.concat([tf.neg(im), re], 2)], 1) as tf.Tensor3D;
  });
}

/** f_j = Re X^T M Y for every kernel, [B, K, N]: skewed outer products + one matMul. */
export function proposedQuadraticLoops(basis: TensorBasis, coefX: tf.Tensor2D, coefY: tf.Tensor2D, block: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const { n, nc, ns } = basis.shape;
    const B = coefX.shape[0];
    const K = block.shape[2] / 2;
    const part = (c: tf.Tensor2D, from: number, shape: number[]) => tf.reshape(tf.slice(c, [0, from], [B, nc]), shape);
    const xr = part(coefX, 0, [B, nc, 1]);
    const xi = part(coefX, nc, [B, nc, 1]);
    const yr = part(coefY, 0, [B, 1, nc]);
    const yi = part(coefY, nc, [B, 1, nc]);
    // P[b, (re|im), c, d] = (x_c y_d), then Q[.., c, s] = P[.., c, s - c] by pad + reshape + slice
    const p = tf.stack([tf.sub(tf.mul(xr, yr), tf.mul(xi, yi)), tf.add(tf.mul(xr, yi), tf.mul(xi, yr))], 1); // [B, 2, nc, nc]
    const flat = tf.reshape(tf.pad(p, [[0, 0], [0, 0], [0, 0], [0, nc]]), [B * 2, nc * 2 * nc]);
    const q = tf.reshape(tf.slice(flat, [0, 0], [B * 2, nc * ns]), [B, 2 * nc, ns]);
    const products = tf.transpose(q, [2, 0, 1]); // [ns, B, 2nc] = [Re Q | Im Q] along the last axis
    const a = tf.matMul(products, block); // [ns, B, 2K] = [Re A | Im A]
    const perKernel = tf.reshape(tf.transpose(tf.reshape(a, [ns, B, 2, K]), [1, 3, 2, 0]), [B * K, 2 * ns]);
    return tf.reshape(tf.matMul(perKernel, basis.quadSynthesis), [B, K, n]) as tf.Tensor3D;
  });
}

function loopRows(plan: Plan, inputs: CaseInputs, reps: number): ProposalRow[] {
  const rows: ProposalRow[] = [];
  const grid = fftlogGrid(plan.n, inputs.h).kMpc;
  void grid;
  const { basis } = plan.matter;
  const sets = plan.rsdIrOn();
  // realistic coefficients: the fiducial P on the grid is not needed for timing; use a smooth spectrum
  const p = tf.tensor2d([Array.from({ length: plan.n }, (_, j) => Math.exp(-((j - plan.n / 2) ** 2) / (plan.n * 8)))]) as tf.Tensor2D;
  const coef = fftlogCoefficients(basis, p);
  const coef2 = tf.concat([coef, tf.mul(coef, 0.3)], 0) as tf.Tensor2D; // nw and w rows (B = 2)
  const cases: { name: string; x: tf.Tensor2D; y: tf.Tensor2D; kernels: QuadraticKernels }[] = [
    { name: 'real-space matter P22 (B = 1, K = 1)', x: coef, y: coef, kernels: plan.matter.p22 },
    { name: `mu-power P22, nw x nw and nw x w (B = 2, K = ${sets.p22.kernels.names.length})`, x: tf.concat([coef, coef], 0) as tf.Tensor2D, y: coef2, kernels: sets.p22.kernels },
  ];
  for (const c of cases) {
    const block = complexBlock(c.kernels, basis.shape.nc);
    const current = () => quadraticLoops(basis, antiDiagonalProducts(basis, c.x, c.y), c.kernels);
    const proposed = () => proposedQuadraticLoops(basis, c.x, c.y, block);
    const a = tf.tidy(current);
    const b = tf.tidy(proposed);
    const diff = maxRelDiff(a.dataSync(), b.dataSync());
    tf.dispose([a, b]);
    rows.push({
      name: `loops: ${c.name}`,
      current_ms: timeMedian(reps, () => tf.tidy(current).dataSync()),
      proposed_ms: timeMedian(reps, () => tf.tidy(proposed).dataSync()),
      max_rel_diff: diff,
      note: 'antiDiagonalProducts + quadraticLoops vs skew + complex-block matMul',
    });
    block.dispose();
  }
  tf.dispose([p, coef, coef2, ...cases.slice(1).map((c) => c.x)]);
  return rows;
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
  const k = fftlogGrid(inputs.n, c.h).kMpc;
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
    ...loopRows(plan, inputs, reps),
    ...(withPlan ? planRows(plan.n) : []),
    ...momentRows(inputs, reps),
    ...dMatrixRows(plan.n, 32, reps),
  ];
}
