/**
 * The BAO damping scales of IR resummation (`nonlinear_pt_ir_resummation`, nonlinear_pt.c
 * 2917-2948), with r = r_s(drag) in Mpc and x = q r:
 *
 *   Sigma^2       = (1/6 pi^2) int dq P_nw(q) [1 - 3 sin x/x + 6 (sin x/x^3 - cos x/x^2)]   (1 - j0 + 2 j2)
 *   delta Sigma^2 = (1/2 pi^2) int dq P_nw(q) j2(x),  j2 = -(3 x cos x + (x^2 - 3) sin x)/x^3
 *
 * over 501 log-spaced q from 7e-5 to 0.2 h (1/Mpc), as trapezoids in ln q of q * integrand.
 * P_nw(q) is the natural spline in k of P_nw on the DST grid. (The C comment at 2708,
 * "Sigma^2 = int P_nw j0", is wrong: the code integrates 1 - j0 + 2 j2.)
 */
import { splineEvaluate } from '../numerics/spline';
import { K_MIN_IR_MPC, type NoWiggleSpectrum } from './wiggle-split';

/** number of intervals of the q grid (CLASS-PT `Nint2`) */
export const N_DAMPING_INTERVALS = 500;
/** upper end of the q grid in h/Mpc (CLASS-PT `ks = 0.2 * h`) */
export const K_DAMPING_MAX_HMPC = 0.2;

/** The Sigma^2 kernel 1 - j0(x) + 2 j2(x) = 1 - 3 sin x/x + 6 (sin x/x^3 - cos x/x^2) (nonlinear_pt.c 2930). */
export function sigmaKernel(x: number): number {
  const s = Math.sin(x);
  const c = Math.cos(x);
  const x2 = x * x;
  return 1 - (3 * s) / x + 6 * (s / (x2 * x) - c / x2);
}

/** The delta Sigma^2 kernel j2(x) = -(3 x cos x + (x^2 - 3) sin x)/x^3 (nonlinear_pt.c 2931). */
export function deltaSigmaKernel(x: number): number {
  const x2 = x * x;
  return -(3 * Math.cos(x) * x + (x2 - 3) * Math.sin(x)) / (x2 * x);
}

/** d/dx of sigmaKernel. */
export function sigmaKernelDerivative(x: number): number {
  const s = Math.sin(x);
  const c = Math.cos(x);
  return (-3 * c) / x + (9 * s) / x ** 2 + (18 * c) / x ** 3 - (18 * s) / x ** 4;
}

/** d/dx of deltaSigmaKernel. */
export function deltaSigmaKernelDerivative(x: number): number {
  const s = Math.sin(x);
  const c = Math.cos(x);
  return -c / x + (4 * s) / x ** 2 + (9 * c) / x ** 3 - (9 * s) / x ** 4;
}

/** The q grid: q_i = 7e-5 exp(i ln(ks/7e-5)/500), i = 0..500 (1/Mpc). */
export function dampingGrid(h: number): Float64Array {
  const ks = K_DAMPING_MAX_HMPC * h;
  const q = new Float64Array(N_DAMPING_INTERVALS + 1);
  for (let i = 0; i <= N_DAMPING_INTERVALS; i++) {
    q[i] = K_MIN_IR_MPC * Math.exp((i * Math.log(ks / K_MIN_IR_MPC)) / N_DAMPING_INTERVALS);
  }
  return q;
}

/** Sigma^2 and delta Sigma^2 (Mpc^2) from P_nw on the DST grid. */
export function baoDampingScales(
  nw: NoWiggleSpectrum,
  h: number,
  rsDragMpc: number,
): { sigma2Bao: number; deltaSigma2Bao: number } {
  const q = dampingGrid(h);
  const pq = splineEvaluate(nw.kMpc, nw.pNw, nw.pNwDD, q);
  const n = q.length;
  const i1 = new Float64Array(n);
  const i2 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = q[i] * rsDragMpc;
    i1[i] = pq[i] * sigmaKernel(x);
    i2[i] = pq[i] * deltaSigmaKernel(x);
  }
  let sigma2Bao = 0;
  let deltaSigma2Bao = 0;
  for (let i = 0; i < n - 1; i++) {
    const dlnq = Math.log(q[i + 1]) - Math.log(q[i]);
    sigma2Bao += (dlnq * (q[i + 1] * i1[i + 1] + q[i] * i1[i])) / 2 / (6 * (Math.PI * Math.PI));
    deltaSigma2Bao += (dlnq * (q[i + 1] * i2[i + 1] + q[i] * i2[i])) / 2 / (2 * (Math.PI * Math.PI));
  }
  return { sigma2Bao, deltaSigma2Bao };
}
