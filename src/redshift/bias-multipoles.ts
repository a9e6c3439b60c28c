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
import * as own from '../private-ops';
import { splitRows } from '../numerics/rows';
import { interpolateAtTrueK, padEndNodes, projectMultipoles, type ApGeometry } from './ap-projection';
import { apMoments, MOMENT_SETS, projectWithMomentSets, type AngularFactor, type HostMomentSets, type MomentInputs } from './ap-moments';

/** The linear channels, grouped by their angular factor phi(mu_t) = L_phi(mu_t). */
const LINEAR_CHANNELS: Record<AngularFactor, string[]> = {
  0: ['Id2d2', 'Id2G2', 'IG2G2', 'P_0_b1b2', 'P_0_b1bG2', 'P_0_b2', 'P_0_bG2'],
  2: ['P_2_b1b2', 'P_2_b1bG2', 'P_2_b2', 'P_2_bG2'],
  4: ['P_4_b2', 'P_4_bG2'],
};

/** The linear rows: classy's name -> the (channel, l) projections it sums. */
const LINEAR_ROWS: Record<string, [string, 0 | 2 | 4][]> = Object.fromEntries([
  ...['Id2d2', 'Id2G2', 'IG2G2'].flatMap((name) => [
    [name, [[name, 0]]], [`${name}_2`, [[name, 2]]], [`${name}_4`, [[name, 4]]],
  ]),
  ...[0, 2, 4].flatMap((l) => [
    [`${l}_b1b2`, [['P_0_b1b2', l], ['P_2_b1b2', l]]],
    [`${l}_b1bG2`, [['P_0_b1bG2', l], ['P_2_b1bG2', l]]],
    [`${l}_b2`, [['P_0_b2', l], ['P_2_b2', l], ['P_4_b2', l]]],
    [`${l}_bG2`, [['P_0_bG2', l], ['P_2_bG2', l], ['P_4_bG2', l]]],
  ]),
]);

export function projectBiasMultipoles(
  geo: ApGeometry,
  host: MomentInputs,
  arrays: Record<string, tf.Tensor2D>,
  secondDerivatives: (y: tf.Tensor3D) => tf.Tensor3D,
  f: tf.Tensor1D,
  damp: tf.Tensor3D,
  moments: { host: HostMomentSets; differentiable: boolean },
): Record<string, tf.Tensor2D> {
  return tf.tidy(() => {
    const { batch: B, n } = geo;
    // linear channels: moment form of the projection (./ap-moments), every channel with the
    // nine (l, phi) moment sets at once; each row then sums its channels' (l, phi_c) parts
    const phis = [0, 2, 4] as AngularFactor[];
    const channels = phis.flatMap((phi) => LINEAR_CHANNELS[phi].map((name) => ({ name, phi })));
    const y = tf.stack(channels.map(({ name }) => arrays[name]), 1) as tf.Tensor3D;
    const sets = MOMENT_SETS.map(([l, phi]) => apMoments(geo, host, moments.host, l, phi, moments.differentiable));
    const projected = projectWithMomentSets(geo, host.gridKMpc, y, secondDerivatives(y), sets); // [B, J, C, 9]
    const names = Object.keys(LINEAR_ROWS);
    const R = names.length;
    const K = channels.length * MOMENT_SETS.length;
    const weights = new Float32Array(K * R); // [(channel, set), row]
    names.forEach((row, r) => {
      for (const [name, l] of LINEAR_ROWS[row]) {
        const c = channels.findIndex((ch) => ch.name === name);
        const s = MOMENT_SETS.findIndex(([sl, sphi]) => sl === l && sphi === channels[c].phi);
        weights[(c * MOMENT_SETS.length + s) * R + r] = 1;
      }
    });
    const J = geo.nj;
    const combined = own.matMul(tf.reshape(projected, [B * J, K]), tf.tensor2d(weights, [K, R])); // [B J, rows]
    const rows = splitRows(padEndNodes(geo, tf.transpose(tf.reshape(combined, [B, J, R]), [2, 0, 1])));
    const out: Record<string, tf.Tensor2D> = Object.fromEntries(names.map((row, r) => [row, rows[r]]));

    // IFG2 carries p_lo = (P_nw + P_w e)/P_bin: pointwise form
    const stacked = tf.stack(['Pnw', 'Pw', 'Pbin', 'IFG2'].map((k) => arrays[k]), 1) as tf.Tensor3D;
    const at = interpolateAtTrueK(geo, stacked, secondDerivatives(stacked)); // [B, 4, J, G]
    const G = geo.ng;
    // channels by slices: wasm's Unpack calls the stock Slice, which copies the whole input per output
    const [pNw, pW, pBin, ifg2Grid] = [0, 1, 2, 3].map((c) => own.slice(at, [0, c, 0, 0], [B, 1, J, G]));
    const e = tf.reshape(damp, [B, 1, J, G]);
    const ifg2 = own.mul(tf.div(tf.add(pNw, own.mul(pW, e)), pBin), ifg2Grid);
    const ifg2f = own.mul(ifg2, tf.reshape(own.mul(tf.reshape(f, [B, 1, 1]), geo.mu2t), [B, 1, 1, G]));
    const projected2 = tf.reshape(projectMultipoles(geo, tf.concat([ifg2, ifg2f], 1) as tf.Tensor4D), [B, 6, n]);
    const ifg2Row = (i: number) => tf.reshape(own.slice(projected2, [0, i, 0], [B, 1, n]), [B, n]) as tf.Tensor2D;
    out.IFG2_0b1 = ifg2Row(0); // ifg2, l = 0
    out.IFG2_0 = ifg2Row(3); // ifg2 f mu_t^2, l = 0
    out.IFG2_2 = ifg2Row(4); // ifg2 f mu_t^2, l = 2
    return out;
  });
}

/**
 * classy's `get_pk_mult` signs for the bias rows (its offsets removed): these rows come back
 * negated (classy's `get_pk_mult`: -raw + offset), every other row as computed.
 */
export const NEGATED_ROWS = new Set([
  'Id2d2', 'IG2', 'Id2G2', 'IFG2', 'IFG2_0b1', 'IFG2_0', 'IFG2_2',
  '0_b1bG2', '0_bG2', '2_b1bG2', '2_bG2', '4_bG2',
]);
