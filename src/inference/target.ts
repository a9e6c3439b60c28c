/**
 * The seam between a posterior (the likelihood layer, or the analytic targets of
 * ./analytic-targets.ts) and the sampler: the sampler knows nothing of cosmology, the
 * likelihood nothing of sampling. See docs/ (the inference interface) for the contract.
 */
import { ClaxPtInputError } from '../errors';

export interface ParameterSpec {
  /** 'omega_cdm', 'ngc_z1.b1', ... (CLASS's names; the GetDist .paramnames first column) */
  name: string;
  /** LaTeX label without $ (the GetDist .paramnames second column) */
  latex?: string;
  /** support of the prior (flat bounds); undefined = unbounded */
  lower?: number;
  upper?: number;
}

export interface Target {
  parameters: ParameterSpec[];
  /** log posterior density (any additive constant) and its gradient, in the CONSTRAINED space */
  logDensity(x: Float64Array): { value: number; gradient: Float64Array };
  /** -2 ln L (the likelihood part only) at x, for chain files and summaries; optional */
  minus2LogLike?(x: Float64Array): number;
  /** derived parameters (H0, Omega_m, sigma8, S8 for cosmology), optional */
  derivedNames?: { name: string; latex?: string }[];
  derived?(x: Float64Array): Float64Array;
  /** a sensible starting point (inside the bounds) and per-parameter scales, optional */
  initial?: Float64Array;
  scales?: Float64Array;
  dispose?(): void;
}

/** How a worker thread or another process builds the same target. */
export interface TargetSpec {
  /** a built-in name (see ./target-loader.ts) or a module path/URL exporting createTarget */
  module: string;
  /** JSON-serialisable, passed to createTarget */
  config: unknown;
}

/** What a TargetSpec module exports. */
export type CreateTarget = (config: unknown) => Promise<Target>;

const NAME = /^[A-Za-z0-9_.^{}\-+]+$/;

/**
 * Checks a target's declarations (names, bounds, initial point, scales, derived names) and
 * throws ClaxPtInputError naming the field. The sampler calls it before anything else.
 */
export function checkTarget(target: Target): void {
  const ps = target.parameters;
  if (!Array.isArray(ps) || ps.length === 0) throw new ClaxPtInputError('target.parameters', 'must be a non-empty list');
  const seen = new Set<string>();
  ps.forEach((p, i) => {
    const f = `target.parameters[${i}]`;
    if (typeof p?.name !== 'string' || !NAME.test(p.name)) {
      throw new ClaxPtInputError(`${f}.name`, `must be a non-empty name of letters, digits and _ . ^ { } - + (no spaces), got ${JSON.stringify(p?.name)}`);
    }
    if (seen.has(p.name)) throw new ClaxPtInputError(`${f}.name`, `'${p.name}' appears twice`);
    seen.add(p.name);
    if (p.latex !== undefined && (typeof p.latex !== 'string' || /[\n\r]/.test(p.latex))) throw new ClaxPtInputError(`${f}.latex`, 'must be a one-line string');
    for (const side of ['lower', 'upper'] as const) {
      const v = p[side];
      if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) {
        throw new ClaxPtInputError(`${f}.${side}`, `must be a finite number or absent (unbounded), got ${String(v)}`);
      }
    }
    if (p.lower !== undefined && p.upper !== undefined && !(p.upper > p.lower)) {
      throw new ClaxPtInputError(`${f}.upper`, `must exceed lower (${p.lower}), got ${p.upper}`);
    }
  });
  const n = ps.length;
  if (target.initial !== undefined) {
    if (target.initial.length !== n) throw new ClaxPtInputError('target.initial', `has ${target.initial.length} values for ${n} parameters`);
    target.initial.forEach((v, i) => {
      const p = ps[i];
      if (!Number.isFinite(v)) throw new ClaxPtInputError(`target.initial[${i}] (${p.name})`, `must be finite, got ${v}`);
      if ((p.lower !== undefined && !(v > p.lower)) || (p.upper !== undefined && !(v < p.upper))) {
        throw new ClaxPtInputError(`target.initial[${i}] (${p.name})`, `${v} is not inside the bounds (${p.lower ?? '-inf'}, ${p.upper ?? 'inf'})`);
      }
    });
  }
  if (target.scales !== undefined) {
    if (target.scales.length !== n) throw new ClaxPtInputError('target.scales', `has ${target.scales.length} values for ${n} parameters`);
    target.scales.forEach((v, i) => {
      if (!(v > 0) || !Number.isFinite(v)) throw new ClaxPtInputError(`target.scales[${i}] (${ps[i].name})`, `must be positive and finite, got ${v}`);
    });
  }
  const dn = target.derivedNames ?? [];
  if (dn.length > 0 && typeof target.derived !== 'function') throw new ClaxPtInputError('target.derived', 'derivedNames are given but derived() is missing');
  dn.forEach((d, i) => {
    if (typeof d?.name !== 'string' || !NAME.test(d.name)) throw new ClaxPtInputError(`target.derivedNames[${i}].name`, `invalid name ${JSON.stringify(d?.name)}`);
    if (seen.has(d.name)) throw new ClaxPtInputError(`target.derivedNames[${i}].name`, `'${d.name}' is also a sampled parameter or appears twice`);
    seen.add(d.name);
  });
}

/** The derived columns of a target: its derived parameters, then chi2 when minus2LogLike exists. */
export function derivedColumns(target: Target): { name: string; latex?: string }[] {
  const cols = [...(target.derivedNames ?? [])];
  if (typeof target.minus2LogLike === 'function') cols.push({ name: 'chi2', latex: '\\chi^2' });
  return cols;
}

/** The derived values at x in the order of derivedColumns. */
export function derivedValues(target: Target, x: Float64Array): Float64Array {
  const cols = derivedColumns(target);
  const out = new Float64Array(cols.length);
  const nd = target.derivedNames?.length ?? 0;
  if (nd > 0) {
    const d = target.derived!(x);
    if (d.length !== nd) throw new Error(`target.derived returned ${d.length} values for ${nd} derivedNames`);
    out.set(d);
  }
  if (typeof target.minus2LogLike === 'function') out[nd] = target.minus2LogLike(x);
  return out;
}
