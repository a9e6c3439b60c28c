/**
 * The primordial non-Gaussianity (fNL) loops on the FFTLog grid (CLASS-PT `nonlinear_pt_loop`,
 * the parts under `has_fNL`): P12 = T(k) k^3 Re(X_T^T M12 X_T), with X_T the FFTLog
 * decomposition of the transfer function T (../input/transfer) and M12 the matrices of
 * ../kernels/fnl, for the equilateral (`fNL_*` rows) and orthogonal (`fNLortho_*`) templates.
 *
 * Bases (CLASS-PT `cmsym_transfer`, `cmsym2_transfer`): b = -0.8 for the matter, G2 and bG2
 * matrices, b = -1.25 for the b2 ones (`bias_real_space_b2`, `bias_multipoles_b2_vv0_f1`).
 * Both templates share the products of one basis: their kernels sit in one block.
 *
 * The redshift-space matrices come split in powers of f already (CLASS-PT's file names
 * `..._vv0_f2` etc.); CLASS-PT's per-redshift fills (3771-3790 IR off, 3999-4010 IR on,
 * `FILL_M12_BIAS`) are the linear combinations of `FNL_MULTIPOLES`, `FNL_MU_POWERS`, which are
 * applied here to the loop results instead of to the matrices (the same sums, with f outside).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as own from '../private-ops';
import { fnlMatrices, FNL_BIAS, FNL_BIAS_B2, type FnlMatrixKey, type FnlTemplate } from '../kernels/fnl';
import type { TransferSpectra } from '../input/transfer';
import type { LinearStage } from '../input/linear-stage';
import { basisShape } from '../fftlog/decomposition';
import type { FnlHostKernels } from '../redshift/fnl-float64';
import { antiDiagonalProducts, fftlogCoefficients, quadraticLoops } from './loop-integrals';
import { gridPowers } from './matter-real';
import {
  createTensorBasis,
  packQuadraticKernels,
  type ComplexArray,
  type QuadraticKernels,
  type TensorBasis,
} from './tensor-basis';

/** Row-name prefix of each template (classy's `fNL_*` and `fNLortho_*` rows). */
export const FNL_TEMPLATES: readonly { prefix: 'fNL' | 'fNLortho'; template: FnlTemplate }[] = [
  { prefix: 'fNL', template: 'equilateral' },
  { prefix: 'fNLortho', template: 'orthogonal' },
];

/** A combination sum_i c_i f^{p_i} M12[key_i]. */
type Combination = readonly (readonly [FnlMatrixKey, number, number])[];

/** IR off (nonlinear_pt.c 3771-3790): the multipole matrices; there is no 4_dd matrix. */
export const FNL_MULTIPOLES: Record<string, Combination> = {
  '0_vv': [['matter_multipoles_vv0_f2', 1, 2], ['matter_multipoles_vv0_f3', 1, 3]],
  '0_vd': [['matter_multipoles_vd0_f1', 1, 1], ['matter_multipoles_vd0_f2', 1, 2]],
  '0_dd': [['matter_multipoles_dd0_f0', 1, 0], ['matter_multipoles_dd0_f1', 1, 1]],
  '2_vv': [['matter_multipoles_vv0_f2', 20 / 7, 2], ['matter_multipoles_vv2_f3', 1, 3]],
  '2_vd': [['matter_multipoles_vd0_f1', 2, 1], ['matter_multipoles_vd2_f2', 1, 2]],
  '2_dd': [['matter_multipoles_dd0_f1', 2, 1]],
  '4_vv': [['matter_multipoles_vv0_f2', 8 / 7, 2], ['matter_multipoles_vv4_f3', 1, 3]],
  '4_vd': [['matter_multipoles_vd4_f2', 1, 2]],
};

/** IR on (nonlinear_pt.c 3999-4010): the μ-power matrices (μ4_vv uses vd2_f2 for vv4_f3). */
export const FNL_MU_POWERS: Record<string, Combination> = {
  mu0_dd: [['matter', 1, 0]],
  mu2_vd: [['matter_mu_powers_vd2_f1', 1, 1], ['matter_mu_powers_vd2_f2', 1, 2]],
  mu2_dd: [['matter_mu_powers_dd2_f1', 1, 1]],
  mu4_vv: [['matter_mu_powers_vv4_f2', 1, 2], ['matter_mu_powers_vd2_f2', 1, 3]],
  mu4_vd: [['matter_mu_powers_vd4_f2', 1, 2]],
  mu6_vv: [['matter_mu_powers_vv6_f3', 1, 3]],
};

/** Real-space and bias kernels on b = -0.8 and on b = -1.25. */
const REAL_KEYS: readonly FnlMatrixKey[] = ['matter', 'bias_real_space_G2', 'bias_multipoles_bG2_vv0_f1'];
const REAL_KEYS_B2: readonly FnlMatrixKey[] = ['bias_real_space_b2', 'bias_multipoles_b2_vv0_f1'];

function keysOf(table: Record<string, Combination>): FnlMatrixKey[] {
  return [...new Set(Object.values(table).flatMap((c) => c.map(([key]) => key)))];
}

export interface FnlKernels {
  /** the b = -0.8 and b = -1.25 transfer bases */
  transfer: TensorBasis;
  transferB2: TensorBasis;
  /** kernels named `${prefix}:${key}` for both templates */
  real: QuadraticKernels;
  realB2: QuadraticKernels;
  muPowers: QuadraticKernels;
  multipoles: QuadraticKernels;
}

/** The float64 M12 matrices of both templates (../kernels/fnl), by template prefix. */
export type FnlHostMatrices = { prefix: string; m: Record<FnlMatrixKey, ComplexArray> }[];

export function fnlHostMatrices(n: number): FnlHostMatrices {
  return FNL_TEMPLATES.map(({ prefix, template }) => ({ prefix, m: fnlMatrices(n, template) }));
}

function pickMatrices(host: FnlHostMatrices, keys: readonly FnlMatrixKey[]): Record<string, ComplexArray> {
  const out: Record<string, ComplexArray> = {};
  for (const { prefix, m } of host) for (const key of keys) out[`${prefix}:${key}`] = m[key];
  return out;
}

/** The float64 matrices of the host path (../redshift/fnl-float64): μ powers and bias multipoles. */
export function fnlHostKernels(n: number, host: FnlHostMatrices): FnlHostKernels {
  return {
    transfer: basisShape(n, FNL_BIAS),
    transferB2: basisShape(n, FNL_BIAS_B2),
    matrices: pickMatrices(host, [...keysOf(FNL_MU_POWERS), 'bias_multipoles_bG2_vv0_f1', 'bias_multipoles_b2_vv0_f1']),
  };
}

/** Builds the fNL kernel sets of a plan (float64 matrices of ../kernels/fnl, uploaded as float32). */
export function buildFnlKernels(n: number, host: FnlHostMatrices): FnlKernels {
  const pick = (keys: readonly FnlMatrixKey[]) => pickMatrices(host, keys);
  const transfer = createTensorBasis(n, FNL_BIAS);
  const transferB2 = createTensorBasis(n, FNL_BIAS_B2);
  return {
    transfer,
    transferB2,
    real: packQuadraticKernels(transfer.shape, pick(REAL_KEYS)),
    realB2: packQuadraticKernels(transferB2.shape, pick(REAL_KEYS_B2)),
    muPowers: packQuadraticKernels(transfer.shape, pick(keysOf(FNL_MU_POWERS))),
    multipoles: packQuadraticKernels(transfer.shape, pick(keysOf(FNL_MULTIPOLES))),
  };
}

/** Splits loop results [B, K, N] into arrays [B, N] by kernel name. */
function byName(loops: tf.Tensor3D, kernels: QuadraticKernels): Record<string, tf.Tensor2D> {
  const parts = tf.unstack(loops, 1) as tf.Tensor2D[];
  return Object.fromEntries(kernels.names.map((name, k) => [name, parts[k]]));
}

/** sum_i c_i f^{p_i} loops[prefix:key_i] per row of a table, [B, N] each. */
function combine(
  loops: Record<string, tf.Tensor2D>,
  prefix: string,
  table: Record<string, Combination>,
  f: tf.Tensor1D,
): Record<string, tf.Tensor2D> {
  const B = f.shape[0];
  const out: Record<string, tf.Tensor2D> = {};
  for (const [row, terms] of Object.entries(table)) {
    const parts = terms.map(([key, c, p]) => {
      const coefficient = p === 0 ? tf.fill([B, 1], c) : own.mul(tf.reshape(tf.pow(f, p), [B, 1]), c);
      return own.mul(loops[`${prefix}:${key}`], coefficient);
    });
    out[row] = (parts.length === 1 ? parts[0] : own.addN(parts)) as tf.Tensor2D;
  }
  return out;
}

export interface FnlGridOptions {
  redshiftSpace: boolean;
  irResummation: boolean;
  biasedTracers: boolean;
  /**
   * the arrays of the AP-projected rows (IR-on μ-power loops, bias sources); not needed when the
   * caller takes those rows' values from the float64 host path and no gradient can reach them
   */
  projectedRows: boolean;
}

/**
 * Every fNL array on the FFTLog grid, [B, N] each, before the AP projection and without
 * classy's factor sqrt(A_s) 1944/625 pi^4:
 * - `${prefix}_loop` = T_bin k^3 Re(X_T^T M12 X_T) e^{-(k/3h)^6}  (row 48, nonlinear_pt.c 3523-3536)
 * - `${prefix}_d2`, `${prefix}_G2` (rows 49, 50; b = -1.25 and -0.8; no cutoff, 4890-4920)
 * - bias multipole sources `${prefix}:Lb2`, `${prefix}:LbG2` = T_bin k^3 Re(X^T M X) of the
 *   bias_multipoles vv0_f1 matrices (no cutoff; CLASS-PT's P12_0_b1b2 = 3 Lb2, P12_0_b2 = f Lb2,
 *   P12_2_b2 = 2 f Lb2, and likewise for bG2, `FILL_M12_BIAS`)
 * - IR off: `${prefix}_{l}_{ch}` = T_bin k^3 e^{-(k/3h)^6} Re(X^T M_{l,ch}(f) X) (3827-3883)
 * - IR on: `${prefix}:P12_${mu}` = T_nw k^3 e^{-(k/3h)^6} Re(X_nw^T M_mu(f) X_nw) and
 *   `${prefix}:P12w_${mu}` = T_nw k^3 e^{-(k/3h)^6} Re(X_nw^T M_mu(f) (2 X_w)) (4074-4254).
 */
export function fnlLoopsOnGrid(
  kernels: FnlKernels,
  linear: LinearStage,
  uvDamping: Float64Array,
  t: TransferSpectra,
  f: tf.Tensor1D,
  options: FnlGridOptions,
): Record<string, tf.Tensor2D> {
  return tf.tidy(() => {
    const { transfer, transferB2 } = kernels;
    const B = linear.pBin.length;
    const k3 = gridPowers(linear, 3);
    const cutoff = tf.tensor1d(Float32Array.from(uvDamping));
    const tk3 = own.mul(t.tBin, k3);
    const tk3e = own.mul(tk3, cutoff);
    const out: Record<string, tf.Tensor2D> = {};

    const cBin = fftlogCoefficients(transfer, t.tBin);
    const binProducts = antiDiagonalProducts(transfer, cBin);
    const real = byName(quadraticLoops(transfer, binProducts, kernels.real), kernels.real);
    const realB2 = byName(
      quadraticLoops(transferB2, antiDiagonalProducts(transferB2, fftlogCoefficients(transferB2, t.tBin)), kernels.realB2),
      kernels.realB2,
    );
    for (const { prefix } of FNL_TEMPLATES) {
      out[`${prefix}_loop`] = own.mul(tk3e, real[`${prefix}:matter`]) as tf.Tensor2D;
      out[`${prefix}_G2`] = own.mul(tk3, real[`${prefix}:bias_real_space_G2`]) as tf.Tensor2D;
      out[`${prefix}_d2`] = own.mul(tk3, realB2[`${prefix}:bias_real_space_b2`]) as tf.Tensor2D;
      if (options.redshiftSpace && options.biasedTracers && options.projectedRows) {
        out[`${prefix}:LbG2`] = own.mul(tk3, real[`${prefix}:bias_multipoles_bG2_vv0_f1`]) as tf.Tensor2D;
        out[`${prefix}:Lb2`] = own.mul(tk3, realB2[`${prefix}:bias_multipoles_b2_vv0_f1`]) as tf.Tensor2D;
      }
    }
    if (!options.redshiftSpace) return out;

    if (!options.irResummation) {
      const loops = byName(quadraticLoops(transfer, binProducts, kernels.multipoles), kernels.multipoles);
      for (const { prefix } of FNL_TEMPLATES) {
        for (const [row, v] of Object.entries(combine(loops, prefix, FNL_MULTIPOLES, f))) {
          out[`${prefix}_${row}`] = own.mul(tk3e, v) as tf.Tensor2D;
        }
      }
      return out;
    }

    if (!options.projectedRows) return out;
    // IR on: quadratic nw x nw and bilinear nw x w in one batch of 2B
    const cNw = fftlogCoefficients(transfer, t.tNoWiggle);
    const cW = fftlogCoefficients(transfer, t.tWiggle);
    const products = antiDiagonalProducts(transfer, tf.concat([cNw, cNw], 0), tf.concat([cNw, cW], 0));
    const q = quadraticLoops(transfer, products, kernels.muPowers); // [2B, K, N]
    const K = kernels.muPowers.names.length;
    const n = linear.gridKMpc[0].length;
    const nw = byName(own.slice(q, [0, 0, 0], [B, K, n]), kernels.muPowers);
    const w = byName(own.slice(q, [B, 0, 0], [B, K, n]), kernels.muPowers);
    const tNwK3e = own.mul(own.mul(t.tNoWiggle, k3), cutoff);
    for (const { prefix } of FNL_TEMPLATES) {
      const a = combine(nw, prefix, FNL_MU_POWERS, f);
      const b = combine(w, prefix, FNL_MU_POWERS, f);
      for (const mu of Object.keys(FNL_MU_POWERS)) {
        out[`${prefix}:P12_${mu}`] = own.mul(tNwK3e, a[mu]) as tf.Tensor2D;
        out[`${prefix}:P12w_${mu}`] = own.mul(own.mul(tNwK3e, b[mu]), 2) as tf.Tensor2D; // X_nw^T M (2 X_w)
      }
    }
    return out;
  });
}
