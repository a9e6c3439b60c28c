/**
 * The MAP optimiser on analytic posteriors with known optima and curvature, the CLI's fit
 * command, and the figures (density levels, contours, SVG and PNG files).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli';
import { analyticTarget } from '../../src/inference/analytic-targets';
import { findMap } from '../../src/inference/map';
import { runSampling } from '../../src/inference/node/sample-run';
import { readOutput } from '../../src/inference/node/read-output';
import { writeRunPlots } from '../../src/cli/chain-plots';
import { density2d, marchingSquares, massLevels, axisFor } from '../../src/inference/plots/density';
import { Rng } from '../../src/inference/rng';
import { DEFAULT_SETTINGS } from '../../src/inference/settings';

const dir = mkdtempSync(join(tmpdir(), 'clax-map-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));


describe('MAP', () => {
  it('a correlated Gaussian of very different scales: the mean, and the covariance as Laplace covariance', () => {
    const mean = [0.022, 0.12, 0.68, 3.04];
    const sd = [0.0004, 0.01, 0.02, 0.1];
    const target = analyticTarget({ kind: 'gaussian', mean, sd, rho: 0.7 });
    // start away from the mean: 3 sd off in every coordinate
    const r = findMap(target, { initial: mean.map((m, i) => m + 3 * sd[i]) });
    expect(r.converged).toBe(true);
    // measured: 2.7e-13 sd (the optimiser stops on a gradient below 1e-8 in scaled units)
    mean.forEach((m, i) => expect(Math.abs(r.x[i] - m) / sd[i]).toBeLessThan(1e-12));
    // central differences of a linear gradient are exact up to rounding: measured 1.1e-13
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(Math.abs(r.covariance[i * 4 + j] - sd[i] * sd[j] * (i === j ? 1 : 0.7)) / (sd[i] * sd[j])).toBeLessThan(5e-13);
    expect(r.hessianFrom).toBe('finite differences');
  });

  it('the banana: the mode (0, -b s1^2) from several starts', () => {
    const r = findMap(analyticTarget({ kind: 'banana', s1: 2, b: 0.5 }), { starts: 4, initial: [1.5, 3] });
    expect(r.starts.length).toBe(4);
    // measured 1.5e-11, 1.5e-12 and 3e-23
    expect(Math.abs(r.x[0])).toBeLessThan(5e-11);
    expect(Math.abs(r.x[1] + 2)).toBeLessThan(5e-12);
    expect(Math.abs(r.logPosterior)).toBeLessThan(1e-22);
  });

  it('bounded parameters: the optimum inside an interval, found on the unconstrained space', () => {
    const r = findMap(analyticTarget({ kind: 'gaussian', mean: [0.3, 5], sd: [0.1, 1], lower: [0, 0], upper: [1, null] }));
    // measured: exact, exact, and 1.06e-7 for the sd (central differences of step 1e-2 widths
    // through the logistic transform: an O(h^2) error)
    expect(Math.abs(r.x[0] - 0.3)).toBeLessThan(1e-12);
    expect(Math.abs(r.x[1] - 5)).toBeLessThan(1e-12);
    expect(Math.abs(Math.sqrt(r.covariance[0]) - 0.1)).toBeLessThan(3e-7);
  });

  it('`clax-pt fit` prints the MAP table and writes map.json', async () => {
    const cfg = join(dir, 'g.json');
    writeFileSync(cfg, JSON.stringify({ analytic: { kind: 'gaussian', mean: [1, 2], sd: [0.5, 0.1] } }));
    const r = await cli('fit', '--config', cfg, '--starts', '2', '--out', dir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/x1\s+1\.0000000\s+0\.5000/);
    const m = JSON.parse(readFileSync(join(dir, 'map.json'), 'utf8'));
    expect(m.parameters[1].map).toBeCloseTo(2, 8);
    const bad = await cli('fit', '--config', cfg, '--starts', '0');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--starts/);
  });
});

describe('figures', () => {
  it('the 68% and 95% levels of a smoothed 2D Gaussian histogram enclose the shares the kernel predicts', () => {
    const rng = new Rng(5, 1);
    const n = 20000;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = rng.normal();
      y[i] = 0.8 * x[i] + 0.6 * rng.normal();
    }
    const ax = axisFor(x);
    const ay = axisFor(y);
    const bins = 60;
    const grid = density2d(x, y, ax, ay, bins);
    const [l95, l68] = massLevels(grid, [0.95, 0.68]);
    // share of draws whose bin density is above each level: the kernel (h^2 = n^-1/3 times the
    // covariance) widens a 2D Gaussian by 1 + h^2, so the level of mass m holds 1 - (1 - m)^(1 + h^2)
    // of the draws (0.6935 and 0.9554 here, vs 0.68 and 0.95); measured 0.69315 and 0.95605
    const at = (i: number) => grid[Math.min(bins - 1, Math.floor(((y[i] - ay.lo) / (ay.hi - ay.lo)) * bins)) * bins + Math.min(bins - 1, Math.floor(((x[i] - ax.lo) / (ax.hi - ax.lo)) * bins))];
    let in68 = 0;
    let in95 = 0;
    for (let i = 0; i < n; i++) {
      if (at(i) >= l68) in68++;
      if (at(i) >= l95) in95++;
    }
    const widen = 1 + Math.pow(n, -1 / 3);
    expect(Math.abs(in68 / n - (1 - Math.pow(0.32, widen)))).toBeLessThan(0.0025);
    expect(Math.abs(in95 / n - (1 - Math.pow(0.05, widen)))).toBeLessThan(0.0025);
    const { segments, polygons } = marchingSquares(grid, bins, bins, l68);
    expect(segments.length).toBeGreaterThan(20);
    expect(polygons.length).toBeGreaterThan(20);
  });

  it('corner and trace plots as SVG and PNG from a run folder', async () => {
    const out = join(dir, 'plots');
    await runSampling({ spec: { module: 'analytic', config: { kind: 'banana' } }, settings: { ...DEFAULT_SETTINGS, chains: 2, warmup: 100, samples: 200 }, out, workers: 0, stop: new Int32Array(new SharedArrayBuffer(4)) });
    const files = await writeRunPlots(readOutput(out), out, { markers: { x1: 0 } });
    expect(files.map((f) => f.slice(out.length + 1))).toEqual(['corner.svg', 'corner.png', 'trace.svg', 'trace.png']);
    const svg = readFileSync(join(out, 'corner.svg'), 'utf8');
    expect(svg).toMatch(/^<svg/);
    expect(svg).toMatch(/stroke-dasharray/);
    const png = readFileSync(join(out, 'corner.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });
});
