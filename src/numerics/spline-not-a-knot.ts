/**
 * The cubic interpolating spline with not-a-knot ends, as scipy's
 * `InterpolatedUnivariateSpline(x, y, k=3)` builds it (FITPACK with s = 0: interior knots
 * x_2 .. x_{n-3}, so one cubic spans [x_0, x_2] and one [x_{n-3}, x_{n-1}]; equivalently the
 * third derivative is continuous at x_1 and x_{n-2}), with `ext=3` (constant extrapolation:
 * the end values outside [x_0, x_{n-1}]). The BOSS likelihood averages its theory over k bins
 * through this spline (../likelihood/binning.ts).
 *
 * Second derivatives M solve, for i = 1 .. n-2,
 *   h_{i-1} M_{i-1} + 2 (h_{i-1} + h_i) M_i + h_i M_{i+1} = 6 (s_i - s_{i-1}),  s_i = (y_{i+1} - y_i)/h_i,
 * with h_1 M_0 - (h_0 + h_1) M_1 + h_0 M_2 = 0 and its mirror at the right end; evaluation is the
 * usual cubic in [x_i, x_{i+1}]. For fixed knots the spline is linear in y: W y.
 */
import { solveGeneral } from './dense';

/** The matrix D [n x n] with M = D y (second derivatives of the not-a-knot spline). */
export function notAKnotSecondDerivativeOperator(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  if (n < 4) throw new RangeError(`not-a-knot spline needs at least 4 knots, got ${n}`);
  const h = new Float64Array(n - 1);
  for (let i = 0; i < n - 1; i++) {
    h[i] = x[i + 1] - x[i];
    if (!(h[i] > 0)) throw new RangeError(`not-a-knot spline: knots must increase strictly (x[${i + 1}] = ${x[i + 1]} <= x[${i}] = ${x[i]})`);
  }
  const a = new Float64Array(n * n);
  const r = new Float64Array(n * n); // right-hand side as an operator on y
  a[0] = h[1];
  a[1] = -(h[0] + h[1]);
  a[2] = h[0];
  for (let i = 1; i < n - 1; i++) {
    a[i * n + i - 1] = h[i - 1];
    a[i * n + i] = 2 * (h[i - 1] + h[i]);
    a[i * n + i + 1] = h[i];
    r[i * n + i + 1] += 6 / h[i];
    r[i * n + i] -= 6 / h[i] + 6 / h[i - 1];
    r[i * n + i - 1] += 6 / h[i - 1];
  }
  const last = (n - 1) * n;
  a[last + n - 3] = h[n - 2];
  a[last + n - 2] = -(h[n - 3] + h[n - 2]);
  a[last + n - 1] = h[n - 3];
  return solveGeneral(a, n, r, n);
}

/** Dense W [nEval x n] with spline(y)(xEval) = W y (not-a-knot ends, constant extrapolation). */
export function notAKnotSplineOperator(x: ArrayLike<number>, xEval: ArrayLike<number>): Float64Array {
  const n = x.length;
  const d = notAKnotSecondDerivativeOperator(x);
  const w = new Float64Array(xEval.length * n);
  for (let e = 0; e < xEval.length; e++) {
    const t = xEval[e];
    const row = e * n;
    if (!(t >= x[0])) {
      if (Number.isNaN(t)) throw new RangeError(`not-a-knot spline: evaluation point ${e} is NaN`);
      w[row] = 1;
      continue;
    }
    if (t >= x[n - 1]) {
      w[row + n - 1] = 1;
      continue;
    }
    let lo = 0;
    let hi = n - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (t < x[mid]) hi = mid;
      else lo = mid;
    }
    const hh = x[lo + 1] - x[lo];
    const b = (t - x[lo]) / hh;
    const a = 1 - b;
    const ca = ((a * a * a - a) * hh * hh) / 6;
    const cb = ((b * b * b - b) * hh * hh) / 6;
    for (let j = 0; j < n; j++) w[row + j] = ca * d[lo * n + j] + cb * d[(lo + 1) * n + j];
    w[row + lo] += a;
    w[row + lo + 1] += b;
  }
  return w;
}
