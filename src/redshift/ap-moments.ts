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
import { gaussLegendre } from '../numerics/gauss-legendre';
import { AP_GAUSS_NODES, interpolateAtTrueK, type ApGeometry } from './ap-projection';

/** The μ_t-dependent factor of a channel: 1, L_2(mu_t) or L_4(mu_t). */
export type AngularFactor = 0 | 2 | 4;

export interface MomentSet {
  /** [B, J, 5]: M0, M1, M2 (adjacent cells), M3 below, M3 above */
  moments: tf.Tensor3D;
  /** [B, J, G] pointwise weights of the far Gauss-Legendre nodes, or null if none */
  far: tf.Tensor3D | null;
}

export interface MomentInputs {
  gridKMpc: Float64Array[];
  hratio: number[];
  dratio: number[];
}

function legendre(l: number, x: number): number {
  return l === 0 ? 1 : l === 2 ? (3 * x * x - 1) / 2 : (35 * x ** 4 - 30 * x * x + 3) / 8;
}

/** The float64 host side of a moment set (see ./apMoments). */
export interface HostMoments {
  /** [B, J, 5] row-major: M0, M1, M2, M3 below, M3 above */
  m64: Float64Array;
  /** [B, J, G] weights of far nodes (zero for adjacent ones); empty when anyFar is false */
  far: Float64Array;
  anyFar: boolean;
  adjMask: Float32Array;
  loMask: Float32Array;
  upMask: Float32Array;
}

/** The nine (l, phi) pairs of the bias AP projection. */
export const MOMENT_SETS: readonly [0 | 2 | 4, AngularFactor][] = [0, 2, 4].flatMap((phi) =>
  [0, 2, 4].map((l) => [l, phi] as [0 | 2 | 4, AngularFactor]),
);

/** Every (l, phi) moment set of a batch from one host pass (the geometry is shared). */
export interface HostMomentSets {
  nj: number;
  ng: number;
  anyFar: boolean;
  adjMask: Float32Array;
  loMask: Float32Array;
  upMask: Float32Array;
  /** `${l},${phi}` -> sums and far weights */
  sets: Map<string, { m64: Float64Array; far: Float64Array }>;
  get(l: 0 | 2 | 4, phi: AngularFactor): HostMoments;
}

/**
 * Sums the moments in float64 for every requested (l, phi) in one pass over (k_j, mu_g): the
 * geometry (q, delta, brackets, mu_t) is computed once and shared; each sum is accumulated in
 * the same order and with the same products as a pass per set.
 */
export function hostApMomentSets(
  host: MomentInputs,
  nSide: number,
  wanted: readonly [0 | 2 | 4, AngularFactor][] = MOMENT_SETS,
): HostMomentSets {
  const B = host.gridKMpc.length;
  const n = host.gridKMpc[0].length;
  const nj = n - 2 * nSide;
  const rule = gaussLegendre(AP_GAUSS_NODES);
  const ng = rule.x.length;
  const adjMask = new Float32Array(B * nj * ng);
  const loMask = new Float32Array(B * nj * ng);
  const upMask = new Float32Array(B * nj * ng);
  const S = wanted.length;
  const m64s = wanted.map(() => new Float64Array(B * nj * 5));
  // far-node weights: allocated at the first far node (none for the usual small AP distortions)
  let fars: Float64Array[] = wanted.map(() => new Float64Array(0));
  // per node and set: w_g (2l+1)/2 L_l(mu_g) (times the volume per cosmology below), flat [g][s]
  const lw = new Float64Array(ng * S);
  rule.x.forEach((mu, g) => wanted.forEach(([l], s) => (lw[g * S + s] = ((2 * l + 1) / 2) * legendre(l, mu))));
  const phis = Int32Array.from(wanted, ([, phi]) => phi / 2);
  const lPhi = new Float64Array(3);
  const acc = new Float64Array(S * 5); // the sums of one (b, j), in node order
  let anyFar = false;
  for (let b = 0; b < B; b++) {
    const k = host.gridKMpc[b];
    const hr = host.hratio[b];
    const invD2 = 1 / (host.dratio[b] * host.dratio[b]);
    const volume = hr * invD2;
    for (let jj = 0; jj < nj; jj++) {
      const j = jj + nSide;
      const kj = k[j];
      const kUp = k[j + 1];
      const kLo = k[j - 1];
      acc.fill(0);
      for (let g = 0; g < ng; g++) {
        const mu = rule.x[g];
        const q2m1 = invD2 - 1 + (hr * hr - invD2) * mu * mu;
        const q = Math.sqrt(1 + q2m1);
        const delta = (kj * q2m1) / (q + 1); // k_j (q - 1)
        const kt = kj * q;
        const mu2t = (mu * mu * hr * hr) / (q * q); // L_2, L_4 of mu_t need mu_t^2 only
        lPhi[0] = 1;
        lPhi[1] = (3 * mu2t - 1) / 2;
        lPhi[2] = (35 * mu2t * mu2t - 30 * mu2t + 3) / 8;
        const idx = (b * nj + jj) * ng + g;
        // the bracket of AP_BSEARCH_SETUP, restricted to the neighbourhood of node j
        const upper = kt >= kj && kt < kUp;
        const lower = kt < kj && kt >= kLo;
        const wv = rule.w[g] * volume;
        if (upper || lower) {
          adjMask[idx] = 1;
          if (lower) loMask[idx] = 1;
          else upMask[idx] = 1;
          const d2 = delta * delta;
          const d3 = d2 * delta;
          const at3 = lower ? 3 : 4;
          for (let s = 0, o = 0; s < S; s++, o += 5) {
            const c = wv * lw[g * S + s] * lPhi[phis[s]];
            acc[o] += c;
            acc[o + 1] += c * delta;
            acc[o + 2] += c * d2;
            acc[o + at3] += c * d3;
          }
        } else {
          if (!anyFar) fars = wanted.map(() => new Float64Array(B * nj * ng));
          anyFar = true;
          for (let s = 0; s < S; s++) fars[s][idx] = wv * lw[g * S + s] * lPhi[phis[s]];
        }
      }
      const base = (b * nj + jj) * 5;
      for (let s = 0; s < S; s++) m64s[s].set(acc.subarray(5 * s, 5 * s + 5), base);
    }
  }
  const sets = new Map<string, { m64: Float64Array; far: Float64Array }>();
  wanted.forEach(([l, phi], s) => sets.set(`${l},${phi}`, { m64: m64s[s], far: fars[s] }));
  return {
    nj, ng, anyFar, adjMask, loMask, upMask, sets,
    get(l, phi) {
      const set = sets.get(`${l},${phi}`);
      if (!set) throw new Error(`internal: moment set (${l}, ${phi}) was not computed`);
      return { ...set, anyFar, adjMask, loMask, upMask };
    },
  };
}

/** Sums the moments in float64 for multipole l and angular factor phi. */
export function hostApMoments(host: MomentInputs, nSide: number, l: 0 | 2 | 4, phi: AngularFactor): HostMoments {
  return hostApMomentSets(host, nSide, [[l, phi]]).get(l, phi);
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
  const rule = gaussLegendre(AP_GAUSS_NODES);
  const built = tf.tidy(() => {
    // the same sums as float32 tensor expressions of hratio and Dratio (for gradients)
    const w = tf.tensor3d(Float32Array.from(rule.w), [1, 1, ng]);
    const kNode = tf.tensor3d(Float32Array.from(host.gridKMpc.flatMap((k) => Array.from(k.subarray(nSide, nSide + nj)))), [B, nj, 1]);
    const delta = tf.sub(geo.kt, kNode);
    const lMu = tf.tensor3d(Float32Array.from(rule.x, (x) => legendre(l, x) * ((2 * l + 1) / 2)), [1, 1, ng]);
    const mu2t = geo.mu2t;
    const phiT = phi === 0 ? tf.onesLike(mu2t) : phi === 2 ? tf.div(tf.sub(tf.mul(mu2t, 3), 1), 2) : tf.div(tf.add(tf.sub(tf.mul(tf.square(mu2t), 35), tf.mul(mu2t, 30)), 3), 8);
    const c = tf.mul(tf.mul(tf.mul(w, lMu), phiT), geo.volume);
    const adj = tf.tensor3d(adjMask, [B, nj, ng]);
    // delta^p by products (pow's gradient is NaN at delta = 0 for p = 0, e.g. AP ratios of 1)
    const powers = [tf.onesLike(delta), delta, tf.mul(delta, delta), tf.mul(tf.mul(delta, delta), delta)];
    const sumWith = (mask: tf.Tensor, power: number) => tf.sum(tf.mul(tf.mul(c, mask), powers[power]), 2);
    const m32 = tf.stack(
      [sumWith(adj, 0), sumWith(adj, 1), sumWith(adj, 2), sumWith(tf.tensor3d(loMask, [B, nj, ng]), 3), sumWith(tf.tensor3d(upMask, [B, nj, ng]), 3)],
      2,
    ) as tf.Tensor3D;
    const v32 = m32.dataSync();
    const corr = new Float32Array(v32.length);
    for (let i = 0; i < corr.length; i++) corr[i] = m64[i] - v32[i];
    const moments = tf.add(m32, tf.tensor3d(corr, [B, nj, 5])) as tf.Tensor3D;
    return anyFar ? { moments, far: tf.mul(c, tf.sub(1, adj)) as tf.Tensor3D } : { moments };
  }) as { moments: tf.Tensor3D; far?: tf.Tensor3D };
  return { moments: built.moments, far: built.far ?? null };
}

/**
 * Projects arrays y [B, C, N] (with natural-spline second derivatives y2 [B, C, N] in k over the
 * nodes gridKMpc) with L moment sets at once (the spline terms y_j, S'_j, y''_j/2, c3 below and
 * above are built once and shared): returns [B, J, C, L] on the projected nodes (the Nside end
 * nodes, zero in CLASS-PT, trap T16, are left to the caller). Laid out by node, the sum over the
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
    const at = (t: tf.Tensor3D, offset: number) => tf.slice(t, [0, nSide + offset, 0], [B, nj, C]);
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
    const slope = tf.sub(tf.div(tf.sub(at(yT, 1), yj), hUp), tf.mul(tf.div(hUp, 6), tf.add(tf.mul(y2j, 2), y2up)));
    const c3up = tf.div(tf.sub(y2up, y2j), tf.mul(hUp, 6));
    const c3lo = tf.div(tf.sub(y2j, y2lo), tf.mul(hLo, 6));
    // terms [B J, C, 5] x moments [B J, 5, L]; stacked on the leading axis and transposed (a
    // stack on the innermost axis is a concat of one-element runs, a slow JS loop on wasm)
    const innermost = (parts: tf.Tensor[]) => tf.transpose(tf.reshape(tf.stack(parts), [parts.length, -1]));
    const terms = tf.reshape(innermost([yj, slope, tf.div(y2j, 2), c3lo, c3up]), [B * nj, C, 5]) as tf.Tensor3D;
    const moments = tf.reshape(innermost(sets.map((s) => s.moments)), [B * nj, 5, L]) as tf.Tensor3D;
    let out = tf.matMul(terms, moments); // [B J, C, L]
    if (sets.some((s) => s.far)) {
      // far nodes pointwise: sum_g y(k_t) far_g for every (channel, set), one matMul per (b, j)
      const pointwise = tf.transpose(interpolateAtTrueK(geo, y, y2), [0, 2, 1, 3]); // [B, J, C, G]
      const far = tf.transpose(tf.reshape(tf.stack(sets.map((s) => s.far ?? tf.zeros([B, nj, G]))), [L, B * nj, G]), [1, 0, 2]); // [B J, L, G]
      out = tf.add(out, tf.matMul(tf.reshape(pointwise, [B * nj, C, G]), far as tf.Tensor3D, false, true));
    }
    return tf.reshape(out, [B, nj, C, L]) as tf.Tensor4D;
  });
}
