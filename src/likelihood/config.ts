/**
 * The JSON configuration of a full-shape P_l likelihood: samples (files, redshift, 1/nbar, scale
 * cuts, multipoles), theory settings, the cosmological and per-sample bias parameters (fixed or
 * sampled, with priors), and the Gaussian priors of the analytically marginalised parameters.
 * Files are named relative to a data folder given at run time. `checkConfig` validates a parsed
 * object and names the first bad field; the BOSS DR12 preset is data/likelihoods/boss-dr12.json.
 *
 * {
 *   "name": "boss_dr12",
 *   "theory": { "n": 128, "omfid": 0.31, "linearSpectrum": "cb",
 *               "grid": { "kMin": 1e-4, "points": 100, "beyond": 0.01 }, "binAverage": true,
 *               "bG2SquaredL4Row": "Id2G2_4" },
 *   "samples": [ { "name": "ngc_z1", "z": 0.38, "nbarInv": 3500, "kmin": 0.01, "kmax": 0.2,
 *                  "ells": [0, 2, 4], "pk": "boss_pk_ngc_z1.dat", "cov": "boss_cov_ngc_z1.dat" }, ... ],
 *   "cosmology": { "omega_b": { "gaussian": [0.02268, 0.00038] }, "m_ncdm": { "fixed": 0.06 }, ... },
 *   "nuisance": { "b1": { "bounds": [0.5, 4] }, "b2": { "gaussian": [0, 1] }, "bG2": { "gaussian": [0, 1] } },
 *   "marginalised": { "bGamma3": { "mean": "coevolution", "sigma": 1 }, "Pshot": { "mean": 0, "sigma": "1/nbar" }, ... }
 * }
 *
 * Priors on the nuisance parameters b1, b2, bG2 are part of -2 ln L (the published likelihood adds
 * b2^2 + bG2^2); priors on the cosmological parameters are not (they enter the posterior only).
 */
import { ClaxPtInputError } from '../errors';
import { COSMO_PARAM_NAMES, COSMO_PARAM_RANGE, Z_RANGE, type CosmoParamName } from '../cosmology/params';
import { FULL_SHAPE_LINEAR_PARAMS, type FullShapeLinearParam } from '../assembly/full-shape';
import { FFTLOG_SIZES } from '../fftlog/grid';
import { checkSampleSpec, type SampleSpec } from './data';
import { checkParameterSpec, type ParameterSpec } from './priors';
import type { MarginalisedPrior } from './full-shape-head';
import type { TheoryGridOptions } from './binning';

export const NUISANCE_NAMES = ['b1', 'b2', 'bG2'] as const;
export type NuisanceName = (typeof NUISANCE_NAMES)[number];

export interface SampleConfig extends SampleSpec {
  /** multipole file and covariance file, relative to the data folder */
  pk: string;
  cov: string;
}

export interface TheoryConfig {
  /** FFTLog size (CLASS-PT "FFTLog mode": 128 Fast, 256, 512 Precise) */
  n: number;
  /** fiducial Omega_m of the AP projection (CLASS-PT `Omfid`) */
  omfid: number;
  /** what feeds the loops: CDM + baryons ('cb', CLASS-PT's default) or total matter */
  linearSpectrum: 'cb' | 'm';
  grid: TheoryGridOptions;
  /** average the theory over the k bins (true) or take it at the bin centres */
  binAverage: boolean;
  bG2SquaredL4Row: 'Id2G2_4' | 'IG2G2_4';
  /**
   * 'classpt': feed the loops CLASS-PT's time-interpolated P_L (what the published analyses ran;
   * ../cosmology/classpt-time-interpolation.ts) with CLASS's z_max_pk = zMaxPk (default: the
   * largest sample z); 'exact': CLASS's P(k, z)
   */
  timeInterpolation: 'classpt' | 'exact';
  zMaxPk?: number;
}

export interface LikelihoodConfig {
  name: string;
  theory: TheoryConfig;
  samples: SampleConfig[];
  cosmology: Record<CosmoParamName, ParameterSpec>;
  nuisance: Record<NuisanceName, ParameterSpec>;
  marginalised: Record<FullShapeLinearParam, MarginalisedPrior>;
  /** the sampler's block (src/inference), passed through unchecked here */
  sampler?: unknown;
  /** the data folder relative to the configuration file (the CLI's default: the file's folder) */
  data?: string;
}

const LATEX: Record<string, string> = {
  omega_b: '\\omega_b', omega_cdm: '\\omega_{cdm}', h: 'h', 'ln10^{10}A_s': '\\ln(10^{10}A_s)', n_s: 'n_s', m_ncdm: 'm_{ncdm}',
  b1: 'b_1', b2: 'b_2', bG2: 'b_{\\mathcal{G}_2}',
};

/** The default LaTeX label of a parameter (GetDist .paramnames). */
export function latexLabel(name: string): string {
  const dot = name.lastIndexOf('.');
  if (dot < 0) return LATEX[name] ?? name;
  const sample = name.slice(0, dot).replace(/_/g, '\\_');
  const base = LATEX[name.slice(dot + 1)] ?? name.slice(dot + 1);
  return `${base}^{\\rm ${sample}}`;
}

function object(x: unknown, field: string): Record<string, unknown> {
  if (!x || typeof x !== 'object' || Array.isArray(x)) throw new ClaxPtInputError(field, 'expected an object');
  return x as Record<string, unknown>;
}

function onlyKeys(x: Record<string, unknown>, keys: readonly string[], field: string): void {
  for (const k of Object.keys(x)) if (!keys.includes(k)) throw new ClaxPtInputError(`${field}.${k}`, `unknown key (known: ${keys.join(', ')})`);
}

function checkTheory(x: unknown): TheoryConfig {
  const t = object(x ?? {}, 'theory');
  onlyKeys(t, ['n', 'omfid', 'linearSpectrum', 'grid', 'binAverage', 'bG2SquaredL4Row', 'timeInterpolation', 'zMaxPk'], 'theory');
  const n = t.n ?? 256;
  if (!(FFTLOG_SIZES as readonly unknown[]).includes(n)) throw new ClaxPtInputError('theory.n', `must be one of ${FFTLOG_SIZES.join(', ')}, got ${JSON.stringify(n)}`);
  const omfid = t.omfid ?? 0.31;
  if (typeof omfid !== 'number' || !(omfid > 0 && omfid < 1)) throw new ClaxPtInputError('theory.omfid', `must lie in (0, 1), got ${JSON.stringify(omfid)}`);
  const lin = t.linearSpectrum ?? 'cb';
  if (lin !== 'cb' && lin !== 'm') throw new ClaxPtInputError('theory.linearSpectrum', `'cb' or 'm', got ${JSON.stringify(lin)}`);
  const g = object(t.grid ?? {}, 'theory.grid');
  onlyKeys(g, ['kMin', 'points', 'beyond'], 'theory.grid');
  const pos = (v: unknown, name: string, integer = false) => {
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
      throw new ClaxPtInputError(`theory.grid.${name}`, `must be a positive ${integer ? 'integer' : 'number'}, got ${JSON.stringify(v)}`);
    }
    return v;
  };
  const grid: TheoryGridOptions = { kMin: pos(g.kMin, 'kMin'), points: pos(g.points, 'points', true), beyond: pos(g.beyond, 'beyond') };
  if (grid.points !== undefined && grid.points < 4) throw new ClaxPtInputError('theory.grid.points', `needs at least 4 points, got ${grid.points}`);
  const binAverage = t.binAverage ?? true;
  if (typeof binAverage !== 'boolean') throw new ClaxPtInputError('theory.binAverage', 'must be true or false');
  const row = t.bG2SquaredL4Row ?? 'Id2G2_4';
  if (row !== 'Id2G2_4' && row !== 'IG2G2_4') throw new ClaxPtInputError('theory.bG2SquaredL4Row', `'Id2G2_4' (as published) or 'IG2G2_4', got ${JSON.stringify(row)}`);
  const ti = t.timeInterpolation ?? 'exact';
  if (ti !== 'classpt' && ti !== 'exact') throw new ClaxPtInputError('theory.timeInterpolation', `'classpt' or 'exact', got ${JSON.stringify(ti)}`);
  const zMaxPk = t.zMaxPk;
  if (zMaxPk !== undefined && (typeof zMaxPk !== 'number' || !(zMaxPk >= 0))) throw new ClaxPtInputError('theory.zMaxPk', `must be a non-negative number, got ${JSON.stringify(zMaxPk)}`);
  return { n: n as number, omfid, linearSpectrum: lin, grid, binAverage, bG2SquaredL4Row: row, timeInterpolation: ti, zMaxPk: zMaxPk as number | undefined };
}

function checkMarginalised(x: unknown): Record<FullShapeLinearParam, MarginalisedPrior> {
  const m = object(x, 'marginalised');
  onlyKeys(m, FULL_SHAPE_LINEAR_PARAMS, 'marginalised');
  return Object.fromEntries(
    FULL_SHAPE_LINEAR_PARAMS.map((p) => {
      const field = `marginalised.${p}`;
      if (m[p] === undefined) throw new ClaxPtInputError(field, 'missing (every linear parameter needs a Gaussian prior: {"mean", "sigma"})');
      const e = object(m[p], field);
      onlyKeys(e, ['mean', 'sigma'], field);
      const mean = e.mean;
      if (!(mean === 'coevolution' || (typeof mean === 'number' && Number.isFinite(mean)))) {
        throw new ClaxPtInputError(`${field}.mean`, `a number or "coevolution", got ${JSON.stringify(mean)}`);
      }
      const sigma = e.sigma;
      if (!(sigma === '1/nbar' || (typeof sigma === 'number' && sigma > 0 && Number.isFinite(sigma)))) {
        throw new ClaxPtInputError(`${field}.sigma`, `a positive number or "1/nbar", got ${JSON.stringify(sigma)}`);
      }
      return [p, { mean, sigma } as MarginalisedPrior];
    }),
  ) as Record<FullShapeLinearParam, MarginalisedPrior>;
}

/** Validates a parsed configuration; fills the defaults (theory settings, cosmological bounds). */
export function checkConfig(raw: unknown): LikelihoodConfig {
  const c = object(raw, 'config');
  onlyKeys(c, ['name', 'description', 'data', 'theory', 'samples', 'cosmology', 'nuisance', 'marginalised', 'sampler'], 'config');
  if (c.data !== undefined && typeof c.data !== 'string') throw new ClaxPtInputError('data', 'must be a folder name (relative to the configuration file)');
  const name = c.name ?? 'likelihood';
  if (typeof name !== 'string') throw new ClaxPtInputError('name', 'must be a string');
  const theory = checkTheory(c.theory);
  if (!Array.isArray(c.samples) || c.samples.length === 0) throw new ClaxPtInputError('samples', 'expected a non-empty list of samples');
  const names = new Set<string>();
  const samples = c.samples.map((s, i) => {
    const field = `samples[${i}]`;
    const o = object(s, field);
    onlyKeys(o, ['name', 'z', 'nbarInv', 'kmin', 'kmax', 'ells', 'pk', 'cov'], field);
    checkSampleSpec(o as unknown as SampleSpec, field);
    for (const key of ['pk', 'cov'] as const) {
      if (typeof o[key] !== 'string' || o[key] === '') throw new ClaxPtInputError(`${field}.${key}`, 'must name a file (relative to the data folder)');
    }
    if (names.has(o.name as string)) throw new ClaxPtInputError(`${field}.name`, `'${String(o.name)}' names two samples`);
    names.add(o.name as string);
    const z = o.z as number;
    if (z < Z_RANGE[0] || z > Z_RANGE[1]) throw new ClaxPtInputError(`${field}.z`, `must lie in [${Z_RANGE[0]}, ${Z_RANGE[1]}] (the emulator's range), got ${z}`);
    return o as unknown as SampleConfig;
  });
  const cosmoRaw = object(c.cosmology, 'cosmology');
  onlyKeys(cosmoRaw, COSMO_PARAM_NAMES, 'cosmology');
  const cosmology = Object.fromEntries(
    COSMO_PARAM_NAMES.map((p) => {
      const field = `cosmology.${p}`;
      if (cosmoRaw[p] === undefined) throw new ClaxPtInputError(field, 'missing (fixed value or prior)');
      const spec = checkParameterSpec(cosmoRaw[p], field);
      const [lo, hi] = COSMO_PARAM_RANGE[p];
      if (spec.fixed !== undefined) {
        if (spec.fixed < lo || spec.fixed > hi) throw new ClaxPtInputError(`${field}.fixed`, `${spec.fixed} lies outside the emulator's range [${lo}, ${hi}]`);
      } else {
        // the support is the emulator's valid range, narrowed by the given bounds
        const b = spec.bounds ?? [lo, hi];
        spec.bounds = [Math.max(b[0], lo), Math.min(b[1], hi)];
        if (!(spec.bounds[1] > spec.bounds[0])) throw new ClaxPtInputError(`${field}.bounds`, `do not overlap the emulator's range [${lo}, ${hi}]`);
      }
      spec.latex ??= latexLabel(p);
      return [p, spec];
    }),
  ) as Record<CosmoParamName, ParameterSpec>;
  const nuisRaw = object(c.nuisance, 'nuisance');
  onlyKeys(nuisRaw, NUISANCE_NAMES, 'nuisance');
  const nuisance = Object.fromEntries(
    NUISANCE_NAMES.map((p) => {
      if (nuisRaw[p] === undefined) throw new ClaxPtInputError(`nuisance.${p}`, 'missing (fixed value or prior)');
      return [p, checkParameterSpec(nuisRaw[p], `nuisance.${p}`)];
    }),
  ) as Record<NuisanceName, ParameterSpec>;
  return { name, theory, samples, cosmology, nuisance, marginalised: checkMarginalised(c.marginalised), sampler: c.sampler, data: c.data as string | undefined };
}
