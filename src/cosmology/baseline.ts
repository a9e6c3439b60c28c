/**
 * The physical baseline the emulator's fit corrects (all in `Ops<T>`, host or tensors):
 *
 *   P_base(k, z) = (8 pi^2 / 25) (c/H0)^4 A_s (k / 0.05 Mpc^-1)^(n_s - 1) k T_EH(k)^2 D(z)^2 / Omega_m^2
 *
 * the linear matter spectrum of a primordial curvature spectrum A_s (k/k_pivot)^(n_s-1)
 * (CLASS's pivot 0.05 1/Mpc), Poisson's equation in matter domination (Dodelson, Modern
 * Cosmology, eq. 7.9 with Delta_R^2 = A_s (...)), Eisenstein & Hu 1998's transfer function
 * of the CDM + baryon fluid, and the Carroll, Press & Turner 1992 (ARA&A 30, 499, eq. 29)
 * growth factor of flat LCDM, D = g(z)/(1+z) (normalised to a in matter domination).
 * A_s and n_s enter exactly; the fit learns log P_CLASS - log P_base as a function of
 * (omega_b, omega_cdm, h, m_ncdm, z) only.
 *
 * Growth baselines of the scalar outputs: f_base = Omega_m(z)^0.55 (Linder 2005), D_base =
 * D_CPT(z)/D_CPT(0).
 */
import type { Ops, Val } from './ops';
import { ehCoefficients, ehTransferAt } from './eisenstein-hu';
import { C_KM_S } from './background';

/** omega_nu = m_nu / 93.14 eV (the standard relic density of one species), for the baseline's Omega_m. */
export const EV_PER_OMEGA_NU = 93.14;

export interface BaselineParams<T> {
  omegaB: Val<T>;
  omegaCdm: Val<T>;
  h: Val<T>;
  mNu: Val<T>;
}

/** Omega_m today (CDM + baryons + the massive neutrino) for the baseline. */
export function omegaMBaseline<T>(o: Ops<T>, p: BaselineParams<T>): T {
  return o.div(o.add(o.add(p.omegaB, p.omegaCdm), o.div(p.mNu, EV_PER_OMEGA_NU)), o.mul(p.h, p.h));
}

/** Carroll-Press-Turner growth D(z) = g(z)/(1+z) and Omega_m(z) of flat LCDM. */
export function cptGrowth<T>(o: Ops<T>, om: Val<T>, z: Val<T>): { D: T; omz: T } {
  const a1 = o.add(1, z);
  const m = o.mul(om, o.mul(o.mul(a1, a1), a1));
  const e2 = o.add(m, o.sub(1, om));
  const omz = o.div(m, e2);
  const olz = o.div(o.sub(1, om), e2);
  const g = o.div(o.mul(2.5, omz), o.add(o.sub(o.pow(omz, 4 / 7), olz), o.mul(o.add(1, o.div(omz, 2)), o.add(1, o.div(olz, 70)))));
  return { D: o.div(g, a1), omz };
}

/** Pieces shared by several outputs of one evaluation (computed once by the caller). */
export interface BaselineShared<T> {
  om: T;
  D: T;
  /** EH98's k-independent coefficients (ehCoefficients) */
  eh: ReturnType<typeof ehCoefficients<T>>;
}

/** log P_base(k, z) without the primordial factor A_s (k/0.05)^(n_s-1), Mpc^3. */
export function logBaselineNoPrimordial<T>(o: Ops<T>, k: Val<T>, p: BaselineParams<T>, z: Val<T>, shared?: BaselineShared<T>): T {
  const om = shared?.om ?? omegaMBaseline(o, p);
  const D = shared?.D ?? cptGrowth(o, om, z).D;
  return o.add(logBaselineAmplitude(o, p, om, D), logBaselineShape(o, k, shared?.eh ?? ehCoefficients(o, p.omegaB, o.add(p.omegaB, p.omegaCdm))));
}

/** The k-independent part of log P_base: ln[(8 pi^2/25) (c/H0)^4 / Omega_m^2] + 2 ln D(z). */
export function logBaselineAmplitude<T>(o: Ops<T>, p: BaselineParams<T>, om: Val<T>, D: Val<T>): T {
  const hubbleRadius = o.div(C_KM_S / 100, p.h); // c/H0 in Mpc
  const lnPrefactor = o.add(Math.log((8 * Math.PI * Math.PI) / 25), o.sub(o.mul(4, o.log(hubbleRadius)), o.mul(2, o.log(om))));
  return o.add(lnPrefactor, o.mul(2, o.log(D)));
}

/** The z-independent part of log P_base: ln k + 2 ln T_EH(k) (T from EH98's coefficients). */
export function logBaselineShape<T>(o: Ops<T>, k: Val<T>, eh: ReturnType<typeof ehCoefficients<T>>): T {
  return o.add(o.log(k), o.mul(2, o.log(ehTransferAt(o, k, eh))));
}

/** log of the exact primordial factor A_s (k/0.05)^(n_s-1), with A_s = 1e-10 exp(ln10^{10}A_s). */
export function logPrimordial<T>(o: Ops<T>, k: Val<T>, lnA: Val<T>, ns: Val<T>): T {
  return o.add(o.add(lnA, Math.log(1e-10)), o.mul(o.sub(ns, 1), o.log(o.div(k, 0.05))));
}

/** log f_base = 0.55 log Omega_m(z) and log D_base = log(D_CPT(z)/D_CPT(0)). */
export function logGrowthBaselines<T>(o: Ops<T>, p: BaselineParams<T>, z: Val<T>): { logF: T; logD: T; om: T; D: T } {
  const om = omegaMBaseline(o, p);
  const g = cptGrowth(o, om, z);
  const g0 = cptGrowth(o, om, 0);
  return { logF: o.mul(0.55, o.log(g.omz)), logD: o.sub(o.log(g.D), o.log(g0.D)), om, D: g.D };
}
