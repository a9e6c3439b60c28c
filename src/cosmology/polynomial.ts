/**
 * The regression basis of the emulator: products of Legendre polynomials P_n(x_j) of the
 * inputs normalised to [-1, 1], all multi-indices of total degree <= d (a well-conditioned
 * polynomial-chaos basis; the fit is linear least squares, see scripts/train-emulator.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as own from '../private-ops';

/** All multi-indices of `dim` non-negative integers with sum <= degree, in lexicographic order. */
export function multiIndices(dim: number, degree: number): number[][] {
  const out: number[][] = [];
  const rec = (prefix: number[], left: number) => {
    if (prefix.length === dim) {
      out.push(prefix.slice());
      return;
    }
    for (let n = 0; n <= left; n++) {
      prefix.push(n);
      rec(prefix, left - n);
      prefix.pop();
    }
  };
  rec([], degree);
  return out;
}

/** P_0..P_d at x (Bonnet's recurrence). */
export function legendreHost(x: number, d: number, out = new Float64Array(d + 1)): Float64Array {
  out[0] = 1;
  if (d >= 1) out[1] = x;
  for (let n = 1; n < d; n++) out[n + 1] = ((2 * n + 1) * x * out[n] - n * out[n - 1]) / (n + 1);
  return out;
}

/** P_n and P'_n, n = 0..d, at x (P'_{n+1} = P'_{n-1} + (2n+1) P_n). */
export function legendreWithDerivatives(x: number, d: number): { p: Float64Array; dp: Float64Array } {
  const p = legendreHost(x, d);
  const dp = new Float64Array(d + 1);
  if (d >= 1) dp[1] = 1;
  for (let n = 1; n < d; n++) dp[n + 1] = dp[n - 1] + (2 * n + 1) * p[n];
  return { p, dp };
}

/**
 * The basis row and its derivatives with respect to the first `nd` inputs: [nBasis] and
 * [nBasis, nd] (d B_c / d x_j = P'_{m_j}(x_j) prod_{i != j} P_{m_i}(x_i)).
 */
export function basisWithGradient(x: ArrayLike<number>, idx: number[][], degree: number, nd: number): { b: Float64Array; db: Float64Array } {
  const L = Array.from({ length: x.length }, (_, j) => legendreWithDerivatives(x[j], degree));
  const b = new Float64Array(idx.length);
  const db = new Float64Array(idx.length * nd);
  for (let c = 0; c < idx.length; c++) {
    const m = idx[c];
    let v = 1;
    for (let j = 0; j < m.length; j++) v *= L[j].p[m[j]];
    b[c] = v;
    for (let j = 0; j < nd; j++) {
      let g = L[j].dp[m[j]];
      for (let i = 0; i < m.length; i++) if (i !== j) g *= L[i].p[m[i]];
      db[c * nd + j] = g;
    }
  }
  return { b, db };
}

/** The basis row of one normalised input (host, float64). */
export function basisHost(x: ArrayLike<number>, idx: number[][], degree: number, out = new Float64Array(idx.length)): Float64Array {
  const L = Array.from({ length: x.length }, (_, j) => legendreHost(x[j], degree));
  for (let c = 0; c < idx.length; c++) {
    let v = 1;
    const m = idx[c];
    for (let j = 0; j < m.length; j++) if (m[j] > 0) v *= L[j][m[j]];
    out[c] = v;
  }
  return out;
}

/** Maps x in [lo, hi] to [-1, 1]. */
export function normalise(x: number, lo: number, hi: number): number {
  return (2 * (x - lo)) / (hi - lo) - 1;
}

/**
 * The basis for a batch of normalised inputs X [B, dim] as a tensor [B, nBasis]: the Legendre
 * values of all inputs at once ([B, dim, d+1]), one matMul with the block 0/1 selection matrix
 * of `selectionMatrix` ([B, dim * nBasis]), then the product over the inputs (mul of slices):
 * differentiable on every backend, no gather, a few dozen kernels.
 */
export function basisTensor(X: tf.Tensor2D, selection: tf.Tensor2D, degree: number): tf.Tensor2D {
  return basisFromLegendre(legendreTensor(X, degree), selection);
}

/** P_0..P_d of every input: [B, dim, d+1]. */
export function legendreTensor(X: tf.Tensor2D, degree: number): tf.Tensor3D {
  const L: tf.Tensor[] = [tf.onesLike(X), X];
  for (let n = 1; n < degree; n++) {
    // Bonnet: P_{n+1} = ((2n+1) x P_n - n P_{n-1}) / (n+1)
    L.push(tf.sub(own.mul(own.mul(X, L[n]), (2 * n + 1) / (n + 1)), own.mul(L[n - 1], n / (n + 1))));
  }
  return tf.stack(L.slice(0, degree + 1), 2) as tf.Tensor3D;
}

/**
 * The basis from Legendre values [B, dim, d+1] (the first `dim` inputs and `d` of a larger
 * table may be passed as a slice): one matMul with the block selection matrix, then the
 * product over the inputs.
 */
export function basisFromLegendre(L: tf.Tensor3D, selection: tf.Tensor2D): tf.Tensor2D {
  const [B, dim, d1] = L.shape;
  const nb = selection.shape[1] / dim;
  const picked = own.matMul(tf.reshape(L, [B, dim * d1]), selection); // [B, dim * nb]
  let out = own.slice(picked, [0, 0], [B, nb]);
  for (let j = 1; j < dim; j++) out = own.mul(out, own.slice(picked, [0, j * nb], [B, nb]));
  return out as tf.Tensor2D;
}

/** The block selection matrix of basisTensor: [dim * (d+1), dim * nBasis], 1 at (j(d+1) + m_j, j nBasis + c). */
export function selectionMatrix(idx: number[][], dim: number, degree: number): tf.Tensor2D {
  const nb = idx.length;
  const S = new Float32Array(dim * (degree + 1) * dim * nb);
  idx.forEach((m, c) => {
    for (let j = 0; j < dim; j++) S[(j * (degree + 1) + m[j]) * dim * nb + j * nb + c] = 1;
  });
  return tf.tensor2d(S, [dim * (degree + 1), dim * nb]);
}
