/**
 * The AP projections of the fNL terms in redshift space (CLASS-PT `nonlinear_pt_loop`: the RSD
 * Gauss-Legendre loop 4365-4564 and the bias loop 5251-5362, parts under `has_fNL`). At each
 * (k_t, mu_t), with e = exp(-Sigma_tot(mu_t) k_t^2):
 *
 * matter, IR on:  P12ratio = 1 + (T_w / T_nw)(k_t) e, and every μ-power block is
 *   P12_mu(k_t) P12ratio + P12w_mu(k_t) e;
 *   vv = mu4_vv mu_t^4 + mu6_vv mu_t^6,  dd = mu0_dd + mu2_dd mu_t^2,  vd = mu2_vd mu_t^2 + mu4_vd mu_t^4
 * bias (both IR settings): t_lo = (T_nw + T_w e) / T_bin at k_t, and
 *   b1b2: 3 t_lo Lb2,   b2: f t_lo Lb2 (1 + 2 L_2(mu_t)),   b1bG2, bG2 likewise with LbG2
 *
 * all multiplied by w_g V and projected with the fiducial L_l onto l = 0, 2, 4.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as own from '../private-ops';
import { interpolateAtTrueK, projectMultipole, type ApGeometry } from './ap-projection';
import { FNL_TEMPLATES } from '../loops/fnl-loops';

type Arrays = Record<string, tf.Tensor2D>;

/** Evaluates named grid arrays at every k_t: name -> [B, J, G]. */
function atTrueK(geo: ApGeometry, arrays: Arrays, names: string[], secondDerivatives: (y: tf.Tensor3D) => tf.Tensor3D) {
  const stacked = tf.stack(names.map((k) => arrays[k]), 1) as tf.Tensor3D;
  const values = interpolateAtTrueK(geo, stacked, secondDerivatives(stacked));
  const parts = tf.unstack(values, 1) as tf.Tensor3D[];
  return Object.fromEntries(names.map((name, c) => [name, parts[c]])) as Record<string, tf.Tensor3D>;
}

const MU_POWERS = ['mu0_dd', 'mu2_vd', 'mu2_dd', 'mu4_vv', 'mu4_vd', 'mu6_vv'];

/** IR on: rows `${prefix}_{0,2,4}_{vv,vd,dd}` on the grid (zero outside the AP nodes). */
export function projectFnlMatterMultipoles(
  geo: ApGeometry,
  arrays: Arrays,
  transfer: { tNoWiggle: tf.Tensor2D; tWiggle: tf.Tensor2D },
  secondDerivatives: (y: tf.Tensor3D) => tf.Tensor3D,
  damp: tf.Tensor3D,
): Arrays {
  const names = FNL_TEMPLATES.flatMap(({ prefix }) => MU_POWERS.flatMap((mu) => [`${prefix}:P12_${mu}`, `${prefix}:P12w_${mu}`]));
  const at = atTrueK(geo, { ...arrays, Tnw: transfer.tNoWiggle, Tw: transfer.tWiggle }, ['Tnw', 'Tw', ...names], secondDerivatives);
  const ratio = tf.add(1, own.mul(tf.div(at.Tw, at.Tnw), damp)); // P12ratio
  const mu2 = geo.mu2t;
  const mu4 = tf.square(mu2);
  const mu6 = own.mul(mu4, mu2);
  const out: Arrays = {};
  for (const { prefix } of FNL_TEMPLATES) {
    const block = (mu: string) => tf.add(own.mul(at[`${prefix}:P12_${mu}`], ratio), own.mul(at[`${prefix}:P12w_${mu}`], damp));
    const channels: Record<string, tf.Tensor> = {
      vv: tf.add(own.mul(block('mu4_vv'), mu4), own.mul(block('mu6_vv'), mu6)),
      vd: tf.add(own.mul(block('mu2_vd'), mu2), own.mul(block('mu4_vd'), mu4)),
      dd: tf.add(block('mu0_dd'), own.mul(block('mu2_dd'), mu2)),
    };
    for (const l of [0, 2, 4] as const) {
      for (const ch of ['vv', 'vd', 'dd']) out[`${prefix}_${l}_${ch}`] = projectMultipole(geo, channels[ch], l);
    }
  }
  return out;
}

/** Rows `${prefix}_12_{0,2,4}_{b1b2,b2,b1bG2,bG2}` on the grid (zero outside the AP nodes). */
export function projectFnlBiasMultipoles(
  geo: ApGeometry,
  arrays: Arrays,
  transfer: { tNoWiggle: tf.Tensor2D; tWiggle: tf.Tensor2D; tBin: tf.Tensor2D },
  secondDerivatives: (y: tf.Tensor3D) => tf.Tensor3D,
  f: tf.Tensor1D,
  damp: tf.Tensor3D,
): Arrays {
  const B = geo.batch;
  const names = FNL_TEMPLATES.flatMap(({ prefix }) => [`${prefix}:Lb2`, `${prefix}:LbG2`]);
  const at = atTrueK(
    geo,
    { ...arrays, Tnw: transfer.tNoWiggle, Tw: transfer.tWiggle, Tbin: transfer.tBin },
    ['Tnw', 'Tw', 'Tbin', ...names],
    secondDerivatives,
  );
  const tLo = tf.div(tf.add(at.Tnw, own.mul(at.Tw, damp)), at.Tbin);
  const f3 = tf.reshape(f, [B, 1, 1]);
  // f (1 + 2 L_2(mu_t)) = 3 f mu_t^2
  const angular = own.mul(own.mul(geo.mu2t, 3), f3);
  const out: Arrays = {};
  for (const { prefix } of FNL_TEMPLATES) {
    const lb2 = own.mul(tLo, at[`${prefix}:Lb2`]);
    const lbG2 = own.mul(tLo, at[`${prefix}:LbG2`]);
    const channels: Record<string, tf.Tensor> = {
      b1b2: own.mul(lb2, 3),
      b2: own.mul(lb2, angular),
      b1bG2: own.mul(lbG2, 3),
      bG2: own.mul(lbG2, angular),
    };
    for (const l of [0, 2, 4] as const) {
      for (const ch of ['b1b2', 'b2', 'b1bG2', 'bG2']) out[`${prefix}_12_${l}_${ch}`] = projectMultipole(geo, channels[ch], l);
    }
  }
  return out;
}
