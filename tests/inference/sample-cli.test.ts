/**
 * `clax-pt sample`, `fit` and `chains` on the command line (in-process): help texts, a small
 * run's outputs, and bad input refused with exit status 2 and one line naming the field.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli';
import { sampleInputs } from '../../src/cli/sample-cmd';

const dir = mkdtempSync(join(tmpdir(), 'clax-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));


function config(name: string, c: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(c));
  return p;
}

describe('clax-pt sample', () => {
  it('help texts', async () => {
    for (const argv of [['sample', '--help'], ['help', 'sample'], ['help', 'fit'], ['chains', '-h']]) {
      const r = await cli(...argv);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/clax-pt (sample|fit|chains)/);
    }
    expect((await cli('--help')).out).toMatch(/sample {4}NUTS chains/);
  });

  it('a small run: GetDist files, summary.json, figures, the table on stdout and progress on stderr', async () => {
    const cfg = config('banana.json', { analytic: { kind: 'banana' }, sampler: { chains: 2, warmup: 100, samples: 100 } });
    const out = join(dir, 'run');
    const r = await cli('sample', '--config', cfg, '--out', out, '--workers', '0', '--seed', '3', '--root', 'banana');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^parameter\s+mean\s+sd\s+5%\s+50%\s+95%\s+mcse\s+R-hat\s+ESS bulk\s+ESS tail/);
    expect(r.err).toMatch(/chain 2 \[#+\] 100%\s+200\/200 done/);
    for (const f of ['banana_1.txt', 'banana_2.txt', 'banana.paramnames', 'banana.ranges', 'summary.json', 'corner.png', 'trace.svg']) expect(existsSync(join(out, f)), f).toBe(true);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(Object.keys(s.parameters[0])).toEqual(['name', 'derived', 'mean', 'sd', 'q5', 'q50', 'q95', 'mcse_mean', 'rhat', 'ess_bulk', 'ess_tail']);
    expect(s.wall_s).toBeGreaterThan(0);
    expect(s.sampler.length).toBe(2);
  });

  it('a posterior from the user\'s own module ({"target": {"module": FILE}}), in worker threads', async () => {
    writeFileSync(
      join(dir, 'post.mjs'),
      `export async function createTarget(c) {
        return {
          parameters: [{ name: 'h', latex: 'h', lower: 0.4, upper: 1 }, { name: 'b1', latex: 'b_1' }],
          logDensity(x) {
            const z = [(x[0] - c.h) / 0.02, (x[1] - 2) / 0.1];
            return { value: -0.5 * (z[0] * z[0] + z[1] * z[1]), gradient: Float64Array.of(-z[0] / 0.02, -z[1] / 0.1) };
          },
          derivedNames: [{ name: 'H0', latex: 'H_0' }],
          derived: (x) => Float64Array.of(100 * x[0]),
        };
      }\n`,
    );
    const cfg = config('module.json', { target: { module: 'post.mjs', config: { h: 0.68 } }, sampler: { chains: 2, warmup: 150, samples: 200 } });
    const out = join(dir, 'module-run');
    const r = await cli('sample', '--config', cfg, '--out', out, '--workers', '2', '--no-plots', '-q');
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.parameters.map((p: { name: string }) => p.name)).toEqual(['h', 'b1', 'H0']);
    expect(Math.abs(s.parameters[2].mean - 68) / s.parameters[2].mcse_mean).toBeLessThan(4);
    const bad = await cli('sample', '--config', config('nomodule.json', { target: { module: 'nowhere.mjs' } }));
    expect(bad.err).toMatch(/target\.module: file .*nowhere\.mjs' does not exist/);
  });

  it('--init map starts at the MAP with its inverse Hessian as metric; --save-warmup keeps the warm-up draws apart', async () => {
    const cfg = config('map.json', { analytic: { kind: 'gaussian', mean: [10, -3], sd: [0.01, 2], rho: 0.5 }, sampler: { chains: 1, warmup: 60, samples: 50 } });
    const out = join(dir, 'map-run');
    const r = await cli('sample', '--config', cfg, '--out', out, '--workers', '0', '--init', 'map', '--save-warmup', '--no-plots', '-q');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/MAP: log posterior/);
    const run = JSON.parse(readFileSync(join(out, 'sampler', 'run.json'), 'utf8'));
    expect(run.start.center[0]).toBeCloseTo(10, 6);
    // the inverse Hessian of this Gaussian is its covariance
    expect(run.start.metric[0] / 1e-4).toBeCloseTo(1, 4);
    expect(run.start.metric[1] / (0.5 * 0.01 * 2)).toBeCloseTo(1, 4);
    const lines = (f: string) => readFileSync(f, 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).length;
    expect(lines(join(out, 'warmup', 'chain_1.txt'))).toBe(60);
    expect(lines(join(out, 'chain_1.txt'))).toBe(50);
  });

  it('bad input: exit status 2 and one line naming the field', async () => {
    const good = config('good.json', { analytic: { kind: 'gaussian', dim: 2 } });
    const cases: [string[], RegExp][] = [
      [['sample'], /--config: required/],
      [['sample', '--config', join(dir, 'missing.json')], /--config: file .* does not exist/],
      [['sample', '--config', config('a.json', { analytic: { kind: 'gaussian', rho: 2 } })], /analytic\.rho/],
      [['sample', '--config', config('b.json', { analytic: { kind: 'gaussian' }, extra: 1 })], /extra: unknown key/],
      [['sample', '--config', config('c.json', { analytic: { kind: 'gaussian' }, sampler: { chains: -1 } })], /sampler\.chains: must be positive/],
      [['sample', '--config', config('d.json', { analytic: { kind: 'gaussian', lower: [1, null], upper: [0, null] } })], /parameters\[0\]\.upper: must exceed lower/],
      [['sample', '--config', config('e.json', { likelihood: {} })], /names no target/],
      [['sample', '--config', good, '--chains', '0'], /--chains: must be positive/],
      [['sample', '--config', good, '--target-accept', '1.5'], /--target-accept: must lie strictly between 0 and 1/],
      [['sample', '--config', good, '--metric', 'full'], /--metric: must be one of 'diag', 'dense'/],
      [['sample', '--config', good, '--metric-estimate', 'hessian'], /--metric-estimate: must be one of 'fisher', 'covariance'/],
      [['sample', '--config', good, '--warmup', 'many'], /--warmup: expected a number/],
      [['sample', '--config', good, '--chain', '0'], /--chain: must be a positive integer/],
      [['sample', '--config', good, '--workers', '-1'], /--workers/],
      [['sample', '--config', good, '--root', 'a/b'], /--root/],
      [['sample', '--boss', join(dir, 'nowhere')], /--boss: folder .* does not exist/],
      [['sample', '--config', good, '--boss', dir], /--boss: give either/],
      [['chains', '--out', join(dir, 'empty')], /--out: .* holds no sampler run/],
      [['fit'], /--config: required/],
    ];
    for (const [argv, re] of cases) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toMatch(re);
      expect(r.err.trim().split('\n').length, argv.join(' ')).toBe(1);
    }
  });
});

describe('--boss defaults', () => {
  it('a dense metric from the MAP unless the flags say otherwise; the Fisher metric estimate', () => {
    const { settings } = sampleInputs({ boss: dir });
    expect([settings.metric, settings.init, settings.metricEstimate]).toEqual(['dense', 'map', 'fisher']);
    const flags = sampleInputs({ boss: dir, metric: 'diag', init: 'initial', 'metric-estimate': 'covariance' }).settings;
    expect([flags.metric, flags.init, flags.metricEstimate]).toEqual(['diag', 'initial', 'covariance']);
  });
});
