/**
 * Analytic posteriors with known moments, for the sampler's tests, the benchmark's default and
 * `clax-pt sample --config` with {"analytic": {...}}:
 *
 * - gaussian: N(mean, C) with C_ij = sd_i sd_j (rho if i != j) (or a given covariance), optional
 *   flat bounds (then a truncated normal); derived `sum` = sum_i x_i, and chi2 = (x-mean)^T C^-1 (x-mean).
 * - banana (a twisted Gaussian, Haario et al. 1999): x1 ~ N(0, s1^2), x2 = y + b (x1^2 - s1^2)
 *   with y ~ N(0, s2^2); E[x2] = 0, Var(x2) = s2^2 + 2 b^2 s1^4; the mode is (0, -b s1^2).
 *   Defaults s1 = 1, b = 0.5, s2 = 1: curved, yet no divergences with a dense metric (with
 *   s1 = 2 the leapfrog turns unstable in the arms beyond ~3 sd and NUTS reports divergences).
 * - funnel (Neal 2003): v ~ N(0, sdV^2), x_i | v ~ N(0, e^v) for i = 1..dim-1; its neck makes
 *   NUTS diverge, which the sampler must report.
 *
 * The module is a TargetSpec module: `createTarget(config)`.
 */
import { ClaxPtInputError } from '../errors';
import { cholesky, inverseSpd } from './linalg';
import type { ParameterSpec, Target } from './target';

export type AnalyticConfig =
  | { kind: 'gaussian'; dim?: number; mean?: number[]; sd?: number[]; rho?: number; covariance?: number[][]; lower?: (number | null)[]; upper?: (number | null)[] }
  | { kind: 'banana'; s1?: number; s2?: number; b?: number }
  | { kind: 'funnel'; dim?: number; sdV?: number };

const KEYS: Record<string, string[]> = {
  gaussian: ['kind', 'dim', 'mean', 'sd', 'rho', 'covariance', 'lower', 'upper'],
  banana: ['kind', 's1', 's2', 'b'],
  funnel: ['kind', 'dim', 'sdV'],
};

export async function createTarget(config: unknown): Promise<Target> {
  return analyticTarget(config);
}

export function analyticTarget(config: unknown, prefix = 'analytic'): Target {
  if (!config || typeof config !== 'object' || Array.isArray(config)) throw new ClaxPtInputError(prefix, 'must be an object such as {"kind": "gaussian"}');
  const c = config as Record<string, unknown>;
  const kind = c.kind;
  if (typeof kind !== 'string' || !(kind in KEYS)) throw new ClaxPtInputError(`${prefix}.kind`, `must be one of ${Object.keys(KEYS).map((k) => `'${k}'`).join(', ')}, got ${JSON.stringify(kind)}`);
  for (const k of Object.keys(c)) if (!KEYS[kind].includes(k)) throw new ClaxPtInputError(`${prefix}.${k}`, `unknown for kind '${kind}' (known: ${KEYS[kind].join(', ')})`);
  if (kind === 'gaussian') return gaussian(c, prefix);
  if (kind === 'banana') return banana(c, prefix);
  return funnel(c, prefix);
}

function num(c: Record<string, unknown>, key: string, prefix: string, dflt: number, positive = true): number {
  const v = c[key] ?? dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || (positive && !(v > 0))) throw new ClaxPtInputError(`${prefix}.${key}`, `must be a ${positive ? 'positive ' : ''}finite number, got ${JSON.stringify(c[key])}`);
  return v;
}

function int(c: Record<string, unknown>, key: string, prefix: string, dflt: number, min: number): number {
  const v = c[key] ?? dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > 1000) throw new ClaxPtInputError(`${prefix}.${key}`, `must be an integer from ${min} to 1000, got ${JSON.stringify(c[key])}`);
  return v;
}

function vector(c: Record<string, unknown>, key: string, prefix: string, n: number, nullable = false): (number | null)[] | undefined {
  const v = c[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length !== n) throw new ClaxPtInputError(`${prefix}.${key}`, `must be a list of ${n} numbers`);
  v.forEach((x, i) => {
    if (!(nullable && x === null) && (typeof x !== 'number' || !Number.isFinite(x))) throw new ClaxPtInputError(`${prefix}.${key}[${i}]`, `must be a finite number${nullable ? ' or null' : ''}, got ${JSON.stringify(x)}`);
  });
  return v as (number | null)[];
}

function gaussian(c: Record<string, unknown>, prefix: string): Target {
  const cov0 = c.covariance;
  const sized = ['covariance', 'mean', 'sd', 'lower', 'upper'].find((k) => Array.isArray(c[k]));
  const n = sized ? (c[sized] as unknown[]).length : int(c, 'dim', prefix, 5, 1);
  if (c.dim !== undefined && int(c, 'dim', prefix, 5, 1) !== n) throw new ClaxPtInputError(`${prefix}.dim`, `is ${String(c.dim)} but ${sized} has ${n} entries`);
  const mean = Float64Array.from((vector(c, 'mean', prefix, n) as number[] | undefined) ?? new Array(n).fill(0));
  const cov = new Float64Array(n * n);
  if (cov0 !== undefined) {
    if (c.sd !== undefined || c.rho !== undefined) throw new ClaxPtInputError(`${prefix}.covariance`, 'give either covariance or sd/rho, not both');
    (cov0 as unknown[]).forEach((row, i) => {
      const r = vector({ row }, 'row', `${prefix}.covariance[${i}]`, n) as number[];
      r.forEach((v, j) => (cov[i * n + j] = v));
    });
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) if (cov[i * n + j] !== cov[j * n + i]) throw new ClaxPtInputError(`${prefix}.covariance[${i}][${j}]`, 'the covariance must be symmetric');
  } else {
    const sd = (vector(c, 'sd', prefix, n) as number[] | undefined) ?? new Array(n).fill(1);
    sd.forEach((s, i) => {
      if (!(s > 0)) throw new ClaxPtInputError(`${prefix}.sd[${i}]`, `must be positive, got ${s}`);
    });
    const rho = num(c, 'rho', prefix, 0, false);
    if (!(rho > -1 / Math.max(1, n - 1) && rho < 1) && n > 1) throw new ClaxPtInputError(`${prefix}.rho`, `must lie in (${-1 / (n - 1)}, 1) for a positive-definite matrix, got ${rho}`);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cov[i * n + j] = sd[i] * sd[j] * (i === j ? 1 : rho);
  }
  const prec = inverseSpd(cov, n);
  if (!prec || !cholesky(cov, n)) throw new ClaxPtInputError(`${prefix}.covariance`, 'must be symmetric positive definite');
  const lower = vector(c, 'lower', prefix, n, true);
  const upper = vector(c, 'upper', prefix, n, true);
  const parameters: ParameterSpec[] = Array.from({ length: n }, (_, i) => ({
    name: `x${i + 1}`,
    latex: `x_{${i + 1}}`,
    ...(lower?.[i] != null ? { lower: lower[i] as number } : {}),
    ...(upper?.[i] != null ? { upper: upper[i] as number } : {}),
  }));
  const chi2 = (x: Float64Array, grad?: Float64Array) => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      let r = 0;
      for (let j = 0; j < n; j++) r += prec[i * n + j] * (x[j] - mean[j]);
      s += (x[i] - mean[i]) * r;
      if (grad) grad[i] = -r;
    }
    return s;
  };
  const sdv = Float64Array.from({ length: n }, (_, i) => Math.sqrt(cov[i * n + i]));
  // an initial point inside any bounds: the mean when inside, else the middle of the support
  const initial = Float64Array.from(parameters, (p, i) => {
    const lo = p.lower ?? -Infinity;
    const hi = p.upper ?? Infinity;
    if (mean[i] > lo && mean[i] < hi) return mean[i];
    if (Number.isFinite(lo) && Number.isFinite(hi)) return 0.5 * (lo + hi);
    return Number.isFinite(lo) ? lo + sdv[i] : hi - sdv[i];
  });
  return {
    parameters,
    logDensity(x) {
      const gradient = new Float64Array(n);
      return { value: -0.5 * chi2(x, gradient), gradient };
    },
    minus2LogLike: (x) => chi2(x),
    derivedNames: [{ name: 'sum', latex: '\\Sigma_i x_i' }],
    derived: (x) => Float64Array.of(x.reduce((a, b) => a + b, 0)),
    initial,
    scales: sdv,
  };
}

function banana(c: Record<string, unknown>, prefix: string): Target {
  const s1 = num(c, 's1', prefix, 1);
  const s2 = num(c, 's2', prefix, 1);
  const b = num(c, 'b', prefix, 0.5, false);
  return {
    parameters: [
      { name: 'x1', latex: 'x_1' },
      { name: 'x2', latex: 'x_2' },
    ],
    logDensity(x) {
      const r = x[1] - b * (x[0] * x[0] - s1 * s1);
      const value = -0.5 * (x[0] * x[0]) / (s1 * s1) - (0.5 * r * r) / (s2 * s2);
      const gradient = Float64Array.of(-x[0] / (s1 * s1) + (r / (s2 * s2)) * 2 * b * x[0], -r / (s2 * s2));
      return { value, gradient };
    },
    initial: Float64Array.of(0, 0),
    scales: Float64Array.of(s1, Math.sqrt(s2 * s2 + 2 * b * b * s1 ** 4)),
  };
}

function funnel(c: Record<string, unknown>, prefix: string): Target {
  const n = int(c, 'dim', prefix, 10, 2);
  const sdV = num(c, 'sdV', prefix, 3);
  return {
    parameters: [{ name: 'v', latex: 'v' }, ...Array.from({ length: n - 1 }, (_, i) => ({ name: `x${i + 1}`, latex: `x_{${i + 1}}` }))],
    logDensity(x) {
      const v = x[0];
      const gradient = new Float64Array(n);
      let value = (-0.5 * v * v) / (sdV * sdV);
      gradient[0] = -v / (sdV * sdV);
      const ev = Math.exp(-v);
      for (let i = 1; i < n; i++) {
        // log N(x | 0, e^v) = -x^2 e^-v / 2 - v / 2
        value += -0.5 * x[i] * x[i] * ev - 0.5 * v;
        gradient[0] += 0.5 * x[i] * x[i] * ev - 0.5;
        gradient[i] = -x[i] * ev;
      }
      return { value, gradient };
    },
  };
}
