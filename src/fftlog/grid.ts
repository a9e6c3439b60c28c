/**
 * The FFTLog grid of CLASS-PT (`nonlinear_pt_loop`, "FFTLog discretization parameters"):
 * N log-spaced nodes k_j = kmin e^{j Delta}, j = 0..N-1, from kmin = 5e-5 h to kmax = 100 h (1/Mpc),
 * Delta = ln(kmax/kmin)/(N-1). Delta does not depend on h, so the kernel matrices depend on N
 * and the FFTLog bias b only.
 */

/** kmin and kmax of the FFTLog grid in h/Mpc (CLASS-PT: `kmin = 0.00005 * h`, `kmax = 100. * h`). */
export const FFTLOG_KMIN_HMPC = 5e-5;
export const FFTLOG_KMAX_HMPC = 100;

/** The FFTLog sizes CLASS-PT supports through its "FFTLog mode" setting (Fast, default, Precise). */
export const FFTLOG_SIZES = [128, 256, 512] as const;

export interface FftlogGrid {
  /** number of nodes N */
  n: number;
  /** log spacing Delta */
  delta: number;
  /** first node in 1/Mpc */
  kminMpc: number;
  /** last node in 1/Mpc (nominal, = 100 h) */
  kmaxMpc: number;
  /** the nodes k_j in 1/Mpc */
  kMpc: Float64Array;
}

/** Log spacing of an N-node grid: ln(kmax/kmin)/(N-1). */
export function fftlogDelta(n: number): number {
  return Math.log(FFTLOG_KMAX_HMPC / FFTLOG_KMIN_HMPC) / (n - 1);
}

/** The FFTLog grid for N nodes and a given h, in 1/Mpc, computed as CLASS-PT does. */
export function fftlogGrid(n: number, h: number): FftlogGrid {
  if (!Number.isInteger(n) || n < 8 || n % 2 !== 0) {
    throw new RangeError(`N (FFTLog size) must be an even integer >= 8, got ${n}`);
  }
  if (!(h > 0) || !Number.isFinite(h)) throw new RangeError(`h must be a positive finite number, got ${h}`);
  const kminMpc = FFTLOG_KMIN_HMPC * h;
  const kmaxMpc = FFTLOG_KMAX_HMPC * h;
  const delta = Math.log(kmaxMpc / kminMpc) / (n - 1);
  const kMpc = new Float64Array(n);
  for (let j = 0; j < n; j++) kMpc[j] = kminMpc * Math.exp(j * delta);
  return { n, delta, kminMpc, kmaxMpc, kMpc };
}
