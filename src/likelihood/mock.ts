/**
 * Mock surveys: the Gaussian covariance of the power-spectrum multipoles of a survey of volume
 * V and number density nbar (e.g. Grieb et al. 2016, eq. 15-16, without window), and a noisy
 * realisation of a mean data vector.
 *
 *   Cov[P_l(k_i), P_l'(k_j)] = delta_ij 2 (2l+1)(2l'+1) / N_i  int_0^1 dmu L_l(mu) L_l'(mu) (P(k_i, mu) + 1/nbar)^2,
 *   N_i = V (k_hi^3 - k_lo^3) / (6 pi^2)   (the Fourier modes of the shell, k and -k counted),
 *   P(k, mu) = sum_l P_l(k) L_l(mu) over the multipoles given (l = 0, 2, 4).
 * The mu integral of the polynomial integrand is exact with Gauss-Legendre (degree <= 16: 9 nodes).
 */
import { gaussLegendre, legendreEven } from '../numerics/gauss-legendre';
import { cholesky } from '../numerics/dense';
import { ClaxPtInputError } from '../errors';
import type { Multipole } from './data';

export interface GaussianCovarianceInput {
  /** bin edges, h/Mpc */
  kLow: ArrayLike<number>;
  kHigh: ArrayLike<number>;
  /** P_l at the bins, (Mpc/h)^3 (the signal, without shot noise) */
  pl: Record<Multipole, ArrayLike<number>>;
  /** survey volume, (Mpc/h)^3 */
  volume: number;
  /** 1/nbar, (Mpc/h)^3 */
  nbarInv: number;
}

/** The [3 nk, 3 nk] covariance in the layout of the BOSS files (P0 bins, P2 bins, P4 bins). */
export function gaussianMultipoleCovariance(input: GaussianCovarianceInput): Float64Array {
  const nk = input.kLow.length;
  if (!(input.volume > 0)) throw new ClaxPtInputError('volume', `must be positive, got ${input.volume}`);
  if (!(input.nbarInv > 0)) throw new ClaxPtInputError('nbarInv', `must be positive, got ${input.nbarInv}`);
  const ells: Multipole[] = [0, 2, 4];
  const n = 3 * nk;
  const cov = new Float64Array(n * n);
  const rule = gaussLegendre(9); // on [-1, 1]; the integrand is even in mu
  for (let i = 0; i < nk; i++) {
    const lo = input.kLow[i];
    const hi = input.kHigh[i];
    const modes = (input.volume * (hi * hi * hi - lo * lo * lo)) / (6 * Math.PI * Math.PI);
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        let s = 0;
        for (let g = 0; g < rule.x.length; g++) {
          const mu = rule.x[g];
          let p = input.nbarInv;
          for (const l of ells) p += input.pl[l][i] * legendreEven(l, mu);
          s += (rule.w[g] / 2) * legendreEven(ells[a], mu) * legendreEven(ells[b], mu) * p * p;
        }
        const la = ells[a];
        const lb = ells[b];
        cov[(a * nk + i) * n + b * nk + i] = (2 * (2 * la + 1) * (2 * lb + 1) * s) / modes;
      }
    }
  }
  return cov;
}

/** mean + L g with C = L L^T and g standard normal draws from `normal()`. */
export function gaussianRealisation(mean: ArrayLike<number>, cov: Float64Array, normal: () => number): Float64Array {
  const n = mean.length;
  const l = cholesky(cov, n);
  if (!l) throw new ClaxPtInputError('covariance', 'is not positive definite');
  const g = Float64Array.from({ length: n }, normal);
  const out = Float64Array.from(mean);
  for (let i = 0; i < n; i++) for (let k = 0; k <= i; k++) out[i] += l[i * n + k] * g[k];
  return out;
}
