/**
 * The derivative of the host linear stage's outputs with respect to h through CLASS-PT's
 * h-dependent grids (forward mode, float64): the FFTLog nodes are k_j = h q_j (q_j fixed in
 * h/Mpc: 5e-5 .. 100 h/Mpc), and the Sigma^2 integrals run to ks = 0.2 h (nonlinear_pt.c 2917).
 * With k in h/Mpc at output, every grid array is a function of h through these, and this
 * tangent is what makes d/dh exact (../input/linear-stage-op.ts contracts it with the
 * cotangents). The DST split itself lives on a fixed 1/Mpc grid (7e-5 .. 7) and sigma_v^2 on the
 * input grid: neither depends on h.
 *
 *   d P(k_j)/dh = P'(k_j) k_j / h  (the input spline's log slope, the P_nw spline's derivative)
 *   Sigma^2 = c (L/500) sum_i tau_i q_i I(q_i),  q_i = 7e-5 e^{i L/500},  L = ln(0.2 h / 7e-5)
 *   => dSigma^2/dh = c/(500 h) sum_i tau_i q_i I_i + c (L/500) sum_i tau_i (q I)'(q_i) q_i i/(500 h)
 * and the products P_bin = P_nw + P_w e^{-Sigma^2 k^2}, P_tree = P_nw + P_w e^{-s}(1 + s),
 * s = Sigma^2 k^2, by the product rule.
 */
import { logPowerInterpolator, type LogPowerInterpolator } from '../input/linear-power';
import { splineDerivativeEvaluate, splineEvaluate } from '../numerics/spline';
import {
  dampingGrid,
  deltaSigmaKernel,
  deltaSigmaKernelDerivative,
  N_DAMPING_INTERVALS,
  sigmaKernel,
  sigmaKernelDerivative,
} from './damping';
import type { LinearStageCotangents, LinearStageSetup } from './linear-stage-vjp';
import { K_MAX_IR_MPC, K_MIN_IR_MPC, noWiggleSpectrum, type NoWiggleSpectrum } from './wiggle-split';

/** d/dh of every output of the linear stage (same fields as its cotangents). */
export function linearStageHTangent(
  setup: LinearStageSetup,
  shared: { interp?: LogPowerInterpolator; nw?: NoWiggleSpectrum } = {},
): LinearStageCotangents {
  const { input, kGridMpc: k, h, rsDragMpc: r, alphaRs: alpha } = setup;
  const interp = shared.interp ?? logPowerInterpolator(input);
  const n = k.length;
  const pDisc = interp.powerAt(k);
  const slope = interp.logSlopeAt(k);
  // outside the IR range (and with IR off) P_nw = P_bin = P_tree = P_disc, P_w = 0
  const dDisc = Float64Array.from(pDisc, (p, j) => (p * slope[j]) / h);
  const out: LinearStageCotangents = {
    pNoWiggle: Float64Array.from(dDisc),
    pWiggle: new Float64Array(n),
    pBin: Float64Array.from(dDisc),
    pTree: Float64Array.from(dDisc),
    sigmaV2: 0,
    sigma2Bao: 0,
    deltaSigma2Bao: 0,
  };
  if (!setup.irResummation) return out;

  const nw = shared.nw ?? noWiggleSpectrum(interp);
  // Sigma^2, delta Sigma^2 and their h derivatives (trapezoid in ln q on the moving q grid)
  const q = dampingGrid(h);
  const m = N_DAMPING_INTERVALS;
  const lnSpan = Math.log(q[m] / q[0]);
  const pq = splineEvaluate(nw.kMpc, nw.pNw, nw.pNwDD, q);
  const dpq = splineDerivativeEvaluate(nw.kMpc, nw.pNw, nw.pNwDD, q);
  const c6 = 1 / (6 * Math.PI * Math.PI);
  const c2 = 1 / (2 * Math.PI * Math.PI);
  let s1 = 0; // sum tau_i q_i I_i
  let s2 = 0;
  let d1 = 0; // sum tau_i (q I)'(q_i) q_i i
  let d2 = 0;
  for (let i = 0; i <= m; i++) {
    const tau = i === 0 || i === m ? 0.5 : 1;
    const x = q[i] * r;
    const ks = sigmaKernel(x);
    const kd = deltaSigmaKernel(x);
    s1 += tau * q[i] * pq[i] * ks;
    s2 += tau * q[i] * pq[i] * kd;
    // (q I)' = I + q (P' K + P r K')
    const g1 = pq[i] * ks + q[i] * (dpq[i] * ks + pq[i] * r * sigmaKernelDerivative(x));
    const g2 = pq[i] * kd + q[i] * (dpq[i] * kd + pq[i] * r * deltaSigmaKernelDerivative(x));
    d1 += tau * g1 * q[i] * i;
    d2 += tau * g2 * q[i] * i;
  }
  const sigma2 = c6 * (lnSpan / m) * s1;
  const dSigma2 = (c6 * s1) / (m * h) + (c6 * (lnSpan / m) * d1) / (m * h);
  out.sigma2Bao = dSigma2;
  out.deltaSigma2Bao = (c2 * s2) / (m * h) + (c2 * (lnSpan / m) * d2) / (m * h);

  const inRange = (t: number) => t <= K_MAX_IR_MPC && t >= K_MIN_IR_MPC;
  const idx: number[] = [];
  for (let j = 0; j < n; j++) if (inRange(k[j]) && inRange(alpha * k[j])) idx.push(j);
  const kIn = idx.map((j) => k[j]);
  const akIn = idx.map((j) => alpha * k[j]);
  const dNw = splineDerivativeEvaluate(nw.kMpc, nw.pNw, nw.pNwDD, kIn);
  const pNwA = splineEvaluate(nw.kMpc, nw.pNw, nw.pNwDD, akIn);
  const dNwA = splineDerivativeEvaluate(nw.kMpc, nw.pNw, nw.pNwDD, akIn);
  const pLA = interp.powerAt(akIn);
  const slopeA = interp.logSlopeAt(akIn);
  idx.forEach((j, i) => {
    const kj = k[j];
    const k2 = kj * kj;
    const dpNw = (dNw[i] * kj) / h;
    const pW = setup.noWiggle ? 0 : pLA[i] - pNwA[i];
    // d/dh [P_L(alpha k) - P_nw(alpha k)] = (P_L slope - P_nw'(alpha k) alpha k) / h
    const dpW = setup.noWiggle ? 0 : (pLA[i] * slopeA[i] - dNwA[i] * akIn[i]) / h;
    const s = sigma2 * k2;
    const ds = dSigma2 * k2 + (2 * s) / h;
    const e = Math.exp(-s);
    out.pNoWiggle[j] = dpNw;
    out.pWiggle[j] = dpW;
    out.pBin[j] = dpNw + dpW * e - pW * e * ds;
    out.pTree[j] = dpNw + dpW * e * (1 + s) - pW * e * s * ds;
  });
  return out;
}

/** The h component of the linear stage's vector-Jacobian product: cotangents . tangent. */
export function linearStageHGradient(
  setup: LinearStageSetup,
  dy: LinearStageCotangents,
  shared: { interp?: LogPowerInterpolator; nw?: NoWiggleSpectrum } = {},
): number {
  const t = linearStageHTangent(setup, shared);
  let g = dy.sigmaV2 * t.sigmaV2 + dy.sigma2Bao * t.sigma2Bao + dy.deltaSigma2Bao * t.deltaSigma2Bao;
  for (let j = 0; j < t.pBin.length; j++) {
    g += dy.pNoWiggle[j] * t.pNoWiggle[j] + dy.pWiggle[j] * t.pWiggle[j] + dy.pBin[j] * t.pBin[j] + dy.pTree[j] * t.pTree[j];
  }
  return g;
}
