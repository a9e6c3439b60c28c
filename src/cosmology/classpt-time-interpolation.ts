/**
 * CLASS-PT's linear spectrum at a requested redshift is not CLASS's P(k, z): `nonlinear_pt_init`
 * (nonlinear_pt.c 1324-1333) interpolates ln P_L(k, tau) in ln tau between CLASS's source time
 * samples with `array_interpolate_spline`, passing as "second derivatives" the array
 * `ddlnpk_l_full`, which holds d^2 ln P / d (ln k)^2 (the natural spline of ln P in ln k at each
 * time, nonlinear_pt_pk_l). So, with tau_i <= tau(z) < tau_{i+1}, h = ln tau_{i+1} - ln tau_i,
 * b = (ln tau(z) - ln tau_i)/h, a = 1 - b:
 *
 *   ln P_CLASS-PT(k, z) = a ln P(k, tau_i) + b ln P(k, tau_{i+1})
 *                         + [(a^3 - a) D(k, tau_i) + (b^3 - b) D(k, tau_{i+1})] h^2 / 6,
 *   D = d^2 ln P / d (ln k)^2 (natural spline over the k grid).
 *
 * The offset from CLASS's P(k, z) is ~3e-4 on large scales and up to ~3e-3 at the baryon wiggles
 * (z = 0.38); published analyses that ran CLASS-PT carry it, so reproducing them needs it.
 *
 * The time samples are CLASS's `perturbations_timesampling_for_sources` for a matter-power-only
 * run (no CMB): tau_0 = tau(z_max_pk + 1), tau_{n+1} = tau_n + 0.1/(a'/a) (CLASS's
 * `perturbations_sampling_stepsize`), the step halved above 0.9 of the conformal age
 * (`perturbations_sampling_boost_above_age_fraction`), the last sample replaced by the conformal
 * age. Conformal time from the background of ./background.ts (CLASS's densities).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as own from '../private-ops';
import { ClaxPtInputError } from '../errors';
import { splineSecondDerivatives } from '../numerics/spline';
import { hostOps } from './ops';
import { C_KM_S, hubbleE, ncdmEnergyFactor, type BackgroundParams } from './background';
import { gaussLegendre } from '../numerics/gauss-legendre';

/** CLASS precision defaults (precisions.h). */
const SAMPLING_STEPSIZE = 0.1;
const BOOST_ABOVE_AGE_FRACTION = 0.9;

/** Where CLASS-PT interpolates: the two bracketing samples (as redshifts) and the spline weights. */
export interface ClassptTimeBracket {
  /** redshift of tau_i (the earlier sample, higher z) and of tau_{i+1} */
  zEarly: number;
  zLate: number;
  /** weights of the earlier and later sample, a + b = 1 */
  a: number;
  b: number;
  /** ln tau_{i+1} - ln tau_i */
  h: number;
}

const GL = gaussLegendre(24);

/** Conformal time (Mpc) as a function of z, and its inverse, for one cosmology (float64). */
export function conformalTime(p: BackgroundParams<number>) {
  const E = (z: number) => hubbleE(hostOps, p, z, ncdmEnergyFactor);
  const hubbleLength = C_KM_S / (100 * p.h); // c / H0 in Mpc
  // tau(a) = (c/H0) int_0^a da' / (a'^2 E(a')), split in ln a (the integrand is finite at a -> 0)
  const lnEdges = [-30, -16, -12, -10, -9, -8, -7, -6, -5, -4, -3, -2, -1.5, -1, -0.5, 0];
  const segment = (a0: number, a1: number) => {
    let s = 0;
    for (let g = 0; g < GL.x.length; g++) {
      const a = (a0 + a1) / 2 + ((a1 - a0) / 2) * GL.x[g];
      s += GL.w[g] / (a * a * E(1 / a - 1));
    }
    return (s * (a1 - a0)) / 2;
  };
  const tauOfA = (aEnd: number) => {
    let s = 0;
    let prev = 0;
    for (const l of lnEdges) {
      const edge = Math.exp(l);
      if (edge >= aEnd) break;
      s += segment(prev, edge);
      prev = edge;
    }
    return hubbleLength * (s + segment(prev, aEnd));
  };
  const tau = (z: number) => tauOfA(1 / (1 + z));
  const tau0 = tau(0);
  /** a'/a = a H in 1/Mpc at redshift z */
  const aH = (z: number) => (E(z) / (1 + z)) / hubbleLength;
  const GL8 = gaussLegendre(8);
  /** tau(z1) - tau(z0) = -(c/H0) int_{z0}^{z1} dz / E (short intervals: 8 nodes) */
  const dTau = (z0: number, z1: number) => {
    let s = 0;
    for (let g = 0; g < GL8.x.length; g++) s += GL8.w[g] / E((z0 + z1) / 2 + ((z1 - z0) / 2) * GL8.x[g]);
    return (-hubbleLength * s * (z1 - z0)) / 2;
  };
  /** z with tau(z) = t, from a known pair (zRef, tRef) nearby (Newton, dtau/dz = -c/(H0 E)) */
  const zOfTau = (t: number, zRef: number, tRef: number) => {
    let z = zRef;
    for (let it = 0; it < 50; it++) {
      const f = tRef + dTau(zRef, z) - t;
      const zn = z + (f * E(z)) / hubbleLength;
      if (Math.abs(zn - z) < 1e-14 * (1 + z)) return zn;
      z = zn;
    }
    return z;
  };
  return { tau, tau0, aH, dTau, zOfTau };
}

/** CLASS's source time samples for a matter-power run with the given z_max_pk (conformal times, Mpc). */
export function classTimeSamples(p: BackgroundParams<number>, zMaxPk: number): { taus: number[]; zs: number[]; time: ReturnType<typeof conformalTime> } {
  const time = conformalTime(p);
  const taus: number[] = [time.tau(zMaxPk + 1)];
  const zs: number[] = [zMaxPk + 1];
  let t = taus[0];
  let z = zs[0];
  while (t < time.tau0) {
    let scale = 1 / time.aH(z);
    if (t > time.tau0 * BOOST_ABOVE_AGE_FRACTION) scale /= 2;
    const tNext = t + SAMPLING_STEPSIZE * scale;
    z = tNext < time.tau0 ? time.zOfTau(tNext, z, t) : 0;
    t = tNext;
    taus.push(t);
    zs.push(z);
  }
  taus[taus.length - 1] = time.tau0;
  zs[zs.length - 1] = 0;
  return { taus, zs, time };
}

/** The bracket of z among CLASS's time samples and CLASS-PT's spline weights in ln tau. */
export function classptTimeBracket(p: BackgroundParams<number>, z: number, zMaxPk: number): ClassptTimeBracket {
  if (!(zMaxPk >= z)) throw new ClaxPtInputError('zMaxPk', `must be at least the requested z (${z}), got ${zMaxPk}`);
  const { taus, zs, time } = classTimeSamples(p, zMaxPk);
  if (z === 0) return { zEarly: zs[zs.length - 2], zLate: 0, a: 0, b: 1, h: Math.log(taus[taus.length - 1] / taus[taus.length - 2]) };
  // tau(z) from the nearest sample at or above z (short integral)
  let near = 0;
  while (near + 1 < zs.length && zs[near + 1] >= z) near++;
  const x = Math.log(taus[near] + time.dTau(zs[near], z));
  // CLASS's bisection: inf with x[inf] <= x < x[inf + 1]
  let inf = 0;
  let sup = taus.length - 1;
  while (sup - inf > 1) {
    const mid = (inf + sup) >> 1;
    if (x < Math.log(taus[mid])) sup = mid;
    else inf = mid;
  }
  const x0 = Math.log(taus[inf]);
  const h = Math.log(taus[inf + 1]) - x0;
  const b = (x - x0) / h;
  return { zEarly: zs[inf], zLate: zs[inf + 1], a: 1 - b, b, h };
}

/** D = d^2/d(ln k)^2 of the natural spline in ln k over `kMpc`, as a matrix [n x n] (cached per grid). */
let secondDerivativeCache: { key: Float64Array; op: Float64Array } | undefined;
function lnkSecondDerivativeOperator(kMpc: Float64Array): Float64Array {
  if (secondDerivativeCache?.key === kMpc) return secondDerivativeCache.op;
  const n = kMpc.length;
  const lnk = Float64Array.from(kMpc, Math.log);
  const op = new Float64Array(n * n);
  const unit = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    unit.fill(0);
    unit[j] = 1;
    const col = splineSecondDerivatives(lnk, unit);
    for (let i = 0; i < n; i++) op[i * n + j] = col[i];
  }
  secondDerivativeCache = { key: kMpc, op };
  return op;
}

/**
 * CLASS-PT's ln P_L from ln P at the two samples (float64), on the grid kMpc: linear and
 * homogeneous in (lnEarly, lnLate), so it maps their tangents too.
 */
export function classptInterpolatedLog(lnEarly: ArrayLike<number>, lnLate: ArrayLike<number>, br: ClassptTimeBracket, kMpc: Float64Array): Float64Array {
  const lnk = Float64Array.from(kMpc, Math.log);
  const dEarly = splineSecondDerivatives(lnk, lnEarly);
  const dLate = splineSecondDerivatives(lnk, lnLate);
  const { a, b, h } = br;
  const ca = ((a * a * a - a) * h * h) / 6;
  const cb = ((b * b * b - b) * h * h) / 6;
  return Float64Array.from(dEarly, (_, i) => a * lnEarly[i] + b * lnLate[i] + ca * dEarly[i] + cb * dLate[i]);
}

/** CLASS-PT's P_L from ln P at the two samples (float64), on the grid kMpc. */
export function classptInterpolatedHost(lnEarly: Float64Array, lnLate: Float64Array, br: ClassptTimeBracket, kMpc: Float64Array): Float64Array {
  return classptInterpolatedLog(lnEarly, lnLate, br, kMpc).map(Math.exp);
}

/**
 * The same on tensors: ln P at the samples [B, n] -> P [B, n], differentiable in ln P (the
 * samples' positions and weights are host numbers of the background: their dependence on the
 * cosmology enters the result at second order in the sample spacing and is not differentiated).
 */
export function classptInterpolatedTensor(lnEarly: tf.Tensor2D, lnLate: tf.Tensor2D, brackets: ClassptTimeBracket[], kMpc: Float64Array): tf.Tensor2D {
  return tf.tidy(() => {
    const n = kMpc.length;
    const D = lnkSecondDerivativeOperator(kMpc);
    const dT = new Float32Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) dT[j * n + i] = D[i * n + j];
    const opT = tf.tensor2d(dT, [n, n]);
    const col = (f: (br: ClassptTimeBracket) => number) => tf.tensor2d(brackets.map((br) => [f(br)]), [brackets.length, 1]);
    const a = col((br) => br.a);
    const b = col((br) => br.b);
    const ca = col((br) => ((br.a ** 3 - br.a) * br.h * br.h) / 6);
    const cb = col((br) => ((br.b ** 3 - br.b) * br.h * br.h) / 6);
    const ln = own.addN([own.mul(a, lnEarly), own.mul(b, lnLate), own.mul(ca, own.matMul(lnEarly, opT)), own.mul(cb, own.matMul(lnLate, opT))]);
    return tf.exp(ln) as tf.Tensor2D;
  });
}
