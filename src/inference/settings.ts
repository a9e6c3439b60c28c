/**
 * The sampler's settings (the `"sampler"` block of a config file; command-line flags override
 * it) with Stan's defaults, and their validation: every bad field is a ClaxPtInputError naming it.
 */
import { ClaxPtInputError } from '../errors';
import type { MetricKind } from './metric';
import { STAN_WINDOWS, type MetricEstimate } from './windows';

export interface SamplerSettings {
  /** number of chains (numbered 1..chains in file names) */
  chains: number;
  /** warm-up (adaptation) iterations per chain */
  warmup: number;
  /** draws kept per chain after warm-up */
  samples: number;
  /** the run's seed: chain i draws from the stream (seed, i) */
  seed: number;
  maxTreeDepth: number;
  /** target mean acceptance statistic of the dual averaging */
  targetAccept: number;
  metric: MetricKind;
  /** how warm-up windows estimate the metric: 'fisher' (positions and gradients, ./windows.ts) or 'covariance' (Stan: positions alone) */
  metricEstimate: MetricEstimate;
  /** GetDist file root: OUT/<root>_<i>.txt, OUT/<root>.paramnames */
  root: string;
  /** starting points: 'initial' (the target's initial point, or 0 on the unconstrained space) or 'map' (the MAP, and its inverse Hessian as first metric) */
  init: 'initial' | 'map';
  /** starting points are drawn uniformly within +- initRadius scales of the initial point, on the unconstrained space (Stan: 2) */
  initRadius: number;
  /** first step size before its initialisation heuristic (Stan: 1) */
  stepSize: number;
  /** energy error counted as a divergence (Stan: 1000) */
  maxDeltaH: number;
  /** Stan's warm-up windows */
  initBuffer: number;
  termBuffer: number;
  baseWindow: number;
  /** also write the warm-up draws (OUT/warmup/<root>_<i>.txt) */
  saveWarmup: boolean;
  /** seconds between checkpoints */
  checkpointSeconds: number;
}

export const DEFAULT_SETTINGS: SamplerSettings = {
  chains: 4,
  warmup: 1000,
  samples: 1000,
  seed: 1,
  maxTreeDepth: 10,
  targetAccept: 0.8,
  metric: 'diag',
  metricEstimate: 'fisher',
  root: 'chain',
  init: 'initial',
  initRadius: 2,
  stepSize: 1,
  maxDeltaH: 1000,
  initBuffer: STAN_WINDOWS.initBuffer,
  termBuffer: STAN_WINDOWS.termBuffer,
  baseWindow: STAN_WINDOWS.baseWindow,
  saveWarmup: false,
  checkpointSeconds: 10,
};

type Kind = 'int>=0' | 'int>0' | 'number>0' | 'number>=0' | 'open01' | 'bool' | 'root' | MetricKind[] | string[];

const FIELDS: Record<keyof SamplerSettings, Kind> = {
  chains: 'int>0',
  warmup: 'int>=0',
  samples: 'int>=0',
  seed: 'int>=0',
  maxTreeDepth: 'int>0',
  targetAccept: 'open01',
  metric: ['diag', 'dense'],
  metricEstimate: ['fisher', 'covariance'],
  root: 'root',
  init: ['initial', 'map'],
  initRadius: 'number>=0',
  stepSize: 'number>0',
  maxDeltaH: 'number>0',
  initBuffer: 'int>=0',
  termBuffer: 'int>=0',
  baseWindow: 'int>=0',
  saveWarmup: 'bool',
  checkpointSeconds: 'number>=0',
};

export const SETTING_NAMES = Object.keys(FIELDS) as (keyof SamplerSettings)[];

/** One field's value checked against its kind; `field` names it in errors. */
export function checkSetting<K extends keyof SamplerSettings>(key: K, v: unknown, field: string = `sampler.${key}`): SamplerSettings[K] {
  const kind = FIELDS[key];
  const bad = (what: string): never => {
    throw new ClaxPtInputError(field, `${what}, got ${JSON.stringify(v)}`);
  };
  if (Array.isArray(kind)) {
    if (typeof v !== 'string' || !(kind as string[]).includes(v)) bad(`must be one of ${kind.map((k) => `'${k}'`).join(', ')}`);
    return v as SamplerSettings[K];
  }
  switch (kind) {
    case 'bool':
      if (typeof v !== 'boolean') bad('must be true or false');
      break;
    case 'root':
      if (typeof v !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(v)) bad('must be a file-name root of letters, digits, _ . - (no folders)');
      break;
    default: {
      if (typeof v !== 'number' || !Number.isFinite(v)) bad('must be a finite number');
      const n = v as number;
      if ((kind === 'int>=0' || kind === 'int>0') && !Number.isSafeInteger(n)) bad('must be an integer');
      if ((kind === 'int>0' || kind === 'number>0') && !(n > 0)) bad('must be positive');
      if ((kind === 'int>=0' || kind === 'number>=0') && !(n >= 0)) bad('must be non-negative');
      if (kind === 'open01' && !(n > 0 && n < 1)) bad('must lie strictly between 0 and 1');
    }
  }
  return v as SamplerSettings[K];
}

/** Settings from a `"sampler"` block (unknown keys refused) over the defaults. */
export function parseSamplerSettings(block: unknown, base: SamplerSettings = DEFAULT_SETTINGS, prefix = 'sampler'): SamplerSettings {
  const out = { ...base };
  if (block === undefined || block === null) return out;
  if (typeof block !== 'object' || Array.isArray(block)) throw new ClaxPtInputError(prefix, 'must be an object');
  for (const [k, v] of Object.entries(block as Record<string, unknown>)) {
    if (!(k in FIELDS)) throw new ClaxPtInputError(`${prefix}.${k}`, `unknown setting (known: ${SETTING_NAMES.join(', ')})`);
    const key = k as keyof SamplerSettings;
    (out as Record<string, unknown>)[key] = checkSetting(key, v, `${prefix}.${k}`);
  }
  if (out.maxTreeDepth > 30) throw new ClaxPtInputError(`${prefix}.maxTreeDepth`, `must be at most 30, got ${out.maxTreeDepth}`);
  return out;
}
