/**
 * FFTLog kernel matrices on CLASS-PT's grid, computed in float64 from the analytic Gamma-function
 * formulas of ./gamma-kernels (CLASS-PT instead loads them from `pt_matrices/*.dat`).
 *
 * Exponents: eta_c = b + 2 pi i (c - N/2) / (N Delta), c = 0..N (N+1 values), Delta = ln(kmax/kmin)/(N-1),
 * evaluated at nu_c = -eta_c / 2. P22-type matrices are (N+1)x(N+1), row-major, entry [c][d] with
 * nu1 = nu_c, nu2 = nu_d; they are complex symmetric (M[c][d] = M[d][c], no conjugation) and satisfy
 * M[N-c][N-d] = conj(M[c][d]) because eta_{N-c} = conj(eta_c). P13-type kernels are vectors of N+1.
 *
 * Singular entries: for these biases no entry meets a Gamma pole, a zero of nu (1 + nu)(1/2 - nu),
 * (nu+1) nu (nu-1)(nu-2)(nu-3), or a pole of tan(pi nu): Re nu = -b/2 is 0.15 (matter) or
 * 0.80000005 (bias), Re(nu12 - 3/2) = -1.2 or 0.1000001. CLASS-PT's files contain no NaN or Inf
 * either (checked for N = 128, 256, 512), so nothing needs patching. The Gamma ratios only fall as
 * powers of |Im nu|, so no entry underflows: at N = 512 the smallest |M22| entry is 3e-6 (largest 2.5e-2).
 *
 * Accuracy: entries agree with 40-digit mpmath to ~1e-13 relative (the phase of J grows like
 * |Im nu| ln|nu| ~ 10^3 rad at N = 512, so float64 phases carry ~1e-13 absolute error); CLASS-PT's
 * files have errors of the same size.
 */
import { fftlogDelta } from '../fftlog/grid';
import type { Complex } from '../numerics/complex';
import { id2, id2g2, ifg2, ig2, ig2g2, j22, m13, m22 } from './gamma-kernels';

/** FFTLog bias of the matter loops (CLASS-PT `b = -0.3`). */
export const MATTER_BIAS = -0.3;
/** FFTLog bias of the bias-operator loops (CLASS-PT `b2 = -1.6000001`). */
export const BIAS_OPERATOR_BIAS = -1.6000001;

/** Split complex storage: re[i] + i im[i]. */
export interface ComplexArray {
  re: Float64Array;
  im: Float64Array;
}

export type MatrixKernel = (nu1: Complex, nu2: Complex) => Complex;
export type VectorKernel = (nu: Complex) => Complex;

/** The N+1 FFTLog exponents eta_c = b + 2 pi i (c - N/2)/(N Delta) (CLASS-PT `etam`, `etam2`). */
export function fftlogExponents(n: number, b: number): ComplexArray {
  if (!Number.isInteger(n) || n < 2 || n % 2 !== 0) throw new RangeError(`N must be an even integer >= 2, got ${n}`);
  const delta = fftlogDelta(n);
  const re = new Float64Array(n + 1).fill(b);
  const im = new Float64Array(n + 1);
  for (let c = 0; c <= n; c++) im[c] = (2 * Math.PI * (c - n / 2)) / n / delta;
  return { re, im };
}

/** nu_c = -eta_c / 2 as Complex values */
function exponentsNu(n: number, b: number): Complex[] {
  const eta = fftlogExponents(n, b);
  return Array.from({ length: n + 1 }, (_, c) => ({ re: -eta.re[c] / 2, im: -eta.im[c] / 2 }));
}

/**
 * A P22-type kernel matrix, row-major (N+1)x(N+1), M[c][d] = kernel(nu_c, nu_d). The kernel must be
 * symmetric in (nu1, nu2): only the lower triangle d <= c is evaluated and mirrored.
 */
export function buildMatrix22(n: number, b: number, kernel: MatrixKernel): ComplexArray {
  const nu = exponentsNu(n, b);
  const nc = n + 1;
  const re = new Float64Array(nc * nc);
  const im = new Float64Array(nc * nc);
  for (let c = 0; c < nc; c++) {
    for (let d = 0; d <= c; d++) {
      const m = kernel(nu[c], nu[d]);
      re[c * nc + d] = m.re;
      im[c * nc + d] = m.im;
      re[d * nc + c] = m.re;
      im[d * nc + c] = m.im;
    }
  }
  return { re, im };
}

/** A P13-type kernel vector of N+1 entries, v[c] = kernel(nu_c). */
export function buildVector13(n: number, b: number, kernel: VectorKernel): ComplexArray {
  const nu = exponentsNu(n, b);
  const re = new Float64Array(n + 1);
  const im = new Float64Array(n + 1);
  nu.forEach((x, c) => {
    const m = kernel(x);
    re[c] = m.re;
    im[c] = m.im;
  });
  return { re, im };
}

/** Matter P22 (F2 F2) matrix, b = -0.3 (CLASS-PT `M22_oneline`). */
export function matterM22(n: number): ComplexArray {
  return buildMatrix22(n, MATTER_BIAS, m22);
}

/** Matter P13 vector, b = -0.3 (CLASS-PT `M13_oneline`). */
export function matterM13(n: number): ComplexArray {
  return buildVector13(n, MATTER_BIAS, m13);
}

/**
 * J at b = -1.6000001 (CLASS-PT `M22basic_oneline`). This is also the Id2d2 kernel: CLASS-PT
 * computes f = 2 Re(X2^T J X2) for I_{delta^2 delta^2} (the factor 2 is applied by the caller).
 */
export function biasJ(n: number): ComplexArray {
  return buildMatrix22(n, BIAS_OPERATOR_BIAS, j22);
}

/** F_G2 P13-type vector, b = -1.6000001 (CLASS-PT `IFG2_oneline`). */
export function biasIFG2(n: number): ComplexArray {
  return buildVector13(n, BIAS_OPERATOR_BIAS, ifg2);
}

/** I_{delta^2} matrix, b = -1.6000001 (CLASS-PT `M_Id2`). */
export function biasId2(n: number): ComplexArray {
  return buildMatrix22(n, BIAS_OPERATOR_BIAS, id2);
}

/** I_{G2} matrix, b = -1.6000001 (CLASS-PT `M_IG2`). */
export function biasIG2(n: number): ComplexArray {
  return buildMatrix22(n, BIAS_OPERATOR_BIAS, ig2);
}

/** I_{delta^2 G2} matrix, b = -1.6000001 (CLASS-PT `M_Id2G2`). */
export function biasId2G2(n: number): ComplexArray {
  return buildMatrix22(n, BIAS_OPERATOR_BIAS, id2g2);
}

/** I_{G2 G2} matrix, b = -1.6000001 (CLASS-PT `M_IG2G2`). */
export function biasIG2G2(n: number): ComplexArray {
  return buildMatrix22(n, BIAS_OPERATOR_BIAS, ig2g2);
}
