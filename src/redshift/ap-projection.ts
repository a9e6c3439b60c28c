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
 * with V = h_r / D^2 and the fiducial mu in L_l (`LEGENDRE_PROJECT`). Nodes outside [Nside, N - Nside)
 * stay zero, as in CLASS-PT's AP loops, and remain knots of the output spline.
 *
 * Everything is a tensor expression in h_r, D, f and the arrays, so it is differentiable; the
 * spline bracket of each k_t is chosen on the host and is piecewise constant.
 */
import * as tf from '@tensorflow/tfjs-core';
import { readSync } from '../readback';
import * as own from '../private-ops';
import { hasQuadraticFormsKernel, LEGENDRE_SUMS } from '../wasm-kernels';
import { apGaussRule, legendreEven } from '../numerics/gauss-legendre';

export { AP_GAUSS_NODES } from '../numerics/gauss-legendre';

/**
 * The natural-spline weights of every k_t gathered by the FFTLog node they multiply: k_t's
 * bracket is [k_{j+d}, k_{j+d+1}] (d = lo - j), so y at node j + s enters with weight
 * wa [d = s] + wb [d + 1 = s] and y'' with wa3 [d = s] + wb3 [d + 1 = s].
 */
export interface ShiftWeights {
  /** node offset s from the projected node j */
  shift: number;
  /** [B, 1, J, G] weight of y[j + s] and of y''[j + s] */
  y: tf.Tensor4D;
  y2: tf.Tensor4D;
}

/** Per-batch geometry of the AP map, built once per call. */
export interface ApGeometry {
  batch: number;
  n: number;
  nSide: number;
  /** number of projected nodes J = N - 2 Nside */
  nj: number;
  /** number of Gauss-Legendre nodes G */
  ng: number;
  /** [B, J, G] true wavenumber k_t in 1/Mpc at the host h (for the spline weights) */
  kt: tf.Tensor3D;
  /**
   * [B, J, G] k_t^2 in 1/Mpc^2 as the physics uses it (damping exponents, counterterms): with h a
   * tensor the nodes move as h and this carries (h / h_host)^2 (value 1); the spline weights are
   * ratios of k and do not
   */
  kt2: tf.Tensor3D;
  /** [B, 1, G] mu_t^2 (it depends on the Gauss-Legendre node and the cosmology only) */
  mu2t: tf.Tensor3D;
  /** the spline weights of k_t by node offset (see ShiftWeights) */
  shifts: ShiftWeights[];
  /** [G, 3] projection weights w_g (2l+1)/2 L_l(mu_g), columns l = 0, 2, 4 (float64) */
  legendre: Float64Array;
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
  /** h / h_host per cosmology (value 1) when h is a tensor (../input/linear-stage-op.ts) */
  gridScale?: tf.Tensor1D;
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
  const rule = apGaussRule();
  const ng = rule.x.length;
  const hr = Array.from(readSync(inputs.hratio, 'AP geometry: hratio'));
  const dr = Array.from(readSync(inputs.dratio, 'AP geometry: Dratio'));

  const size = B * nj * ng;
  const kLo = new Float32Array(size);
  const hStep = new Float32Array(size);
  const kNode = new Float32Array(B * nj);
  // 0/1 masks per node shift s: "k_t's bracket starts at j + s" (a) and "ends at j + s" (b)
  const masks = new Map<number, { a: Float32Array; b: Float32Array }>();
  const maskOf = (s: number) => {
    let m = masks.get(s);
    if (!m) masks.set(s, (m = { a: new Float32Array(size), b: new Float32Array(size) }));
    return m;
  };
  for (let b = 0; b < B; b++) {
    const k = gridKMpc[b];
    const invD2 = 1 / (dr[b] * dr[b]);
    for (let jj = 0; jj < nj; jj++) {
      const j = jj + nSide;
      kNode[b * nj + jj] = k[j];
      for (let g = 0; g < ng; g++) {
        const mu = rule.x[g];
        const kt = k[j] * Math.sqrt(invD2 + (hr[b] * hr[b] - invD2) * mu * mu);
        // CLASS-PT AP_BSEARCH_SETUP: inf with k[inf] <= kt < k[inf + 1], inf in [0, n - 2] (no
        // range check); walked from node j, where k_t lies for small AP distortions
        let inf = j;
        while (inf > 0 && kt < k[inf]) inf--;
        while (inf < n - 2 && kt >= k[inf + 1]) inf++;
        const idx = (b * nj + jj) * ng + g;
        kLo[idx] = k[inf];
        hStep[idx] = k[inf + 1] - k[inf];
        maskOf(inf - j).a[idx] = 1;
        maskOf(inf - j + 1).b[idx] = 1;
      }
    }
  }
  const shiftMasks = [...masks].sort(([s1], [s2]) => s1 - s2).map(([shift, m]) => ({ shift, ...m }));
  const lw = new Float64Array(ng * 3);
  for (let g = 0; g < ng; g++) {
    [0, 2, 4].forEach((l, li) => (lw[g * 3 + li] = rule.w[g] * legendreEven(l as 0 | 2 | 4, rule.x[g]) * ((2 * l + 1) / 2)));
  }

  const tensors = tf.tidy(() => {
    const mu2 = tf.tensor3d(Float32Array.from(rule.x, (x) => x * x), [1, 1, ng]);
    const hr3 = tf.reshape(inputs.hratio, [B, 1, 1]);
    const invD2 = tf.reshape(tf.div(1, tf.square(inputs.dratio)), [B, 1, 1]);
    const q2 = tf.add(invD2, own.mul(tf.sub(tf.square(hr3), invD2), mu2)); // [B, 1, G]
    const kt = own.mul(tf.tensor3d(kNode, [B, nj, 1]), tf.sqrt(q2)) as tf.Tensor3D;
    const mu2t = tf.div(own.mul(mu2, tf.square(hr3)), q2) as tf.Tensor3D;
    const hT = tf.tensor3d(hStep, [B, nj, ng]);
    const wb = tf.div(tf.sub(kt, tf.tensor3d(kLo, [B, nj, ng])), hT);
    const wa = tf.sub(1, wb);
    const h26 = tf.div(tf.square(hT), 6);
    const cube = (x: tf.Tensor) => own.mul(own.mul(x, x), x); // (pow is slower on wasm)
    const wa3 = own.mul(tf.sub(cube(wa), wa), h26);
    const wb3 = own.mul(tf.sub(cube(wb), wb), h26);
    const shape4: [number, number, number, number] = [B, 1, nj, ng];
    const select = (x: tf.Tensor, mask: Float32Array) => own.mul(x, tf.tensor3d(mask, [B, nj, ng]));
    const shifts = shiftMasks.map(({ shift, a, b }) => ({
      shift,
      y: tf.reshape(tf.add(select(wa, a), select(wb, b)), shape4) as tf.Tensor4D,
      y2: tf.reshape(tf.add(select(wa3, a), select(wb3, b)), shape4) as tf.Tensor4D,
    }));
    const volume = tf.reshape(own.mul(inputs.hratio, tf.div(1, tf.square(inputs.dratio))), [B, 1, 1]) as tf.Tensor3D;
    const kt2 = (inputs.gridScale ? own.mul(tf.square(kt), tf.reshape(tf.square(inputs.gridScale), [B, 1, 1])) : tf.square(kt)) as tf.Tensor3D;
    return { kt, kt2, mu2t, shifts, volume };
  });
  return { batch: B, n, nSide, nj, ng, ...tensors, legendre: lw };
}

export function disposeApGeometry(geo: ApGeometry): void {
  tf.dispose([geo.kt, geo.kt2, geo.mu2t, ...geo.shifts.flatMap((s) => [s.y, s.y2]), geo.volume]);
}

/**
 * Evaluates arrays [B, C, N] on the FFTLog grid at every k_t (CLASS-PT `AP_INTERP_FAST`):
 * returns [B, C, J, G]. `secondDerivatives` [B, C, N] are the natural-spline second derivatives
 * in k of the arrays. y[lo] is selected as a sum over the few node shifts of sliced rows times
 * the shift's weights (zero where the bracket is elsewhere): only slice, mul and add, whose
 * gradients every backend has (a gather's gradient needs UnsortedSegmentSum, which the wasm
 * backend lacks).
 */
export function interpolateAtTrueK(
  geo: ApGeometry,
  arrays: tf.Tensor3D,
  secondDerivatives: tf.Tensor3D,
): tf.Tensor4D {
  return tf.tidy(() => {
    const { batch: B, nj, nSide } = geo;
    const C = arrays.shape[1];
    const y = tf.reshape(arrays, [B, C, -1, 1]);
    const y2 = tf.reshape(secondDerivatives, [B, C, -1, 1]);
    const rows = (t: tf.Tensor, shift: number) => own.slice(t, [0, 0, nSide + shift, 0], [B, C, nj, 1]);
    const terms = geo.shifts.flatMap((s) => [own.mul(rows(y, s.shift), s.y), own.mul(rows(y2, s.shift), s.y2)]);
    return own.addN(terms) as tf.Tensor4D;
  });
}

/**
 * Gauss-Legendre sums of integrands [B, K, J, G] for l = 0, 2, 4 at once:
 * sum_g w_g (2l+1)/2 L_l(mu_g) x, returns [B, K, J, 3] (without the volume factor). The sums are
 * accumulated in float64 (the l = 4 rows of the dd loops are small remainders of their
 * integrands: a float32 sum put 6.7e-5 of CLASS-PT on loop_4_dd, float64 sums 3.6e-5); the map is
 * linear, and its vector-Jacobian product is the transposed sum, also in float64.
 */
export function legendreSums(geo: ApGeometry, integrands: tf.Tensor4D): tf.Tensor4D {
  const [B, K, J, G] = integrands.shape;
  const R = B * K * J;
  const w = geo.legendre;
  const sums = (x: tf.Tensor): tf.Tensor4D => {
    if (hasQuadraticFormsKernel()) {
      // on wasm in place, in the SIMD module (../loops/quadratic-forms.wat legendreSums); the float64
      // weights travel as int32 pairs (an exact copy)
      return tf.tidy(() => {
        const weights = tf.tensor1d(new Int32Array(w.buffer, w.byteOffset, 2 * w.length), 'int32');
        return tf.reshape(tf.engine().runKernel(LEGENDRE_SUMS, { x: tf.reshape(x, [R, G]), w: weights }) as tf.Tensor, [B, K, J, 3]) as tf.Tensor4D;
      });
    }
    const v = readSync(x, 'Legendre sums');
    const out = new Float32Array(R * 3);
    for (let r = 0, o = 0; r < R; r++, o += G) {
      let s0 = 0;
      let s2 = 0;
      let s4 = 0;
      for (let g = 0; g < G; g++) {
        s0 += v[o + g] * w[3 * g];
        s2 += v[o + g] * w[3 * g + 1];
        s4 += v[o + g] * w[3 * g + 2];
      }
      out[3 * r] = s0;
      out[3 * r + 1] = s2;
      out[3 * r + 2] = s4;
    }
    return tf.tensor4d(out, [B, K, J, 3]);
  };
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    return {
      value: sums(args[0] as tf.Tensor),
      gradFunc: (dy: tf.Tensor) => {
        const d = readSync(dy, 'Legendre sums (reverse)');
        const dx = new Float32Array(R * G);
        for (let r = 0, o = 0; r < R; r++, o += G) {
          const d0 = d[3 * r];
          const d2 = d[3 * r + 1];
          const d4 = d[3 * r + 2];
          for (let g = 0; g < G; g++) dx[o + g] = d0 * w[3 * g] + d2 * w[3 * g + 1] + d4 * w[3 * g + 2];
        }
        return tf.tensor4d(dx, [B, K, J, G]);
      },
    };
  });
  return op(integrands) as tf.Tensor4D;
}

/** Zero values at the Nside end nodes on both sides of the last axis (CLASS-PT's AP loops leave them zero). */
export function padEndNodes<T extends tf.Tensor>(geo: ApGeometry, x: T): T {
  const pads = x.shape.map((_, i) => (i === x.rank - 1 ? [geo.nSide, geo.nSide] : [0, 0])) as [number, number][];
  return tf.pad(x, pads) as T;
}

/**
 * Projects integrands [B, K, J, G] on l = 0, 2, 4: sum_g w_g V L_l(mu_g)(2l+1)/2 x, with the
 * Nside end nodes padded with zeros: returns [B, K, 3, N].
 */
export function projectMultipoles(geo: ApGeometry, integrands: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const sums = tf.transpose(legendreSums(geo, integrands), [0, 1, 3, 2]); // [B, K, 3, J]
    return padEndNodes(geo, own.mul(sums, tf.reshape(geo.volume, [-1, 1, 1, 1])) as tf.Tensor4D);
  });
}

/** One integrand [B, J, G] on multipole l (see projectMultipoles): [B, N]. */
export function projectMultipole(geo: ApGeometry, integrand: tf.Tensor, l: 0 | 2 | 4): tf.Tensor2D {
  return tf.tidy(() => {
    const [B, J, G] = integrand.shape;
    const all = projectMultipoles(geo, tf.reshape(integrand, [B, 1, J, G]) as tf.Tensor4D);
    return tf.reshape(own.slice(all, [0, 0, l / 2, 0], [B, 1, 1, geo.n]), [B, geo.n]) as tf.Tensor2D;
  });
}

/**
 * CLASS-PT's anisotropic BAO damping scale at every (k_t, mu_t) (4480, 5318):
 * Sigma_tot = Sigma^2 (1 + f mu_t^2 (2 + f)) + f^2 mu_t^2 (mu_t^2 - 1) delta Sigma^2, [B, 1, G]
 * (mu_t depends on the Gauss-Legendre node only).
 */
export function sigmaTotal(geo: ApGeometry, f: tf.Tensor1D, sigma2: tf.Tensor1D, deltaSigma2: tf.Tensor1D): tf.Tensor3D {
  const B = geo.batch;
  const f3 = tf.reshape(f, [B, 1, 1]);
  const mu2 = geo.mu2t;
  return tf.add(
    own.mul(tf.reshape(sigma2, [B, 1, 1]), tf.add(1, own.mul(own.mul(f3, mu2), tf.add(2, f3)))),
    own.mul(own.mul(tf.square(f3), own.mul(mu2, tf.sub(mu2, 1))), tf.reshape(deltaSigma2, [B, 1, 1])),
  ) as tf.Tensor3D;
}

/**
 * The anisotropic BAO damping at every (k_t, mu_t), [B, J, G]: the exponent Sigma_tot k_t^2 and
 * e = exp(-Sigma_tot k_t^2). Built once per call and shared by the matter, bias and fNL
 * projections (the matter trees also need the exponent: P_nw + (1 + Sigma_tot k_t^2) e P_w).
 */
export interface BaoDamping {
  exponent: tf.Tensor3D;
  damp: tf.Tensor3D;
}

export function baoDamping(geo: ApGeometry, f: tf.Tensor1D, sigma2: tf.Tensor1D, deltaSigma2: tf.Tensor1D): BaoDamping {
  const exponent = own.mul(sigmaTotal(geo, f, sigma2, deltaSigma2), geo.kt2) as tf.Tensor3D;
  return { exponent, damp: tf.exp(tf.neg(exponent)) as tf.Tensor3D };
}
