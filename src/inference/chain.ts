/**
 * One Markov chain: NUTS transitions (./nuts.ts) with Stan's warm-up (dual-averaging step size,
 * ./stepsize.ts, and windowed metric adaptation, ./windows.ts), one iteration per step(), and
 * a JSON-serialisable checkpoint from which restore() continues with exactly the draws an
 * uninterrupted chain would have made (the RNG state, position, step size, metric and both
 * adaptations' accumulators are all in it).
 *
 * Starting point (as Stan: up to 100 tries for a finite log density and gradient): uniform
 * within +- initRadius scales of a centre on the unconstrained space; the centre is the
 * target's initial point (or u = 0) and the scales its `scales` (or 1). The first metric is
 * diag(scales^2) on the unconstrained space when the target gives scales (a unit metric would
 * make the first window's trajectories hit the maximum depth for parameters of very different
 * sizes), or the one given to start() (e.g. the MAP's inverse Hessian).
 */
import { ClaxPtInputError } from '../errors';
import { Metric, type MetricKind } from './metric';
import { Nuts, newPoint, type PhasePoint } from './nuts';
import { Rng } from './rng';
import type { SamplerSettings } from './settings';
import { DualAveraging, type DualAveragingState } from './stepsize';
import type { UnconstrainedDensity } from './unconstrained';
import { WindowedAdaptation, type WindowState } from './windows';

export type ChainSettings = Pick<
  SamplerSettings,
  'warmup' | 'samples' | 'seed' | 'maxTreeDepth' | 'targetAccept' | 'metric' | 'metricEstimate' | 'initRadius' | 'stepSize' | 'maxDeltaH' | 'initBuffer' | 'termBuffer' | 'baseWindow'
>;

export interface ChainStart {
  /** the chain's number (1-based; the RNG stream is (seed, chain)) */
  chain: number;
  /** centre of the random starting points, unconstrained (default: the target's initial point, or 0) */
  center?: ArrayLike<number>;
  /** their scale per coordinate, unconstrained (default: the target's scales, or 1) */
  scale?: ArrayLike<number>;
  /** the first inverse metric, unconstrained: n (diagonal) or n*n values (default: diag(scale^2) when the target has scales, else I) */
  metric?: ArrayLike<number>;
}

export interface ChainTallies {
  divergentWarmup: number;
  divergent: number;
  maxDepthHits: number;
  leapfrogs: number;
}

export interface ChainCheckpoint {
  version: 1;
  chain: number;
  seed: number;
  /** iterations done (warm-up and sampling) */
  iteration: number;
  settings: ChainSettings;
  q: number[];
  stepSize: number;
  metric: { kind: MetricKind; inverse: number[] };
  dualAveraging: DualAveragingState;
  windows: WindowState;
  rng: number[];
  tallies: ChainTallies;
}

export interface ChainDraw {
  /** 1-based over warm-up and sampling */
  iteration: number;
  warmup: boolean;
  /** the position, unconstrained (a copy) */
  u: Float64Array;
  /** log p(x) of the target at the draw (constrained space, no Jacobian) */
  logPosterior: number;
  acceptStat: number;
  stepSize: number;
  treeDepth: number;
  nLeapfrog: number;
  divergent: boolean;
  energy: number;
}

const CHAIN_KEYS: (keyof ChainSettings)[] = ['warmup', 'samples', 'seed', 'maxTreeDepth', 'targetAccept', 'metric', 'metricEstimate', 'initRadius', 'stepSize', 'maxDeltaH', 'initBuffer', 'termBuffer', 'baseWindow'];

/** the chain's fields of a settings object */
export function pickChainSettings(s: ChainSettings): ChainSettings {
  return Object.fromEntries(CHAIN_KEYS.map((k) => [k, s[k]])) as unknown as ChainSettings;
}

/** settings a resumed chain must share with its checkpoint (samples may grow) */
const FIXED: (keyof ChainSettings)[] = ['warmup', 'seed', 'maxTreeDepth', 'targetAccept', 'metric', 'metricEstimate', 'maxDeltaH', 'initBuffer', 'termBuffer', 'baseWindow'];

export class Chain {
  private z: PhasePoint;
  private metric: Metric;
  private readonly nuts: Nuts;
  private readonly dual: DualAveraging;
  private readonly windows: WindowedAdaptation;
  readonly tallies: ChainTallies = { divergentWarmup: 0, divergent: 0, maxDepthHits: 0, leapfrogs: 0 };

  private constructor(
    readonly density: UnconstrainedDensity,
    readonly settings: ChainSettings,
    readonly chain: number,
    private readonly rng: Rng,
    metric: Metric,
    public stepSize: number,
    public iteration: number,
    log?: (message: string) => void,
  ) {
    this.metric = metric;
    this.nuts = new Nuts(density, metric, rng, settings.maxTreeDepth, settings.maxDeltaH);
    this.dual = new DualAveraging(settings.targetAccept);
    this.windows = new WindowedAdaptation(settings.metric, density.dim, settings.warmup, settings, log, settings.metricEstimate);
    this.z = newPoint(density.dim);
  }

  /** A new chain: starting point, first metric, Stan's step-size initialisation. */
  static start(density: UnconstrainedDensity, settings: ChainSettings, start: ChainStart, log?: (message: string) => void): Chain {
    const n = density.dim;
    const target = density.target;
    const t = density.transforms;
    const center = start.center ? Float64Array.from(start.center) : target.initial ? t.toUnconstrained(target.initial, 'target.initial') : new Float64Array(n);
    let scale: Float64Array;
    if (start.scale) {
      scale = Float64Array.from(start.scale);
    } else if (target.scales) {
      const d = t.derivative(center);
      scale = Float64Array.from(target.scales, (s, i) => s / Math.abs(d[i]));
    } else {
      scale = new Float64Array(n).fill(1);
    }
    if (center.length !== n || !center.every(Number.isFinite)) throw new ClaxPtInputError('start.center', `needs ${n} finite values`);
    if (scale.length !== n || !scale.every((s) => s > 0 && Number.isFinite(s))) throw new ClaxPtInputError('start.scale', `needs ${n} positive finite values`);
    const inverse = start.metric ?? (start.scale || target.scales ? Array.from(scale, (s) => s * s) : undefined);
    const metric = inverse ? Metric.from(settings.metric, n, inverse) : new Metric(settings.metric, n);
    const rng = new Rng(settings.seed, start.chain);
    const c = new Chain(density, settings, start.chain, rng, metric, settings.stepSize, 0, log);
    c.findStart(center, scale);
    c.dual.restart(settings.stepSize); // Stan: mu = log(10 eps) with the given eps, before its initialisation
    c.stepSize = c.nuts.initStepSize(c.z, settings.stepSize);
    return c;
  }

  /** A chain continued from its checkpoint (one evaluation at the saved position). */
  static restore(density: UnconstrainedDensity, settings: ChainSettings, cp: ChainCheckpoint): Chain {
    if (cp.version !== 1) throw new ClaxPtInputError('checkpoint.version', `unknown version ${String(cp.version)}`);
    for (const k of FIXED) {
      // checkpoints made before metricEstimate existed used Stan's estimate
      const saved = k === 'metricEstimate' ? (cp.settings[k] ?? 'covariance') : cp.settings[k];
      if (saved !== settings[k]) {
        throw new ClaxPtInputError(`sampler.${k}`, `is ${JSON.stringify(settings[k])} but the checkpoint of chain ${cp.chain} was made with ${JSON.stringify(saved)} (start a new output folder to change it)`);
      }
    }
    if (cp.q.length !== density.dim) throw new ClaxPtInputError('checkpoint.q', `has ${cp.q.length} values for ${density.dim} parameters (a different target?)`);
    const metric = new Metric(cp.metric.kind, density.dim, cp.metric.inverse);
    const c = new Chain(density, settings, cp.chain, new Rng(cp.rng), metric, cp.stepSize, cp.iteration);
    c.dual.restore(cp.dualAveraging);
    c.windows.restore(cp.windows);
    Object.assign(c.tallies, cp.tallies);
    c.z.q.set(cp.q);
    c.nuts.evaluate(c.z);
    if (!Number.isFinite(c.z.V)) throw new Error(`chain ${cp.chain}: the log density at the checkpoint's position is not finite (a different target?)`);
    return c;
  }

  private findStart(center: Float64Array, scale: Float64Array): void {
    const r = this.settings.initRadius;
    for (let attempt = 0; attempt < 100; attempt++) {
      for (let i = 0; i < center.length; i++) this.z.q[i] = r > 0 ? center[i] + r * scale[i] * (2 * this.rng.uniform() - 1) : center[i];
      this.nuts.evaluate(this.z);
      if (Number.isFinite(this.z.V)) return;
      if (r === 0) break;
    }
    throw new ClaxPtInputError(
      'initial point',
      r === 0
        ? `the log density or its gradient is not finite at the initial point (chain ${this.chain})`
        : `no finite log density and gradient in 100 random starts within ${r} scales of the initial point (chain ${this.chain}); check the target's initial point and scales`,
    );
  }

  get total(): number {
    return this.settings.warmup + this.settings.samples;
  }

  get done(): boolean {
    return this.iteration >= this.total;
  }

  /** the current inverse metric */
  get inverseMetric(): Float64Array {
    return this.metric.inverse;
  }

  /** One iteration (warm-up or sampling). */
  step(): ChainDraw {
    const { warmup } = this.settings;
    const inWarmup = this.iteration < warmup;
    const eps = this.stepSize;
    const tr = this.nuts.transition(this.z, eps);
    this.z = tr.point;
    this.tallies.leapfrogs += tr.nLeapfrog;
    if (tr.divergent) {
      if (inWarmup) this.tallies.divergentWarmup++;
      else this.tallies.divergent++;
    }
    if (!inWarmup && tr.treeDepth >= this.settings.maxTreeDepth) this.tallies.maxDepthHits++;
    if (inWarmup) {
      this.stepSize = this.dual.learn(tr.acceptStat);
      const inv = this.windows.learn(this.z.q, this.z.g);
      if (inv) {
        this.metric = new Metric(this.settings.metric, this.density.dim, inv);
        this.nuts.metric = this.metric;
        this.stepSize = this.nuts.initStepSize(this.z, this.stepSize);
        this.dual.restart(this.stepSize);
      }
      if (this.iteration === warmup - 1) this.stepSize = this.dual.final(this.stepSize);
    }
    this.iteration++;
    return {
      iteration: this.iteration,
      warmup: inWarmup,
      u: Float64Array.from(this.z.q),
      logPosterior: this.density.constrainedLogDensity(this.z.q, -this.z.V),
      acceptStat: tr.acceptStat,
      stepSize: eps,
      treeDepth: tr.treeDepth,
      nLeapfrog: tr.nLeapfrog,
      divergent: tr.divergent,
      energy: tr.energy,
    };
  }

  checkpoint(): ChainCheckpoint {
    return {
      version: 1,
      chain: this.chain,
      seed: this.settings.seed,
      iteration: this.iteration,
      settings: pickChainSettings(this.settings),
      q: Array.from(this.z.q),
      stepSize: this.stepSize,
      metric: { kind: this.metric.kind, inverse: Array.from(this.metric.inverse) },
      dualAveraging: this.dual.state(),
      windows: this.windows.state(),
      rng: this.rng.state(),
      tallies: { ...this.tallies },
    };
  }
}
