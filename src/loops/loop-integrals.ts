/**
 * The one-loop contractions on the FFTLog grid, batched over cosmologies, in O(N^2) per kernel
 * (see ../fftlog/decomposition.ts). These replace CLASS-PT's `batch_dot_product` (P13-type)
 * and `batch_quadratic_form` (P22-type, complex symmetric: no conjugation).
 * All results exclude the k^3 prefactor, which the caller applies.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as own from '../private-ops';
import { fftlogSynthesis } from '../fftlog/synthesis';
import { analyze } from '../fftlog/decomposition';
import { kernelLanes, type DotKernels, type QuadraticKernels, type TensorBasis } from './tensor-basis';
import { hasQuadraticFormsKernel, QUADRATIC_FORMS, QUADRATIC_FORMS_GRAD } from '../wasm-kernels';

/**
 * FFTLog coefficients [B, 2(N+1)] = [Re Fhat | Im Fhat] of a batch of spectra p [B, N] on the grid.
 * With `host` (p's values in float64, one array per cosmology) the values come from the float64
 * analysis (../fftlog/decomposition.ts `analyze`) and the gradient from the float32 map (the map
 * is linear: dy . analysis^T); without it, from a float32 matMul.
 */
export function fftlogCoefficients(basis: TensorBasis, p: tf.Tensor2D, host?: ArrayLike<number>[]): tf.Tensor2D {
  if (!host) return own.matMul(p, basis.analysis);
  const [B] = p.shape;
  const width = 2 * basis.shape.nc;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    void args;
    const values = new Float32Array(B * width);
    host.forEach((row, b) => values.set(analyze(basis.shape, row), b * width));
    return {
      value: tf.tensor2d(values, [B, width]),
      gradFunc: (dy: tf.Tensor) => own.matMul(dy as tf.Tensor2D, basis.analysis, false, true),
    };
  });
  return op(p) as tf.Tensor2D;
}

/**
 * P13-type terms f_j = Re sum_c X_j[c] m_c for every kernel: returns [B, K, N].
 * (CLASS-PT `batch_dot_product`.)
 */
export function dotLoops(basis: TensorBasis, coef: tf.Tensor2D, kernels: DotKernels): tf.Tensor3D {
  return tf.tidy(() => {
    const { nc } = basis.shape;
    const B = coef.shape[0];
    const fr = tf.reshape(own.slice(coef, [0, 0], [B, nc]), [B, 1, nc]);
    const fi = tf.reshape(own.slice(coef, [0, nc], [B, nc]), [B, 1, nc]);
    const br = tf.sub(own.mul(fr, kernels.re), own.mul(fi, kernels.im));
    const bi = tf.add(own.mul(fr, kernels.im), own.mul(fi, kernels.re));
    return fftlogSynthesis(tf.concat([br, bi], 2) as tf.Tensor3D, basis.dotScale); // [B, K, N]
  });
}

/**
 * The symmetrised products S_cd = X_c Y_d + X_d Y_c of two sets of FFTLog coefficients on half of
 * each anti-diagonal s = c + d (the kernels are complex symmetric, so sum_cd P M = (1/2) sum_cd S M
 * and each unordered pair {c, d} is needed once; the kernel blocks carry the weights). With
 * y = x (the default) they serve the quadratic forms Re X^T M X; with y != x the bilinear forms
 * Re X^T M Y (CLASS-PT `batch_bilinear_form`, no conjugation). One set of products serves every
 * kernel on the same basis.
 *
 * On wasm the contraction forms S on the fly inside a SIMD kernel (../wasm-kernels.ts), so only
 * the coefficients are kept. Elsewhere S is laid out as `rows` [2N+1, B, 2(N/2+1)] ([Re S | Im S]
 * for c in [0, N/2] when s <= N, c in [N/2, N] when s > N) for one batched matMul. The skew
 * [c, d] -> [c, c + d] is a pad, a reshape and one contiguous slice: rows of length 2(N+1) read
 * with stride 2N+1 shift by one per row (no gather, whose gradient the wasm backend lacks).
 */
export interface AntiDiagonalProducts {
  x: tf.Tensor2D;
  y: tf.Tensor2D;
  rows?: tf.Tensor3D;
}

export function antiDiagonalProducts(
  basis: TensorBasis,
  coefX: tf.Tensor2D,
  coefY: tf.Tensor2D = coefX,
): AntiDiagonalProducts {
  if (hasQuadraticFormsKernel()) return { x: coefX, y: coefY };
  const rows = tf.tidy(() => {
    const { nc, ns } = basis.shape;
    const B = coefX.shape[0];
    const part = (c: tf.Tensor2D, from: number, shape: number[]) => tf.reshape(own.slice(c, [0, from], [B, nc]), shape);
    const xr = part(coefX, 0, [B, nc, 1]);
    const xi = part(coefX, nc, [B, nc, 1]);
    const yr = part(coefY, 0, [B, 1, nc]);
    const yi = part(coefY, nc, [B, 1, nc]);
    const outer = tf.stack([tf.sub(own.mul(xr, yr), own.mul(xi, yi)), tf.add(own.mul(xr, yi), own.mul(xi, yr))], 1); // [B, 2, nc, nc]
    const p = coefY === coefX ? own.mul(outer, 2) : tf.add(outer, tf.transpose(outer, [0, 1, 3, 2])); // P^T = P when Y = X
    const flat = tf.reshape(tf.pad(p, [[0, 0], [0, 0], [0, 0], [0, nc]]), [B * 2, nc * 2 * nc]);
    const q = tf.reshape(own.slice(flat, [0, 0], [B * 2, nc * ns]), [B, 2 * nc, ns]);
    const full = tf.transpose(q, [2, 0, 1]) as tf.Tensor3D; // [ns, B, (re|im) c]
    const h = (nc - 1) / 2;
    const cols = (rows: tf.Tensor3D, from: number) =>
      tf.concat([own.slice(rows, [0, 0, from], [-1, B, h + 1]), own.slice(rows, [0, 0, nc + from], [-1, B, h + 1])], 2);
    const low = cols(own.slice(full, [0, 0, 0], [nc, B, 2 * nc]), 0);
    const high = cols(own.slice(full, [nc, 0, 0], [ns - nc, B, 2 * nc]), h);
    return tf.concat([low, high], 0) as tf.Tensor3D; // [ns, B, 2(N/2 + 1)]
  });
  return { x: coefX, y: coefY, rows };
}

/**
 * P22-type terms f_j = Re sum_cd X_j[c] M_cd Y_j[d] for every kernel, from the anti-diagonal
 * products of ./antiDiagonalProducts: returns [B, K, N]. (CLASS-PT `batch_quadratic_form`.)
 */
export function quadraticLoops(
  basis: TensorBasis,
  products: AntiDiagonalProducts,
  kernels: QuadraticKernels,
): tf.Tensor3D {
  return tf.tidy(() => quadraticSynthesis(basis, contractAntiDiagonals(products, kernels)));
}

/**
 * The anti-diagonal sums A_k(s) = sum_c S_{c, s-c} M_k[c, s-c], folded modulo N (the synthesis
 * repeats with period N in s): [B, K, 2N] = [Re A' | Im A'] per kernel. Being linear, they can
 * be combined across kernels (f-power recombination) before ./quadraticSynthesis.
 */
export function contractAntiDiagonals(products: AntiDiagonalProducts, kernels: QuadraticKernels): tf.Tensor3D {
  return tf.tidy(() => {
    const a = products.rows ? contractRows(products.rows, kernels) : contractOnTheFly(products, kernels); // [B, K, 2, N]
    const [B, K, , n] = a.shape;
    return tf.reshape(a, [B, K, 2 * n]) as tf.Tensor3D;
  });
}

/** f_j = e^{2 j b Delta} Re sum_m A'_m e^{2 pi i m j/N} in float64 (../fftlog/synthesis.ts): [B, M, 2N] -> [B, M, N]. */
export function quadraticSynthesis(basis: TensorBasis, a: tf.Tensor3D): tf.Tensor3D {
  return fftlogSynthesis(a, basis.quadScale);
}

/**
 * A_k(s) = sum over the half anti-diagonal of S_cd w M_k[c, d], folded modulo N: [B, K, 2, N],
 * in the wasm SIMD kernel (../loops/quadratic-forms.wat), which forms S from the coefficients
 * and has its own reverse pass (gradients reach both operands).
 */
function contractOnTheFly(products: AntiDiagonalProducts, kernels: QuadraticKernels): tf.Tensor4D {
  const span = kernels.span32;
  const attrs = span ? { K: span.rank, K4: span.lanes } : { K: kernels.names.length, K4: kernelLanes(kernels.names.length) };
  const block = span ? span.block : kernels.half;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, y, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    save([x, y]); // kept for the reverse pass (the caller's tidy would dispose them)
    return {
      value: tf.engine().runKernel(QUADRATIC_FORMS, { x, y, block }, attrs) as tf.Tensor4D,
      gradFunc: (dA: tf.Tensor, saved: tf.Tensor[]) =>
        tf.engine().runKernel(QUADRATIC_FORMS_GRAD, { x: saved[0], y: saved[1], block, dA }, attrs) as tf.Tensor[],
    };
  });
  const a = op(products.x, products.y) as tf.Tensor4D; // [B, r or K, 2, N]
  if (!span) return a;
  // the kernels' sums from the basis kernels' (../loops/kernel-span.ts): A_k = sum_q C[k, q] A_q
  const [B, r, two, n] = a.shape;
  const flat = tf.reshape(tf.transpose(a, [1, 0, 2, 3]), [r, B * two * n]);
  const K = kernels.names.length;
  return tf.transpose(tf.reshape(own.matMul(span.coefficients, flat), [K, B, two, n]), [1, 0, 2, 3]) as tf.Tensor4D;
}

/** The same contraction as one batched matMul of the materialised rows (other backends). */
function contractRows(rows: tf.Tensor3D, kernels: QuadraticKernels): tf.Tensor4D {
  const [ns, B] = rows.shape;
  const n = (ns - 1) / 2;
  const K = kernels.names.length;
  const block = (kernels.realBlock ??= tf.tidy(() => {
    const K4 = kernelLanes(K);
    const re = own.slice(kernels.half, [0, 0, 0], [-1, -1, K]);
    const im = own.slice(kernels.half, [0, 0, K4], [-1, -1, K]);
    return tf.keep(tf.concat([tf.concat([re, im], 2), tf.concat([tf.neg(im), re], 2)], 1) as tf.Tensor3D);
  }));
  const a = own.matMul(rows, block); // [ns, B, 2K] = [Re A | Im A]
  // fold modulo N: s in [0, N), [N, 2N) and {2N} -> m = s, s - N, 0
  const last = tf.pad(own.slice(a, [2 * n, 0, 0], [1, B, 2 * K]), [[0, n - 1], [0, 0], [0, 0]]);
  const folded = own.addN([own.slice(a, [0, 0, 0], [n, B, 2 * K]), own.slice(a, [n, 0, 0], [n, B, 2 * K]), last]);
  return tf.transpose(tf.reshape(folded, [n, B, 2, K]), [1, 3, 2, 0]) as tf.Tensor4D;
}
