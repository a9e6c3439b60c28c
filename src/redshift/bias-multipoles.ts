/**
 * The AP projection of the bias-operator terms (CLASS-PT `nonlinear_pt_loop`, "Numerical
 * integration for bias tracers", 5251-5362), run for both IR settings. At each (k_t, mu_t):
 *
 *   L_l^t = L_l(mu_t);  p_lo = (P_nw + P_w e) / P_bin
 *   IFG2_in = p_lo IFG2;      Pb1b2_in = P_0_b1b2 + L_2^t P_2_b1b2   (b1bG2 likewise)
 *   Pb2_in  = P_0_b2 + L_2^t P_2_b2 + L_4^t P_4_b2                  (bG2 likewise)
 *   Id2d2, Id2G2, IG2G2: their isotropic values,
 *
 * projected with the fiducial L_l onto l = 0, 2, 4; IFG2_0 and IFG2_2 carry f mu_t^2. The terms
 * linear in the arrays use the moment form of ./ap-moments (their l = 2, 4 parts are pure AP
 * effects and need it); IFG2 uses the pointwise form.
 * Output names are classy's rows, before its signs (applied in ./bias-signs).
 */
import * as tf from '@tensorflow/tfjs-core';
import { anisotropicBaoDamping, interpolateAtTrueK, projectMultipole, type ApGeometry } from './ap-projection';
import { apMoments, projectWithMomentSets, type AngularFactor, type HostMomentSets, type MomentInputs } from './ap-moments';

/** The linear channels, grouped by their angular factor phi(mu_t) = L_phi(mu_t). */
const LINEAR_CHANNELS: Record<AngularFactor, string[]> = {
  0: ['Id2d2', 'Id2G2', 'IG2G2', 'P_0_b1b2', 'P_0_b1bG2', 'P_0_b2', 'P_0_bG2'],
  2: ['P_2_b1b2', 'P_2_b1bG2', 'P_2_b2', 'P_2_bG2'],
  4: ['P_4_b2', 'P_4_bG2'],
};

export function projectBiasMultipoles(
  geo: ApGeometry,
  host: MomentInputs,
  arrays: Record<string, tf.Tensor2D>,
  secondDerivatives: (y: tf.Tensor3D) => tf.Tensor3D,
  f: tf.Tensor1D,
  sigma2: tf.Tensor1D,
  deltaSigma2: tf.Tensor1D,
  moments: { host: HostMomentSets; differentiable: boolean },
): Record<string, tf.Tensor2D> {
  const B = geo.batch;
  const n = geo.n;
  // linear channels: moment form of the projection (./ap-moments), l = 0, 2, 4 at once
  const linear: Record<string, tf.Tensor2D> = {}; // `${name}@${l}`
  const ls = [0, 2, 4] as const;
  for (const phi of [0, 2, 4] as AngularFactor[]) {
    const names = LINEAR_CHANNELS[phi];
    const y = tf.stack(names.map((k) => arrays[k]), 1) as tf.Tensor3D;
    const y2 = secondDerivatives(y);
    const sets = ls.map((l) => apMoments(geo, host, moments.host, l, phi, moments.differentiable));
    const projected = projectWithMomentSets(geo, host.gridKMpc, y, y2, sets); // [B, C, 3, N]
    names.forEach((name, c) => {
      ls.forEach((l, li) => {
        linear[`${name}@${l}`] = tf.reshape(tf.slice(projected, [0, c, li, 0], [B, 1, 1, n]), [B, n]);
      });
    });
  }
  const L = (name: string, l: 0 | 2 | 4) => linear[`${name}@${l}`];
  const sum3 = (a: string, b: string, c: string | null, l: 0 | 2 | 4) =>
    (c ? tf.addN([L(a, l), L(b, l), L(c, l)]) : tf.add(L(a, l), L(b, l))) as tf.Tensor2D;

  // IFG2 carries p_lo = (P_nw + P_w e)/P_bin: pointwise form
  const stacked = tf.stack(['Pnw', 'Pw', 'Pbin', 'IFG2'].map((k) => arrays[k]), 1) as tf.Tensor3D;
  const atKt = interpolateAtTrueK(geo, stacked, secondDerivatives(stacked));
  const [, , J, G] = atKt.shape;
  const at = (c: number) => tf.reshape(tf.slice(atKt, [0, c, 0, 0], [B, 1, J, G]), [B, J, G]);
  const f3 = tf.reshape(f, [B, 1, 1]);
  const mu2 = geo.mu2t;
  const damp = anisotropicBaoDamping(geo, f, sigma2, deltaSigma2);
  const pLo = tf.div(tf.add(at(0), tf.mul(at(1), damp)), at(2));
  const ifg2 = tf.mul(pLo, at(3));
  const ifg2f = tf.mul(tf.mul(ifg2, f3), mu2);
  return {
    IFG2_0b1: projectMultipole(geo, ifg2, 0),
    IFG2_0: projectMultipole(geo, ifg2f, 0),
    IFG2_2: projectMultipole(geo, ifg2f, 2),
    Id2d2: L('Id2d2', 0),
    Id2d2_2: L('Id2d2', 2),
    Id2d2_4: L('Id2d2', 4),
    Id2G2: L('Id2G2', 0),
    Id2G2_2: L('Id2G2', 2),
    Id2G2_4: L('Id2G2', 4),
    IG2G2: L('IG2G2', 0),
    IG2G2_2: L('IG2G2', 2),
    IG2G2_4: L('IG2G2', 4),
    '0_b1b2': sum3('P_0_b1b2', 'P_2_b1b2', null, 0),
    '2_b1b2': sum3('P_0_b1b2', 'P_2_b1b2', null, 2),
    '4_b1b2': sum3('P_0_b1b2', 'P_2_b1b2', null, 4),
    '0_b1bG2': sum3('P_0_b1bG2', 'P_2_b1bG2', null, 0),
    '2_b1bG2': sum3('P_0_b1bG2', 'P_2_b1bG2', null, 2),
    '4_b1bG2': sum3('P_0_b1bG2', 'P_2_b1bG2', null, 4),
    '0_b2': sum3('P_0_b2', 'P_2_b2', 'P_4_b2', 0),
    '2_b2': sum3('P_0_b2', 'P_2_b2', 'P_4_b2', 2),
    '4_b2': sum3('P_0_b2', 'P_2_b2', 'P_4_b2', 4),
    '0_bG2': sum3('P_0_bG2', 'P_2_bG2', 'P_4_bG2', 0),
    '2_bG2': sum3('P_0_bG2', 'P_2_bG2', 'P_4_bG2', 2),
    '4_bG2': sum3('P_0_bG2', 'P_2_bG2', 'P_4_bG2', 4),
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
