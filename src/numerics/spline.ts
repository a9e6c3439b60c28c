/**
 * CLASS's natural cubic spline, in float64 (tools/arrays.c: `array_spline_table_columns` /
 * `array_spline_table_lines` with `_SPLINE_NATURAL_`, evaluated by `array_interpolate_spline`).
 * CLASS-PT uses it everywhere (`SPLINE_SETUP` / `SPLINE_EVAL` in nonlinear_pt.c).
 *
 * Second derivatives M solve the tridiagonal system with M_0 = M_{n-1} = 0 by CLASS's sweep
 * (sig_i = (x_i - x_{i-1})/(x_{i+1} - x_{i-1}), p_i = sig_i d_{i-1} + 2, d_i = (sig_i - 1)/p_i,
 * u_i = (6 s_i/(x_{i+1} - x_{i-1}) - sig_i u_{i-1})/p_i, then M_i = d_i M_{i+1} + u_i), with the
 * abscissa-only factors precomputed (`splineKnots`): CLASS's numbers up to rounding. Evaluation in the
 * interval [x_i, x_{i+1}] with x_i <= x < x_{i+1} (the last interval includes its right end):
 *   y = a y_i + b y_{i+1} + ((a^3 - a) M_i + (b^3 - b) M_{i+1}) h^2/6,  b = (x - x_i)/h, a = 1 - b.
 *
 * For fixed knots the spline is linear in y: spline(y)(xEval) = W y. `splineOperator` builds W
 * densely; `splineAdjoint` applies W^T to a vector in O(nKnots + nEval) without forming W (the
 * vector-Jacobian product needed for gradients with respect to the knot values).
 */

/**
 * The abscissa-only part of CLASS's sweep, factored once per knot set (the IR step re-splines on
 * the same 65536 knots for every cosmology): d_i, the forward-sweep coefficients
 * c_i = 6 / ((x_{i+1} - x_{i-1}) p_i) and e_i = sig_i / p_i, and 1/(x_{i+1} - x_i).
 * With them the sweep is u_i = c_i S_i - e_i u_{i-1}, S_i the second divided difference
 * (CLASS divides by p_i and the widths instead: the same numbers up to rounding).
 */
export interface SplineKnots {
  x: Float64Array;
  d: Float64Array;
  c: Float64Array;
  e: Float64Array;
  hInv: Float64Array;
}

export function splineKnots(xIn: ArrayLike<number>): SplineKnots {
  checkKnots(xIn);
  const x = Float64Array.from(xIn);
  const n = x.length;
  const d = new Float64Array(n);
  const c = new Float64Array(n);
  const e = new Float64Array(n);
  const hInv = new Float64Array(n);
  for (let i = 0; i < n - 1; i++) hInv[i] = 1 / (x[i + 1] - x[i]);
  for (let i = 1; i < n - 1; i++) {
    const sig = (x[i] - x[i - 1]) / (x[i + 1] - x[i - 1]);
    const p = sig * d[i - 1] + 2.0;
    d[i] = (sig - 1.0) / p;
    c[i] = 6.0 / (x[i + 1] - x[i - 1]) / p;
    e[i] = sig / p;
  }
  return { x, d, c, e, hInv };
}

function checkKnots(x: ArrayLike<number>, y?: ArrayLike<number>): void {
  if (x.length < 2) throw new RangeError(`spline needs at least 2 knots, got ${x.length}`);
  if (y !== undefined && y.length !== x.length) {
    throw new RangeError(`spline knots: x has ${x.length} entries but y has ${y.length}`);
  }
}

function isKnots(x: ArrayLike<number> | SplineKnots): x is SplineKnots {
  return (x as SplineKnots).hInv !== undefined;
}

/**
 * Natural-spline second derivatives M (CLASS `array_spline_table_columns`, `_SPLINE_NATURAL_`),
 * from the knots or their factorisation (`splineKnots`, for knots used again and again).
 */
export function splineSecondDerivatives(knots: ArrayLike<number> | SplineKnots, y: ArrayLike<number>): Float64Array {
  const { d, c, e, hInv } = isKnots(knots) ? knots : splineKnots(knots);
  checkKnots(d, y);
  const n = d.length;
  const yy = y instanceof Float64Array ? y : Float64Array.from(y);
  const m = new Float64Array(n); // u_i in the forward sweep, then M_i
  let slopeLeft = (yy[1] - yy[0]) * hInv[0];
  let u = 0;
  for (let i = 1; i < n - 1; i++) {
    const slopeRight = (yy[i + 1] - yy[i]) * hInv[i];
    u = c[i] * (slopeRight - slopeLeft) - e[i] * u;
    m[i] = u;
    slopeLeft = slopeRight;
  }
  let mNext = 0; // natural end: qn = un = 0, M_{n-1} = 0
  for (let i = n - 2; i >= 0; i--) {
    mNext = d[i] * mNext + m[i];
    m[i] = mNext;
  }
  return m;
}

/**
 * Interval index i with x_i <= t < x_{i+1} (clamped to [0, n-2]), as CLASS's bisection in
 * `array_interpolate_spline` picks it. Throws when t lies outside [x_0, x_{n-1}] (CLASS fails too).
 */
export function splineInterval(x: ArrayLike<number>, t: number): number {
  const n = x.length;
  if (!(t >= x[0] && t <= x[n - 1])) {
    throw new RangeError(`spline evaluation point ${t} outside the knot range [${x[0]}, ${x[n - 1]}]`);
  }
  let inf = 0;
  let sup = n - 1;
  while (sup - inf > 1) {
    const mid = (inf + sup) >> 1;
    if (t < x[mid]) sup = mid;
    else inf = mid;
  }
  return inf;
}

/**
 * Interval finder with a cursor: O(1) amortised for monotone queries, bisection otherwise.
 * Picks the same interval as `splineInterval`.
 */
function makeLocator(x: ArrayLike<number>): (t: number) => number {
  const n = x.length;
  let last = 0;
  return (t: number) => {
    if (!(t >= x[0] && t <= x[n - 1])) {
      throw new RangeError(`spline evaluation point ${t} outside the knot range [${x[0]}, ${x[n - 1]}]`);
    }
    let i = last;
    if (t >= x[i]) {
      // walk right a few steps, then fall back to bisection
      let steps = 0;
      while (i < n - 2 && t >= x[i + 1]) {
        if (++steps > 8) return (last = splineInterval(x, t));
        i++;
      }
      return (last = i);
    }
    return (last = splineInterval(x, t));
  };
}

function f64(a: ArrayLike<number>): Float64Array {
  return a instanceof Float64Array ? a : Float64Array.from(a);
}

/**
 * Evaluate the spline (knots x, values y, second derivatives y2) at xEval[from..to) into `out`
 * (`array_interpolate_spline`'s formula; points in any order), stopping at the first point outside
 * [x_0, x_{n-1}] (or NaN): returns its index, `to` if there is none. Each run of consecutive
 * points in one interval is a tight loop with the interval's factors (1/h, h^2/6, end values)
 * hoisted, so sorted points cost O(1) each with no search; a new run finds its interval with
 * `makeLocator`.
 */
export function splineEvaluateRun(
  x: Float64Array,
  y: Float64Array,
  y2: Float64Array,
  xEval: ArrayLike<number>,
  out: Float64Array,
  from: number,
  to: number,
): number {
  checkKnots(x, y);
  const n = x.length;
  const xMin = x[0];
  const xMax = x[n - 1];
  const locate = makeLocator(x);
  let e = from;
  while (e < to) {
    const t0 = xEval[e];
    if (!(t0 >= xMin && t0 <= xMax)) return e;
    const i = locate(t0);
    const xl = x[i];
    const xr = i === n - 2 ? Infinity : x[i + 1]; // the last interval includes its right end
    const h = x[i + 1] - xl;
    const hInv = 1 / h;
    const h26 = (h * h) / 6;
    const yl = y[i];
    const yr = y[i + 1];
    const ml = y2[i];
    const mr = y2[i + 1];
    for (; e < to; e++) {
      const t = xEval[e];
      if (!(t >= xl && t < xr && t <= xMax)) break;
      const b = (t - xl) * hInv;
      const a = 1 - b;
      out[e] = a * yl + b * yr + ((a * a * a - a) * ml + (b * b * b - b) * mr) * h26;
    }
  }
  return to;
}

/** Evaluate the spline (knots x, values y, second derivatives y2) at xEval (any order). */
export function splineEvaluate(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  y2: ArrayLike<number>,
  xEval: ArrayLike<number>,
): Float64Array {
  const xx = f64(x);
  const out = new Float64Array(xEval.length);
  const stop = splineEvaluateRun(xx, f64(y), f64(y2), xEval, out, 0, xEval.length);
  if (stop < xEval.length) splineInterval(xx, xEval[stop]); // throws, naming the point (CLASS fails too)
  return out;
}

/** Natural spline through (x, y) evaluated at xEval: `splineEvaluate(x, y, splineSecondDerivatives(x, y), xEval)`. */
export function splineInterpolate(x: ArrayLike<number>, y: ArrayLike<number>, xEval: ArrayLike<number>): Float64Array {
  return splineEvaluate(x, y, splineSecondDerivatives(x, y), xEval);
}

/**
 * Dense spline matrix W, row-major [nEval x nKnots], with spline(y)(xEval) = W y.
 * Cost O(nKnots^2 + nEval nKnots): the matrix C = dM/dy (nKnots x nKnots) is obtained by running
 * CLASS's sweep on all unit vectors at once, then each row of W combines two rows of C. Meant for
 * FFTLog-sized grids (at most 4096 knots); larger knot sets should use `splineAdjoint`.
 */
export function splineOperator(xKnots: ArrayLike<number>, xEval: ArrayLike<number>): Float64Array {
  checkKnots(xKnots);
  const n = xKnots.length;
  if (n > 4096) {
    throw new RangeError(`splineOperator builds an ${n} x ${n} intermediate; for ${n} knots apply splineAdjoint instead`);
  }
  const x = xKnots;
  const { d, c, e, hInv } = splineKnots(x);
  // C[i*n + j] = dM_i/dy_j. Forward sweep: U_i = c_i S_i - e_i U_{i-1}, where S_i is the row of
  // the second divided difference (three nonzeros); U_i has nonzeros in columns <= i+1.
  const C = new Float64Array(n * n);
  for (let i = 1; i < n - 1; i++) {
    const row = i * n;
    const prev = (i - 1) * n;
    const f = -e[i];
    for (let j = 0; j <= i; j++) C[row + j] = f * C[prev + j];
    const hr = hInv[i];
    const hl = hInv[i - 1];
    C[row + i + 1] += c[i] * hr;
    C[row + i] += -c[i] * (hr + hl);
    C[row + i - 1] += c[i] * hl;
  }
  // back substitution: M_{n-1} = 0, M_i = d_i M_{i+1} + U_i; M_0 = 0 (d_0 = U_0 = 0)
  C.fill(0, (n - 1) * n, n * n);
  for (let i = n - 2; i >= 1; i--) {
    const row = i * n;
    const next = (i + 1) * n;
    const di = d[i];
    for (let j = 0; j < n; j++) C[row + j] += di * C[next + j];
  }
  const W = new Float64Array(xEval.length * n);
  const locate = makeLocator(x);
  for (let e = 0; e < xEval.length; e++) {
    const t = xEval[e];
    const i = locate(t);
    const h = x[i + 1] - x[i];
    const b = (t - x[i]) / h;
    const a = 1 - b;
    const ca = ((a * a * a - a) * h * h) / 6;
    const cb = ((b * b * b - b) * h * h) / 6;
    const row = e * n;
    const ri = i * n;
    const rj = (i + 1) * n;
    for (let j = 0; j < n; j++) W[row + j] = ca * C[ri + j] + cb * C[rj + j];
    W[row + i] += a;
    W[row + i + 1] += b;
  }
  return W;
}

/**
 * W^T g: the adjoint of `y -> spline(y)(xEval)` for fixed knots (the vector-Jacobian product of
 * the knot values), from the knots or their factorisation. O(nKnots + nEval), no dense matrix.
 * Returns a vector of length nKnots.
 */
export function splineAdjoint(
  knots: ArrayLike<number> | SplineKnots,
  xEval: ArrayLike<number>,
  g: ArrayLike<number>,
): Float64Array {
  if (g.length !== xEval.length) throw new RangeError(`splineAdjoint: g has ${g.length} entries, xEval ${xEval.length}`);
  const { x, d, c, e, hInv } = isKnots(knots) ? knots : splineKnots(knots);
  const n = x.length;
  const gy = new Float64Array(n);
  const gM = new Float64Array(n);
  const locate = makeLocator(x);
  // adjoint of the evaluation formula (as splineEvaluateRun evaluates it)
  let i = 0;
  for (let q = 0; q < xEval.length; q++) {
    const t = xEval[q];
    if (!(t >= x[i] && t < x[i + 1])) i = locate(t);
    const h = x[i + 1] - x[i];
    const b = (t - x[i]) * hInv[i];
    const a = 1 - b;
    const h26 = (h * h) / 6;
    const gq = g[q];
    gy[i] += a * gq;
    gy[i + 1] += b * gq;
    gM[i] += (a * a * a - a) * h26 * gq;
    gM[i + 1] += (b * b * b - b) * h26 * gq;
  }
  // adjoint of the back substitution M_i = d_i M_{i+1} + U_i (i = n-2 .. 0), M_{n-1} = 0
  const gU = new Float64Array(n);
  for (let i = 0; i <= n - 2; i++) {
    gU[i] = gM[i];
    gM[i + 1] += d[i] * gM[i];
  }
  // adjoint of the forward sweep U_i = c_i S_i - e_i U_{i-1} (i = 1 .. n-2), U_0 = 0,
  // S_i = (y_{i+1} - y_i)/h_i - (y_i - y_{i-1})/h_{i-1}
  for (let i = n - 2; i >= 1; i--) {
    const gs = c[i] * gU[i];
    gU[i - 1] -= e[i] * gU[i];
    gy[i + 1] += gs * hInv[i];
    gy[i] -= gs * (hInv[i] + hInv[i - 1]);
    gy[i - 1] += gs * hInv[i - 1];
  }
  return gy;
}

/**
 * The first derivative of the spline (knots x, values y, second derivatives y2) at xEval, from the
 * derivative of the evaluation formula in [x_i, x_{i+1}]:
 *   y' = (y_{i+1} - y_i)/h - (3 a^2 - 1) h M_i / 6 + (3 b^2 - 1) h M_{i+1} / 6,
 * i.e. the exact derivative of what `splineEvaluate` computes (same interval choice).
 */
export function splineDerivativeEvaluate(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  y2: ArrayLike<number>,
  xEval: ArrayLike<number>,
): Float64Array {
  checkKnots(x, y);
  const locate = makeLocator(x);
  const out = new Float64Array(xEval.length);
  for (let e = 0; e < xEval.length; e++) {
    const t = xEval[e];
    const i = locate(t);
    const h = x[i + 1] - x[i];
    const b = (t - x[i]) / h;
    const a = 1 - b;
    out[e] = (y[i + 1] - y[i]) / h + ((-(3 * a * a - 1)) * y2[i] + (3 * b * b - 1) * y2[i + 1]) * (h / 6);
  }
  return out;
}

/**
 * Dense matrix W' [nEval x nKnots] with d/dx spline(y)(xEval) = W' y (the derivative of
 * `splineOperator`'s rows with respect to the evaluation point).
 */
export function splineDerivativeOperator(xKnots: ArrayLike<number>, xEval: ArrayLike<number>): Float64Array {
  checkKnots(xKnots);
  const n = xKnots.length;
  const out = new Float64Array(xEval.length * n);
  const unit = new Float64Array(n);
  const knots = splineKnots(xKnots);
  for (let j = 0; j < n; j++) {
    unit.fill(0);
    unit[j] = 1;
    const col = splineDerivativeEvaluate(knots.x, unit, splineSecondDerivatives(knots, unit), xEval);
    for (let e = 0; e < xEval.length; e++) out[e * n + j] = col[e];
  }
  return out;
}
