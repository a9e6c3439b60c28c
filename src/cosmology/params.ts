/**
 * The cosmological parameters of the emulator and their valid range: the box of the CLASS
 * training set (../shared/linear/README.md). Outside it the emulator would extrapolate a
 * polynomial fit, so every entry point refuses such input with a ClaxPtInputError.
 */
import * as tf from '@tensorflow/tfjs-core';
import { readSync } from '../readback';
import { ClaxPtInputError } from '../errors';

/** Parameter names, in the training records' own spelling and order. */
export const COSMO_PARAM_NAMES = ['omega_b', 'omega_cdm', 'h', 'ln10^{10}A_s', 'n_s', 'm_ncdm'] as const;
export type CosmoParamName = (typeof COSMO_PARAM_NAMES)[number];

/** Valid range of each parameter (inclusive); m_ncdm in eV (one massive species). */
export const COSMO_PARAM_RANGE: Record<CosmoParamName, [number, number]> = {
  omega_b: [0.019, 0.026],
  omega_cdm: [0.08, 0.17],
  h: [0.55, 0.85],
  'ln10^{10}A_s': [2.4, 3.6],
  n_s: [0.86, 1.06],
  m_ncdm: [0.01, 0.5],
};
/** Valid redshifts (continuous). */
export const Z_RANGE: [number, number] = [0, 3];
/** Wavenumbers (1/Mpc) at which the linear spectra are emulated: the training grid's span. */
export const K_RANGE_MPC: [number, number] = [1e-4, 20];

/** One cosmology: numbers, or scalar tensors to differentiate with respect to them. */
export type CosmoParams = Record<CosmoParamName, number | tf.Tensor>;

function hostNumber(x: unknown): number | undefined {
  if (typeof x === 'number') return x;
  if (x instanceof tf.Tensor && x.size === 1) return readSync(x, 'parameter')[0];
  return undefined;
}

/** Checks one parameter set against the range; `where` prefixes the field names. */
export function validateCosmoParams(p: unknown, where = 'params'): Record<CosmoParamName, number> {
  if (p === null || typeof p !== 'object') throw new ClaxPtInputError(where, 'expected an object with ' + COSMO_PARAM_NAMES.join(', '));
  const out = {} as Record<CosmoParamName, number>;
  const known = new Set<string>(COSMO_PARAM_NAMES);
  for (const key of Object.keys(p)) {
    if (!known.has(key)) throw new ClaxPtInputError(`${where}.${key}`, `unknown parameter (expected ${COSMO_PARAM_NAMES.join(', ')})`);
  }
  for (const name of COSMO_PARAM_NAMES) {
    const raw = (p as Record<string, unknown>)[name];
    if (raw === undefined) throw new ClaxPtInputError(`${where}.${name}`, 'missing');
    const v = hostNumber(raw);
    if (v === undefined || !Number.isFinite(v)) throw new ClaxPtInputError(`${where}.${name}`, `must be a finite number (or a one-element tensor), got ${String(raw)}`);
    const [lo, hi] = COSMO_PARAM_RANGE[name];
    if (v < lo || v > hi) {
      throw new ClaxPtInputError(`${where}.${name}`, `${v} lies outside the emulator's valid range [${lo}, ${hi}] (the CLASS training set); no extrapolation`);
    }
    out[name] = v;
  }
  return out;
}

/** Checks redshifts against Z_RANGE. */
export function validateRedshifts(z: unknown, where = 'z'): number[] {
  const arr = typeof z === 'number' ? [z] : Array.isArray(z) || ArrayBuffer.isView(z) ? Array.from(z as ArrayLike<number>) : null;
  if (!arr || arr.length === 0) throw new ClaxPtInputError(where, 'expected a number or a non-empty array of numbers');
  arr.forEach((v, i) => {
    const name = typeof z === 'number' ? where : `${where}[${i}]`;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ClaxPtInputError(name, `must be a finite number, got ${String(v)}`);
    if (v < Z_RANGE[0] || v > Z_RANGE[1]) throw new ClaxPtInputError(name, `${v} lies outside the emulator's valid range [${Z_RANGE[0]}, ${Z_RANGE[1]}]`);
  });
  return arr;
}

/** Checks wavenumbers (1/Mpc) against K_RANGE_MPC. */
export function validateKMpc(k: unknown, where = 'k_Mpc'): Float64Array {
  if (!(Array.isArray(k) || ArrayBuffer.isView(k)) || (k as ArrayLike<number>).length === 0) throw new ClaxPtInputError(where, 'expected a non-empty array of wavenumbers in 1/Mpc');
  const out = Float64Array.from(k as ArrayLike<number>);
  out.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new ClaxPtInputError(`${where}[${i}]`, `must be a finite number, got ${String((k as ArrayLike<number>)[i])}`);
    if (v < K_RANGE_MPC[0] || v > K_RANGE_MPC[1]) throw new ClaxPtInputError(`${where}[${i}]`, `${v} 1/Mpc lies outside the emulated range [${K_RANGE_MPC[0]}, ${K_RANGE_MPC[1]}]`);
  });
  return out;
}
