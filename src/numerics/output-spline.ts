/**
 * The last step of CLASS-PT's real- and redshift-space paths: a natural cubic spline in k (not
 * ln k) over the FFTLog nodes, evaluated at the output k (`SPLINE_SETUP(kdisc, ...)` then
 * `SPLINE_EVAL`). The spline is linear in the node values, so for fixed nodes and output k it is
 * a fixed matrix, applied here as one batched matMul (and differentiable for free).
 */
import * as tf from '@tensorflow/tfjs-core';
import { splineOperator, splineSecondDerivatives } from './spline';

/** [B, N, nOut] float32 tensor W^T with values(kOut) = values(grid) . W^T, one per cosmology. */
export function outputSplineOperators(gridKMpc: Float64Array[], kOutMpc: Float64Array[]): tf.Tensor3D {
  const B = gridKMpc.length;
  const n = gridKMpc[0].length;
  const nOut = kOutMpc[0].length;
  const data = new Float32Array(B * n * nOut);
  for (let b = 0; b < B; b++) {
    const w = splineOperator(gridKMpc[b], kOutMpc[b]); // [nOut, N] row-major
    const base = b * n * nOut;
    for (let i = 0; i < nOut; i++) {
      for (let j = 0; j < n; j++) data[base + j * nOut + i] = w[i * n + j];
    }
  }
  return tf.tensor3d(data, [B, n, nOut]);
}

/**
 * [N, N] float32 tensor D^T with y'' = y . D^T for one set of knots (see below).
 * The FFTLog nodes are h times fixed nodes, and the natural spline's second derivatives scale as
 * 1/h^2, so one operator on the fixed nodes serves every cosmology: y''(h) = (y . D^T) / h^2.
 */
export function secondDerivativeOperator(knots: Float64Array): tf.Tensor2D {
  return tf.tidy(() => tf.reshape(secondDerivativeOperators([knots]), [knots.length, knots.length]) as tf.Tensor2D);
}

/**
 * [B, N, N] float32 tensor D^T with y'' = y . D^T: the natural-spline second derivatives in k
 * over each cosmology's FFTLog nodes (CLASS `array_spline_table_columns`, natural), as a linear
 * operator so that spline evaluation at arbitrary points stays a tensor expression.
 */
export function secondDerivativeOperators(gridKMpc: Float64Array[]): tf.Tensor3D {
  const B = gridKMpc.length;
  const n = gridKMpc[0].length;
  const data = new Float32Array(B * n * n);
  const unit = new Float64Array(n);
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < n; j++) {
      unit.fill(0);
      unit[j] = 1;
      const column = splineSecondDerivatives(gridKMpc[b], unit); // D[:, j]
      for (let i = 0; i < n; i++) data[b * n * n + j * n + i] = column[i]; // D^T[j, i]
    }
  }
  return tf.tensor3d(data, [B, n, n]);
}
