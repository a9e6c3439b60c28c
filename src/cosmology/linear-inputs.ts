/**
 * The engine's linear inputs from the cosmology, per case: P_L on the engine's k (P_cb or P_m,
 * CLASS's at z or CLASS-PT's time interpolation of it), f, r_s,drag, CLASS-PT's AP ratios, H and
 * D_A. Three evaluators of the same quantities:
 *
 * - `linearHost`: float64 numbers (nothing to differentiate);
 * - `linearJacobianOp`: the same float64 values as one tfjs op of the six cosmological
 *   parameters, whose gradient is the exact float64 Jacobian (forward mode: ./emulator-host.ts
 *   for the emulator, dual numbers for the background); z a number. A few kernels per call
 *   instead of thousands, and no float32 rounding in the derivatives;
 * - `linearTensors`: float32 tensor expressions, differentiable in the parameters and in z (the
 *   path when z is a tensor).
 *
 * CLASS-PT's time samples (./classpt-time-interpolation.ts) are held fixed in the derivatives,
 * in every evaluator.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as own from '../private-ops';
import { getEmulator, rowParams, backgroundTensors } from './emulator';
import { N_PARAMS, type HostRow, type HostRowJacobian } from './emulator-host';
import {
  apRatios, apRatiosTensor, C_KM_S, comovingDistanceH0OverC, hubbleE, ncdmEnergyFactor, ncdmEnergyFactorSlope, OMEGA_GAMMA_H2,
} from './background';
import { dualOps, type Dual } from '../numerics/dual';
import { COSMO_PARAM_NAMES, type CosmoParamName } from './params';
import { classptInterpolatedLog, classptInterpolatedTensor, type ClassptTimeBracket } from './classpt-time-interpolation';
import type { CosmologyCase } from './end-to-end';

/** [B] tensors of the scalars and [B, nK] of P_L (Mpc^3) on the emulator's engine k. */
export type LinearInputs = { pk: tf.Tensor2D; f: tf.Tensor1D; rs: tf.Tensor1D; hratio: tf.Tensor1D; Dratio: tf.Tensor1D; H: tf.Tensor1D; DA: tf.Tensor1D; h: tf.Tensor1D };

/** One cosmology's inputs in float64 (Mpc^3, Mpc, km/s/Mpc). */
export interface LinearPoint {
  pk: Float64Array;
  f: number;
  rs: number;
  hratio: number;
  Dratio: number;
  H: number;
  DA: number;
}

/** The scalars of a LinearPoint in the order of the op's output columns after P_L. */
const SCALARS = ['f', 'rs', 'hratio', 'Dratio', 'H', 'DA'] as const;

/**
 * The inputs of one cosmology at z, float64; with `jacobian`, d/d(the six parameters) of each
 * ([nK, 6] for pk, [6] for the scalars; parameter order COSMO_PARAM_NAMES).
 */
export function linearPoint(
  p: Record<CosmoParamName, number>,
  z: number,
  which: 'cb' | 'm',
  omfid: number,
  bracket: ClassptTimeBracket | undefined,
  jacobian: boolean,
): LinearPoint & { jacobian?: Record<keyof LinearPoint, Float64Array> } {
  const N = N_PARAMS;
  const em = getEmulator();
  const k = em.engineKMpc;
  const nK = k.length;
  const logPk = (r: HostRow) => (which === 'm' ? r.pkM : r.pkCb);
  const dLogPk = (r: { jacobian?: HostRowJacobian }) => (which === 'm' ? r.jacobian!.logPkM : r.jacobian!.logPkCb);
  // f and r_s at z; P at z, or at CLASS-PT's two time samples
  const rows = em.evaluateHostAt(p, bracket ? [z, bracket.zEarly, bracket.zLate] : [z], k, { jacobian, spectra: bracket ? [false, true, true] : [true] });
  const atZ = rows[0];
  let lnP: Float64Array;
  let dLnP: Float64Array | undefined = jacobian ? dLogPk(atZ) : undefined;
  if (bracket) {
    const [early, late] = [rows[1], rows[2]];
    lnP = classptInterpolatedLog(Float64Array.from(logPk(early), Math.log), Float64Array.from(logPk(late), Math.log), bracket, k);
    if (jacobian) {
      // the interpolation is linear in ln P: it carries each parameter's tangent column
      dLnP = new Float64Array(nK * N);
      const [de, dl] = [dLogPk(early), dLogPk(late)];
      for (let i = 0; i < N; i++) {
        const col = classptInterpolatedLog(Float64Array.from({ length: nK }, (_, q) => de[q * N + i]), Float64Array.from({ length: nK }, (_, q) => dl[q * N + i]), bracket, k);
        for (let q = 0; q < nK; q++) dLnP[q * N + i] = col[q];
      }
    }
  } else {
    lnP = Float64Array.from(logPk(atZ), Math.log);
  }
  const pk = lnP.map(Math.exp);

  // the background in dual numbers (plain numbers without the Jacobian): H, D_A, AP ratios
  const d = dualOps(jacobian ? N : 0);
  const bgOps = d;
  const v = (name: CosmoParamName) => (jacobian ? d.variable(p[name], COSMO_PARAM_NAMES.indexOf(name)) : d.constant(p[name]));
  const bp = { omegaB: v('omega_b'), omegaCdm: v('omega_cdm'), h: v('h'), mNu: v('m_ncdm') };
  // the Fermi-Dirac factor F(y) and its slope (./background.ts)
  const F = (y: Dual): Dual => {
    const s = ncdmEnergyFactorSlope(y.v);
    return { v: ncdmEnergyFactor(y.v), d: y.d.map((t) => t * s) };
  };
  const lift = (x: Dual | number): Dual => (typeof x === 'number' ? d.constant(x) : x);
  const E = hubbleE(bgOps, bp, z, F);
  const chiH0OverC = lift(comovingDistanceH0OverC(bgOps, bp, z, F));
  const omegaG = d.div(OMEGA_GAMMA_H2, d.mul(bp.h, bp.h));
  const ap = apRatios(bgOps, E, chiH0OverC, omegaG, omegaG.v, z, omfid);
  const H = d.mul(d.mul(bp.h, 100), E);
  const DA = d.div(d.mul(chiH0OverC, C_KM_S / 100 / (1 + z)), bp.h);
  const hr = lift(ap.hratio);
  const dr = lift(ap.Dratio);
  const point: LinearPoint = { pk, f: atZ.f, rs: atZ.rsDrag, hratio: hr.v, Dratio: dr.v, H: H.v, DA: DA.v };
  if (!jacobian) return point;
  const j = atZ.jacobian!;
  const scaled = (x: number, dlog: Float64Array) => Float64Array.from(dlog, (t) => t * x);
  const dPk = new Float64Array(nK * N);
  for (let q = 0; q < nK; q++) for (let i = 0; i < N; i++) dPk[q * N + i] = pk[q] * dLnP![q * N + i];
  return {
    ...point,
    jacobian: {
      pk: dPk, f: scaled(atZ.f, j.logF), rs: scaled(atZ.rsDrag, j.logRs),
      hratio: Float64Array.from(hr.d), Dratio: Float64Array.from(dr.d), H: Float64Array.from(H.d), DA: Float64Array.from(DA.d),
    },
  };
}

/** The float64 host path's values as tensors, and the plain numbers (no float32 twin in the engine). */
export function linearHost(params: Record<CosmoParamName, number>[], zs: number[], which: 'cb' | 'm', omfid: number, brackets?: ClassptTimeBracket[]): { tensors: LinearInputs; host: LinearPoint[] } {
  const points = params.map((p, b) => linearPoint(p, zs[b], which, omfid, brackets?.[b], false));
  const nK = getEmulator().engineKMpc.length;
  const pk = new Float32Array(params.length * nK);
  points.forEach((r, b) => pk.set(r.pk, b * nK));
  const col = (key: (typeof SCALARS)[number]) => tf.tensor1d(Float32Array.from(points, (r) => r[key]));
  return {
    tensors: {
      pk: tf.tensor2d(pk, [params.length, nK]), f: col('f'), rs: col('rs'), hratio: col('hratio'), Dratio: col('Dratio'), H: col('H'), DA: col('DA'),
      h: tf.tensor1d(Float32Array.from(params, (p) => p.h)),
    },
    host: points,
  };
}

/**
 * The inputs as one differentiable op of the parameters (numbers or scalar tensors; z numbers):
 * float64 values, and a gradient dy . J with the float64 Jacobian. Call inside tf.tidy.
 */
export function linearJacobianOp(cases: CosmologyCase[], params: Record<CosmoParamName, number>[], zs: number[], which: 'cb' | 'm', omfid: number, brackets?: ClassptTimeBracket[]): LinearInputs {
  const N = N_PARAMS;
  const B = cases.length;
  const nK = getEmulator().engineKMpc.length;
  const width = nK + SCALARS.length;
  const points = params.map((p, b) => linearPoint(p, zs[b], which, omfid, brackets?.[b], true));
  const values = new Float32Array(B * width);
  const jac = new Float32Array(B * width * N); // [B, width, 6]
  points.forEach((r, b) => {
    values.set(r.pk, b * width);
    jac.set(r.jacobian!.pk, b * width * N);
    SCALARS.forEach((key, s) => {
      values[b * width + nK + s] = r[key];
      jac.set(r.jacobian![key], (b * width + nK + s) * N);
    });
  });
  return tf.tidy(() => {
    const scalarOf = (x: number | tf.Tensor) => (x instanceof tf.Tensor ? tf.reshape(x, []) : tf.scalar(x));
    const P = tf.stack(cases.map((c) => tf.stack(COSMO_PARAM_NAMES.map((n) => scalarOf(c.params[n]))))) as tf.Tensor2D; // [B, 6]
    const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      void args;
      return {
        value: tf.tensor2d(values, [B, width]),
        gradFunc: (dy: tf.Tensor) => tf.tidy(() => tf.reshape(own.matMul(tf.reshape(dy, [B, 1, width]), tf.tensor3d(jac, [B, width, N])), [B, N])),
      };
    });
    const out = op(P) as tf.Tensor2D;
    const column = (s: number) => tf.reshape(own.slice(out, [0, nK + s], [B, 1]), [B]) as tf.Tensor1D;
    return {
      pk: own.slice(out, [0, 0], [B, nK]) as tf.Tensor2D,
      f: column(0), rs: column(1), hratio: column(2), Dratio: column(3), H: column(4), DA: column(5),
      h: tf.reshape(own.slice(P, [0, 2], [B, 1]), [B]) as tf.Tensor1D,
    };
  });
}

/** The inputs as float32 tensor expressions of the parameters and z (the path when z is a tensor). */
export function linearTensors(cases: CosmologyCase[], zs: number[], which: 'cb' | 'm', omfid: number, brackets?: ClassptTimeBracket[]): LinearInputs {
  const em = getEmulator();
  const B = cases.length;
  return tf.tidy(() => {
    const p = rowParams(cases.map((c) => c.params));
    const zRow = (c: CosmologyCase) => (c.z instanceof tf.Tensor ? tf.reshape(c.z, []) : tf.scalar(c.z));
    const z = tf.reshape(tf.stack(cases.map(zRow)), [B, 1]) as tf.Tensor2D;
    // with CLASS-PT's time interpolation the spectra come from the two time samples instead
    const r = em.evaluate(p, z, em.engineKMpc, { matter: which === 'm', spectra: !brackets });
    let pk = (which === 'm' ? r.pkM : r.pkCb) as tf.Tensor2D;
    if (brackets) {
      const at = (key: 'zEarly' | 'zLate') => {
        const e = em.evaluate(p, tf.tensor2d(brackets.map((b) => [b[key]]), [B, 1]), em.engineKMpc, { matter: which === 'm' });
        return tf.log((which === 'm' ? e.pkM : e.pkCb) as tf.Tensor2D);
      };
      pk = classptInterpolatedTensor(at('zEarly'), at('zLate'), brackets, em.engineKMpc);
    }
    const bg = backgroundTensors(p, zs, z);
    const ratios = zs.map((zb, b) => {
      const row = (t: tf.Tensor) => own.slice(t, [b, 0], [1, 1]);
      return apRatiosTensor(row(bg.E), row(bg.chiH0OverC), row(bg.omegaG), zb, omfid, cases[b].z instanceof tf.Tensor ? row(z) : undefined);
    });
    const flat = (t: tf.Tensor) => tf.reshape(t, [B]) as tf.Tensor1D;
    return {
      pk,
      f: flat(r.f),
      rs: flat(r.rsDrag),
      hratio: flat(tf.concat(ratios.map((q) => q.hratio), 0)),
      Dratio: flat(tf.concat(ratios.map((q) => q.Dratio), 0)),
      H: flat(bg.H),
      DA: flat(bg.DA),
      h: flat(p.h),
    };
  });
}
