/**
 * FFTLog decomposition on CLASS-PT's grid, as fixed linear maps built in float64.
 *
 * CLASS-PT (`FFT_TO_CMSYM`) writes P(k_j) = Re sum_{c=0}^{N} c_c k_j^{eta_c} with
 * eta_c = b + 2 pi i (c - N/2)/(N Delta), c_c = kmin^{-eta_c} F_{(c-N/2) mod N} / N, where F is the
 * unnormalised forward DFT of x_j = P_j e^{-j b Delta}, and the two Nyquist coefficients c_0, c_N
 * are halved. On the grid itself k_j^{eta_c} kmin^{-eta_c} = e^{j Delta b} e^{2 pi i (c - N/2) j/N},
 * so the whole FFTLog reduces to discrete Fourier sums in index space:
 *
 *   X_j[c] = c_c k_j^{eta_c} = e^{j b Delta} (-1)^j e^{2 pi i c j/N} Fhat_c,   Fhat_c = F_{(c-N/2) mod N}/N.
 *
 * Then
 *   P13-type: Re sum_c X_j[c] m_c        = e^{j b Delta} (-1)^j Re sum_c (Fhat_c m_c) e^{2 pi i c j/N}
 *   P22-type: Re sum_cd X_j[c] M_cd X_j[d] = e^{2 j b Delta} Re sum_s A_s e^{2 pi i s j/N},
 *             A_s = sum_{c+d=s} Fhat_c Fhat_d M_cd,  s = 0..2N,
 * which costs O(N^2) per kernel instead of CLASS-PT's O(N^3) dense products.
 * None of these maps depends on kmin (hence on h): only on N, Delta and b.
 */
import { fftlogDelta } from './grid';
import { dft } from './synthesis';

/** Size bookkeeping for one FFTLog basis. */
export interface BasisShape {
  n: number;
  /** number of coefficients, N + 1 */
  nc: number;
  /** number of anti-diagonals, 2N + 1 */
  ns: number;
  /** FFTLog bias b */
  bias: number;
  delta: number;
}

export function basisShape(n: number, bias: number): BasisShape {
  return { n, nc: n + 1, ns: 2 * n + 1, bias, delta: fftlogDelta(n) };
}

/**
 * The analysis map P (N values) -> [Re Fhat | Im Fhat] (2(N+1) values), as a row-major
 * [N x 2(N+1)] matrix: Fhat_c = (1/N) sum_j P_j e^{-j b Delta} (-1)^j e^{-2 pi i c j/N}, with
 * Fhat_0 and Fhat_N halved (CLASS-PT `FFT_TO_CMSYM`).
 */
export function analysisMatrix(shape: BasisShape): Float64Array {
  const { n, nc, bias, delta } = shape;
  const w = new Float64Array(n * 2 * nc);
  for (let j = 0; j < n; j++) {
    const scale = (Math.exp(-j * bias * delta) * (j % 2 === 0 ? 1 : -1)) / n;
    for (let c = 0; c < nc; c++) {
      const half = c === 0 || c === n ? 0.5 : 1;
      // reduce the angle exactly in integers before the trig call
      const theta = (2 * Math.PI * ((c * j) % n)) / n;
      w[j * 2 * nc + c] = half * scale * Math.cos(theta);
      w[j * 2 * nc + nc + c] = -half * scale * Math.sin(theta);
    }
  }
  return w;
}

/**
 * The analysis map applied to one spectrum in float64 by one N-point FFT: P (N values) ->
 * [Re Fhat | Im Fhat] (2(N+1) values), the same numbers as `analysisMatrix` times P (to float64
 * rounding). The loops take their FFTLog coefficients from here: a float32 analysis (a matMul
 * summing N terms) leaves an error of ~1e-7 of max|P k^-b| on every coefficient, i.e. a relative
 * error ~1e-7 P_max/P(k) on the loops at k, which reached 1e-4 at 1 h/Mpc and 2e-3 at 3 h/Mpc.
 */
export function analyze(shape: BasisShape, p: ArrayLike<number>): Float64Array {
  const { n, nc, bias, delta } = shape;
  const z = new Float64Array(2 * n);
  const out = new Float64Array(2 * n);
  for (let j = 0; j < n; j++) z[2 * j] = (p[j] * Math.exp(-j * bias * delta) * (j % 2 === 0 ? 1 : -1)) / n;
  dft(n, z, out);
  const coef = new Float64Array(2 * nc);
  for (let c = 0; c < nc; c++) {
    const m = c % n; // Fhat_N = Fhat_0 (period N)
    const half = c === 0 || c === n ? 0.5 : 1;
    coef[c] = half * out[2 * m];
    coef[nc + c] = half * out[2 * m + 1];
  }
  return coef;
}
