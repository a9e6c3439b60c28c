/**
 * The AP projection of the bias-operator terms (CLASS-PT `nonlinear_pt_loop`, "Numerical
 * integration for bias tracers", 5251-5362), run for both IR settings. At each (k_t, mu_t):
 *
 *   L_l^t = L_l(mu_t);  p_lo = (P_nw + P_w e) / P_bin
 *   IFG2_in = p_lo IFG2;      Pb1b2_in = P_0_b1b2 + L_2^t P_2_b1b2   (b1bG2 likewise)
 *   Pb2_in  = P_0_b2 + L_2^t P_2_b2 + L_4^t P_4_b2                  (bG2 likewise)
 *   Id2d2, Id2G2, IG2G2: their isotropic values,
 *
 * projected with the fiducial L_l onto l = 0, 2, 4; IFG2_0 and IFG2_2 carry f mu_t^2.
 * Output names are classy's rows, before its signs (applied in ./bias-signs).
 */
import * as tf from '@tensorflow/tfjs-core';
import { interpolateAtTrueK, projectMultipole, type ApGeometry } from './ap-projection';

export function projectBiasMultipoles(
  geo: ApGeometry,
  arrays: Record<string, tf.Tensor2D>,
  secondDerivativeOps: tf.Tensor3D,
  f: tf.Tensor1D,
  sigma2: tf.Tensor1D,
  deltaSigma2: tf.Tensor1D,
): Record<string, tf.Tensor2D> {
  const names = Object.keys(arrays);
  const B = geo.batch;
  const stacked = tf.stack(names.map((k) => arrays[k]), 1) as tf.Tensor3D;
  const y2 = tf.matMul(stacked, secondDerivativeOps) as tf.Tensor3D;
  const atKt = interpolateAtTrueK(geo, stacked, y2);
  const [, , J, G] = atKt.shape;
  const at: Record<string, tf.Tensor3D> = {};
  names.forEach((name, c) => {
    at[name] = tf.reshape(tf.slice(atKt, [0, c, 0, 0], [B, 1, J, G]), [B, J, G]);
  });
  const f3 = tf.reshape(f, [B, 1, 1]);
  const mu2 = geo.mu2t;
  const mu4 = tf.square(mu2);
  const l2 = tf.div(tf.sub(tf.mul(mu2, 3), 1), 2);
  const l4 = tf.div(tf.add(tf.sub(tf.mul(mu4, 35), tf.mul(mu2, 30)), 3), 8);
  const kt2 = tf.square(geo.kt);
  const sigmaTot = tf.add(
    tf.mul(tf.reshape(sigma2, [B, 1, 1]), tf.add(1, tf.mul(tf.mul(f3, mu2), tf.add(2, f3)))),
    tf.mul(tf.mul(tf.square(f3), tf.mul(mu2, tf.sub(mu2, 1))), tf.reshape(deltaSigma2, [B, 1, 1])),
  );
  const damp = tf.exp(tf.neg(tf.mul(sigmaTot, kt2)));
  const pLo = tf.div(tf.add(at.Pnw, tf.mul(at.Pw, damp)), at.Pbin);
  const ifg2 = tf.mul(pLo, at.IFG2);
  const ifg2f = tf.mul(tf.mul(ifg2, f3), mu2);
  const b1b2 = tf.add(at.P_0_b1b2, tf.mul(l2, at.P_2_b1b2));
  const b1bG2 = tf.add(at.P_0_b1bG2, tf.mul(l2, at.P_2_b1bG2));
  const b2 = tf.addN([at.P_0_b2, tf.mul(l2, at.P_2_b2), tf.mul(l4, at.P_4_b2)]);
  const bG2 = tf.addN([at.P_0_bG2, tf.mul(l2, at.P_2_bG2), tf.mul(l4, at.P_4_bG2)]);
  const P = (x: tf.Tensor, l: 0 | 2 | 4) => projectMultipole(geo, x, l);
  return {
    IFG2_0b1: P(ifg2, 0),
    IFG2_0: P(ifg2f, 0),
    IFG2_2: P(ifg2f, 2),
    Id2d2: P(at.Id2d2, 0),
    Id2d2_2: P(at.Id2d2, 2),
    Id2d2_4: P(at.Id2d2, 4),
    Id2G2: P(at.Id2G2, 0),
    Id2G2_2: P(at.Id2G2, 2),
    Id2G2_4: P(at.Id2G2, 4),
    IG2G2: P(at.IG2G2, 0),
    IG2G2_2: P(at.IG2G2, 2),
    IG2G2_4: P(at.IG2G2, 4),
    '0_b1b2': P(b1b2, 0),
    '2_b1b2': P(b1b2, 2),
    '4_b1b2': P(b1b2, 4),
    '0_b1bG2': P(b1bG2, 0),
    '2_b1bG2': P(b1bG2, 2),
    '4_b1bG2': P(b1bG2, 4),
    '0_b2': P(b2, 0),
    '2_b2': P(b2, 2),
    '4_b2': P(b2, 4),
    '0_bG2': P(bG2, 0),
    '2_bG2': P(bG2, 2),
    '4_bG2': P(bG2, 4),
  };
}

/**
 * classy's `get_pk_mult` signs for the bias rows (its offsets removed): these rows come back
 * negated (§1a of the source map), every other row as computed.
 */
export const NEGATED_ROWS = new Set([
  'Id2d2', 'IG2', 'Id2G2', 'IFG2', 'IFG2_0b1', 'IFG2_0', 'IFG2_2',
  '0_b1bG2', '0_bG2', '2_b1bG2', '2_bG2', '4_bG2',
]);
