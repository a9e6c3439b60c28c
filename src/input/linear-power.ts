/**
 * The linear power spectrum as CLASS-PT takes it in (`nonlinear_pt_loop`, nonlinear_pt.c
 * 3186-3268): validation, the interpolation/extrapolation rules that put P_L on any k, and
 * sigma_v^2. k in 1/Mpc, P in Mpc^3 (CLASS units).
 */
import { ClaxPtInputError } from '../errors';
import { splineDerivativeEvaluate, splineEvaluateRun, splineSecondDerivatives } from '../numerics/spline';

/** A tabulated linear spectrum at one redshift (CLASS's k grid and P_L(k, z)). */
export interface LinearPowerInput {
  /** wavenumbers, 1/Mpc, strictly increasing, positive */
  kMpc: Float64Array;
  /** P_L(k), Mpc^3, positive */
  pkMpc3: Float64Array;
  /** primordial tilt n_s: slope of the low-k power law below the first tabulated k */
  nS: number;
}

/**
 * Throws a ClaxPtInputError (a RangeError) naming the offending argument if the input is not
 * usable: non-finite values, k not strictly increasing, k or P not positive, length mismatch,
 * fewer than 4 points. `prefix` is prepended to the argument names (e.g. "cosmologies[3].");
 * `names` renames them (e.g. `{ k: 'input.k_Mpc', p: 'input.pk_lin_Mpc3', nS: 'derived.n_s' }`).
 */
export function validateLinearPower(
  input: LinearPowerInput,
  prefix = '',
  names: { k?: string; p?: string; nS?: string } = {},
): void {
  const { kMpc, pkMpc3, nS } = input;
  const kName = `${prefix}${names.k ?? 'kMpc'}`;
  const pName = `${prefix}${names.p ?? 'pkMpc3'}`;
  const nsName = `${prefix}${names.nS ?? 'nS'}`;
  if (kMpc.length !== pkMpc3.length) {
    throw new ClaxPtInputError(pName, `has ${pkMpc3.length} values but ${kName} has ${kMpc.length} (${kName} and ${pName} must have the same length)`);
  }
  if (kMpc.length < 4) throw new ClaxPtInputError(kName, `must have at least 4 points, got ${kMpc.length}`);
  if (typeof nS !== 'number' || !Number.isFinite(nS)) throw new ClaxPtInputError(nsName, `must be a finite number, got ${nS}`);
  for (let i = 0; i < kMpc.length; i++) {
    const k = kMpc[i];
    const p = pkMpc3[i];
    if (!Number.isFinite(k)) throw new ClaxPtInputError(`${kName}[${i}]`, `is not finite (${k})`);
    if (!Number.isFinite(p)) throw new ClaxPtInputError(`${pName}[${i}]`, `is not finite (${p})`);
    if (!(k > 0)) throw new ClaxPtInputError(`${kName}[${i}]`, `must be positive, got ${k}`);
    if (!(p > 0)) throw new ClaxPtInputError(`${pName}[${i}]`, `power must be positive, got ${p}`);
    if (i > 0 && !(k > kMpc[i - 1])) {
      throw new ClaxPtInputError(kName, `must be strictly increasing, but ${kName}[${i}] = ${k} <= ${kName}[${i - 1}] = ${kMpc[i - 1]}`);
    }
  }
}

/**
 * ln P_L as a function of ln k (nonlinear_pt.c 3205-3243, and 2765-2787 / 2966-2976 in the IR
 * step): natural spline of ln P in ln k over the input grid; below it P(k_0)(k/k_0)^{n_s};
 * above it the power law with the slope of the last two input points.
 */
export interface LogPowerInterpolator {
  /** ln k of the input grid */
  lnk: Float64Array;
  /** ln P of the input grid */
  lnp: Float64Array;
  /** natural-spline second derivatives of ln P in ln k */
  ddlnp: Float64Array;
  /** slope d ln P / d ln k of the last two input points */
  slopeHigh: number;
  nS: number;
  /** ln P at the given ln k values (any order) */
  lnPowerAtLnK(lnkEval: ArrayLike<number>): Float64Array;
  /** P at the given k values, in Mpc^3 (any order) */
  powerAt(kEval: ArrayLike<number>): Float64Array;
  /** d ln P / d ln k at the given k values: the exact derivative of `powerAt`'s three rules */
  logSlopeAt(kEval: ArrayLike<number>): Float64Array;
}

export function logPowerInterpolator(input: LinearPowerInput): LogPowerInterpolator {
  const n = input.kMpc.length;
  const lnk = new Float64Array(n);
  const lnp = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    lnk[i] = Math.log(input.kMpc[i]);
    lnp[i] = Math.log(input.pkMpc3[i]);
  }
  const ddlnp = splineSecondDerivatives(lnk, lnp);
  const slopeHigh = (lnp[n - 1] - lnp[n - 2]) / (lnk[n - 1] - lnk[n - 2]);
  const nS = input.nS;
  const lnkLo = lnk[0];
  const lnkHi = lnk[n - 1];

  /** ln P at ln k, any order (runs of points inside the input grid go to the spline together) */
  const lnPowerAtLnK = (lnkEval: ArrayLike<number>): Float64Array => {
    const m = lnkEval.length;
    const out = new Float64Array(m);
    for (let e = 0; e < m; ) {
      const t = lnkEval[e];
      if (t < lnkLo) out[e++] = lnp[0] + nS * (t - lnkLo);
      else if (t > lnkHi) out[e++] = lnp[n - 1] + slopeHigh * (t - lnkHi);
      else if (t === t) e = splineEvaluateRun(lnk, lnp, ddlnp, lnkEval, out, e, m);
      else throw new RangeError(`ln k = ${t} is not a number`);
    }
    return out;
  };

  /** P(k) in the same form as CLASS-PT's `Pdisc` (nonlinear_pt.c 3209-3242) */
  const powerAt = (kEval: ArrayLike<number>): Float64Array => {
    const lnkE = new Float64Array(kEval.length);
    for (let e = 0; e < kEval.length; e++) lnkE[e] = Math.log(kEval[e]);
    const out = lnPowerAtLnK(lnkE);
    const p0 = Math.exp(lnp[0]);
    const k0 = Math.exp(lnkLo);
    for (let e = 0; e < kEval.length; e++) {
      // low-k rule written as CLASS-PT writes it: exp(lnP_0) (k / exp(lnk_0))^{n_s}
      out[e] = lnkE[e] < lnkLo ? p0 * Math.pow(kEval[e] / k0, nS) : Math.exp(out[e]);
    }
    return out;
  };

  const logSlopeAt = (kEval: ArrayLike<number>): Float64Array => {
    const out = new Float64Array(kEval.length);
    const inside: number[] = [];
    const at: number[] = [];
    for (let e = 0; e < kEval.length; e++) {
      const t = Math.log(kEval[e]);
      if (t < lnkLo) out[e] = nS;
      else if (t > lnkHi) out[e] = slopeHigh;
      else {
        inside.push(t);
        at.push(e);
      }
    }
    if (inside.length) {
      const d = splineDerivativeEvaluate(lnk, lnp, ddlnp, inside);
      at.forEach((e, i) => (out[e] = d[i]));
    }
    return out;
  };

  return { lnk, lnp, ddlnp, slopeHigh, nS, lnPowerAtLnK, powerAt, logSlopeAt };
}

/** P_disc: the linear spectrum on the given k (1/Mpc), e.g. the FFTLog nodes (nonlinear_pt.c 3205-3243). */
export function powerOnGrid(input: LinearPowerInput, kMpc: ArrayLike<number>): Float64Array {
  return logPowerInterpolator(input).powerAt(kMpc);
}

/**
 * sigma_v^2 = (1/6 pi^2) int P_L dk, trapezoid in ln k of k P over the whole input grid
 * (nonlinear_pt.c 3263-3268; raw P_L, not P_nw). Mpc^2.
 */
export function sigmaV2(input: LinearPowerInput): number {
  const { kMpc, pkMpc3 } = input;
  let s = 0;
  for (let i = 0; i < kMpc.length - 1; i++) {
    const dlnk = Math.log(kMpc[i + 1]) - Math.log(kMpc[i]);
    s += (dlnk * (kMpc[i + 1] * pkMpc3[i + 1] + pkMpc3[i] * kMpc[i])) / 2 / (6 * (Math.PI * Math.PI));
  }
  return s;
}
