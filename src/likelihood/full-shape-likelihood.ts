/**
 * A full-shape power-spectrum likelihood (the BOSS DR12 P_l analysis of Philcox & Ivanov 2022 and
 * any survey in the same layout): one engine call per distinct redshift (a batch), every sample
 * at that redshift assembling its multipoles from the same rows, the linear parameters
 * marginalised analytically, and -2 ln L with its reverse-mode gradient with respect to every
 * sampled parameter (cosmological and per-sample b1, b2, bG2) in one call.
 *
 * -2 ln L = sum_samples [r^T C_m^{-1} r + ln det C_m - ln det C + Gaussian priors of the sample's
 * b1, b2, bG2] (what the published likelihood returns); the cosmological priors are the
 * posterior's (`minus2LogPosterior`).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { ClaxPtInputError } from '../errors';
import { COSMO_PARAM_NAMES, validateCosmoParams, type CosmoParamName, type CosmoParams } from '../cosmology/params';
import { predictFromCosmology } from '../cosmology/end-to-end';
import { getPlan } from '../plan';
import { apSideNodes, computeComponents } from '../compute';
import { fftlogGrid } from '../fftlog/grid';
import { classptReadout } from '../input/classpt-readout';
import type { CosmologyInput } from '../input/linear-stage';
import { densities, ncdmEnergyFactor } from '../cosmology/background';
import { hostOps } from '../cosmology/ops';
import { getEmulator, sigma8Host } from '../cosmology/emulator';
import { FULL_SHAPE_ROWS } from '../assembly/full-shape';
import type { LikelihoodConfig, NuisanceName } from './config';
import { NUISANCE_NAMES, latexLabel } from './config';
import type { SampleData } from './data';
import { binAverageOperator, binCentreOperator, theoryGrid } from './binning';
import { fullShapeHead, type HeadObjective, type HeadProblem, type SampleEvaluation } from './full-shape-head';
import { minus2LogPrior, type ParameterSpec } from './priors';

/** A point in parameter space: cosmological names and '<sample>.b1' etc. */
export type ParameterPoint = Record<string, number>;

export interface LikelihoodResult {
  /**
   * -2 ln L (with the nuisance priors, without the cosmological ones); with the option
   * `objective: 'chi2'`, the marginalised chi^2 alone (no log-determinant term, no priors)
   */
  minus2lnL: number;
  /** per sample: its -2 ln L contribution */
  samples: Record<string, number>;
  /** per sample: chi^2, the log-determinant term, the nuisance prior term */
  parts: Record<string, { chi2: number; logDetTerm: number; prior: number; nData: number }>;
  /** per sample: the posterior mean and sd of every marginalised parameter */
  marginalised: Record<string, SampleEvaluation['marginalised']>;
  /** d(-2 ln L)/d(parameter) for every sampled parameter, when asked for */
  gradient?: Record<string, number>;
  /** per sample: the bin-averaged model (prior means, best fit) and the data, data-vector order */
  model?: Record<string, { kCentres: Float64Array; ells: number[]; data: Float64Array; sd: Float64Array; atPriorMean: Float64Array; atBestFit: Float64Array }>;
}

/**
 * The engine's inputs given directly instead of the emulator's (e.g. CLASS's own linear P(k),
 * as CLASS-PT's loops receive it), one entry per redshift of the likelihood, ascending.
 */
export interface LinearInputs {
  h: number;
  n_s: number;
  rsDragMpc: number;
  perZ: { kMpc: ArrayLike<number>; pkMpc3: ArrayLike<number>; f: number; hratio: number; Dratio: number }[];
  /** the k are CLASS's own grid: read the rows out as CLASS-PT does between its nodes */
  classptReadout?: boolean;
}

export interface DerivedParameters {
  H0: number;
  Omega_m: number;
  sigma8: number;
  S8: number;
}

export const DERIVED_NAMES = ['H0', 'Omega_m', 'sigma8', 'S8'] as const;
export const DERIVED_LATEX: Record<(typeof DERIVED_NAMES)[number], string> = { H0: 'H_0', Omega_m: '\\Omega_m', sigma8: '\\sigma_8', S8: 'S_8' };

export class FullShapeLikelihood {
  readonly config: LikelihoodConfig;
  readonly data: SampleData[];
  /** distinct redshifts, ascending (one engine call each, batched) */
  readonly redshifts: number[];
  /** theory grid in h/Mpc */
  readonly grid: Float64Array;
  private readonly head: HeadProblem;
  private lastEvaluations: SampleEvaluation[] = [];

  constructor(config: LikelihoodConfig, data: SampleData[]) {
    if (data.length !== config.samples.length) throw new ClaxPtInputError('samples', `${config.samples.length} samples configured, ${data.length} loaded`);
    this.config = config;
    this.data = data;
    this.redshifts = [...new Set(config.samples.map((s) => s.z))].sort((a, b) => a - b);
    const kMax = Math.max(...data.map((d) => d.kCentres[d.kCentres.length - 1]));
    this.grid = theoryGrid(kMax, config.theory.grid);
    if (this.grid[0] > Math.min(...data.map((d) => d.kLow[0]))) {
      throw new ClaxPtInputError('theory.grid.kMin', `${this.grid[0]} h/Mpc lies above the first bin's lower edge`);
    }
    // the engine's output range is [5e-5, 100] h/Mpc; the emulated input P(k) ends at 20 1/Mpc
    if (this.grid[this.grid.length - 1] > 20 / 0.85) {
      throw new ClaxPtInputError('samples.kmax', `the theory grid would reach ${this.grid[this.grid.length - 1]} h/Mpc, beyond the emulated P(k) (20 1/Mpc)`);
    }
    if (this.grid[0] < 5e-5) throw new ClaxPtInputError('theory.grid.kMin', `must be at least 5e-5 h/Mpc (the FFTLog range), got ${this.grid[0]}`);
    this.head = {
      samples: data.map((d) => ({
        data: d,
        zIndex: this.redshifts.indexOf(d.spec.z),
        bins: config.theory.binAverage ? binAverageOperator(this.grid, d.kLow, d.kHigh) : binCentreOperator(this.grid, d.kCentres),
      })),
      grid: this.grid,
      rows: [...FULL_SHAPE_ROWS],
      priors: config.marginalised,
      model: { bG2SquaredL4Row: config.theory.bG2SquaredL4Row },
    };
  }

  /** Names of the sampled parameters: free cosmological ones, then '<sample>.<b1|b2|bG2>' per sample. */
  get parameterNames(): string[] {
    const cosmo = COSMO_PARAM_NAMES.filter((p) => this.config.cosmology[p].fixed === undefined);
    const nuis = this.config.samples.flatMap((s) => NUISANCE_NAMES.filter((n) => this.config.nuisance[n].fixed === undefined).map((n) => `${s.name}.${n}`));
    return [...cosmo, ...nuis];
  }

  /** The prior specification of a sampled parameter (bounds, Gaussian, LaTeX label). */
  parameterSpec(name: string): ParameterSpec {
    const dot = name.lastIndexOf('.');
    const spec = dot < 0 ? this.config.cosmology[name as CosmoParamName] : this.config.nuisance[name.slice(dot + 1) as NuisanceName];
    if (!spec) throw new ClaxPtInputError(name, 'not a parameter of this likelihood');
    return { ...spec, latex: spec.latex ?? latexLabel(name) };
  }

  /** The cosmological parameters of a point (fixed ones filled in), checked against the emulator's range. */
  cosmology(point: ParameterPoint): Record<CosmoParamName, number> {
    const out = {} as Record<CosmoParamName, number>;
    for (const p of COSMO_PARAM_NAMES) {
      const fixed = this.config.cosmology[p].fixed;
      const v = fixed ?? point[p];
      if (v === undefined) throw new ClaxPtInputError(`params.${p}`, 'missing');
      out[p] = v;
    }
    return validateCosmoParams(out, 'params');
  }

  private nuisance(point: ParameterPoint, sample: string, name: NuisanceName): number {
    const fixed = this.config.nuisance[name].fixed;
    const v = fixed ?? point[`${sample}.${name}`];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ClaxPtInputError(`params.${sample}.${name}`, `must be a finite number, got ${String(v)}`);
    return v;
  }

  /**
   * -2 ln L at a point, per-sample details, the marginalised parameters' best fit and, with
   * `gradient`, d(-2 ln L)/d(each sampled parameter) by reverse mode through the whole chain.
   * `objective: 'chi2'` returns (and differentiates) sum over samples of r^T C_m^{-1} r alone:
   * the goodness of fit, without the log-determinant term and the nuisance priors, whose
   * minimum is the best fit to the data (zero at the truth of a noiseless mock).
   */
  evaluate(point: ParameterPoint, options: { gradient?: boolean; model?: boolean; linear?: LinearInputs; objective?: HeadObjective } = {}): LikelihoodResult {
    const objective = options.objective ?? 'marginalised';
    if (objective !== 'marginalised' && objective !== 'chi2') throw new ClaxPtInputError('options.objective', `'marginalised' or 'chi2', got ${String(objective)}`);
    if (options.linear && options.gradient) throw new ClaxPtInputError('options', 'gradients come from the emulator path (no linear inputs)');
    const cosmo = this.cosmology(point);
    const samples = this.config.samples;
    const bias = samples.map((s) => NUISANCE_NAMES.map((n) => this.nuisance(point, s.name, n)));
    for (const [k, v] of Object.entries(point)) if (!Number.isFinite(v)) throw new ClaxPtInputError(`params.${k}`, `must be a finite number, got ${v}`);
    const names = this.parameterNames;
    let perSample: Float64Array;
    let gradient: Record<string, number> | undefined;
    if (options.gradient) {
      const xs = names.map((n) => tf.scalar(n in cosmo ? cosmo[n as CosmoParamName] : point[n]));
      const { value, grads } = tf.valueAndGrads((...t: tf.Tensor[]) => {
        const at = new Map(names.map((n, i) => [n, t[i]]));
        const cp = Object.fromEntries(COSMO_PARAM_NAMES.map((p) => [p, at.get(p) ?? cosmo[p]])) as CosmoParams;
        const bt = samples.map((s, si) => NUISANCE_NAMES.map((n, ni) => at.get(`${s.name}.${n}`) ?? bias[si][ni]));
        return tf.sum(this.perSampleTensor(cp, bt, undefined, objective)) as tf.Scalar;
      })(xs);
      void value;
      gradient = Object.fromEntries(names.map((n, i) => [n, grads[i].dataSync()[0]]));
      tf.dispose([value, ...grads, ...xs]);
    } else {
      const t = tf.tidy(() => this.perSampleTensor(cosmo, bias, options.linear, objective));
      t.dispose();
    }
    const evals = this.lastEvaluations;
    perSample = Float64Array.from(evals, (e) => (objective === 'chi2' ? e.chi2 : e.chi2 + e.logDetTerm));
    // nuisance priors (part of -2 ln L, as published) and their gradient
    const result: LikelihoodResult = { minus2lnL: 0, samples: {}, parts: {}, marginalised: {} };
    samples.forEach((s, si) => {
      let prior = 0;
      NUISANCE_NAMES.forEach((n, ni) => {
        const spec = this.config.nuisance[n];
        if (spec.fixed !== undefined || !spec.gaussian || objective === 'chi2') return;
        const pr = minus2LogPrior({ gaussian: spec.gaussian }, bias[si][ni]);
        prior += pr.value;
        if (gradient) gradient[`${s.name}.${n}`] += pr.derivative;
      });
      const v = perSample[si] + prior;
      result.samples[s.name] = v;
      result.parts[s.name] = { chi2: evals[si].chi2, logDetTerm: evals[si].logDetTerm, prior, nData: this.data[si].data.length };
      result.marginalised[s.name] = evals[si].marginalised;
      result.minus2lnL += v;
    });
    if (gradient) result.gradient = gradient;
    if (options.model) {
      result.model = Object.fromEntries(samples.map((s, si) => {
        const d = this.data[si];
        const n = d.data.length;
        return [s.name, {
          kCentres: d.kCentres, ells: [...s.ells], data: d.data,
          sd: Float64Array.from({ length: n }, (_, i) => Math.sqrt(d.covariance[i * n + i])),
          atPriorMean: evals[si].modelAtPriorMean, atBestFit: evals[si].modelAtBestFit,
        }];
      }));
    }
    return result;
  }

  /** The per-sample marginalised -2 ln L (no priors) as a [S] tensor of the parameters. */
  private perSampleTensor(cosmo: CosmoParams, bias: (number | tf.Tensor)[][], linear?: LinearInputs, objective: HeadObjective = 'marginalised'): tf.Tensor1D {
    if (linear) {
      // the engine fed with given linear spectra and scalars (values only)
      if (linear.perZ.length !== this.redshifts.length) throw new ClaxPtInputError('linear.perZ', `expected ${this.redshifts.length} redshifts (${this.redshifts.join(', ')}), got ${linear.perZ.length}`);
      const plan = getPlan({ n: this.config.theory.n });
      const inputs = linear.perZ.map((z) => ({ kMpc: z.kMpc, pkMpc3: z.pkMpc3, h: linear.h, n_s: linear.n_s, rsDragMpc: linear.rsDragMpc, f: z.f, hratio: z.hratio, Dratio: z.Dratio }));
      const out = computeComponents(plan, inputs, { kOutHMpc: this.grid, components: 'all' });
      let rows: tf.Tensor = tf.stack(this.head.rows.map((name) => out.components[name]), 1);
      if (linear.classptReadout) rows = this.readout(plan, inputs, rows, linear.h);
      const b = tf.tensor2d(bias.map((row) => row.map((v) => v as number)));
      return fullShapeHead(this.head, rows, b, tf.tensor1d(linear.perZ.map((z) => z.f)), tf.scalar(linear.h), (e) => (this.lastEvaluations = e), objective);
    }
    const r = predictFromCosmology(
      this.redshifts.map((z) => ({ params: cosmo, z })),
      {
        kOutHMpc: this.grid,
        n: this.config.theory.n,
        omfid: this.config.theory.omfid,
        linearSpectrum: this.config.theory.linearSpectrum,
        components: 'all',
        only: [],
        classptTimeInterpolation: this.config.theory.timeInterpolation === 'classpt' ? { zMaxPk: this.config.theory.zMaxPk ?? Math.max(...this.redshifts) } : undefined,
      },
    );
    // r's tensors belong to the caller's scope (tf.tidy or the gradient's), which disposes them
    const rows = tf.stack(this.head.rows.map((name) => r.components[name]), 1); // [Z, R, nK]
    const b = tf.stack(bias.map((row) => tf.stack(row.map((v) => (typeof v === 'number' ? tf.scalar(v) : tf.reshape(v, []))))));
    const h = typeof cosmo.h === 'number' ? tf.scalar(cosmo.h) : cosmo.h;
    return fullShapeHead(this.head, rows, b, r.derived.f, h, (e) => (this.lastEvaluations = e), objective);
  }

  /**
   * The rows at the theory grid as CLASS-PT's get_pk_mult returns them when the input k are
   * CLASS's own grid: computed at those nodes (inside the FFTLog range CLASS-PT projects on) and
   * read out through its ln-k spline of ln(offset + sign row) (../input/classpt-readout.ts).
   * Grid points outside the nodes' span keep the engine's values.
   */
  private readout(plan: ReturnType<typeof getPlan>, inputs: CosmologyInput[], rows: tf.Tensor, h: number): tf.Tensor {
    const nSide = apSideNodes(true);
    const fft = fftlogGrid(plan.n, h).kMpc;
    const [lo, hi] = [fft[nSide], fft[fft.length - 1 - nSide]];
    const kEval = Float64Array.from(this.grid, (k) => k * h);
    const host = rows.arraySync() as number[][][];
    const out = inputs.map((input, z) => {
      const nodes = Float64Array.from(input.kMpc).filter((k) => k >= lo && k <= hi);
      const at = computeComponents(plan, [input], { kOutMpc: nodes, components: 'all' });
      const values = this.head.rows.map((name, r) => {
        const v = at.components[name].dataSync();
        const read = classptReadout(name, v, nodes, kEval.map((k) => Math.min(Math.max(k, nodes[0]), nodes[nodes.length - 1])));
        return Array.from(read, (x, i) => (kEval[i] >= nodes[0] && kEval[i] <= nodes[nodes.length - 1] ? x : host[z][r][i]));
      });
      at.dispose();
      return values;
    });
    return tf.tensor3d(out);
  }

  /** -2 ln prior of the cosmological parameters (Gaussian parts; Infinity outside any bounds) and its gradient. */
  minus2LogCosmologyPrior(point: ParameterPoint): { value: number; gradient: Record<string, number> } {
    let value = 0;
    const gradient: Record<string, number> = {};
    for (const p of COSMO_PARAM_NAMES) {
      const spec = this.config.cosmology[p];
      if (spec.fixed !== undefined) continue;
      const pr = minus2LogPrior(spec, point[p]);
      value += pr.value;
      gradient[p] = pr.derivative;
    }
    for (const s of this.config.samples) {
      for (const n of NUISANCE_NAMES) {
        const spec = this.config.nuisance[n];
        if (spec.fixed !== undefined || !spec.bounds) continue;
        const x = point[`${s.name}.${n}`];
        if (x < spec.bounds[0] || x > spec.bounds[1]) value = Infinity;
      }
    }
    return { value, gradient };
  }

  /** H0, Omega_m, sigma8 (z = 0, total matter) and S8 = sigma8 sqrt(Omega_m / 0.3), float64. */
  derived(point: ParameterPoint): DerivedParameters {
    const c = this.cosmology(point);
    const d = densities(hostOps, { omegaB: c.omega_b, omegaCdm: c.omega_cdm, h: c.h, mNu: c.m_ncdm }, ncdmEnergyFactor);
    const omegaM = d.omegaCb + d.omegaNcdm0;
    const sigma8 = sigma8Host(getEmulator(), c, 0);
    return { H0: 100 * c.h, Omega_m: omegaM, sigma8, S8: sigma8 * Math.sqrt(omegaM / 0.3) };
  }
}
