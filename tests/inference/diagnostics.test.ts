/**
 * R-hat, ESS and MCSE against reference values computed by ArviZ 0.23.4 (an independent
 * implementation of Vehtari et al. 2021) on fixed arrays: scripts/diagnostics-reference.py wrote
 * tests/inference/data/diagnostics-reference.json (arrays and values together).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { autocovariance, essBulk, essMean, essQuantile, essTail, mcseMean, quantile, rhat, rhatBasic, splitChains, zScale } from '../../src/inference/diagnostics';

interface RefCase {
  draws: number[][];
  rhat_bulk: number;
  rhat_tail: number;
  rhat: number;
  ess_bulk: number;
  ess_tail: number;
  ess_mean: number;
  ess_q05: number;
  mcse_mean: number;
  quantiles: number[];
}
const ref = JSON.parse(readFileSync(new URL('./data/diagnostics-reference.json', import.meta.url), 'utf8')) as { cases: Record<string, RefCase> };

/** relative difference; the values are computed in float64 by different code paths (FFT, sums): measured worst 4.8e-15 (single_1x200 bulk ESS) */
const TOL = 2e-14;
const rel = (a: number, b: number) => Math.abs(a / b - 1);

describe('diagnostics against ArviZ', () => {
  for (const [name, c] of Object.entries(ref.cases)) {
    it(name, () => {
      const x = c.draws;
      const split = splitChains(x);
      expect(rel(rhatBasic(zScale(split)), c.rhat_bulk)).toBeLessThan(TOL);
      expect(rel(rhat(x), c.rhat)).toBeLessThan(TOL);
      expect(rel(essBulk(x), c.ess_bulk)).toBeLessThan(TOL);
      expect(rel(essTail(x), c.ess_tail)).toBeLessThan(TOL);
      expect(rel(essMean(x), c.ess_mean)).toBeLessThan(TOL);
      expect(rel(essQuantile(x, 0.05), c.ess_q05)).toBeLessThan(TOL);
      expect(rel(mcseMean(x), c.mcse_mean)).toBeLessThan(TOL);
      [0.05, 0.5, 0.95].forEach((p, i) => expect(Math.abs(quantile(x, p) - c.quantiles[i])).toBeLessThan(1e-12));
    });
  }
});

describe('diagnostics: definitions', () => {
  it('the FFT autocovariance equals the direct biased sum', () => {
    const x = Array.from({ length: 37 }, (_, i) => Math.sin(i * 1.3) + 0.1 * i);
    const n = x.length;
    const mu = x.reduce((a, b) => a + b) / n;
    const ac = autocovariance(x);
    for (const t of [0, 1, 5, 36]) {
      let s = 0;
      for (let i = 0; i + t < n; i++) s += (x[i] - mu) * (x[i + t] - mu);
      expect(Math.abs(ac[t] - s / n)).toBeLessThan(1e-12);
    }
  });

  it('split chains drop the middle draw of an odd length', () => {
    expect(splitChains([[1, 2, 3, 4, 5]]).map((a) => Array.from(a))).toEqual([
      [1, 2],
      [4, 5],
    ]);
  });

  it('non-finite draws and too-short chains give NaN', () => {
    expect(rhat([[1, 2, NaN, 4, 5, 6]])).toBeNaN();
    expect(essBulk([[1, 2, 3]])).toBeNaN();
  });
});
