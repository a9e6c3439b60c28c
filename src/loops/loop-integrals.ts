/**
 * The one-loop contractions on the FFTLog grid, batched over cosmologies, in O(N^2) per kernel
 * (see ../fftlog/decomposition.ts). These replace CLASS-PT's `batch_dot_product` (P13-type)
 * and `batch_quadratic_form` (P22-type, complex symmetric: no conjugation).
 * All results exclude the k^3 prefactor, which the caller applies.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { DotKernels, QuadraticKernels, TensorBasis } from './tensor-basis';

/** FFTLog coefficients [B, 2(N+1)] = [Re Fhat | Im Fhat] of a batch of spectra p [B, N] on the grid. */
export function fftlogCoefficients(basis: TensorBasis, p: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(p, basis.analysis);
}

/**
 * P13-type terms f_j = Re sum_c X_j[c] m_c for every kernel: returns [B, K, N].
 * (CLASS-PT `batch_dot_product`.)
 */
export function dotLoops(basis: TensorBasis, coef: tf.Tensor2D, kernels: DotKernels): tf.Tensor3D {
  return tf.tidy(() => {
    const { nc, n } = basis.shape;
    const B = coef.shape[0];
    const K = kernels.names.length;
    const fr = tf.reshape(tf.slice(coef, [0, 0], [B, nc]), [B, 1, nc]);
    const fi = tf.reshape(tf.slice(coef, [0, nc], [B, nc]), [B, 1, nc]);
    const br = tf.sub(tf.mul(fr, kernels.re), tf.mul(fi, kernels.im));
    const bi = tf.add(tf.mul(fr, kernels.im), tf.mul(fi, kernels.re));
    const packed = tf.reshape(tf.concat([br, bi], 2), [B * K, 2 * nc]);
    return tf.reshape(tf.matMul(packed, basis.dotSynthesis), [B, K, n]) as tf.Tensor3D;
  });
}

/**
 * The Hankel arrangement H[c, s] = y_{s-c} (zero outside 0..N) of a batch y [B, N+1], built
 * from tile/reshape/slice only (a gather's gradient needs a kernel the wasm backend lacks):
 * with w = (0^N, y, 0^{N+1}) of length 3N + 2, the rows of tile(w) cut to length 3N + 1 are w
 * shifted by -c, so H[c, s] = w[s + N - c] is their column s + N.
 */
function hankel(basis: TensorBasis, y: tf.Tensor2D): tf.Tensor3D {
  const { n, nc, ns } = basis.shape;
  const B = y.shape[0];
  const w = tf.pad(y, [[0, 0], [n, n + 1]]); // [B, 3N + 2]
  const row = 3 * n + 1;
  const tiled = tf.slice(tf.tile(w, [1, nc]), [0, 0], [B, nc * row]);
  return tf.slice(tf.reshape(tiled, [B, nc, row]), [0, 0, n], [B, nc, ns]) as tf.Tensor3D;
}

/**
 * The products P[c, s] = Fx_c Fy_{s-c} (c = 0..N, s = 0..2N), laid out [2N+1, 2B, N+1]
 * (real parts of the B cosmologies, then imaginary parts) for the
 * batched anti-diagonal contraction. With y = x (the default) they serve the quadratic forms
 * Re X^T M X; with y != x the bilinear forms Re X^T M Y (CLASS-PT `batch_bilinear_form`, no
 * conjugation): sum_s sum_c Fx_c Fy_{s-c} M[c, s-c] is the full double sum over (c, d).
 * One set of products serves every kernel on the same basis.
 */
export function antiDiagonalProducts(
  basis: TensorBasis,
  coefX: tf.Tensor2D,
  coefY: tf.Tensor2D = coefX,
): tf.Tensor3D {
  return tf.tidy(() => {
    const { nc, ns } = basis.shape;
    const B = coefX.shape[0];
    const xr = tf.reshape(tf.slice(coefX, [0, 0], [B, nc]), [B, nc, 1]);
    const xi = tf.reshape(tf.slice(coefX, [0, nc], [B, nc]), [B, nc, 1]);
    const hr = hankel(basis, tf.slice(coefY, [0, 0], [B, nc]));
    const hi = hankel(basis, tf.slice(coefY, [0, nc], [B, nc]));
    const pr = tf.sub(tf.mul(xr, hr), tf.mul(xi, hi));
    const pi = tf.add(tf.mul(xr, hi), tf.mul(xi, hr));
    return tf.transpose(tf.concat([pr, pi], 0), [2, 0, 1]) as tf.Tensor3D;
  });
}

/**
 * P22-type terms f_j = Re sum_cd X_j[c] M_cd X_j[d] for every kernel, from the anti-diagonal
 * products of ./antiDiagonalProducts: returns [B, K, N]. (CLASS-PT `batch_quadratic_form`.)
 */
export function quadraticLoops(
  basis: TensorBasis,
  products: tf.Tensor3D,
  kernels: QuadraticKernels,
): tf.Tensor3D {
  return tf.tidy(() => {
    const { n, ns } = basis.shape;
    const B = products.shape[1] / 2;
    const K = kernels.names.length;
    // [ns, 2B, 2K]: rows (Re P, Im P) x columns (Re M', Im M')
    const a = tf.reshape(tf.matMul(products, kernels.block), [ns, 2, B, 2, K]);
    const rr = tf.squeeze(tf.slice(a, [0, 0, 0, 0, 0], [ns, 1, B, 1, K]), [1, 3]);
    const ri = tf.squeeze(tf.slice(a, [0, 0, 0, 1, 0], [ns, 1, B, 1, K]), [1, 3]);
    const ir = tf.squeeze(tf.slice(a, [0, 1, 0, 0, 0], [ns, 1, B, 1, K]), [1, 3]);
    const ii = tf.squeeze(tf.slice(a, [0, 1, 0, 1, 0], [ns, 1, B, 1, K]), [1, 3]);
    const re = tf.sub(rr, ii); // [ns, B, K]
    const im = tf.add(ri, ir);
    const perKernel = tf.reshape(tf.transpose(tf.stack([re, im], 0), [2, 3, 0, 1]), [B * K, 2 * ns]);
    return tf.reshape(tf.matMul(perKernel, basis.quadSynthesis), [B, K, n]) as tf.Tensor3D;
  });
}
