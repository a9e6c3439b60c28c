/**
 * The last step of CLASS-PT's real- and redshift-space paths: a natural cubic spline in k (not
 * ln k) over the FFTLog nodes, evaluated at the output k (`SPLINE_SETUP(kdisc, ...)` then
 * `SPLINE_EVAL`). The spline is linear in the node values, so for fixed nodes and output k it is
 * a fixed matrix, applied here as one batched matMul (and differentiable for free).
 */
import * as tf from '@tensorflow/tfjs-core';
import { splineOperator, splineSecondDerivatives } from './spline';

/**
 * [B, N, nOut] float32 tensor W^T with values(kOut) = values(grid) . W^T, one per cosmology.
 * A cubic spline is invariant under a common rescaling of knots and evaluation points, and the
 * FFTLog nodes are k_min e^{j Delta}: W depends only on kOut / k_min (and N). Analyses keep their
 * k bins fixed in h/Mpc, so kOut / k_min = kOut / (5e-5 h) repeats from call to call and across
 * a batch; the operators are kept for the last few such keys.
 */
export function outputSplineOperators(gridKMpc: Float64Array[], kOutMpc: Float64Array[]): tf.Tensor3D {
  const B = gridKMpc.length;
  const n = gridKMpc[0].length;
  const nOut = kOutMpc[0].length;
  const data = new Float32Array(B * n * nOut);
  for (let b = 0; b < B; b++) data.set(scaledOperator(gridKMpc[b], kOutMpc[b]), b * n * nOut);
  return tf.tensor3d(data, [B, n, nOut]);
}

const operatorCache = new Map<string, Float32Array>();
const OPERATOR_CACHE_SIZE = 8;

/** W^T [N, nOut] for knots grid and points kOut, through the scale-free key (see above). */
function scaledOperator(grid: Float64Array, kOut: Float64Array): Float32Array {
  const k0 = grid[0];
  const v = Float64Array.from(kOut, (k) => k / k0);
  const key = `${grid.length}:${v.join(',')}`;
  let wT = operatorCache.get(key);
  if (!wT) {
    const n = grid.length;
    const nOut = v.length;
    const w = splineOperator(Float64Array.from(grid, (k) => k / k0), v); // [nOut, N] row-major
    wT = new Float32Array(n * nOut);
    for (let i = 0; i < nOut; i++) {
      for (let j = 0; j < n; j++) wT[j * nOut + i] = w[i * n + j];
    }
    if (operatorCache.size >= OPERATOR_CACHE_SIZE) operatorCache.delete(operatorCache.keys().next().value as string);
    operatorCache.set(key, wT);
  }
  return wT;
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
