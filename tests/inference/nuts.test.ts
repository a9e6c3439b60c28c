/**
 * NUTS on analytic posteriors with known moments (src/inference/analytic-targets.ts): every
 * moment within 4 Monte Carlo standard errors (MCSE of the mean of x, of (x - mu)^2 and of
 * (x_i - mu_i)(x_j - mu_j), from the chains themselves: ./diagnostics); Neal's funnel makes
 * divergences, which must be flagged. Also Stan's warm-up window schedule, the dual averaging's
 * fixed point, and that a checkpointed chain continues with exactly the same draws.
 */
import { describe, expect, it } from 'vitest';
import { analyticTarget } from '../../src/inference/analytic-targets';
import { Chain, type ChainCheckpoint, type ChainDraw } from '../../src/inference/chain';
import { mcseMean, rhat } from '../../src/inference/diagnostics';
import { DEFAULT_SETTINGS, parseSamplerSettings, type SamplerSettings } from '../../src/inference/settings';
import { DualAveraging } from '../../src/inference/stepsize';
import { checkTarget, type Target } from '../../src/inference/target';
import { UnconstrainedDensity } from '../../src/inference/unconstrained';
import { WindowedAdaptation } from '../../src/inference/windows';

function runChains(target: Target, settings: SamplerSettings, chains = 4): { draws: ChainDraw[][]; chainsObj: Chain[] } {
  const draws: ChainDraw[][] = [];
  const chainsObj: Chain[] = [];
  for (let c = 1; c <= chains; c++) {
    const chain = Chain.start(new UnconstrainedDensity(target), settings, { chain: c });
    const d: ChainDraw[] = [];
    while (!chain.done) {
      const draw = chain.step();
      if (!draw.warmup) d.push(draw);
    }
    draws.push(d);
    chainsObj.push(chain);
  }
  return { draws, chainsObj };
}

/** |estimate - truth| in MCSE units, for a function of the draws */
function zScore(draws: ChainDraw[][], f: (u: Float64Array) => number, truth: number): number {
  const chains = draws.map((c) => Float64Array.from(c, (d) => f(d.u)));
  const all = chains.flatMap((c) => Array.from(c));
  const est = all.reduce((a, b) => a + b, 0) / all.length;
  return Math.abs(est - truth) / mcseMean(chains);
}

describe('NUTS recovers known moments', () => {
  it('correlated Gaussian (6 parameters, rho 0.95, sd from 0.01 to 100), dense metric', () => {
    const sd = [1, 0.01, 100, 3, 0.5, 20];
    const mean = [0.5, -0.02, 300, 1, 0, -5];
    const rho = 0.95;
    const target = analyticTarget({ kind: 'gaussian', mean, sd, rho });
    const { draws, chainsObj } = runChains(target, { ...DEFAULT_SETTINGS, metric: 'dense', warmup: 500, samples: 1000 });
    let worst = 0;
    for (let i = 0; i < 6; i++) {
      worst = Math.max(worst, zScore(draws, (u) => u[i], mean[i]));
      worst = Math.max(worst, zScore(draws, (u) => (u[i] - mean[i]) ** 2, sd[i] ** 2));
      const j = (i + 1) % 6;
      worst = Math.max(worst, zScore(draws, (u) => (u[i] - mean[i]) * (u[j] - mean[j]), rho * sd[i] * sd[j]));
    }
    expect(worst).toBeLessThan(4);
    for (const c of chainsObj) expect(c.tallies.divergent).toBe(0);
    // the adapted dense metric is close to the covariance: short trees
    const depth = draws.flat().reduce((a, d) => a + d.treeDepth, 0) / (4 * 1000);
    expect(depth).toBeLessThan(3.5);
    for (let i = 0; i < 6; i++) expect(rhat(draws.map((c) => c.map((d) => d.u[i])))).toBeLessThan(1.01);
  });

  it('banana (twisted Gaussian, s1 = 1, b = 0.5, s2 = 1), dense metric, divergences under 0.1%', () => {
    const target = analyticTarget({ kind: 'banana' });
    const { draws, chainsObj } = runChains(target, { ...DEFAULT_SETTINGS, metric: 'dense', warmup: 500, samples: 1000 });
    const z = [
      zScore(draws, (u) => u[0], 0),
      zScore(draws, (u) => u[1], 0),
      zScore(draws, (u) => u[0] ** 2, 1),
      zScore(draws, (u) => u[1] ** 2, 1 + 2 * 0.25),
      zScore(draws, (u) => u[0] ** 2 * u[1], 2 * 0.5), // E[x1^2 (x1^2 - 1)/2] = (3 - 1)/2
    ];
    expect(Math.max(...z)).toBeLessThan(4);
    // the leapfrog turns unstable only far in the arms (x1 beyond ~3 sd): measured 1 in 4000
    expect(chainsObj.reduce((a, c) => a + c.tallies.divergent, 0)).toBeLessThanOrEqual(4);
  });

  it('bounded parameters: a half-normal and an interval-truncated normal (the Jacobian term)', () => {
    // x1 ~ N(0, 1) on (0, inf): E = sqrt(2/pi), E[x^2] = 1; x2 ~ N(0, 1) on (-1, 2):
    // scipy 1.17: truncnorm(-1, 2).mean() = 0.22963717909132902, .var() + .mean()**2 = 0.5724957732325571
    const target = analyticTarget({ kind: 'gaussian', dim: 2, lower: [0, -1], upper: [null, 2] });
    const { draws } = runChains(target, { ...DEFAULT_SETTINGS, warmup: 500, samples: 1000 });
    const z = [
      zScore(draws, (u) => Math.exp(u[0]), Math.sqrt(2 / Math.PI)),
      zScore(draws, (u) => Math.exp(2 * u[0]), 1),
      zScore(draws, (u) => -1 + 3 / (1 + Math.exp(-u[1])), 0.22963717909132902),
      zScore(draws, (u) => (-1 + 3 / (1 + Math.exp(-u[1]))) ** 2, 0.5724957732325571),
    ];
    expect(Math.max(...z)).toBeLessThan(4);
  });

  it("Neal's funnel: divergences are detected and flagged on the draws", () => {
    const target = analyticTarget({ kind: 'funnel', dim: 10, sdV: 3 });
    const { draws, chainsObj } = runChains(target, { ...DEFAULT_SETTINGS, warmup: 300, samples: 500 }, 2);
    const flagged = draws.flat().filter((d) => d.divergent).length;
    expect(flagged).toBeGreaterThan(0);
    expect(chainsObj.reduce((a, c) => a + c.tallies.divergent, 0)).toBe(flagged);
  });
});

describe('adaptation', () => {
  const windowEnds = (numWarmup: number) => {
    const w = new WindowedAdaptation('diag', 1, numWarmup);
    const ends: number[] = [];
    for (let i = 0; i < numWarmup; i++) if (w.learn(Float64Array.of(i % 7))) ends.push(i);
    return ends;
  };

  it("Stan's windows: 75 | 25 50 100 200 500 | 50 for 1000 warm-up iterations, 15% / 75% / 10% for short ones", () => {
    expect(windowEnds(1000)).toEqual([99, 149, 249, 449, 949]);
    expect(windowEnds(200)).toEqual([99, 149]);
    expect(windowEnds(100)).toEqual([89]); // init 15, window 75, term 10
    expect(windowEnds(19)).toEqual([]);
  });

  it('dual averaging settles where the acceptance statistic equals the target', () => {
    // a synthetic acceptance exp(-eps): the fixed point of eps is -log(0.8)
    const da = new DualAveraging(0.8);
    da.restart(1);
    let eps = 1;
    for (let i = 0; i < 3000; i++) eps = da.learn(Math.exp(-eps));
    expect(Math.abs(da.final(eps) / -Math.log(0.8) - 1)).toBeLessThan(0.02);
  });
});

describe('checkpoints', () => {
  it('a chain restored from a checkpoint (mid warm-up window, and while sampling) makes the same draws', () => {
    const target = analyticTarget({ kind: 'gaussian', dim: 3, rho: 0.5, sd: [1, 2, 0.3] });
    const settings = { ...DEFAULT_SETTINGS, metric: 'dense' as const, warmup: 200, samples: 100 };
    const full = Chain.start(new UnconstrainedDensity(target), settings, { chain: 3 });
    const ref: Float64Array[] = [];
    while (!full.done) ref.push(full.step().u);
    for (const cut of [120, 250]) {
      let c = Chain.start(new UnconstrainedDensity(target), settings, { chain: 3 });
      const got: Float64Array[] = [];
      while (c.iteration < cut) got.push(c.step().u);
      const cp = JSON.parse(JSON.stringify(c.checkpoint())) as ChainCheckpoint;
      c = Chain.restore(new UnconstrainedDensity(target), settings, cp);
      while (!c.done) got.push(c.step().u);
      expect(got).toEqual(ref);
    }
  });

  it('a checkpoint of other settings is refused, naming the setting', () => {
    const target = analyticTarget({ kind: 'banana' });
    const c = Chain.start(new UnconstrainedDensity(target), DEFAULT_SETTINGS, { chain: 1 });
    expect(() => Chain.restore(new UnconstrainedDensity(target), { ...DEFAULT_SETTINGS, seed: 2 }, c.checkpoint())).toThrow(/sampler\.seed/);
  });
});

describe('bad input', () => {
  it('sampler settings: each bad field named', () => {
    expect(() => parseSamplerSettings({ chains: 0 })).toThrow(/sampler\.chains: must be positive/);
    expect(() => parseSamplerSettings({ warmup: 1.5 })).toThrow(/sampler\.warmup: must be an integer/);
    expect(() => parseSamplerSettings({ targetAccept: 1 })).toThrow(/sampler\.targetAccept/);
    expect(() => parseSamplerSettings({ metric: 'full' })).toThrow(/sampler\.metric: must be one of 'diag', 'dense'/);
    expect(() => parseSamplerSettings({ samples: '100' })).toThrow(/sampler\.samples/);
    expect(() => parseSamplerSettings({ thin: 2 })).toThrow(/sampler\.thin: unknown setting/);
    expect(() => parseSamplerSettings({ root: '../x' })).toThrow(/sampler\.root/);
    expect(() => parseSamplerSettings({ maxTreeDepth: 40 })).toThrow(/sampler\.maxTreeDepth/);
  });

  it('a non-finite or out-of-bounds initial point, bad bounds and a nowhere-finite density are refused', () => {
    const base = analyticTarget({ kind: 'gaussian', dim: 2, lower: [0, null] });
    expect(() => checkTarget({ ...base, initial: Float64Array.of(NaN, 0) })).toThrow(/target\.initial\[0\] \(x1\): must be finite/);
    expect(() => checkTarget({ ...base, initial: Float64Array.of(-1, 0) })).toThrow(/target\.initial\[0\] \(x1\): -1 is not inside/);
    expect(() => checkTarget({ ...base, parameters: [{ name: 'a', lower: 2, upper: 1 }, { name: 'b' }] })).toThrow(/target\.parameters\[0\]\.upper/);
    expect(() => checkTarget({ ...base, scales: Float64Array.of(1, 0) })).toThrow(/target\.scales\[1\]/);
    expect(() => analyticTarget({ kind: 'gaussian', sd: [1, -1] })).toThrow(/analytic\.sd\[1\]/);
    expect(() => analyticTarget({ kind: 'cubic' })).toThrow(/analytic\.kind/);
    const nowhere: Target = { parameters: [{ name: 'a' }], logDensity: () => ({ value: -Infinity, gradient: Float64Array.of(0) }) };
    expect(() => Chain.start(new UnconstrainedDensity(nowhere), DEFAULT_SETTINGS, { chain: 1 })).toThrow(/initial point: no finite log density/);
  });
});
