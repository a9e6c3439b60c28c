/**
 * A likelihood configuration as a sampler target (../inference/target.ts): the log posterior
 * (-1/2 of -2 ln L plus the cosmological priors; the nuisance priors are inside -2 ln L) and
 * its gradient, the parameters with their bounds and LaTeX labels, the derived parameters
 * (H0, Omega_m, sigma8, S8), a starting point and scales. Node-only (reads the data files);
 * workers and separate processes build the same target from the same spec.
 */
import { ClaxPtInputError } from '../errors';
import { useBackend } from '../backend';
import type { Target } from '../inference/target';
import { checkConfig } from './config';
import { readSamples } from './node-files';
import { DERIVED_LATEX, DERIVED_NAMES, FullShapeLikelihood, type ParameterPoint } from './full-shape-likelihood';

/** What a TargetSpec of module 'likelihood' carries. */
export interface LikelihoodTargetConfig {
  /** the parsed configuration object (JSON) */
  config: unknown;
  /** the folder its file names are relative to */
  dataDir: string;
  /** tensor backend for this thread (default: CLAX_PT_BACKEND or wasm) */
  backend?: string;
  /**
   * 'posterior' (default): -1/2 (-2 ln L + cosmological priors); 'chi2': -chi^2/2 alone (the
   * marginalised chi^2, no log-determinant, no priors), whose maximum is the best fit to the data
   */
  objective?: 'posterior' | 'chi2';
}

/** The starting value of a parameter: its Gaussian mean, or b1 = 2, or the middle of its bounds. */
function startValue(name: string, spec: { bounds?: [number, number]; gaussian?: [number, number] }): number {
  if (spec.gaussian) return spec.gaussian[0];
  const typical: Record<string, number> = { omega_cdm: 0.12, h: 0.68, 'ln10^{10}A_s': 3.0, n_s: 0.965, b1: 2 };
  const base = name.slice(name.lastIndexOf('.') + 1);
  const t = typical[base];
  if (spec.bounds) return t !== undefined && t > spec.bounds[0] && t < spec.bounds[1] ? t : (spec.bounds[0] + spec.bounds[1]) / 2;
  return t ?? 0;
}

export async function createTarget(raw: unknown): Promise<Target> {
  const c = raw as LikelihoodTargetConfig;
  if (!c || typeof c !== 'object' || typeof c.dataDir !== 'string') throw new ClaxPtInputError('target.config', 'expected {config, dataDir}');
  const objective = c.objective ?? 'posterior';
  if (objective !== 'posterior' && objective !== 'chi2') throw new ClaxPtInputError('target.config.objective', `'posterior' or 'chi2', got ${JSON.stringify(objective)}`);
  const config = checkConfig(c.config);
  const likelihood = new FullShapeLikelihood(config, readSamples(config, c.dataDir));
  await useBackend(c.backend);
  const names = likelihood.parameterNames;
  const specs = names.map((n) => likelihood.parameterSpec(n));
  const pointOf = (x: Float64Array): ParameterPoint => Object.fromEntries(names.map((n, i) => [n, x[i]]));
  // -2 ln L of the points the sampler evaluated lately, for its chain files (no second evaluation)
  const recent = new Map<string, number>();
  const remember = (x: Float64Array, v: number) => {
    if (recent.size > 4096) recent.delete(recent.keys().next().value as string);
    recent.set(Array.from(x).join(','), v);
  };
  return {
    parameters: names.map((name, i) => ({ name, latex: specs[i].latex, lower: specs[i].bounds?.[0], upper: specs[i].bounds?.[1] })),
    logDensity(x) {
      const point = pointOf(x);
      if (objective === 'chi2') {
        const r = likelihood.evaluate(point, { gradient: true, objective: 'chi2' });
        return { value: -0.5 * r.minus2lnL, gradient: Float64Array.from(names, (n) => -0.5 * r.gradient![n]) };
      }
      const prior = likelihood.minus2LogCosmologyPrior(point);
      if (!Number.isFinite(prior.value)) return { value: -Infinity, gradient: new Float64Array(x.length) };
      const r = likelihood.evaluate(point, { gradient: true });
      remember(x, r.minus2lnL);
      const gradient = Float64Array.from(names, (n) => -0.5 * (r.gradient![n] + (prior.gradient[n] ?? 0)));
      return { value: -0.5 * (r.minus2lnL + prior.value), gradient };
    },
    minus2LogLike(x) {
      return recent.get(Array.from(x).join(',')) ?? likelihood.evaluate(pointOf(x)).minus2lnL;
    },
    derivedNames: DERIVED_NAMES.map((name) => ({ name, latex: DERIVED_LATEX[name] })),
    derived(x) {
      const d = likelihood.derived(pointOf(x));
      return Float64Array.from(DERIVED_NAMES, (n) => d[n]);
    },
    initial: Float64Array.from(names, (n, i) => startValue(n, specs[i])),
    scales: Float64Array.from(specs, (s) => (s.gaussian ? s.gaussian[1] : s.bounds ? (s.bounds[1] - s.bounds[0]) / 20 : 1)),
  };
}
