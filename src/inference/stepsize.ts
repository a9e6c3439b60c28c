/**
 * Dual-averaging step-size adaptation (Hoffman & Gelman 2014, "The No-U-Turn sampler",
 * algorithm 5; Stan's stepsize_adaptation.hpp with its defaults gamma = 0.05, kappa = 0.75,
 * t0 = 10): drives the mean acceptance statistic to `delta` (the target, 0.8 by default);
 * mu = log(10 eps0) is the point the iterates shrink towards. At the end of warm-up the step
 * size is exp(x_bar).
 */
export const DUAL_AVERAGING = { gamma: 0.05, kappa: 0.75, t0: 10 } as const;

export interface DualAveragingState {
  counter: number;
  sBar: number;
  xBar: number;
  mu: number;
}

export class DualAveraging {
  counter = 0;
  sBar = 0;
  xBar = 0;
  mu = 0;

  constructor(public delta: number) {}

  /** Stan's set_mu + restart: a new centre log(10 eps), accumulators cleared */
  restart(eps: number): void {
    this.mu = Math.log(10 * eps);
    this.counter = 0;
    this.sBar = 0;
    this.xBar = 0;
  }

  /** one update from the transition's acceptance statistic; returns the new step size */
  learn(acceptStat: number): number {
    const { gamma, kappa, t0 } = DUAL_AVERAGING;
    this.counter++;
    const a = acceptStat > 1 ? 1 : acceptStat;
    const eta = 1 / (this.counter + t0);
    this.sBar = (1 - eta) * this.sBar + eta * (this.delta - a);
    const x = this.mu - (this.sBar * Math.sqrt(this.counter)) / gamma;
    const xEta = Math.pow(this.counter, -kappa);
    this.xBar = (1 - xEta) * this.xBar + xEta * x;
    return Math.exp(x);
  }

  /**
   * The step size for sampling: exp(x_bar); `current` when no update has happened since the last
   * restart (a metric window ending on the last warm-up iteration: Stan would return exp(0) = 1
   * there, stan-dev/stan issue 3023).
   */
  final(current: number): number {
    return this.counter === 0 ? current : Math.exp(this.xBar);
  }

  state(): DualAveragingState {
    return { counter: this.counter, sBar: this.sBar, xBar: this.xBar, mu: this.mu };
  }

  restore(s: DualAveragingState): void {
    this.counter = s.counter;
    this.sBar = s.sBar;
    this.xBar = s.xBar;
    this.mu = s.mu;
  }
}
