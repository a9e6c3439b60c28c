/**
 * Background of flat LCDM with one massive neutrino species, as CLASS v3 computes it (the
 * build of the training data and of the oracle): photons at T_cmb = 2.7255 K, N_ur = 2.0328
 * massless neutrinos, one massive species (degeneracy 1, T_ncdm = 0.71611 T_cmb, Fermi-Dirac
 * momentum distribution with particle + antiparticle), CDM, baryons, and Omega_Lambda closing
 * the budget (Omega_k = 0). Everything is written against `Ops<T>` so that the same formulas
 * run in float64 on the host and as differentiable tensors.
 *
 *   E(z)^2 = Omega_g (1+z)^4 + Omega_ur (1+z)^4 + Omega_cb (1+z)^3 + Omega_ncdm(z) + Omega_Lambda
 *   H(z) = 100 h E(z) km/s/Mpc,  D_A(z) = (1/(1+z)) int_0^z c dz'/H(z')
 *
 * and CLASS-PT's Alcock-Paczynski ratios (npt.c, nonlinear_pt_init): hratio = E(z)/E_fid(z),
 * Dratio = (H0 chi(z)/c) / Dfid, with its fiducial flat model of Omega_m = Omfid.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as own from '../private-ops';
import { gaussLegendre } from '../numerics/gauss-legendre';
import { hostOps, type Ops, type Val } from './ops';
import { T_CMB_K } from './eisenstein-hu';

/** CLASS v3 physical constants (include/background.h): SI units. */
export const CLASS_CONSTANTS = {
  c: 2.99792458e8,
  G: 6.67428e-11,
  eV: 1.602176487e-19,
  kB: 1.3806504e-23,
  hP: 6.62606896e-34,
  MpcOverM: 3.085677581282e22,
} as const;

/** speed of light in km/s */
export const C_KM_S = CLASS_CONSTANTS.c / 1e3;
/** CLASS's fixed inputs of the training set */
export const N_UR = 2.0328;
export const T_NCDM_OVER_T_CMB = 0.71611;

/** Omega_gamma h^2 (CLASS background_init: 4 sigma_B T^4 / c over the critical density / h^2). */
export const OMEGA_GAMMA_H2 = (() => {
  const { c, G, kB, hP, MpcOverM } = CLASS_CONSTANTS;
  const sigmaB = (2 * Math.pow(Math.PI, 5) * Math.pow(kB, 4)) / 15 / Math.pow(hP, 3) / (c * c);
  return ((4 * sigmaB) / c) * Math.pow(T_CMB_K, 4) / ((3 * c * c * 1e10) / (MpcOverM * MpcOverM) / (8 * Math.PI * G));
})();
/** one massless neutrino species in units of the photons: 7/8 (4/11)^(4/3) */
const UR_PER_SPECIES = (7 / 8) * Math.pow(4 / 11, 4 / 3);
/** the massive species when relativistic, in units of the photons: 7/8 (T_ncdm/T_cmb)^4 */
const NCDM_RELATIVISTIC = (7 / 8) * Math.pow(T_NCDM_OVER_T_CMB, 4);
/** m_ncdm (eV) over k_B T_ncdm,0: y = m a / (k_B T_ncdm,0) */
export const M_OVER_T_NCDM_PER_EV = CLASS_CONSTANTS.eV / (CLASS_CONSTANTS.kB * T_CMB_K * T_NCDM_OVER_T_CMB);

/**
 * Fermi-Dirac momentum quadrature for rho_ncdm: F(y) = int q^2 sqrt(q^2 + y^2) f(q) dq /
 * int q^3 f(q) dq, f = 1/(e^q + 1), so F(0) = 1 and rho_ncdm(a) = rho_ncdm,rel(a) F(m a / T).
 * Gauss-Legendre on q in [0, 40] in 4 panels (the integrand is smooth; f(40) ~ 4e-18).
 */
const FD = (() => {
  const g = gaussLegendre(24);
  const edges = [0, 5, 12, 22, 40];
  const q: number[] = [];
  const w: number[] = [];
  for (let p = 0; p + 1 < edges.length; p++) {
    const [a, b] = [edges[p], edges[p + 1]];
    for (let i = 0; i < g.x.length; i++) {
      const qi = a + ((b - a) * (g.x[i] + 1)) / 2;
      q.push(qi);
      w.push(((b - a) / 2) * g.w[i] * qi * qi / (Math.exp(qi) + 1));
    }
  }
  const norm = (7 * Math.pow(Math.PI, 4)) / 120; // int q^3/(e^q+1) dq
  return { q: Float64Array.from(q), w: Float64Array.from(w, (x) => x / norm) };
})();

/** F(y) on the host (float64). */
export function ncdmEnergyFactor(y: number): number {
  let s = 0;
  for (let i = 0; i < FD.q.length; i++) s += FD.w[i] * Math.sqrt(FD.q[i] * FD.q[i] + y * y);
  return s;
}

/** dF/dy on the host (float64): sum_i w_i y / sqrt(q_i^2 + y^2). */
export function ncdmEnergyFactorSlope(y: number): number {
  let s = 0;
  for (let i = 0; i < FD.q.length; i++) s += (FD.w[i] * y) / Math.sqrt(FD.q[i] * FD.q[i] + y * y);
  return s;
}

/** F(y) for a tensor y of any shape (the quadrature sum as one broadcast + sum). */
export function ncdmEnergyFactorTensor(y: tf.Tensor): tf.Tensor {
  const q2 = tf.tensor1d(Float32Array.from(FD.q, (q) => q * q));
  const w = tf.tensor1d(Float32Array.from(FD.w));
  const y2 = tf.expandDims(own.mul(y, y), -1);
  return tf.sum(own.mul(tf.sqrt(tf.add(y2, q2)), w), -1);
}

/** The background parameters (numbers on the host, [B, 1] tensors in the tensor path). */
export interface BackgroundParams<T> {
  omegaB: Val<T>;
  omegaCdm: Val<T>;
  h: Val<T>;
  /** m_ncdm in eV */
  mNu: Val<T>;
}

/** The density parameters today. `F` evaluates the Fermi-Dirac factor in this evaluator. */
export function densities<T>(o: Ops<T>, p: BackgroundParams<T>, F: (y: T) => T) {
  const h2 = o.mul(p.h, p.h);
  const omegaG = o.div(OMEGA_GAMMA_H2, h2);
  const omegaUr = o.mul(N_UR * UR_PER_SPECIES, omegaG);
  const omegaNcdmRel = o.mul(NCDM_RELATIVISTIC, omegaG);
  const omegaCb = o.div(o.add(p.omegaB, p.omegaCdm), h2);
  const y0 = o.mul(M_OVER_T_NCDM_PER_EV, p.mNu);
  const omegaNcdm0 = o.mul(omegaNcdmRel, F(y0));
  const omegaL = o.sub(o.sub(o.sub(o.sub(1, omegaG), omegaUr), omegaCb), omegaNcdm0);
  return { omegaG, omegaUr, omegaNcdmRel, omegaCb, omegaNcdm0, omegaL, y0 };
}

/** E(z) = H(z)/H0 (z broadcasting against the parameters). */
export function hubbleE<T>(o: Ops<T>, p: BackgroundParams<T>, z: Val<T>, F: (y: T) => T): T {
  const d = densities(o, p, F);
  const a1 = o.add(1, z); // 1 + z = 1/a
  const a3 = o.mul(o.mul(a1, a1), a1);
  const a4 = o.mul(a3, a1);
  const rad = o.mul(o.add(d.omegaG, d.omegaUr), a4);
  const ncdm = o.mul(o.mul(d.omegaNcdmRel, a4), F(o.div(d.y0, a1)));
  return o.sqrt(o.add(o.add(o.add(rad, o.mul(d.omegaCb, a3)), ncdm), d.omegaL));
}

/** Gauss-Legendre rule of the comoving distance integral (1/E is smooth on [0, z]). */
export const DISTANCE_RULE = gaussLegendre(48);

/** H0 chi(z) / c = int_0^z dz' / E(z'), Gauss-Legendre in z' (DISTANCE_RULE). */
export function comovingDistanceH0OverC<T>(o: Ops<T>, p: BackgroundParams<T>, z: number, F: (y: T) => T): T | number {
  if (z === 0) return 0;
  let s: T | number = 0;
  for (let i = 0; i < DISTANCE_RULE.x.length; i++) s = o.add(s, o.div(DISTANCE_RULE.w[i], hubbleE(o, p, (z * (DISTANCE_RULE.x[i] + 1)) / 2, F)));
  return o.mul(z / 2, s);
}

/** Host float64 background of one cosmology. */
export function hostBackground(p: BackgroundParams<number>) {
  const o = hostOps;
  const E = (z: number) => hubbleE(o, p, z, ncdmEnergyFactor);
  /** comoving distance chi(z) in Mpc */
  const chi = (z: number) => ((comovingDistanceH0OverC(o, p, z, ncdmEnergyFactor) as number) * C_KM_S) / (100 * p.h);
  return {
    E,
    H: (z: number) => 100 * p.h * E(z),
    chi,
    DA: (z: number) => chi(z) / (1 + z),
    omegaG: OMEGA_GAMMA_H2 / (p.h * p.h),
  };
}

/** CLASS-PT's AP trapezoid (npt.c): Nz = 2000 points on [0, z], weights dz/2 (ends) and dz. */
function apTrapezoid(omfid: number, z: number) {
  const nz = 2000;
  const dz = z / (nz - 1);
  const w = new Float64Array(nz).fill(dz);
  w[0] = dz / 2;
  w[nz - 1] = dz / 2;
  // E_fid(z')^2 = Omfid (1+z')^3 + 1 - Omfid + Omega_g (1+z)^4: CLASS-PT takes the radiation
  // term at the output redshift z, not at z' (reproduced as it is)
  const matter = Float64Array.from({ length: nz }, (_, j) => omfid * Math.pow(1 + dz * j, 3) + 1 - omfid);
  return { w, matter, rad: Math.pow(1 + z, 4), hfidMatter: omfid * Math.pow(1 + z, 3) + 1 - omfid };
}

/**
 * CLASS-PT's fiducial E_fid(z) = sqrt(Omfid (1+z)^3 + 1 - Omfid + Omega_g (1+z)^4) and
 * D_fid = trapezoid (Nz = 2000) of 1/E_fid over [0, z], with their derivatives in Omega_g (the
 * only cosmology they depend on).
 */
function apFiducial(omfid: number, z: number, omegaG: number) {
  const t = apTrapezoid(omfid, z);
  let dfid = 0;
  let dDfid = 0;
  for (let j = 0; j < t.w.length; j++) {
    const e2 = t.matter[j] + omegaG * t.rad;
    const e = Math.sqrt(e2);
    dfid += t.w[j] / e;
    dDfid -= (t.w[j] * t.rad) / (2 * e2 * e);
  }
  const hfid = Math.sqrt(t.hfidMatter + omegaG * t.rad);
  return { hfid, dHfid: t.rad / (2 * hfid), dfid, dDfid };
}

/**
 * CLASS-PT's AP ratios at z > 0 (npt.c, nonlinear_pt_init): hratio = E(z)/E_fid(z),
 * E_fid = sqrt(Omfid (1+z)^3 + 1 - Omfid + Omega_g (1+z)^4); Dratio = (H0 chi(z)/c) / Dfid,
 * Dfid = trapezoid (Nz = 2000) of 1/E_fid over [0, z]. At z = 0 CLASS-PT sets both to 1.
 * In any evaluator: the fiducial quantities enter as their value plus their slope times
 * (Omega_g - its value), exact in value and in first derivatives (dual numbers).
 */
export function apRatios<T>(o: Ops<T>, E: T, chiH0OverC: T, omegaG: T, omegaGValue: number, z: number, omfid: number): { hratio: T | number; Dratio: T | number } {
  if (z === 0) return { hratio: 1, Dratio: 1 };
  const f = apFiducial(omfid, z, omegaGValue);
  const dOmega = o.sub(omegaG, omegaGValue);
  return { hratio: o.div(E, o.add(f.hfid, o.mul(f.dHfid, dOmega))), Dratio: o.div(chiH0OverC, o.add(f.dfid, o.mul(f.dDfid, dOmega))) };
}

/** apRatios on host numbers. */
export function apRatiosHost(E: number, chiH0OverC: number, omegaG: number, z: number, omfid: number): { hratio: number; Dratio: number } {
  return apRatios(hostOps, E, chiH0OverC, omegaG, omegaG, z, omfid) as { hratio: number; Dratio: number };
}

/**
 * The same with tensors: E, chiH0OverC, omegaG of shape [B, 1] (rows at the same z); returns
 * [B, 1] tensors. `zTensor` (a scalar tensor equal to z) makes the ratios differentiable in z:
 * the trapezoid nodes are z j/(Nz-1) and its weights proportional to z.
 */
export function apRatiosTensor(E: tf.Tensor, chiH0OverC: tf.Tensor, omegaG: tf.Tensor, z: number, omfid: number, zTensor?: tf.Tensor): { hratio: tf.Tensor; Dratio: tf.Tensor } {
  if (z === 0) return { hratio: tf.onesLike(E), Dratio: tf.onesLike(E) };
  if (!zTensor) {
    const t = apTrapezoid(omfid, z);
    const radG = own.mul(omegaG, t.rad); // [B, 1]
    const dfid = tf.sum(tf.div(tf.tensor2d(Float32Array.from(t.w), [1, t.w.length]), tf.sqrt(tf.add(tf.tensor2d(Float32Array.from(t.matter), [1, t.w.length]), radG))), -1, true);
    return { hratio: tf.div(E, tf.sqrt(tf.add(radG, t.hfidMatter))), Dratio: tf.div(chiH0OverC, dfid) };
  }
  const nz = 2000;
  const zt = tf.reshape(zTensor, [1, 1]);
  const onePlus = tf.add(zt, 1);
  const radG = own.mul(omegaG, tf.square(tf.square(onePlus))); // Omega_g (1+z)^4, at the output z
  const cube = (x: tf.Tensor) => own.mul(tf.square(x), x);
  const hfid = tf.sqrt(tf.add(radG, tf.add(own.mul(cube(onePlus), omfid), 1 - omfid)));
  const frac = tf.tensor2d(Float32Array.from({ length: nz }, (_, j) => j / (nz - 1)), [1, nz]);
  const unitW = tf.tensor2d(Float32Array.from({ length: nz }, (_, j) => (j === 0 || j === nz - 1 ? 0.5 : 1) / (nz - 1)), [1, nz]);
  const nodes = tf.add(own.mul(zt, frac), 1); // 1 + z'
  const efid = tf.sqrt(tf.add(radG, tf.add(own.mul(cube(nodes), omfid), 1 - omfid)));
  const dfid = own.mul(zt, tf.sum(tf.div(unitW, efid), -1, true));
  return { hratio: tf.div(E, hfid), Dratio: tf.div(chiH0OverC, dfid) };
}
