/**
 * One FFTLog basis (N, b) as float32 tensor constants, and kernel sets prepared for the O(N^2)
 * loop contractions of ./loop-integrals.ts. Built once per plan from float64 host matrices.
 */
import * as tf from '@tensorflow/tfjs-core';
import { analysisMatrix, basisShape, type BasisShape } from '../fftlog/decomposition';
import { synthesisScale } from '../fftlog/synthesis';
import { halfEntries, kernelSpan, type KernelSpan } from './kernel-span';

export interface TensorBasis {
  shape: BasisShape;
  /** [N, 2(N+1)]: P -> [Re Fhat | Im Fhat] */
  analysis: tf.Tensor2D;
  /** the host float64 synthesis scales (../fftlog/synthesis.ts): P13-type and P22-type */
  dotScale: Float64Array;
  quadScale: Float64Array;
}

/** A complex kernel matrix (row-major (N+1)x(N+1)) or vector (N+1), in float64. */
export interface ComplexArray {
  re: Float64Array;
  im: Float64Array;
}

/**
 * K quadratic (P22-type) kernels on half of each anti-diagonal s = c + d, complex, as
 * `half` [2N+1, N/2+1, 2K4]: row t holds w M_k[c, s-c] for the pair (c, d = s - c) with c = t
 * (s <= N, c <= d) or c = N/2 + t (s > N, c >= d), weight w = 1 (1/2 on c = d), zero for
 * pairs outside that half; lanes [Re M_0..M_{K-1}, 0.., Im M_0..M_{K-1}, 0..], K4 = K rounded up
 * to a multiple of 4 (the SIMD width of ../loops/quadratic-forms.wat). Each unordered pair {c, d}
 * appears once: the contraction pairs it with the symmetrised products S = P + P^T.
 */
export interface QuadraticKernels {
  names: string[];
  half: tf.Tensor3D;
  /** K4 (lanes per part of a row of `half`) */
  lanes: number;
  /**
   * For the sets whose values come from ../loops/exact-loops.ts: the float64 block of a basis of
   * the kernels' span (./kernel-span.ts; the 15-23 f-power kernels of a set span 4 dimensions)
   * and its copy on the wasm heap (int32 pairs)
   */
  span64?: KernelSpan;
  half64Tensor?: tf.Tensor;
  /**
   * When the kernels span fewer dimensions than there are kernels: the float32 block of the span's
   * basis kernels ([ns, h+1, 2 lanes]) and C [K, r] (kernel k = sum_q C[k, q] basis q), for the
   * SIMD contraction of ./loop-integrals.ts (r lanes instead of K)
   */
  span32?: { block: tf.Tensor3D; coefficients: tf.Tensor2D; rank: number; lanes: number };
  /**
   * Without the wasm kernel: the real block [2N+1, 2(N/2+1), 2K] = [[Re M, Im M], [-Im M, Re M]]
   * mapping [Re S | Im S] to [Re A | Im A] in one matMul (made from `half` on first use and
   * kept with the plan).
   */
  realBlock?: tf.Tensor3D;
}

/** K dot-product (P13-type) kernels as [1, K, N+1] real and imaginary parts. */
export interface DotKernels {
  names: string[];
  re: tf.Tensor3D;
  im: tf.Tensor3D;
  /** the same [K, N+1] in float64 */
  re64: Float64Array;
  im64: Float64Array;
}

export function createTensorBasis(n: number, bias: number): TensorBasis {
  const shape = basisShape(n, bias);
  const { nc, ns } = shape;
  return {
    shape,
    analysis: tf.tensor2d(Float32Array.from(analysisMatrix(shape)), [n, 2 * nc], 'float32'),
    dotScale: synthesisScale(shape, 'dot'),
    quadScale: synthesisScale(shape, 'quadratic'),
  };
}

export function disposeTensorBasis(basis: TensorBasis): void {
  tf.dispose(basis.analysis);
}

/** SIMD lanes per kernel group in `QuadraticKernels.half`. */
export const kernelLanes = (K: number) => 4 * Math.ceil(K / 4);

/**
 * Packs K complex symmetric kernels (row-major (N+1)x(N+1), float64) into `QuadraticKernels`;
 * with `float64` the float64 block is kept as well (the matter sets, ../loops/exact-loops.ts).
 */
export function packQuadraticKernels(
  shape: BasisShape,
  kernels: Record<string, ComplexArray>,
  float64 = false,
): QuadraticKernels {
  const names = Object.keys(kernels);
  const K4 = kernelLanes(names.length);
  const { nc, ns } = shape;
  const h = (nc - 1) / 2;
  const rows = ns * (h + 1);
  const half = new Float32Array(rows * 2 * K4);
  const vectors = names.map((name, k) => {
    const m = kernels[name];
    if (m.re.length !== nc * nc) throw new RangeError(`kernel ${name} must have (N+1)^2 = ${nc * nc} entries`);
    const v = halfEntries(shape, m); // [Re | Im] in the packed order
    for (let i = 0; i < rows; i++) {
      half[i * 2 * K4 + k] = v[i];
      half[i * 2 * K4 + K4 + k] = v[rows + i];
    }
    return v;
  });
  // the span pays off only beyond one SIMD group of kernels (./kernel-span.ts)
  const span = float64 || names.length > 4 ? kernelSpan(shape, vectors) : undefined;
  const span32 = span && span.rank < names.length
    ? {
      block: tf.tensor3d(Float32Array.from(span.block), [ns, h + 1, 2 * span.lanes], 'float32'),
      coefficients: tf.tensor2d(Float32Array.from(span.coefficients), [names.length, span.rank], 'float32'),
      rank: span.rank,
      lanes: span.lanes,
    }
    : undefined;
  return { names, half: tf.tensor3d(half, [ns, h + 1, 2 * K4], 'float32'), lanes: K4, span64: float64 ? span : undefined, span32 };
}

export function disposeQuadraticKernels(kernels: QuadraticKernels): void {
  tf.dispose([kernels.half, kernels.realBlock ?? [], kernels.half64Tensor ?? [], kernels.span32?.block ?? [], kernels.span32?.coefficients ?? []]);
}

export function packDotKernels(shape: BasisShape, kernels: Record<string, ComplexArray>): DotKernels {
  const names = Object.keys(kernels);
  const K = names.length;
  const { nc } = shape;
  const re = new Float64Array(K * nc);
  const im = new Float64Array(K * nc);
  names.forEach((name, k) => {
    const v = kernels[name];
    if (v.re.length !== nc) throw new RangeError(`kernel vector ${name} must have N+1 = ${nc} entries`);
    for (let c = 0; c < nc; c++) {
      re[k * nc + c] = v.re[c];
      im[k * nc + c] = v.im[c];
    }
  });
  return {
    names,
    re: tf.tensor3d(Float32Array.from(re), [1, K, nc], 'float32'),
    im: tf.tensor3d(Float32Array.from(im), [1, K, nc], 'float32'),
    re64: re,
    im64: im,
  };
}
