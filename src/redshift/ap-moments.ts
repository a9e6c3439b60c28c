/**
 * A precise form of the AP projection for terms that are linear in the arrays (the bias-operator
 * multipoles of CLASS-PT's bias AP loop). Their l = 2, 4 parts are pure AP effects, often 1e-3
 * to 1e-7 of the monopole, so the pointwise float32 sum over Gauss-Legendre nodes of
 * ./ap-projection.ts loses them in rounding.
 *
 * Same mathematics, reordered: every k_t = k_j q lies in a cell of the natural cubic spline; on
 * the two cells next to the node k_j that spline is, exactly,
 *   S(k_j + delta) = y_j + S'_j delta + (y''_j / 2) delta^2 + c3_{lo|up} delta^3,
 * with delta = k_j (q - 1), S'_j and y''_j shared by both cells (continuity of a C^2 spline) and
 * c3 = (y''_{j+1} - y''_j)/(6 h_j) above, (y''_j - y''_{j-1})/(6 h_{j-1}) below. So
 *   P_l(k_j) = y_j M0 + S'_j M1 + (y''_j/2) M2 + c3_lo M3lo + c3_up M3up + (far cells, pointwise),
 * with moments M_n = sum_g w_g V (2l+1)/2 L_l(mu_g) phi(mu_t) delta_g^n that the host sums in
 * float64 (sum_g w_g L_l(mu_g) = 0 for l > 0 is then exact to 1e-16). Nodes whose k_t falls
 * further away (AP distortions larger than one cell) are interpolated pointwise as before.
 *
 * Gradients: each moment is the float32 tensor expression of the same sum (differentiable in
 * hratio and Dratio) plus a constant correction to the float64 value.
 */
import * as tf from '@tensorflow/tfjs-core';
import { readSync } from '../readback';
import * as own from '../private-ops';
import { apGaussRule, legendreEven } from '../numerics/gauss-legendre';
import { interpolateAtTrueK, type ApGeometry } from './ap-projection';
import type { AngularFactor, HostMomentSets, MomentInputs } from './ap-moments-host';

export {
  concatMomentSets, hostApMoments, hostApMomentSets, MOMENT_SETS,
  type AngularFactor, type HostMoments, type HostMomentSets, type MomentInputs,
} from './ap-moments-host';

export interface MomentSet {
  /** [B, J, 5]: M0, M1, M2 (adjacent cells), M3 below, M3 above */
  moments: tf.Tensor3D;
  /** [B, J, G] pointwise weights of the far Gauss-Legendre nodes, or null if none */
  far: tf.Tensor3D | null;
}

/**
 * Builds the moment sets for multipole l of channels with angular factor phi, from the host
 * sums. With `differentiable` (hratio or Dratio are tensors a gradient may flow to), the moments
 * are the float32 tensor expressions of the same sums (differentiable in hratio and Dratio) plus
 * a constant correction to the float64 values; otherwise they are the float64 sums uploaded
 * (no tensor twin, no read-back).
 */
export function apMoments(
  geo: ApGeometry,
  host: MomentInputs,
  hostSets: HostMomentSets,
  l: 0 | 2 | 4,
  phi: AngularFactor,
  differentiable = true,
): MomentSet {
  const { batch: B, nj, ng, nSide } = geo;
  const { m64, far: far64, anyFar, adjMask, loMask, upMask } = hostSets.get(l, phi);
  if (!differentiable) {
    return {
      moments: tf.tensor3d(Float32Array.from(m64), [B, nj, 5]),
      far: anyFar ? tf.tensor3d(Float32Array.from(far64), [B, nj, ng]) : null,
    };
  }
  const rule = apGaussRule();
  const built = tf.tidy(() => {
    // the same sums as float32 tensor expressions of hratio and Dratio (for gradients)
    const w = tf.tensor3d(Float32Array.from(rule.w), [1, 1, ng]);
    const kNode = tf.tensor3d(Float32Array.from(host.gridKMpc.flatMap((k) => Array.from(k.subarray(nSide, nSide + nj)))), [B, nj, 1]);
    const delta = tf.sub(geo.kt, kNode);
    const lMu = tf.tensor3d(Float32Array.from(rule.x, (x) => legendreEven(l, x) * ((2 * l + 1) / 2)), [1, 1, ng]);
    const mu2t = geo.mu2t;
    const phiT = phi === 0 ? tf.onesLike(mu2t) : phi === 2 ? tf.div(tf.sub(own.mul(mu2t, 3), 1), 2) : tf.div(tf.add(tf.sub(own.mul(tf.square(mu2t), 35), own.mul(mu2t, 30)), 3), 8);
    const c = own.mul(own.mul(own.mul(w, lMu), phiT), geo.volume);
    const adj = tf.tensor3d(adjMask, [B, nj, ng]);
    // delta^p by products (pow's gradient is NaN at delta = 0 for p = 0, e.g. AP ratios of 1)
    const powers = [tf.onesLike(delta), delta, own.mul(delta, delta), own.mul(own.mul(delta, delta), delta)];
    const sumWith = (mask: tf.Tensor, power: number) => tf.sum(own.mul(own.mul(c, mask), powers[power]), 2);
    const m32 = tf.stack(
      [sumWith(adj, 0), sumWith(adj, 1), sumWith(adj, 2), sumWith(tf.tensor3d(loMask, [B, nj, ng]), 3), sumWith(tf.tensor3d(upMask, [B, nj, ng]), 3)],
      2,
    ) as tf.Tensor3D;
    const v32 = readSync(m32, 'AP moments (float32 twin)');
    const corr = new Float32Array(v32.length);
    for (let i = 0; i < corr.length; i++) corr[i] = m64[i] - v32[i];
    const moments = tf.add(m32, tf.tensor3d(corr, [B, nj, 5])) as tf.Tensor3D;
    return anyFar ? { moments, far: own.mul(c, tf.sub(1, adj)) as tf.Tensor3D } : { moments };
  }) as { moments: tf.Tensor3D; far?: tf.Tensor3D };
  return { moments: built.moments, far: built.far ?? null };
}

/**
 * Projects arrays y [B, C, N] (with natural-spline second derivatives y2 [B, C, N] in k over the
 * nodes gridKMpc) with L moment sets at once (the spline terms y_j, S'_j, y''_j/2, c3 below and
 * above are built once and shared): returns [B, J, C, L] on the projected nodes (the Nside end
 * nodes, zero in CLASS-PT's AP loops, are left to the caller). Laid out by node, the sum over the
 * five terms is one batched matMul [C, 5] x [5, L] per (b, j).
 */
export function projectWithMomentSets(
  geo: ApGeometry,
  gridKMpc: Float64Array[],
  y: tf.Tensor3D,
  y2: tf.Tensor3D,
  sets: MomentSet[],
): tf.Tensor4D {
  return tf.tidy(() => {
    const { batch: B, nj, nSide, ng: G } = geo;
    const C = y.shape[1];
    const L = sets.length;
    const yT = tf.transpose(y, [0, 2, 1]); // [B, N, C]
    const y2T = tf.transpose(y2, [0, 2, 1]);
    const at = (t: tf.Tensor3D, offset: number) => own.slice(t, [0, nSide + offset, 0], [B, nj, C]);
    const step = (offset: number) =>
      tf.tensor3d(
        Float32Array.from(gridKMpc.flatMap((k) => Array.from({ length: nj }, (_, jj) => k[nSide + jj + offset + 1] - k[nSide + jj + offset]))),
        [B, nj, 1],
      );
    const hUp = step(0); // h_j
    const hLo = step(-1); // h_{j-1}
    const yj = at(yT, 0);
    const y2j = at(y2T, 0);
    const y2up = at(y2T, 1);
    const y2lo = at(y2T, -1);
    // S'(k_j) from the upper cell; c3 on each side
    const slope = tf.sub(tf.div(tf.sub(at(yT, 1), yj), hUp), own.mul(tf.div(hUp, 6), tf.add(own.mul(y2j, 2), y2up)));
    const c3up = tf.div(tf.sub(y2up, y2j), own.mul(hUp, 6));
    const c3lo = tf.div(tf.sub(y2j, y2lo), own.mul(hLo, 6));
    // terms [B J, C, 5] x moments [B J, 5, L]; stacked on the leading axis and transposed (a
    // stack on the innermost axis is a concat of one-element runs, a slow JS loop on wasm)
    const innermost = (parts: tf.Tensor[]) => tf.transpose(tf.reshape(tf.stack(parts), [parts.length, -1]));
    const terms = tf.reshape(innermost([yj, slope, tf.div(y2j, 2), c3lo, c3up]), [B * nj, C, 5]) as tf.Tensor3D;
    const moments = tf.reshape(innermost(sets.map((s) => s.moments)), [B * nj, 5, L]) as tf.Tensor3D;
    let out = own.matMul(terms, moments); // [B J, C, L]
    if (sets.some((s) => s.far)) {
      // far nodes pointwise: sum_g y(k_t) far_g for every (channel, set), one matMul per (b, j)
      const pointwise = tf.transpose(interpolateAtTrueK(geo, y, y2), [0, 2, 1, 3]); // [B, J, C, G]
      const far = tf.transpose(tf.reshape(tf.stack(sets.map((s) => s.far ?? tf.zeros([B, nj, G]))), [L, B * nj, G]), [1, 0, 2]); // [B J, L, G]
      out = tf.add(out, own.matMul(tf.reshape(pointwise, [B * nj, C, G]), far as tf.Tensor3D, false, true));
    }
    return tf.reshape(out, [B, nj, C, L]) as tf.Tensor4D;
  });
}
