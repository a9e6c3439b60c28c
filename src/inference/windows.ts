/**
 * Stan's windowed warm-up (windowed_adaptation.hpp, var_adaptation.hpp, covar_adaptation.hpp):
 * an initial fast interval (75 iterations: step size only), slow windows for the metric
 * (25, 50, 100, ... iterations; the last one stretched to the terminal interval), a terminal
 * fast interval (50). When 75 + 25 + 50 exceeds the warm-up, Stan uses 15% / 75% / 10% of it
 * (integer parts); under 20 warm-up iterations the metric is not adapted.
 * At the end of each slow window the metric becomes a regularised estimate of the posterior
 * covariance from the window's draws, (n / (n + 5)) C + 1e-3 (5 / (n + 5)) I, and the caller
 * restarts the step size. The estimate C is one of
 *   'covariance' (Stan): the sample (co)variance of the draws' positions;
 *   'fisher': from the positions and the gradients of log p at them (both free in HMC), the
 *     metric that minimises the Fisher divergence of the affinely preconditioned target from a
 *     standard normal (Seyboldt, Carlson & Carpenter; the nutpie sampler): C = Cg^-1/2 (Cg^1/2 Cx Cg^1/2)^1/2 Cg^-1/2,
 *     the geometric mean of Cx and Cg^-1 (Cx, Cg the sample covariances of positions and
 *     gradients; diagonal: sqrt(var x / var g)). For a Gaussian target g = -Sigma^-1 (x - mu),
 *     so Cg = Sigma^-1 Cx Sigma^-1 and C = Sigma exactly from any d + 1 draws: a window of a few
 *     tens of draws gives the metric that the sample covariance reaches only with hundreds.
 *     Falls back to 'covariance' when the window is too short (n <= d) or the estimate is not
 *     positive definite.
 */
import { geometricMeanWithInverse } from './linalg';
import type { MetricKind } from './metric';

/** how a slow window estimates the metric (see above) */
export type MetricEstimate = 'covariance' | 'fisher';

export interface WindowSettings {
  initBuffer: number;
  termBuffer: number;
  baseWindow: number;
}

export const STAN_WINDOWS: WindowSettings = { initBuffer: 75, termBuffer: 50, baseWindow: 25 };

export interface WindowState {
  numWarmup: number;
  initBuffer: number;
  termBuffer: number;
  baseWindow: number;
  counter: number;
  windowSize: number;
  nextWindow: number;
  /** Welford accumulators of the current window: positions, and gradients ('fisher') */
  n: number;
  mean: number[];
  m2: number[];
  gMean?: number[];
  gM2?: number[];
}

export class WindowedAdaptation {
  numWarmup = 0;
  initBuffer = 0;
  termBuffer = 0;
  baseWindow = 0;
  counter = 0;
  windowSize = 0;
  nextWindow = 0;
  private n = 0;
  private mean: Float64Array;
  private m2: Float64Array;
  private gMean: Float64Array;
  private gM2: Float64Array;

  /** `log` receives Stan's notes on short warm-ups */
  constructor(
    readonly kind: MetricKind,
    readonly dim: number,
    numWarmup: number,
    windows: WindowSettings = STAN_WINDOWS,
    log?: (message: string) => void,
    readonly estimate: MetricEstimate = 'covariance',
  ) {
    this.mean = new Float64Array(dim);
    this.m2 = new Float64Array(kind === 'dense' ? dim * dim : dim);
    this.gMean = new Float64Array(estimate === 'fisher' ? dim : 0);
    this.gM2 = new Float64Array(estimate === 'fisher' ? this.m2.length : 0);
    this.restartWindows(); // Stan's constructor: everything 0
    if (numWarmup < 20) {
      log?.('fewer than 20 warm-up iterations: the metric is not adapted');
      return;
    }
    const { initBuffer, termBuffer, baseWindow } = windows;
    if (initBuffer + baseWindow + termBuffer > numWarmup) {
      log?.(`${numWarmup} warm-up iterations are too few for the ${initBuffer}/${baseWindow}/${termBuffer} windows: using 15% / 75% / 10%`);
      this.numWarmup = numWarmup;
      this.initBuffer = Math.floor(0.15 * numWarmup);
      this.termBuffer = Math.floor(0.1 * numWarmup);
      this.baseWindow = numWarmup - (this.initBuffer + this.termBuffer);
      // Stan (windowed_adaptation.hpp up to 2.36) returns here without restart(), which leaves
      // the first window's end at UINT_MAX so that the metric is never adapted (stan-dev/stan
      // issue 3380); the windows are restarted here, as that issue intends.
      this.restartWindows();
      return;
    }
    this.numWarmup = numWarmup;
    this.initBuffer = initBuffer;
    this.termBuffer = termBuffer;
    this.baseWindow = baseWindow;
    this.restartWindows();
  }

  private restartWindows(): void {
    this.counter = 0;
    this.windowSize = this.baseWindow;
    this.nextWindow = this.initBuffer + this.windowSize - 1;
  }

  private inWindow(): boolean {
    return this.counter >= this.initBuffer && this.counter < this.numWarmup - this.termBuffer && this.counter !== this.numWarmup;
  }

  private endOfWindow(): boolean {
    return this.counter === this.nextWindow && this.counter !== this.numWarmup;
  }

  private computeNextWindow(): void {
    const lastEnd = this.numWarmup - this.termBuffer - 1;
    if (this.nextWindow === lastEnd) return;
    this.windowSize *= 2;
    this.nextWindow = this.counter + this.windowSize;
    if (this.nextWindow !== lastEnd) {
      const nextBoundary = this.nextWindow + 2 * this.windowSize;
      if (nextBoundary >= this.numWarmup - this.termBuffer) this.nextWindow = lastEnd;
    }
  }

  /**
   * Adds the position (and, for 'fisher', the gradient of log p there) after a warm-up
   * transition; at the end of a slow window returns the new inverse metric (else null).
   */
  learn(q: Float64Array, grad?: Float64Array): Float64Array | null {
    if (this.inWindow()) {
      this.n++;
      welford(this.kind, this.dim, this.n, q, this.mean, this.m2);
      if (this.estimate === 'fisher') {
        if (!grad) throw new Error("the 'fisher' metric estimate needs the gradient at each draw");
        welford(this.kind, this.dim, this.n, grad, this.gMean, this.gM2);
      }
    }
    if (this.endOfWindow()) {
      this.computeNextWindow();
      // fewer than 2 draws estimate nothing: keep the metric (stan-dev/stan PR 3037)
      const inv = this.n >= 2 ? this.regularised(this.estimated()) : null;
      if (inv && !inv.every(Number.isFinite)) throw new Error('numerical overflow in metric adaptation (a parameter may be improper or wildly scaled)');
      this.n = 0;
      this.mean.fill(0);
      this.m2.fill(0);
      this.gMean.fill(0);
      this.gM2.fill(0);
      this.counter++;
      return inv;
    }
    this.counter++;
    return null;
  }

  /** the window's covariance estimate (unregularised): positions alone, or positions and gradients */
  private estimated(): Float64Array {
    const n = this.n;
    const d = this.dim;
    const cx = Float64Array.from(this.m2, (v) => v / (n - 1));
    if (this.estimate !== 'fisher' || n <= d) return cx;
    const cg = Float64Array.from(this.gM2, (v) => v / (n - 1));
    if (this.kind === 'diag') {
      const out = Float64Array.from(cx, (v, i) => Math.sqrt(v / cg[i]));
      return out.every((v) => v > 0 && Number.isFinite(v)) ? out : cx;
    }
    const g = geometricMeanWithInverse(cx, cg, d);
    return g && g.every(Number.isFinite) ? g : cx;
  }

  private regularised(c: Float64Array): Float64Array {
    const d = this.dim;
    const n = this.n;
    const out = new Float64Array(c.length);
    const shrink = n / (n + 5);
    const ridge = 1e-3 * (5 / (n + 5));
    for (let k = 0; k < out.length; k++) out[k] = shrink * c[k];
    if (this.kind === 'dense') {
      for (let i = 0; i < d; i++) out[i * d + i] += ridge;
      for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) out[i * d + j] = out[j * d + i] = 0.5 * (out[i * d + j] + out[j * d + i]);
    } else {
      for (let i = 0; i < d; i++) out[i] += ridge;
    }
    return out;
  }

  state(): WindowState {
    return {
      numWarmup: this.numWarmup,
      initBuffer: this.initBuffer,
      termBuffer: this.termBuffer,
      baseWindow: this.baseWindow,
      counter: this.counter,
      windowSize: this.windowSize,
      nextWindow: this.nextWindow,
      n: this.n,
      mean: Array.from(this.mean),
      m2: Array.from(this.m2),
      ...(this.estimate === 'fisher' ? { gMean: Array.from(this.gMean), gM2: Array.from(this.gM2) } : {}),
    };
  }

  restore(s: WindowState): void {
    this.numWarmup = s.numWarmup;
    this.initBuffer = s.initBuffer;
    this.termBuffer = s.termBuffer;
    this.baseWindow = s.baseWindow;
    this.counter = s.counter;
    this.windowSize = s.windowSize;
    this.nextWindow = s.nextWindow;
    this.n = s.n;
    this.mean = Float64Array.from(s.mean);
    this.m2 = Float64Array.from(s.m2);
    if (this.estimate === 'fisher') {
      if (!s.gMean || !s.gM2) throw new Error("the checkpoint's windows lack the gradient accumulators of the 'fisher' metric estimate");
      this.gMean = Float64Array.from(s.gMean);
      this.gM2 = Float64Array.from(s.gM2);
    }
  }
}

/** One Welford update (n already counts x) of a mean and a (co)variance accumulator. */
function welford(kind: MetricKind, d: number, n: number, x: ArrayLike<number>, mean: Float64Array, m2: Float64Array): void {
  const delta = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    delta[i] = x[i] - mean[i];
    mean[i] += delta[i] / n;
  }
  if (kind === 'dense') {
    for (let i = 0; i < d; i++) {
      const xi = x[i] - mean[i];
      for (let j = 0; j < d; j++) m2[i * d + j] += xi * delta[j];
    }
  } else {
    for (let i = 0; i < d; i++) m2[i] += delta[i] * (x[i] - mean[i]);
  }
}
