/**
 * The theory k grid and the bin average of the BOSS full-shape likelihood (fs_utils.py
 * `bin_integrator`, full_shape_spectra `loglkl`): the model is computed on 100 points
 * log-spaced from 1e-4 to max(kept k) + 0.01 h/Mpc, splined in linear k (scipy's
 * InterpolatedUnivariateSpline, k = 3, s = 0: not-a-knot, constant extrapolation) and averaged
 * over each bin with k^2 weight:
 *
 *   <F>_i = 3 / (k_hi^3 - k_lo^3) int_{k_lo}^{k_hi} k^2 F(k) dk.
 *
 * Upstream integrates with adaptive quadrature in ln k; here the integral of the spline is exact:
 * each bin is cut at the knots inside it, and on every piece k^2 times the cubic is a polynomial
 * of degree 5, which 4-point Gauss-Legendre integrates exactly. The average is a fixed linear map
 * A [nBins x nGrid] of the grid values, computed once per grid and bins.
 */
import { gaussLegendre } from '../numerics/gauss-legendre';
import { notAKnotSplineOperator } from '../numerics/spline-not-a-knot';

export interface TheoryGridOptions {
  /** first point, h/Mpc (upstream 1e-4) */
  kMin?: number;
  /** number of points (upstream 100) */
  points?: number;
  /** how far past the last kept bin centre the grid runs, h/Mpc (upstream 0.01) */
  beyond?: number;
}

/** exp(linspace(ln kMin, ln(kMaxCentre + beyond), points)), numpy's linspace (last point exact). */
export function theoryGrid(kMaxCentre: number, options: TheoryGridOptions = {}): Float64Array {
  const n = options.points ?? 100;
  const a = Math.log(options.kMin ?? 1e-4);
  const b = Math.log(kMaxCentre + (options.beyond ?? 0.01));
  const step = (b - a) / (n - 1);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.exp(i === n - 1 ? b : a + i * step);
  return out;
}

const GL = gaussLegendre(4);

/** A [nBins x nGrid] with <F>_i = sum_j A_ij F(grid_j) (k^2-weighted bin average of the spline). */
export function binAverageOperator(grid: ArrayLike<number>, kLow: ArrayLike<number>, kHigh: ArrayLike<number>): Float64Array {
  const nGrid = grid.length;
  const nBins = kLow.length;
  const out = new Float64Array(nBins * nGrid);
  for (let i = 0; i < nBins; i++) {
    const lo = kLow[i];
    const hi = kHigh[i];
    const cuts = [lo, ...Array.from(grid).filter((k) => k > lo && k < hi), hi];
    const nodes: number[] = [];
    const weights: number[] = [];
    for (let c = 0; c + 1 < cuts.length; c++) {
      const half = (cuts[c + 1] - cuts[c]) / 2;
      const mid = (cuts[c + 1] + cuts[c]) / 2;
      for (let g = 0; g < GL.x.length; g++) {
        const k = mid + half * GL.x[g];
        nodes.push(k);
        weights.push(half * GL.w[g] * k * k);
      }
    }
    const w = notAKnotSplineOperator(grid, nodes); // [nodes, nGrid]
    const norm = 3 / (hi * hi * hi - lo * lo * lo);
    for (let q = 0; q < nodes.length; q++) {
      for (let j = 0; j < nGrid; j++) out[i * nGrid + j] += norm * weights[q] * w[q * nGrid + j];
    }
  }
  return out;
}

/** The operator that takes the spline's values at the bin centres (no bin average). */
export function binCentreOperator(grid: ArrayLike<number>, kCentres: ArrayLike<number>): Float64Array {
  return notAKnotSplineOperator(grid, kCentres);
}
