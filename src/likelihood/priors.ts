/**
 * Priors on sampled parameters: flat bounds and Gaussians. -2 ln prior (up to a constant) and its
 * derivative; the bounds are the support (a point outside has zero density).
 */
import { ClaxPtInputError } from '../errors';

export interface PriorSpec {
  /** flat prior on [lo, hi] (the support; optional when a Gaussian is given) */
  bounds?: [number, number];
  /** Gaussian prior [mean, sd] (multiplied by the flat one when both are given) */
  gaussian?: [number, number];
}

/** A parameter that is either fixed or sampled with a prior. */
export interface ParameterSpec extends PriorSpec {
  fixed?: number;
  /** LaTeX label (GetDist .paramnames) */
  latex?: string;
}

/** Checks a parameter specification, naming `field` in errors. */
export function checkParameterSpec(spec: unknown, field: string): ParameterSpec {
  if (typeof spec === 'number') return { fixed: spec };
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new ClaxPtInputError(field, 'expected a number (fixed) or an object with fixed, bounds, gaussian');
  }
  const s = spec as Record<string, unknown>;
  for (const key of Object.keys(s)) {
    if (!['fixed', 'bounds', 'gaussian', 'latex'].includes(key)) throw new ClaxPtInputError(`${field}.${key}`, 'unknown key (known: fixed, bounds, gaussian, latex)');
  }
  const out: ParameterSpec = {};
  if (s.latex !== undefined) {
    if (typeof s.latex !== 'string') throw new ClaxPtInputError(`${field}.latex`, 'must be a string');
    out.latex = s.latex;
  }
  if (s.fixed !== undefined) {
    if (typeof s.fixed !== 'number' || !Number.isFinite(s.fixed)) throw new ClaxPtInputError(`${field}.fixed`, `must be a finite number, got ${JSON.stringify(s.fixed)}`);
    if (s.bounds !== undefined || s.gaussian !== undefined) throw new ClaxPtInputError(field, 'a fixed parameter takes no bounds or gaussian prior');
    out.fixed = s.fixed;
    return out;
  }
  const pair = (key: 'bounds' | 'gaussian'): [number, number] | undefined => {
    const v = s[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.length !== 2 || v.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
      throw new ClaxPtInputError(`${field}.${key}`, `must be two finite numbers, got ${JSON.stringify(v)}`);
    }
    return [v[0], v[1]];
  };
  out.bounds = pair('bounds');
  out.gaussian = pair('gaussian');
  if (out.bounds && !(out.bounds[1] > out.bounds[0])) throw new ClaxPtInputError(`${field}.bounds`, `upper must exceed lower, got ${JSON.stringify(out.bounds)}`);
  if (out.gaussian && !(out.gaussian[1] > 0)) throw new ClaxPtInputError(`${field}.gaussian`, `the standard deviation must be positive, got ${out.gaussian[1]}`);
  if (!out.bounds && !out.gaussian) throw new ClaxPtInputError(field, 'needs fixed, bounds or gaussian');
  return out;
}

/** -2 ln prior (Gaussian part; 0 for a flat one) and its derivative at x; Infinity outside the bounds. */
export function minus2LogPrior(spec: PriorSpec, x: number): { value: number; derivative: number } {
  if (spec.bounds && (x < spec.bounds[0] || x > spec.bounds[1])) return { value: Infinity, derivative: 0 };
  if (!spec.gaussian) return { value: 0, derivative: 0 };
  const [m, s] = spec.gaussian;
  const u = (x - m) / s;
  return { value: u * u, derivative: (2 * u) / s };
}
