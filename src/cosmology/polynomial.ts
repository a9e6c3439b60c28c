/**
 * The regression basis of the emulator: products of Legendre polynomials P_n(x_j) of the
 * inputs normalised to [-1, 1], all multi-indices of total degree <= d (a well-conditioned
 * polynomial-chaos basis; the fit is linear least squares, see scripts/train-emulator.ts).
 */
import * as tf from '@tensorflow/tfjs-core';

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
 * The basis for a batch of normalised inputs X [B, dim] as a tensor [B, nBasis]: for each input
 * j the Legendre values [B, d+1] times a 0/1 selection matrix [d+1, nBasis], multiplied over j
 * (matMul and mul only: differentiable on every backend, no gather).
 */
export function basisTensor(X: tf.Tensor2D, selections: tf.Tensor2D[], degree: number): tf.Tensor2D {
  const [B, dim] = X.shape;
  let out: tf.Tensor | null = null;
  for (let j = 0; j < dim; j++) {
    const x = tf.slice(X, [0, j], [B, 1]);
    const L: tf.Tensor[] = [tf.onesLike(x), x];
    for (let n = 1; n < degree; n++) {
      L.push(tf.div(tf.sub(tf.mul(tf.mul(x, L[n]), 2 * n + 1), tf.mul(L[n - 1], n)), n + 1));
    }
    const Lj = tf.concat(L.slice(0, degree + 1), 1); // [B, d+1]
    const Pj = tf.matMul(Lj, selections[j]);
    out = out === null ? Pj : tf.mul(out, Pj);
  }
  return out as tf.Tensor2D;
}

/** The selection matrices of basisTensor for a multi-index list (one [d+1, nBasis] per input). */
export function selectionMatrices(idx: number[][], dim: number, degree: number): tf.Tensor2D[] {
  return Array.from({ length: dim }, (_, j) => {
    const S = new Float32Array((degree + 1) * idx.length);
    idx.forEach((m, c) => (S[m[j] * idx.length + c] = 1));
    return tf.tensor2d(S, [degree + 1, idx.length]);
  });
}
