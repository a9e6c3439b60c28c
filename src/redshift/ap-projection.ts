/**
 * The Alcock-Paczynski projection of CLASS-PT's redshift-space path (`nonlinear_pt_loop`, the
 * "ALCOCK-PACZYNSKI PROJECTION VIA GAUSS-LEGENDRE QUADRATURE" loops of the matter and bias parts):
 * for every FFTLog node k_j with Nside <= j < N - Nside and every Gauss-Legendre node mu_g,
 *
 *   q = sqrt(1/D^2 + (h_r^2 - 1/D^2) mu^2),  k_t = k_j q,  mu_t = mu h_r / q,
 *
 * every μ-power array is evaluated at k_t by the natural cubic spline in k over the FFTLog
 * nodes (`AP_SPLINE_SETUP` / `AP_BSEARCH_SETUP` / `AP_INTERP_FAST`), the integrand is built at
 * (k_t, mu_t), and the multipoles are P_l(k_j) = sum_g w_g V L_l(mu_g) (2l+1)/2 integrand,
 * with V = h_r / D^2 and the fiducial mu in L_l (trap T28). Nodes outside [Nside, N - Nside)
 * stay zero, as in CLASS-PT (trap T16), and remain knots of the output spline.
 *
 * Everything is a tensor expression in h_r, D, f and the arrays, so it is differentiable; the
 * spline bracket of each k_t is chosen on the host and is piecewise constant.
 */
import * as tf from '@tensorflow/tfjs-core';
import { gaussLegendre, legendreEven } from '../numerics/gauss-legendre';

/** CLASS-PT's quadrature: the 40-node Gauss-Legendre rule on [-1, 1] (`gauss_tab.dat`). */
export const AP_GAUSS_NODES = 40;

/** Per-batch geometry of the AP map, built once per call. */
export interface ApGeometry {
  batch: number;
  n: number;
  nSide: number;
  /** number of projected nodes J = N - 2 Nside */
  nj: number;
  /** number of Gauss-Legendre nodes G */
  ng: number;
  /** [B, J, G] true wavenumber k_t in 1/Mpc */
  kt: tf.Tensor3D;
  /** [B, J, G] mu_t^2 */
  mu2t: tf.Tensor3D;
  /** int32 [B, J*G]: spline bracket lower index for each k_t */
  lo: tf.Tensor2D;
  /** [B, J, G] spline weights (CLASS `array_interpolate_spline`) */
  wa: tf.Tensor3D;
  wb: tf.Tensor3D;
  wa3: tf.Tensor3D;
  wb3: tf.Tensor3D;
  /** [1, 1, G] per-node projection weights w_g (2l+1)/2 L_l(mu_g) for l = 0, 2, 4 */
  legendre: [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D];
  /** [B, 1, 1] volume factor h_r / D^2 */
  volume: tf.Tensor3D;
}

export interface ApInputs {
  /** FFTLog nodes per cosmology (1/Mpc), float64 */
  gridKMpc: Float64Array[];
  /** [B] AP ratios (1 when AP is off) */
  hratio: tf.Tensor1D;
  dratio: tf.Tensor1D;
  nSide: number;
}

/**
 * Builds the AP geometry. k_t, mu_t and the spline weights are tensor functions of hratio and
 * Dratio; the bracket indices come from the same formula in float64.
 */
export function apGeometry(inputs: ApInputs): ApGeometry {
  const { gridKMpc, nSide } = inputs;
  const B = gridKMpc.length;
  const n = gridKMpc[0].length;
  const nj = n - 2 * nSide;
  const rule = gaussLegendre(AP_GAUSS_NODES);
  const ng = rule.x.length;
  const hr = inputs.hratio.arraySync() as number[];
  const dr = inputs.dratio.arraySync() as number[];

  const lo = new Int32Array(B * nj * ng);
  const kLo = new Float32Array(B * nj * ng);
  const hStep = new Float32Array(B * nj * ng);
  const kNode = new Float32Array(B * nj);
  for (let b = 0; b < B; b++) {
    const k = gridKMpc[b];
    const invD2 = 1 / (dr[b] * dr[b]);
    for (let jj = 0; jj < nj; jj++) {
      const j = jj + nSide;
      kNode[b * nj + jj] = k[j];
      for (let g = 0; g < ng; g++) {
        const mu = rule.x[g];
        const kt = k[j] * Math.sqrt(invD2 + (hr[b] * hr[b] - invD2) * mu * mu);
        // CLASS-PT AP_BSEARCH_SETUP: inf with k[inf] <= kt < k[sup] (no range check, trap T25)
        let inf = 0;
        let sup = n - 1;
        while (sup - inf > 1) {
          const mid = (inf + sup) >> 1;
          if (kt < k[mid]) sup = mid;
          else inf = mid;
        }
        const idx = (b * nj + jj) * ng + g;
        lo[idx] = inf;
        kLo[idx] = k[inf];
        hStep[idx] = k[sup] - k[inf];
      }
    }
  }

  return tf.tidy(() => {
    const mu = tf.tensor3d(Float32Array.from(rule.x), [1, 1, ng]);
    const mu2 = tf.square(mu);
    const hr3 = tf.reshape(inputs.hratio, [B, 1, 1]);
    const invD2 = tf.reshape(tf.div(1, tf.square(inputs.dratio)), [B, 1, 1]);
    const q = tf.sqrt(tf.add(invD2, tf.mul(tf.sub(tf.square(hr3), invD2), mu2)));
    const kt = tf.mul(tf.tensor3d(kNode, [B, nj, 1]), q) as tf.Tensor3D;
    // [B, J, G] by a mul with ones: broadcastTo is a Tile, a generic kernel on wasm (measured
    // 1.6 ms at B = 1 and 77 ms at B = 32, against 0.07 and 0.2 ms for the mul)
    const mu2t = tf.mul(tf.div(tf.mul(mu2, tf.square(hr3)), tf.square(q)), tf.ones([1, nj, 1])) as tf.Tensor3D;
    const hT = tf.tensor3d(hStep, [B, nj, ng]);
    const wb = tf.div(tf.sub(kt, tf.tensor3d(kLo, [B, nj, ng])), hT) as tf.Tensor3D;
    const wa = tf.sub(1, wb) as tf.Tensor3D;
    const h26 = tf.div(tf.square(hT), 6);
    const cube = (x: tf.Tensor) => tf.mul(tf.mul(x, x), x); // (pow is slower on wasm)
    const wa3 = tf.mul(tf.sub(cube(wa), wa), h26) as tf.Tensor3D;
    const wb3 = tf.mul(tf.sub(cube(wb), wb), h26) as tf.Tensor3D;
    const legendre = [0, 2, 4].map((l) => {
      const w = new Float32Array(ng);
      for (let g = 0; g < ng; g++) {
        const m = rule.x[g];
        w[g] = rule.w[g] * legendreEven(l as 0 | 2 | 4, m) * ((2 * l + 1) / 2);
      }
      return tf.tensor3d(w, [1, 1, ng]);
    }) as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D];
    const volume = tf.reshape(tf.mul(inputs.hratio, tf.div(1, tf.square(inputs.dratio))), [B, 1, 1]) as tf.Tensor3D;
    return {
      batch: B, n, nSide, nj, ng,
      kt, mu2t,
      lo: tf.tensor2d(lo, [B, nj * ng], 'int32'),
      wa, wb, wa3, wb3, legendre, volume,
    };
  });
}

export function disposeApGeometry(geo: ApGeometry): void {
  tf.dispose([geo.kt, geo.mu2t, geo.lo, geo.wa, geo.wb, geo.wa3, geo.wb3, ...geo.legendre, geo.volume]);
}

/**
 * Evaluates arrays [B, C, N] on the FFTLog grid at every k_t: returns [B, C, J, G].
 * `secondDerivatives` [B, C, N] are the natural-spline second derivatives in k of the arrays.
 */
export function interpolateAtTrueK(
  geo: ApGeometry,
  arrays: tf.Tensor3D,
  secondDerivatives: tf.Tensor3D,
): tf.Tensor4D {
  return tf.tidy(() => {
    const { batch: B, nj, ng, nSide } = geo;
    const C = arrays.shape[1];
    // Select y[lo] as a sum over the few bracket offsets d = lo - j of shifted slices times 0/1
    // masks: only slice, mul and add, whose gradients every backend has (a gather's gradient
    // needs UnsortedSegmentSum, which the wasm backend lacks).
    const lo = geo.lo.dataSync();
    const offsets = new Map<number, Float32Array>();
    for (let b = 0; b < B; b++) {
      for (let jj = 0; jj < nj; jj++) {
        for (let g = 0; g < ng; g++) {
          const idx = (b * nj + jj) * ng + g;
          const d = lo[idx] - (jj + nSide);
          let mask = offsets.get(d);
          if (!mask) offsets.set(d, (mask = new Float32Array(B * nj * ng)));
          mask[idx] = 1;
        }
      }
    }
    const select = (t: tf.Tensor3D, shift: number) => {
      const terms: tf.Tensor[] = [];
      for (const [d, mask] of offsets) {
        const rows = tf.reshape(tf.slice(t, [0, 0, nSide + d + shift], [B, C, nj]), [B, C, nj, 1]);
        terms.push(tf.mul(rows, tf.tensor4d(mask, [B, 1, nj, ng])));
      }
      return terms.length === 1 ? terms[0] : tf.addN(terms);
    };
    const w = (t: tf.Tensor3D) => tf.reshape(t, [B, 1, nj, ng]);
    return tf.addN([
      tf.mul(w(geo.wa), select(arrays, 0)),
      tf.mul(w(geo.wb), select(arrays, 1)),
      tf.mul(w(geo.wa3), select(secondDerivatives, 0)),
      tf.mul(w(geo.wb3), select(secondDerivatives, 1)),
    ]) as tf.Tensor4D;
  });
}

/**
 * Projects an integrand [B, J, G] on multipole l (0, 2 or 4): sum_g w_g V L_l(mu_g)(2l+1)/2 x,
 * then pads the Nside end nodes with zeros: returns [B, N].
 */
export function projectMultipole(geo: ApGeometry, integrand: tf.Tensor, l: 0 | 2 | 4): tf.Tensor2D {
  return tf.tidy(() => {
    const weights = geo.legendre[l / 2];
    const summed = tf.sum(tf.mul(tf.mul(integrand, weights), geo.volume), 2) as tf.Tensor2D; // [B, J]
    return tf.pad(summed, [[0, 0], [geo.nSide, geo.nSide]]) as tf.Tensor2D;
  });
}

/**
 * CLASS-PT's anisotropic BAO damping scale at every (k_t, mu_t) (4480, 5318):
 * Sigma_tot = Sigma^2 (1 + f mu_t^2 (2 + f)) + f^2 mu_t^2 (mu_t^2 - 1) delta Sigma^2, [B, J, G].
 */
export function sigmaTotal(geo: ApGeometry, f: tf.Tensor1D, sigma2: tf.Tensor1D, deltaSigma2: tf.Tensor1D): tf.Tensor3D {
  const B = geo.batch;
  const f3 = tf.reshape(f, [B, 1, 1]);
  const mu2 = geo.mu2t;
  return tf.add(
    tf.mul(tf.reshape(sigma2, [B, 1, 1]), tf.add(1, tf.mul(tf.mul(f3, mu2), tf.add(2, f3)))),
    tf.mul(tf.mul(tf.square(f3), tf.mul(mu2, tf.sub(mu2, 1))), tf.reshape(deltaSigma2, [B, 1, 1])),
  ) as tf.Tensor3D;
}

/** exp(-Sigma_tot k_t^2) at every (k_t, mu_t), [B, J, G]. */
export function anisotropicBaoDamping(geo: ApGeometry, f: tf.Tensor1D, sigma2: tf.Tensor1D, deltaSigma2: tf.Tensor1D): tf.Tensor3D {
  return tf.exp(tf.neg(tf.mul(sigmaTotal(geo, f, sigma2, deltaSigma2), tf.square(geo.kt)))) as tf.Tensor3D;
}
