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
 * The products P[c, s] = Fx_c Fy_{s-c} (c = 0..N, s = 0..2N), laid out [2N+1, B, 2(N+1)]
 * ([Re P | Im P] along the last axis) for the batched anti-diagonal contraction. With y = x
 * (the default) they serve the quadratic forms Re X^T M X; with y != x the bilinear forms
 * Re X^T M Y (CLASS-PT `batch_bilinear_form`, no conjugation): sum_s sum_c Fx_c Fy_{s-c}
 * M[c, s-c] is the full double sum over (c, d). One set of products serves every kernel on the
 * same basis. The skew [c, d] -> [c, c + d] is a pad, a reshape and one contiguous slice: rows of
 * length 2(N+1) read with stride 2N+1 shift by one per row (no gather, whose gradient the wasm
 * backend lacks, and no strided copies, which are slow there).
 */
export function antiDiagonalProducts(
  basis: TensorBasis,
  coefX: tf.Tensor2D,
  coefY: tf.Tensor2D = coefX,
): tf.Tensor3D {
  return tf.tidy(() => {
    const { nc, ns } = basis.shape;
    const B = coefX.shape[0];
    const part = (c: tf.Tensor2D, from: number, shape: number[]) => tf.reshape(tf.slice(c, [0, from], [B, nc]), shape);
    const xr = part(coefX, 0, [B, nc, 1]);
    const xi = part(coefX, nc, [B, nc, 1]);
    const yr = part(coefY, 0, [B, 1, nc]);
    const yi = part(coefY, nc, [B, 1, nc]);
    const outer = tf.stack([tf.sub(tf.mul(xr, yr), tf.mul(xi, yi)), tf.add(tf.mul(xr, yi), tf.mul(xi, yr))], 1); // [B, 2, nc, nc]
    // symmetrised products S = P + P^T: the kernels are symmetric, so sum_cd P M = (1/2) sum_cd S M,
    // and each unordered pair {c, d} is needed once (the kernel blocks carry the weights)
    const p = coefY === coefX ? tf.mul(outer, 2) : tf.add(outer, tf.transpose(outer, [0, 1, 3, 2])); // P^T = P when Y = X
    const flat = tf.reshape(tf.pad(p, [[0, 0], [0, 0], [0, 0], [0, nc]]), [B * 2, nc * 2 * nc]);
    const q = tf.reshape(tf.slice(flat, [0, 0], [B * 2, nc * ns]), [B, 2 * nc, ns]);
    const full = tf.transpose(q, [2, 0, 1]) as tf.Tensor3D; // [ns, B, (re|im) c]
    // half of each anti-diagonal: c in [0, N/2] for s <= N, c in [N/2, N] for s > N
    const h = (nc - 1) / 2;
    const cols = (rows: tf.Tensor3D, from: number) =>
      tf.concat([tf.slice(rows, [0, 0, from], [-1, B, h + 1]), tf.slice(rows, [0, 0, nc + from], [-1, B, h + 1])], 2);
    const low = cols(tf.slice(full, [0, 0, 0], [nc, B, 2 * nc]), 0);
    const high = cols(tf.slice(full, [nc, 0, 0], [ns - nc, B, 2 * nc]), h);
    return tf.concat([low, high], 0) as tf.Tensor3D; // [ns, B, 2(N/2 + 1)]
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
    const B = products.shape[1];
    const K = kernels.names.length;
    const a = contractAntiDiagonals(products, kernels); // [ns, B, 2K] = [Re A | Im A]
    const perKernel = tf.reshape(tf.transpose(tf.reshape(a, [ns, B, 2, K]), [1, 3, 2, 0]), [B * K, 2 * ns]);
    return tf.reshape(tf.matMul(perKernel, basis.quadSynthesis), [B, K, n]) as tf.Tensor3D;
  });
}

/**
 * Rows of products per anti-diagonal from which the contraction runs as 2N+1 two-dimensional
 * matMuls instead of one batched matMul (measured on wasm, [513, M, 514] x [513, 514, 30]:
 * M = 1: batched 10.5 ms, per-s 41 ms; M = 2: 18 / 23 ms; M = 64: 685 / 91 ms).
 */
export const PER_DIAGONAL_MIN_ROWS = 8;

/**
 * A[s] = products[s] . block[s] for every anti-diagonal s: [ns, M, 2(N+1)] x [ns, 2(N+1), 2K]
 * -> [ns, M, 2K]. tfjs-backend-wasm runs a batched matMul with a generic loop (1-3 GFLOP/s here)
 * but a two-dimensional one with XNNPACK (~20 GFLOP/s), so with many rows (a batch of
 * cosmologies) each s is its own matMul against the plan's per-s slab; the gradient with
 * respect to the products is the same per-s product with the transposed slabs.
 */
export function contractAntiDiagonals(products: tf.Tensor3D, kernels: QuadraticKernels): tf.Tensor3D {
  const [ns, M, width] = products.shape;
  const twoK = kernels.block.shape[2];
  if (M < PER_DIAGONAL_MIN_ROWS || twoK < 4) return tf.matMul(products, kernels.block);
  const slabs = (kernels.slabs ??= tf.tidy(() =>
    Array.from({ length: ns }, (_, s) => tf.keep(tf.reshape(tf.slice(kernels.block, [s, 0, 0], [1, width, twoK]), [width, twoK]) as tf.Tensor2D)),
  ));
  const perDiagonal = (x: tf.Tensor, cols: number, mats: tf.Tensor2D[]) =>
    tf.tidy(() => tf.stack(mats.map((m, s) => tf.matMul(tf.reshape(tf.slice(x, [s, 0, 0], [1, M, cols]), [M, cols]), m)))) as tf.Tensor3D;
  // the transposed slabs for the backward pass (a transposed operand leaves XNNPACK's path)
  const transposed = () =>
    (kernels.slabsT ??= tf.tidy(() => slabs.map((m) => tf.keep(tf.transpose(m) as tf.Tensor2D))));
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
    value: perDiagonal(args[0] as tf.Tensor, width, slabs),
    gradFunc: (dy: tf.Tensor) => perDiagonal(dy, twoK, transposed()),
  }));
  return op(products) as tf.Tensor3D;
}
