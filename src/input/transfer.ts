/**
 * The "transfer function" of CLASS-PT's fNL terms on the FFTLog grid, split like the power
 * spectrum into no-wiggle and wiggle parts (CLASS-PT `nonlinear_pt_pPRIMk_l`,
 * `nonlinear_pt_ir_resummation` 2978-2992, and the IR-off branch 3287-3301):
 *
 *   P_prim(k) = 2 pi^2 k P_R(k) / A_s = 2 pi^2 k (k / k_pivot)^(n_s - 1)     (k_pivot = 0.05 1/Mpc)
 *   T_nw = (5/3) sqrt(P_nw / P_prim)
 *   T_w  = T_nw (x/2 - x^2/8 + x^3/16),  x = P_w / P_nw   (a truncated sqrt(1 + x) - 1)
 *   T_bin = T_nw + T_w exp(-Sigma^2 k^2)
 *
 * CLASS-PT splines ln P_prim in ln k over CLASS's grid and extrapolates it with its own slope
 * n_s; P_prim is an exact power law in k, so every branch reproduces the formula above.
 * Outside the IR-split range P_w = 0 and P_nw = P_disc, so the same formulas give CLASS-PT's
 * T_nw = T_bin = (5/3) sqrt(P_disc / P_prim), T_w = 0; with IR resummation off likewise.
 * The wiggle part is taken before CLASS-PT's `no_wiggle` zeroes P_w (`nonlinear_pt_ir_resummation` computes T_w first).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as own from '../private-ops';
import { linearTensorsOf, type LinearStage } from './linear-stage';
import { batchTensor, gridPowers } from '../loops/matter-real';

/** CLASS's primordial pivot scale k_pivot in 1/Mpc (CLASS default `k_pivot = 0.05`). */
export const PRIMORDIAL_PIVOT_MPC = 0.05;

export interface TransferSpectra {
  /** [B, N] T_nw, T_w, T_bin on the FFTLog grid */
  tNoWiggle: tf.Tensor2D;
  tWiggle: tf.Tensor2D;
  tBin: tf.Tensor2D;
}

/** P_prim on one FFTLog grid (float64), CLASS-PT's `PPRIMdisc`. */
export function primordialOnGrid(kMpc: Float64Array, nS: number): Float64Array {
  return kMpc.map((k) => 2 * Math.PI * Math.PI * k * Math.pow(k / PRIMORDIAL_PIVOT_MPC, nS - 1));
}

/**
 * T_nw, T_w, T_bin as tensors of the linear stage's P_nw, P_w, Sigma^2 (so gradients reach
 * P_lin and r_s). With `noWiggle` the wiggle part comes from the host values (CLASS-PT keeps it
 * for T while it zeroes P_w), so T_w carries no gradient there.
 */
export function transferSpectra(linear: LinearStage, noWiggle: boolean): TransferSpectra {
  return tf.tidy(() => {
    const lt = linearTensorsOf(linear);
    const B = linear.pBin.length;
    const primHost = batchTensor(linear.gridKMpc.map((k, b) => primordialOnGrid(k, linear.inputs[b].nS)));
    // P_prim ~ k^{n_s}: with h a tensor the nodes move as h (gridPowers)
    const nS = tf.tensor2d(linear.inputs.map((i) => i.nS), [B, 1]);
    const prim = lt.gridScale ? own.mul(primHost, tf.pow(tf.reshape(lt.gridScale, [B, 1]), nS)) : primHost;
    const pNw = lt.pNoWiggle;
    const pW = noWiggle ? batchTensor(linear.pWiggleRaw) : lt.pWiggle;
    const tNoWiggle = own.mul(tf.sqrt(tf.div(pNw, prim)), 5 / 3) as tf.Tensor2D;
    const x = tf.div(pW, pNw);
    // x/2 - x^2/8 + x^3/16 in Horner form
    const series = own.mul(x, tf.add(0.5, own.mul(x, tf.add(-1 / 8, own.mul(x, 1 / 16)))));
    const tWiggle = own.mul(tNoWiggle, series) as tf.Tensor2D;
    const k2 = gridPowers(linear, 2);
    const damping = tf.exp(tf.neg(own.mul(k2, tf.reshape(lt.sigma2Bao, [B, 1]))));
    const tBin = tf.add(tNoWiggle, own.mul(tWiggle, damping)) as tf.Tensor2D;
    return { tNoWiggle, tWiggle, tBin };
  });
}
