/**
 * Stan's windowed warm-up (windowed_adaptation.hpp, var_adaptation.hpp, covar_adaptation.hpp):
 * an initial fast interval (75 iterations: step size only), slow windows for the metric
 * (25, 50, 100, ... iterations; the last one stretched to the terminal interval), a terminal
 * fast interval (50). When 75 + 25 + 50 exceeds the warm-up, Stan uses 15% / 75% / 10% of it
 * (integer parts); under 20 warm-up iterations the metric is not adapted.
 * At the end of each slow window the metric becomes the regularised sample (co)variance of the
 * window's draws, (n / (n + 5)) C + 1e-3 (5 / (n + 5)) I, and the caller restarts the step size.
 */
import type { MetricKind } from './metric';

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
  /** Welford accumulators of the current window */
  n: number;
  mean: number[];
  m2: number[];
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

  /** `log` receives Stan's notes on short warm-ups */
  constructor(
    readonly kind: MetricKind,
    readonly dim: number,
    numWarmup: number,
    windows: WindowSettings = STAN_WINDOWS,
    log?: (message: string) => void,
  ) {
    this.mean = new Float64Array(dim);
    this.m2 = new Float64Array(kind === 'dense' ? dim * dim : dim);
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
   * Adds the position after a warm-up transition; at the end of a slow window returns the new
   * inverse metric (else null).
   */
  learn(q: Float64Array): Float64Array | null {
    if (this.inWindow()) this.add(q);
    if (this.endOfWindow()) {
      this.computeNextWindow();
      // fewer than 2 draws estimate nothing: keep the metric (stan-dev/stan PR 3037)
      const inv = this.n >= 2 ? this.regularisedCovariance() : null;
      if (inv && !inv.every(Number.isFinite)) throw new Error('numerical overflow in metric adaptation (a parameter may be improper or wildly scaled)');
      this.n = 0;
      this.mean.fill(0);
      this.m2.fill(0);
      this.counter++;
      return inv;
    }
    this.counter++;
    return null;
  }

  private add(q: Float64Array): void {
    const d = this.dim;
    this.n++;
    const delta = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      delta[i] = q[i] - this.mean[i];
      this.mean[i] += delta[i] / this.n;
    }
    if (this.kind === 'dense') {
      for (let i = 0; i < d; i++) {
        const qi = q[i] - this.mean[i];
        for (let j = 0; j < d; j++) this.m2[i * d + j] += qi * delta[j];
      }
    } else {
      for (let i = 0; i < d; i++) this.m2[i] += delta[i] * (q[i] - this.mean[i]);
    }
  }

  private regularisedCovariance(): Float64Array {
    const d = this.dim;
    const n = this.n;
    const out = new Float64Array(this.m2.length);
    const shrink = n / (n + 5);
    const ridge = 1e-3 * (5 / (n + 5));
    for (let k = 0; k < out.length; k++) out[k] = shrink * (this.m2[k] / (n - 1));
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
  }
}
