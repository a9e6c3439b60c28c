/**
 * Convergence diagnostics of Vehtari, Gelman, Simpson, Carpenter & Buerkner 2021 ("Rank-
 * normalization, folding, and localization: an improved R-hat for assessing convergence of
 * MCMC", Bayesian Analysis 16, 667), as the R package `posterior` and ArviZ compute them:
 *
 * - split chains: each chain's first and second halves (the middle draw of an odd length dropped);
 * - rank normalisation: z = Phi^-1((r - 3/8) / (S - 1/4)), r the average rank over all S draws;
 * - R-hat = max(split R-hat of the rank-normalised draws, of the rank-normalised folded draws
 *   |x - median|) (bulk and tail), each sqrt(((N - 1)/N W + B/N) / W);
 * - ESS from the autocorrelations (biased FFT autocovariance, combined over chains as in the
 *   paper's eq. 10), truncated by Geyer's initial positive sequence and made monotone (Geyer's
 *   initial monotone sequence), tau = -1 + 2 sum rho + rho_(next even) (the paper's improved
 *   estimate), capped at S log10(S) by tau >= 1/log10(S);
 * - bulk ESS: of the rank-normalised split chains; tail ESS: min over the 5% and 95% quantile
 *   indicators (ESS of I(x <= q)); MCSE of the mean: sd / sqrt(ESS of the split draws).
 * A chain is an array of draws; all chains of one call have the same length.
 */
import FFT from 'fft.js';
import { normalQuantile } from '../numerics/normal-quantile';

export type Chains = ArrayLike<number>[];

function checkChains(chains: Chains): { m: number; n: number } {
  const m = chains.length;
  const n = m > 0 ? chains[0].length : 0;
  for (const c of chains) if (c.length !== n) throw new Error('diagnostics: the chains must have the same number of draws');
  return { m, n };
}

function hasNonFinite(chains: Chains): boolean {
  for (const c of chains) for (let i = 0; i < c.length; i++) if (!Number.isFinite(c[i])) return true;
  return false;
}

/** each chain's first and second halves (the middle draw of an odd length dropped) */
export function splitChains(chains: Chains): Float64Array[] {
  const out: Float64Array[] = [];
  for (const c of chains) {
    const half = Math.floor(c.length / 2);
    const a = Float64Array.from({ length: half }, (_, i) => c[i]);
    const b = Float64Array.from({ length: half }, (_, i) => c[c.length - half + i]);
    out.push(a, b);
  }
  return out;
}

/** average ranks (1-based, ties averaged) of all draws together */
function ranks(values: Float64Array): Float64Array {
  const idx = Array.from(values.keys()).sort((a, b) => values[a] - values[b]);
  const r = new Float64Array(values.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && values[idx[j + 1]] === values[idx[i]]) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) r[idx[k]] = avg;
    i = j + 1;
  }
  return r;
}

/** rank-normalised draws (Blom's offset 3/8) in the same chain layout */
export function zScale(chains: Chains): Float64Array[] {
  const { m, n } = checkChains(chains);
  const all = new Float64Array(m * n);
  chains.forEach((c, j) => all.set(Array.from(c), j * n));
  const r = ranks(all);
  const s = all.length;
  return chains.map((_, j) => Float64Array.from({ length: n }, (_, i) => normalQuantile((r[j * n + i] - 3 / 8) / (s - 2 * (3 / 8) + 1))));
}

/** |x - median| over all draws */
function fold(chains: Chains): Float64Array[] {
  const med = quantile(chains, 0.5);
  return chains.map((c) => Float64Array.from(c, (x) => Math.abs(x - med)));
}

/** quantile of all draws together (linear interpolation, R's and numpy's default, type 7) */
export function quantile(chains: Chains, p: number): number {
  const all = Float64Array.from(chains.flatMap((c) => Array.from(c))).sort();
  if (all.length === 0) return NaN;
  const h = (all.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, all.length - 1);
  return all[lo] + (h - lo) * (all[hi] - all[lo]);
}

function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/** sample variance (n - 1) */
function variance(x: ArrayLike<number>): number {
  const mu = mean(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - mu) ** 2;
  return s / (x.length - 1);
}

/** R-hat of chains as they are: sqrt(((N - 1)/N W + B/N) / W) (Gelman et al., BDA3 eq. 11.4) */
export function rhatBasic(chains: Chains): number {
  const { m, n } = checkChains(chains);
  if (m < 1 || n < 2 || hasNonFinite(chains)) return NaN;
  const chainMeans = chains.map(mean);
  const w = mean(chains.map(variance));
  const b = m > 1 ? n * variance(chainMeans) : 0;
  return Math.sqrt((b / w + n - 1) / n);
}

/** rank-normalised split R-hat: max of the bulk and the folded (tail) versions; NaN under 4 draws per chain */
export function rhat(chains: Chains): number {
  const { n } = checkChains(chains);
  if (chains.length < 1 || n < 4 || hasNonFinite(chains)) return NaN;
  const split = splitChains(chains);
  const bulk = rhatBasic(zScale(split));
  const tail = rhatBasic(zScale(fold(split)));
  return Math.max(bulk, tail);
}

/** biased autocovariance of one chain at lags 0 .. n-1, by FFT (sum over the overlap / n) */
export function autocovariance(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  let size = 4;
  while (size < 2 * n) size *= 2;
  const mu = mean(x);
  const fft = new FFT(size);
  const data = new Float64Array(2 * size);
  for (let i = 0; i < n; i++) data[2 * i] = x[i] - mu;
  const spec = new Float64Array(2 * size);
  fft.transform(spec, data);
  for (let k = 0; k < size; k++) {
    const re = spec[2 * k];
    const im = spec[2 * k + 1];
    spec[2 * k] = re * re + im * im;
    spec[2 * k + 1] = 0;
  }
  fft.inverseTransform(data, spec);
  return Float64Array.from({ length: n }, (_, t) => data[2 * t] / n);
}

/** effective sample size of chains as they are (no splitting or normalisation) */
export function essBasic(chains: Chains): number {
  const { m, n } = checkChains(chains);
  if (m < 1 || n < 4 || hasNonFinite(chains)) return NaN;
  let lo = Infinity;
  let hi = -Infinity;
  for (const c of chains) for (let i = 0; i < n; i++) (lo = Math.min(lo, c[i])), (hi = Math.max(hi, c[i]));
  if (hi - lo < 1e-15) return m * n; // constant draws (ArviZ's convention)
  const acov = chains.map(autocovariance);
  const meanAcov = (t: number) => mean(acov.map((a) => a[t]));
  const meanVar = (meanAcov(0) * n) / (n - 1);
  let varPlus = (meanVar * (n - 1)) / n;
  if (m > 1) varPlus += variance(chains.map(mean));
  const rho = new Float64Array(n);
  let rhoEven = 1;
  rho[0] = rhoEven;
  let rhoOdd = 1 - (meanVar - meanAcov(1)) / varPlus;
  rho[1] = rhoOdd;
  // Geyer's initial positive sequence
  let t = 1;
  while (t < n - 3 && rhoEven + rhoOdd > 0) {
    rhoEven = 1 - (meanVar - meanAcov(t + 1)) / varPlus;
    rhoOdd = 1 - (meanVar - meanAcov(t + 2)) / varPlus;
    if (rhoEven + rhoOdd >= 0) {
      rho[t + 1] = rhoEven;
      rho[t + 2] = rhoOdd;
    }
    t += 2;
  }
  const maxT = t - 2;
  // the improved estimate: the next even-lag autocorrelation when positive
  if (rhoEven > 0) rho[maxT + 1] = rhoEven;
  // Geyer's initial monotone sequence
  t = 1;
  while (t <= maxT - 2) {
    if (rho[t + 1] + rho[t + 2] > rho[t - 1] + rho[t]) {
      rho[t + 1] = (rho[t - 1] + rho[t]) / 2;
      rho[t + 2] = rho[t + 1];
    }
    t += 2;
  }
  const s = m * n;
  let sum = 0;
  for (let k = 0; k <= maxT; k++) sum += rho[k];
  let tau = -1 + 2 * sum + (maxT + 1 < n ? rho[maxT + 1] : 0);
  tau = Math.max(tau, 1 / Math.log10(s));
  if (rho.some(Number.isNaN)) return NaN;
  return s / tau;
}

/** bulk ESS: of the rank-normalised split chains */
export function essBulk(chains: Chains): number {
  const { n } = checkChains(chains);
  if (n < 4 || hasNonFinite(chains)) return NaN;
  return essBasic(zScale(splitChains(chains)));
}

/** ESS of the indicator I(x <= q_p) over the split chains */
export function essQuantile(chains: Chains, p: number): number {
  const { n } = checkChains(chains);
  if (n < 4 || hasNonFinite(chains)) return NaN;
  const q = quantile(chains, p);
  return essBasic(splitChains(chains.map((c) => Float64Array.from(c, (x) => (x <= q ? 1 : 0)))));
}

/** tail ESS: min of the 5% and 95% quantile ESS */
export function essTail(chains: Chains): number {
  return Math.min(essQuantile(chains, 0.05), essQuantile(chains, 0.95));
}

/** ESS of the mean: of the split chains as they are */
export function essMean(chains: Chains): number {
  const { n } = checkChains(chains);
  if (n < 4 || hasNonFinite(chains)) return NaN;
  return essBasic(splitChains(chains));
}

/** Monte Carlo standard error of the mean: sd / sqrt(ESS of the mean) */
export function mcseMean(chains: Chains): number {
  const all = chains.flatMap((c) => Array.from(c));
  return Math.sqrt(variance(all)) / Math.sqrt(essMean(chains));
}
