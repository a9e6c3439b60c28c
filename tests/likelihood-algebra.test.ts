/**
 * The likelihood's numerical pieces, each against an independent computation:
 * - analytic marginalisation vs brute-force numerical integration over the linear parameters
 *   (value, posterior mean and sd), and its vector-Jacobian product vs central differences;
 * - the not-a-knot spline vs scipy's InterpolatedUnivariateSpline (values pinned from scipy);
 * - the bin average: exact for a cubic (k^2-weighted average known in closed form);
 * - the Gaussian covariance of mock multipoles: its shot-noise-only limit in closed form;
 * - dual numbers vs central differences.
 */
import { describe, expect, it } from 'vitest';
import { marginalise, marginaliseVjp } from '../src/likelihood/marginalise';
import { cholesky } from '../src/numerics/dense';
import { notAKnotSplineOperator } from '../src/numerics/spline-not-a-knot';
import { binAverageOperator, theoryGrid } from '../src/likelihood/binning';
import { gaussianMultipoleCovariance } from '../src/likelihood/mock';
import { dualOps } from '../src/numerics/dual';
import { uniformRng } from './metrics';

/** A random symmetric positive definite matrix (A A^T + n I) and friends. */
function problem(n: number, P: number, seed: number) {
  const r = uniformRng(seed);
  const a = Float64Array.from({ length: n * n }, () => r() - 0.5);
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = i === j ? 0.3 : 0;
    for (let k = 0; k < n; k++) s += a[i * n + k] * a[j * n + k];
    c[i * n + j] = s;
  }
  return {
    residual: Float64Array.from({ length: n }, () => 2 * (r() - 0.5)),
    templates: Float64Array.from({ length: P * n }, () => r() - 0.5),
    sigma: Float64Array.from({ length: P }, () => 0.5 + r()),
    c,
  };
}

describe('likelihood algebra', () => {
  it('analytic marginalisation equals brute-force integration over the linear parameters', () => {
    const n = 5;
    const P = 2;
    const pr = problem(n, P, 7);
    const l = cholesky(pr.c, n)!;
    const m = marginalise({ residual: pr.residual, templates: pr.templates, sigma: pr.sigma, choleskyC: l });
    // -2 ln int exp(-chi2(u)/2) N(u; 0, I) du over u = (theta - mu)/sigma, chi2 with the model r + T^T (sigma o u)
    const cinv = (v: Float64Array) => {
      const y = new Float64Array(n);
      // solve C y = v by the Cholesky factor
      for (let i = 0; i < n; i++) { let s = v[i]; for (let k = 0; k < i; k++) s -= l[i * n + k] * y[k]; y[i] = s / l[i * n + i]; }
      for (let i = n - 1; i >= 0; i--) { let s = y[i]; for (let k = i + 1; k < n; k++) s -= l[k * n + i] * y[k]; y[i] = s / l[i * n + i]; }
      return y;
    };
    const chi2At = (u0: number, u1: number) => {
      const rr = Float64Array.from(pr.residual, (v, i) => v + pr.sigma[0] * u0 * pr.templates[i] + pr.sigma[1] * u1 * pr.templates[n + i]);
      const y = cinv(rr);
      return rr.reduce((s, v, i) => s + v * y[i], 0);
    };
    const chi2At0 = chi2At(0, 0);
    const steps = 600;
    const L = 10;
    const du = (2 * L) / steps;
    let z = 0;
    let m0 = 0;
    let m1 = 0;
    let s00 = 0;
    for (let a = 0; a <= steps; a++) {
      for (let b = 0; b <= steps; b++) {
        const u0 = -L + a * du;
        const u1 = -L + b * du;
        const w = Math.exp(-0.5 * (chi2At(u0, u1) - chi2At0) - 0.5 * (u0 * u0 + u1 * u1)) / (2 * Math.PI);
        z += w;
        m0 += w * u0;
        m1 += w * u1;
        s00 += w * u0 * u0;
      }
    }
    z *= du * du;
    const brute = chi2At0 - 2 * Math.log(z);
    expect(Math.abs(m.value - brute)).toBeLessThan(1e-9);
    const mean0 = (m0 * du * du) / z;
    const mean1 = (m1 * du * du) / z;
    expect(Math.abs(m.shift[0] - mean0)).toBeLessThan(1e-9);
    expect(Math.abs(m.shift[1] - mean1)).toBeLessThan(1e-9);
    expect(Math.abs(m.sdScaled[0] - Math.sqrt((s00 * du * du) / z - mean0 * mean0))).toBeLessThan(1e-9);
  });

  for (const withLogDet of [true, false]) {
    it(`the marginalisation VJP equals central differences (${withLogDet ? 'chi^2 + log-determinant' : 'chi^2 alone'})`, () => {
      const n = 9;
      const P = 3;
      const pr = problem(n, P, 11);
      const l = cholesky(pr.c, n)!;
      const value = (res: Float64Array, t: Float64Array) => {
        const m = marginalise({ residual: res, templates: t, sigma: pr.sigma, choleskyC: l });
        return withLogDet ? m.value : m.chi2;
      };
      const input = { residual: pr.residual, templates: pr.templates, sigma: pr.sigma, choleskyC: l };
      const g = marginaliseVjp(input, marginalise(input), 1, withLogDet);
      const e = 1e-6;
      let worst = 0;
      for (let i = 0; i < n; i++) {
        const p = Float64Array.from(pr.residual); p[i] += e;
        const q = Float64Array.from(pr.residual); q[i] -= e;
        worst = Math.max(worst, Math.abs((value(p, pr.templates) - value(q, pr.templates)) / (2 * e) - g.residual[i]));
      }
      for (let i = 0; i < P * n; i++) {
        const p = Float64Array.from(pr.templates); p[i] += e;
        const q = Float64Array.from(pr.templates); q[i] -= e;
        worst = Math.max(worst, Math.abs((value(pr.residual, p) - value(pr.residual, q)) / (2 * e) - g.templates[i]));
      }
      expect(worst).toBeLessThan(1e-7);
    });
  }

  it("the not-a-knot spline equals scipy's InterpolatedUnivariateSpline(k=3, ext=3)", () => {
    // scipy 1.x: x = exp(-3 + 0.37 i), y = sin(3x) + x^2, evaluated at xe (printed with %.15g)
    const x = Array.from({ length: 12 }, (_, i) => Math.exp(-3 + i * 0.37));
    const y = x.map((v) => Math.sin(3 * v) + v * v);
    const xe = [0.06, 0.1, 0.5, 1.7, 3.3, 10, 0.01];
    const scipy = [0.182629743256355, 0.305520206362442, 1.24724664195316, 2.05396703544035, 9.12717215312726, 9.12717215312726, 0.15128523228514];
    const w = notAKnotSplineOperator(x, xe);
    xe.forEach((_, e) => {
      const v = y.reduce((s, yy, j) => s + w[e * x.length + j] * yy, 0);
      expect(Math.abs(v - scipy[e])).toBeLessThan(1e-13);
    });
  });

  it('the k^2-weighted bin average of the spline is exact for a cubic', () => {
    const grid = theoryGrid(0.1975);
    const f = (k: number) => 3 + 20 * k - 100 * k * k + 300 * k * k * k;
    const lo = [0.01, 0.0375, 0.195];
    const hi = [0.015, 0.0425, 0.2];
    const A = binAverageOperator(grid, lo, hi);
    lo.forEach((a, i) => {
      const b = hi[i];
      // 3/(b^3 - a^3) int_a^b k^2 f(k) dk in closed form
      const F = (k: number) => 3 * k ** 3 / 3 + 20 * k ** 4 / 4 - 100 * k ** 5 / 5 + 300 * k ** 6 / 6;
      const exact = (3 * (F(b) - F(a))) / (b ** 3 - a ** 3);
      const got = Array.from(grid).reduce((s, k, j) => s + A[i * grid.length + j] * f(k), 0);
      expect(Math.abs(got - exact) / exact).toBeLessThan(1e-12);
    });
  });

  it('the Gaussian covariance of the multipoles has its shot-noise limit', () => {
    // P = 0: Cov_ll' = 2 (2l+1)(2l'+1)/N (1/nbar)^2 int_0^1 L_l L_l' = 2 (2l+1)/N (1/nbar)^2 delta_ll'
    const nk = 3;
    const kLow = [0.01, 0.05, 0.1];
    const kHigh = kLow.map((k) => k + 0.005);
    const zero = [0, 0, 0];
    const cov = gaussianMultipoleCovariance({ kLow, kHigh, pl: { 0: zero, 2: zero, 4: zero }, volume: 1e9, nbarInv: 3000 });
    const n = 3 * nk;
    for (let i = 0; i < nk; i++) {
      const modes = (1e9 * (kHigh[i] ** 3 - kLow[i] ** 3)) / (6 * Math.PI * Math.PI);
      [0, 2, 4].forEach((l, a) => {
        [0, 2, 4].forEach((_, b) => {
          const want = a === b ? (2 * (2 * l + 1) * 3000 * 3000) / modes : 0;
          expect(Math.abs(cov[(a * nk + i) * n + b * nk + i] - want)).toBeLessThan(1e-9 * (2 * 9 * 3000 * 3000) / modes);
        });
      });
    }
  });

  it('dual numbers give the derivatives of the formulas', () => {
    const o = dualOps(2);
    const f = (a: number, b: number) => Math.sqrt(a) * Math.exp(b * a) / (1 + Math.pow(a, 1.5)) + Math.log(b) * Math.sin(a);
    const x = o.variable(0.7, 0);
    const y = o.variable(1.3, 1);
    const d = o.add(o.div(o.mul(o.sqrt(x), o.exp(o.mul(y, x))), o.add(1, o.pow(x, 1.5))), o.mul(o.log(y), o.sin(x)));
    const e = 1e-6;
    expect(Math.abs(d.v - f(0.7, 1.3))).toBeLessThan(1e-14);
    expect(Math.abs(d.d[0] - (f(0.7 + e, 1.3) - f(0.7 - e, 1.3)) / (2 * e))).toBeLessThan(1e-8);
    expect(Math.abs(d.d[1] - (f(0.7, 1.3 + e) - f(0.7, 1.3 - e)) / (2 * e))).toBeLessThan(1e-8);
  });
});
