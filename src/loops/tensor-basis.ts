/**
 * One FFTLog basis (N, b) as float32 tensor constants, and kernel sets prepared for the O(N^2)
 * loop contractions of ./loop-integrals.ts. Built once per plan from float64 host matrices.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  analysisMatrix,
  basisShape,
  dotSynthesisMatrix,
  quadraticSynthesisMatrix,
  type BasisShape,
} from '../fftlog/decomposition';

export interface TensorBasis {
  shape: BasisShape;
  /** [N, 2(N+1)]: P -> [Re Fhat | Im Fhat] */
  analysis: tf.Tensor2D;
  /** [2(N+1), N]: P13-type synthesis */
  dotSynthesis: tf.Tensor2D;
  /** [2(2N+1), N]: P22-type synthesis */
  quadSynthesis: tf.Tensor2D;
}

/** A complex kernel matrix (row-major (N+1)x(N+1)) or vector (N+1), in float64. */
export interface ComplexArray {
  re: Float64Array;
  im: Float64Array;
}

/**
 * K quadratic (P22-type) kernels, sheared, as a real block [2N+1, 2(N+1), 2K]: for each
 * anti-diagonal s it maps [Re P(., s) | Im P(., s)] to [Re A_s | Im A_s] in one matMul.
 */
export interface QuadraticKernels {
  names: string[];
  block: tf.Tensor3D;
  /**
   * block[s] as 2N+1 separate [2(N+1), 2K] tensors, made on first use by a batched call (see
   * ../loops/loop-integrals contractAntiDiagonals) and kept with the plan.
   */
  slabs?: tf.Tensor2D[];
  /** the slabs transposed (made on first use by a batched gradient) */
  slabsT?: tf.Tensor2D[];
}

/** K dot-product (P13-type) kernels as [1, K, N+1] real and imaginary parts. */
export interface DotKernels {
  names: string[];
  re: tf.Tensor3D;
  im: tf.Tensor3D;
}

export function createTensorBasis(n: number, bias: number): TensorBasis {
  const shape = basisShape(n, bias);
  const { nc, ns } = shape;
  return {
    shape,
    analysis: tf.tensor2d(Float32Array.from(analysisMatrix(shape)), [n, 2 * nc], 'float32'),
    dotSynthesis: tf.tensor2d(Float32Array.from(dotSynthesisMatrix(shape)), [2 * nc, n], 'float32'),
    quadSynthesis: tf.tensor2d(Float32Array.from(quadraticSynthesisMatrix(shape)), [2 * ns, n], 'float32'),
  };
}

export function disposeTensorBasis(basis: TensorBasis): void {
  tf.dispose([basis.analysis, basis.dotSynthesis, basis.quadSynthesis]);
}

/**
 * Packs K complex symmetric kernels for the anti-diagonal contraction. With M'[c, s] = M[c, s-c]
 * (zero out of range), block[s] = [[Re M', Im M'], [-Im M', Re M']] (rows: Re P then Im P).
 */
export function packQuadraticKernels(
  shape: BasisShape,
  kernels: Record<string, ComplexArray>,
): QuadraticKernels {
  const names = Object.keys(kernels);
  const K = names.length;
  const { nc, ns } = shape;
  const h = (nc - 1) / 2;
  const width = 2 * (h + 1);
  const block = new Float32Array(ns * width * 2 * K);
  names.forEach((name, k) => {
    const m = kernels[name];
    if (m.re.length !== nc * nc) throw new RangeError(`kernel ${name} must have (N+1)^2 = ${nc * nc} entries`);
    for (let s = 0; s < ns; s++) {
      for (let t = 0; t <= h; t++) {
        const c = s < nc ? t : h + t;
        const d = s - c;
        if (d < 0 || d >= nc) continue;
        // each unordered pair once, against symmetrised products S = P + P^T: weight 1, 1/2 on c = d
        const keep = s < nc ? c <= d : c >= d;
        if (!keep) continue;
        const w = c === d ? 0.5 : 1;
        const mr = w * m.re[c * nc + d];
        const mi = w * m.im[c * nc + d];
        const base = s * width * 2 * K;
        block[base + t * 2 * K + k] = mr; // Re S -> Re A
        block[base + t * 2 * K + K + k] = mi; // Re S -> Im A
        block[base + (h + 1 + t) * 2 * K + k] = -mi; // Im S -> Re A
        block[base + (h + 1 + t) * 2 * K + K + k] = mr; // Im S -> Im A
      }
    }
  });
  return { names, block: tf.tensor3d(block, [ns, width, 2 * K], 'float32') };
}

export function packDotKernels(shape: BasisShape, kernels: Record<string, ComplexArray>): DotKernels {
  const names = Object.keys(kernels);
  const K = names.length;
  const { nc } = shape;
  const re = new Float32Array(K * nc);
  const im = new Float32Array(K * nc);
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
    re: tf.tensor3d(re, [1, K, nc], 'float32'),
    im: tf.tensor3d(im, [1, K, nc], 'float32'),
  };
}
