/**
 * The project's noiseless mock survey (data/mock-survey/, made by scripts/make-mock-survey.ts at
 * truth.json with the marginalised parameters at their prior means): the marginalised chi^2 is
 * zero at the truth, its gradient there vanishes, and L-BFGS started away from the truth finds
 * its minimum at the truth, within a small fraction of the Laplace sigma of every parameter.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTarget } from '../src/likelihood/target';
import { findMap } from '../src/inference/map';
import type { Target } from '../src/inference/target';
import { BOUNDS } from './likelihood-bounds';

const DIR = join(__dirname, '..', 'data', 'mock-survey');

interface Truth {
  cosmology: Record<string, number>;
  samples: { name: string; bias: Record<string, number> }[];
}

describe('noiseless mock: the chi^2 minimum is at the truth', () => {
  let target: Target;
  let truth: Float64Array;
  beforeAll(async () => {
    const config = JSON.parse(readFileSync(join(DIR, 'mock-noiseless.json'), 'utf8'));
    target = await createTarget({ config, dataDir: DIR, objective: 'chi2' });
    const t = JSON.parse(readFileSync(join(DIR, 'truth.json'), 'utf8')) as Truth;
    const values: Record<string, number> = { ...t.cosmology };
    for (const s of t.samples) for (const [k, v] of Object.entries(s.bias)) values[`${s.name}.${k}`] = v;
    truth = Float64Array.from(target.parameters, (p) => {
      const v = values[p.name];
      if (v === undefined) throw new Error(`truth.json has no ${p.name}`);
      return v;
    });
  });

  it('chi^2 and its gradient vanish at the truth; L-BFGS from 1-2 sigma away returns to it', () => {
    const n = truth.length;
    const atTruth = target.logDensity(truth);
    const chi2Truth = -2 * atTruth.value;
    // start: the cosmological parameters and b1 moved by about 1-2 posterior sigma
    const offsets: Record<string, number> = { omega_b: 4e-4, omega_cdm: -6e-3, h: 0.015, 'ln10^{10}A_s': 0.1, n_s: -0.01 };
    const start = Float64Array.from(target.parameters, (p, i) => truth[i] + (offsets[p.name] ?? (p.name.endsWith('.b1') ? 0.05 : 0)));
    const chi2Start = -2 * target.logDensity(start).value;
    const map = findMap(target, { initial: start, maxIterations: 300 });
    const sd = Float64Array.from({ length: n }, (_, i) => Math.sqrt(map.covariance[i * n + i]));
    let worst = { shift: 0, name: '' };
    const rows = target.parameters.map((p, i) => {
      const shift = Math.abs(map.x[i] - truth[i]) / sd[i];
      if (!(shift <= worst.shift)) worst = { shift, name: p.name };
      return `  ${p.name.padEnd(14)} truth ${truth[i].toPrecision(6).padStart(9)}  min ${map.x[i].toPrecision(6).padStart(9)}  sigma ${sd[i].toPrecision(3).padStart(8)}  |shift|/sigma ${shift.toExponential(1)}`;
    });
    console.log(
      `noiseless mock: chi^2 at the truth ${chi2Truth.toExponential(2)} (|grad| ${Math.hypot(...atTruth.gradient).toExponential(2)}), at the start ${chi2Start.toFixed(1)}, ` +
        `at the minimum ${(-2 * map.logPosterior).toExponential(2)} after ${map.evaluations} evaluations (${map.message})\n${rows.join('\n')}\n` +
        `  worst |shift|/sigma ${worst.shift.toExponential(2)} (${worst.name})`,
    );
    expect(chi2Start).toBeGreaterThan(20);
    expect(chi2Truth).toBeLessThan(BOUNDS.mockChi2AtTruth);
    expect(-2 * map.logPosterior).toBeLessThan(BOUNDS.mockChi2AtTruth);
    expect(worst.shift).toBeLessThan(BOUNDS.mockMinimumShift);
  });
});
