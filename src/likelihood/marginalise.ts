/**
 * Analytic marginalisation over parameters that enter the model linearly, with Gaussian priors
 * (the full_shape_spectra likelihood's `marg_cov`; Taylor et al. 2010, Philcox & Ivanov 2022):
 * with the model m(theta) = m(mu) + sum_p (theta_p - mu_p) t_p, residual r = m(mu) - d, data
 * covariance C and prior widths sigma_p,
 *
 *   -2 ln L_marg = r^T C_m^{-1} r + ln det C_m - ln det C,   C_m = C + sum_p sigma_p^2 t_p t_p^T.
 *
 * Computed in float64 by Woodbury with U = [sigma_p t_p] (n x P) and C = L L^T:
 *   a = L^{-1} r,  B = L^{-1} U,  K = I + B^T B,  y = K^{-1} B^T a,
 *   chi^2 = a.a - (B^T a).y,   ln det C_m - ln det C = ln det K.
 * The posterior of theta given the other parameters is Gaussian with mean mu - sigma o y (the
 * best fit users plot) and covariance sigma sigma^T o K^{-1}.
 * Vector-Jacobian product of V = chi^2 + ln det K (exact):
 *   dV/dr = 2 w,  w = C_m^{-1} r = L^{-T}(a - B y);   dV/dU = -2 w y^T + 2 L^{-T} B K^{-1}
 * (U^T w = y because K y = B^T a), and dV/dt_p = sigma_p dV/dU[:, p].
 */
import { cholesky, choleskySolve, logDetFromCholesky, solveLower, solveUpper } from '../numerics/dense';

export interface MarginalisedInput {
  /** residual m(mu) - d, [n] */
  residual: Float64Array;
  /** templates t_p, [P, n] row-major */
  templates: Float64Array;
  /** prior widths sigma_p, [P] */
  sigma: Float64Array;
  /** Cholesky factor of the data covariance, [n, n] */
  choleskyC: Float64Array;
}

export interface Marginalised {
  chi2: number;
  /** ln det C_m - ln det C */
  logDetTerm: number;
  /** chi2 + logDetTerm */
  value: number;
  /** posterior mean of (theta - mu) / sigma: -y */
  shift: Float64Array;
  /** posterior standard deviation of theta / sigma: sqrt(diag K^{-1}) */
  sdScaled: Float64Array;
  /** kept for the vector-Jacobian product */
  work: { a: Float64Array; B: Float64Array; y: Float64Array; lk: Float64Array };
}

export function marginalise(input: MarginalisedInput): Marginalised {
  const { residual: r, templates: t, sigma, choleskyC: l } = input;
  const n = r.length;
  const P = sigma.length;
  const a = solveLower(l, n, r);
  // U [n, P] = t^T diag(sigma)
  const u = new Float64Array(n * P);
  for (let p = 0; p < P; p++) for (let i = 0; i < n; i++) u[i * P + p] = sigma[p] * t[p * n + i];
  const B = solveLower(l, n, u, P);
  const K = new Float64Array(P * P);
  const c = new Float64Array(P);
  for (let p = 0; p < P; p++) {
    K[p * P + p] = 1;
    for (let i = 0; i < n; i++) c[p] += B[i * P + p] * a[i];
  }
  for (let i = 0; i < n; i++) {
    const row = i * P;
    for (let p = 0; p < P; p++) {
      const bp = B[row + p];
      if (bp === 0) continue;
      for (let q = 0; q < P; q++) K[p * P + q] += bp * B[row + q];
    }
  }
  const lk = cholesky(K, P);
  if (!lk) throw new Error('internal: I + B^T B is not positive definite');
  const y = choleskySolve(lk, P, c);
  let aa = 0;
  for (let i = 0; i < n; i++) aa += a[i] * a[i];
  let cy = 0;
  for (let p = 0; p < P; p++) cy += c[p] * y[p];
  const chi2 = aa - cy;
  const logDetTerm = logDetFromCholesky(lk, P);
  const sdScaled = new Float64Array(P);
  for (let p = 0; p < P; p++) {
    const e = new Float64Array(P);
    e[p] = 1;
    sdScaled[p] = Math.sqrt(choleskySolve(lk, P, e)[p]);
  }
  return { chi2, logDetTerm, value: chi2 + logDetTerm, shift: y.map((v) => -v), sdScaled, work: { a, B, y, lk } };
}

/**
 * dV/dresidual [n] and dV/dtemplates [P, n] for V = chi2 + logDetTerm (or V = chi2 alone with
 * `withLogDet` false: the log-determinant's term 2 L^{-T} B K^{-1} drops out), times the cotangent g.
 */
export function marginaliseVjp(input: MarginalisedInput, m: Marginalised, g: number, withLogDet = true): { residual: Float64Array; templates: Float64Array } {
  const { sigma, choleskyC: l } = input;
  const n = input.residual.length;
  const P = sigma.length;
  const { a, B, y, lk } = m.work;
  // w = L^{-T}(a - B y)
  const ab = Float64Array.from(a);
  for (let i = 0; i < n; i++) for (let p = 0; p < P; p++) ab[i] -= B[i * P + p] * y[p];
  const w = solveUpper(l, n, ab);
  // L^{-T} B K^{-1}: K^{-1} applied to the rows of B, then L^{-T}
  let z: Float64Array | undefined;
  if (withLogDet) {
    const bk = new Float64Array(n * P);
    for (let i = 0; i < n; i++) bk.set(choleskySolve(lk, P, B.subarray(i * P, (i + 1) * P)), i * P);
    z = solveUpper(l, n, bk, P);
  }
  const dr = w.map((v) => 2 * g * v);
  const dt = new Float64Array(P * n);
  for (let p = 0; p < P; p++) {
    for (let i = 0; i < n; i++) dt[p * n + i] = g * sigma[p] * (-2 * w[i] * y[p] + (z ? 2 * z[i * P + p] : 0));
  }
  return { residual: dr, templates: dt };
}
