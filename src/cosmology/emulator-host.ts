/**
 * The emulator evaluated on the host in float64 (./emulator.ts describes the model), optionally
 * with its exact Jacobian in the six cosmological parameters (forward mode): the polynomial
 * coefficients through the Legendre basis's analytic derivatives, the physical baselines
 * (Eisenstein-Hu, growth) through dual numbers (../numerics/dual.ts) on the same `Ops<T>`
 * formulas as the other evaluators, and the linear maps (PCA, spline in ln k, off-node
 * correction) applied to the tangents.
 *
 * Tangent order: COSMO_PARAM_NAMES (omega_b, omega_cdm, h, ln10^{10}A_s, n_s, m_ncdm).
 */
import { hostOps, type Ops } from './ops';
import { dualOps, type Dual } from '../numerics/dual';
import { logBaselineAmplitude, logBaselineShape, logGrowthBaselines, logPrimordial } from './baseline';
import { ehCoefficients, ehScales } from './eisenstein-hu';
import { basisHost, basisWithGradient, normalise } from './polynomial';
import type { CosmoParamName } from './params';
import type { EmulatorHostModel } from './emulator';

/** number of tangent directions (the six cosmological parameters) */
export const N_PARAMS = 6;
/** the emulator's first four inputs and the parameter each one is */
const INPUT_PARAM = [0, 1, 2, 5];

export interface HostRow {
  pkCb: Float64Array;
  pkM: Float64Array;
  f: number;
  D: number;
  rsDrag: number;
}

/** d/d(parameters) of the logarithms of a HostRow's quantities: [n, 6] row-major, [6] for the scalars. */
export interface HostRowJacobian {
  logPkCb: Float64Array;
  logPkM: Float64Array;
  logF: Float64Array;
  logD: Float64Array;
  logRs: Float64Array;
}

/** The emulator at one cosmology and z, float64; with `jacobian`, also the derivatives of the logs. */
export function emulateHost(
  m: EmulatorHostModel,
  p: Record<CosmoParamName, number>,
  z: number,
  kOut: Float64Array,
  jacobian = false,
): HostRow & { jacobian?: HostRowJacobian } {
  return emulateHostAt(m, p, [z], kOut, { jacobian })[0] as HostRow & { jacobian?: HostRowJacobian };
}

/**
 * One cosmology at several z (sharing the z-independent parts: the transfer function's shape
 * and the off-node correction). `spectra[i] === false` skips the spectra at zs[i] (their
 * arrays are then empty).
 */
export function emulateHostAt(
  m: EmulatorHostModel,
  p: Record<CosmoParamName, number>,
  zs: number[],
  kOut: Float64Array,
  opts: { jacobian?: boolean; spectra?: boolean[] } = {},
): (HostRow & { jacobian?: HostRowJacobian })[] {
  const N = N_PARAMS;
  const jacobian = opts.jacobian ?? false;
  const nOut = kOut.length;
  const wantSpectra = zs.map((_, i) => opts.spectra?.[i] !== false);
  const slope = m.ranges.map(([lo, hi]) => 2 / (hi - lo)); // d x_j / d(its parameter)
  const nt = m.nCb + m.nRatio + 2;

  // the normalised inputs' polynomial (basis row times weights) and its tangents
  const polynomial = (x: number[], idx: number[][], degree: number, W: Float64Array, ncol: number, y: Float64Array, dy: Float64Array) => {
    if (!jacobian) {
      const b = basisHost(x, idx, degree);
      for (let i = 0; i < b.length; i++) for (let c = 0; c < ncol; c++) y[c] += b[i] * W[i * ncol + c];
      return;
    }
    const { b, db } = basisWithGradient(x, idx, degree, 4);
    const [p0, p1, p2, p3] = INPUT_PARAM;
    for (let i = 0; i < b.length; i++) {
      // the basis function and its derivatives in the four parameters, then one pass over the columns
      const bi = b[i];
      const g0 = db[i * 4] * slope[0];
      const g1 = db[i * 4 + 1] * slope[1];
      const g2 = db[i * 4 + 2] * slope[2];
      const g3 = db[i * 4 + 3] * slope[3];
      const row = i * ncol;
      for (let c = 0; c < ncol; c++) {
        const w = W[row + c];
        const at = c * N;
        y[c] += bi * w;
        dy[at + p0] += g0 * w;
        dy[at + p1] += g1 * w;
        dy[at + p2] += g2 * w;
        dy[at + p3] += g3 * w;
      }
    }
  };
  const x4 = [p.omega_b, p.omega_cdm, p.h, p.m_ncdm].map((v, j) => normalise(v, m.ranges[j][0], m.ranges[j][1]));
  const lrs = new Float64Array(1);
  const dLrs = new Float64Array(N);
  polynomial(x4, m.rsIdx, m.rsDegree, m.rsW, 1, lrs, dLrs);

  // the physical baselines, in dual numbers when the Jacobian is wanted
  const d = dualOps(jacobian ? N : 0);
  const o = d as Ops<Dual>;
  const param = (name: CosmoParamName, i: number) => (jacobian ? d.variable(p[name], i) : d.constant(p[name]));
  const bp = { omegaB: param('omega_b', 0), omegaCdm: param('omega_cdm', 1), h: param('h', 2), mNu: param('m_ncdm', 5) };
  const wm = o.add(bp.omegaB, bp.omegaCdm);
  const scales = ehScales(o, bp.omegaB, wm);
  const rsDrag = scales.s.v * Math.exp(lrs[0]);

  // z-independent and per k: ln k + 2 ln T_EH (it depends on omega_b, omega_cdm only: dual
  // numbers over those two) plus the primordial factor, and the off-node correction
  const anySpectra = wantSpectra.some(Boolean);
  const shape = new Float64Array(anySpectra ? nOut : 0);
  const dShape = new Float64Array(anySpectra && jacobian ? nOut * N : 0);
  if (anySpectra) {
    const d2 = dualOps(jacobian ? 2 : 0);
    const wb2 = jacobian ? d2.variable(p.omega_b, 0) : d2.constant(p.omega_b);
    const wc2 = jacobian ? d2.variable(p.omega_cdm, 1) : d2.constant(p.omega_cdm);
    const eh = ehCoefficients(d2, wb2, d2.add(wb2, wc2));
    for (let q = 0; q < nOut; q++) {
      const t = logBaselineShape(d2, kOut[q], eh);
      shape[q] = t.v + logPrimordial(hostOps, kOut[q], p['ln10^{10}A_s'], p.n_s);
      if (jacobian) {
        dShape[q * N] = t.d[0];
        dShape[q * N + 1] = t.d[1];
        // d/d ln10^{10}A_s and d/d n_s of ln A_s + (n_s - 1) ln(k/0.05) (./baseline.ts logPrimordial)
        dShape[q * N + 3] = 1;
        dShape[q * N + 4] = Math.log(kOut[q] / 0.05);
      }
    }
  }
  const miss = anySpectra ? m.offNode?.host(p, m.ranges, kOut, jacobian) : undefined;
  // the PCA means and components carried to kOut once (the spline map is linear)
  const mapped = anySpectra ? mappedComponents(m, kOut) : undefined;
  return zs.map((z, iz) => {
    const x = [...x4, normalise(m.usesA ? 1 / (1 + z) : z, m.ranges[4][0], m.ranges[4][1])];
    const out = new Float64Array(nt);
    const dOut = new Float64Array(nt * N);
    polynomial(x, m.idx, m.degree, m.W, nt, out, dOut);
    const g = logGrowthBaselines(o, bp, z);
    const iF = m.nCb + m.nRatio;
    const row: HostRow & { jacobian?: HostRowJacobian } = {
      pkCb: new Float64Array(0), pkM: new Float64Array(0),
      f: Math.exp(g.logF.v + out[iF]),
      D: Math.exp(g.logD.v + out[iF + 1]),
      rsDrag,
    };
    const jac: HostRowJacobian | undefined = jacobian
      ? { logPkCb: new Float64Array(0), logPkM: new Float64Array(0), logF: new Float64Array(N), logD: new Float64Array(N), logRs: new Float64Array(N) }
      : undefined;
    if (jac) {
      for (let i = 0; i < N; i++) {
        jac.logF[i] = g.logF.d[i] + dOut[iF * N + i];
        jac.logD[i] = g.logD.d[i] + dOut[(iF + 1) * N + i];
        jac.logRs[i] = scales.s.d[i] / scales.s.v + dLrs[i];
      }
      row.jacobian = jac;
    }
    if (!wantSpectra[iz]) return row;

    // the residuals at kOut: mean + sum_c a_c e_c (components already at kOut)
    const residual = (mean: Float64Array, comps: Float64Array, first: number, count: number) => {
      const r = Float64Array.from(mean);
      const dr = jacobian ? new Float64Array(nOut * N) : undefined;
      for (let c = 0; c < count; c++) {
        const a = out[first + c];
        const da = dOut.subarray((first + c) * N, (first + c + 1) * N);
        for (let q = 0; q < nOut; q++) {
          const e = comps[c * nOut + q];
          r[q] += a * e;
          if (dr) for (let i = 0; i < N; i++) dr[q * N + i] += da[i] * e;
        }
      }
      return { r, dr };
    };
    const cb = residual(mapped!.cbMean, mapped!.cbComps, 0, m.nCb);
    const rat = residual(mapped!.rMean, mapped!.rComps, m.nCb, m.nRatio);
    const amp = logBaselineAmplitude(o, bp, g.om, g.D);
    row.pkCb = new Float64Array(nOut);
    row.pkM = new Float64Array(nOut);
    if (jac) {
      jac.logPkCb = new Float64Array(nOut * N);
      jac.logPkM = new Float64Array(nOut * N);
    }
    for (let q = 0; q < nOut; q++) {
      const logCb = amp.v + shape[q] + cb.r[q] + (miss ? miss.value[q] : 0);
      row.pkCb[q] = Math.exp(logCb);
      row.pkM[q] = Math.exp(logCb + rat.r[q]);
      if (jac) {
        for (let i = 0; i < N; i++) {
          const t = amp.d[i] + dShape[q * N + i] + cb.dr![q * N + i] + (miss?.jacobian ? miss.jacobian[q * N + i] : 0);
          jac.logPkCb[q * N + i] = t;
          jac.logPkM[q * N + i] = t + rat.dr![q * N + i];
        }
      }
    }
    return row;
  });
}

/** The PCA means and components at kOut (the spline in ln k applied once), cached with the map. */
const mappedCache = new WeakMap<Float64Array, MappedComponents>();
interface MappedComponents {
  cbMean: Float64Array;
  cbComps: Float64Array;
  rMean: Float64Array;
  rComps: Float64Array;
}
function mappedComponents(m: EmulatorHostModel, kOut: Float64Array): MappedComponents {
  // the host spline maps are cached by kOut's values: one map object per distinct kOut
  const op = m.splineTo(kOut);
  if (!op) return { cbMean: m.cbMean, cbComps: m.cbComps, rMean: m.rMean, rComps: m.rComps };
  const hit = mappedCache.get(op);
  if (hit) return hit;
  const nk = m.kGridMpc.length;
  const nOut = kOut.length;
  // rows of `src` [count, nk] to [count, nOut]
  const map = (src: Float64Array, count: number) => {
    const out = new Float64Array(count * nOut);
    for (let c = 0; c < count; c++) {
      for (let q = 0; q < nOut; q++) {
        let v = 0;
        for (let j = 0; j < nk; j++) v += op[q * nk + j] * src[c * nk + j];
        out[c * nOut + q] = v;
      }
    }
    return out;
  };
  const value = { cbMean: map(m.cbMean, 1), cbComps: map(m.cbComps, m.nCb), rMean: map(m.rMean, 1), rComps: map(m.rComps, m.nRatio) };
  mappedCache.set(op, value);
  return value;
}
