/**
 * Bias-operator loop integrals on the FFTLog grid (CLASS-PT `nonlinear_pt_loop`, "BIAS OPERATOR
 * LOOP INTEGRALS"), on the b = -1.6000001 basis of P_bin, without UV cutoff (CLASS-PT's `ASSEMBLE_P22_BIAS` has none):
 *
 *   Id2d2 = |k^3 2Re(X^T J X) - k_0^3 2Re(X_0^T J X_0) + 1e-6|   (k_0 = first FFTLog node)
 *   Id2   =  k^3 Re(X^T M_Id2 X)
 *   IG2, Id2G2, IG2G2 = |k^3 Re(X^T M X)|
 *   IFG2  = |k^3 Re(X.M_IFG2) P_bin|
 *
 * The absolute values and the 1e-6 are CLASS-PT's (it stores logs of them, `nonlinear_pt_loop`); classy restores a
 * fixed sign on output (see ./bias-signs). The redshift-space bias multipole kernels (powers of
 * f recombined) are returned too, as k^3 Re(X^T M_{l,b} X).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as own from '../private-ops';
import type { Plan } from '../plan';
import { linearTensorsOf, type LinearStage } from '../input/linear-stage';
import { antiDiagonalProducts, dotLoops, fftlogCoefficients } from './loop-integrals';
import { fPowerQuadraticLoops } from './f-power-sets';
import { gridPowers } from './matter-real';

/** CLASS-PT `epsilon_for_logs` added inside |...| of Id2d2. */
const ID2D2_EPSILON = 1e-6;

export function biasOperatorsOnGrid(
  plan: Plan,
  linear: LinearStage,
  f: tf.Tensor1D | null,
): Record<string, tf.Tensor2D> {
  const bias = plan.bias();
  const B = linear.pBin.length;
  const n = plan.n;
  const pBin = linearTensorsOf(linear).pBin;
  const k3 = gridPowers(linear, 3);
  const coef = fftlogCoefficients(bias.basis, pBin, linear.pBin);
  const products = antiDiagonalProducts(bias.basis, coef);
  const real = fPowerQuadraticLoops(bias.basis, products, bias.real, tf.ones([B]));
  const ifg2 = tf.reshape(dotLoops(bias.basis, coef, bias.ifg2), [B, n]);

  const d2d2 = own.mul(k3, real.Id2d2);
  const d2d2At0 = own.slice(d2d2, [0, 0], [B, 1]);
  const out: Record<string, tf.Tensor2D> = {
    Id2d2: tf.abs(tf.add(tf.sub(d2d2, d2d2At0), ID2D2_EPSILON)) as tf.Tensor2D,
    Id2: own.mul(k3, real.Id2) as tf.Tensor2D,
    IG2: tf.abs(own.mul(k3, real.IG2)) as tf.Tensor2D,
    Id2G2: tf.abs(own.mul(k3, real.Id2G2)) as tf.Tensor2D,
    IG2G2: tf.abs(own.mul(k3, real.IG2G2)) as tf.Tensor2D,
    IFG2: tf.abs(own.mul(own.mul(k3, ifg2), pBin)) as tf.Tensor2D,
  };
  if (f) {
    const rsd = fPowerQuadraticLoops(bias.basis, products, bias.rsd, f);
    for (const [name, v] of Object.entries(rsd)) out[`P_${name}`] = own.mul(k3, v) as tf.Tensor2D;
  }
  return out;
}
