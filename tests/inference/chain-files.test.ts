/**
 * Chains on files: GetDist output parses back; worker-thread, single-thread and one-process-
 * per-chain runs write identical chains for the same seed; a run stopped mid-way (also by
 * SIGINT to the command) and resumed writes exactly the draws of an uninterrupted run.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli';
import { analyticTarget } from '../../src/inference/analytic-targets';
import { formatChainLine, formatParamnames, parseChain, parseParamnames, parseRanges } from '../../src/inference/chains/getdist';
import { chainPath, checkpointPath } from '../../src/inference/node/chain-files';
import { readOutput, summariseOutput } from '../../src/inference/node/read-output';
import { runChainToFiles } from '../../src/inference/node/run-chain';
import { runSampling } from '../../src/inference/node/sample-run';
import { DEFAULT_SETTINGS, type SamplerSettings } from '../../src/inference/settings';

const dir = mkdtempSync(join(tmpdir(), 'clax-sampler-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spec = { module: 'analytic', config: { kind: 'gaussian', mean: [1, -1, 0.5], sd: [1, 0.2, 3], rho: 0.6, lower: [null, -5, null], upper: [null, 5, null] } };
const settings: SamplerSettings = { ...DEFAULT_SETTINGS, chains: 2, warmup: 150, samples: 300, seed: 11, metric: 'dense' };
const stop = () => new Int32Array(new SharedArrayBuffer(4));
const read = (p: string) => readFileSync(p, 'utf8');


describe('GetDist text format', () => {
  it('paramnames (derived marked *), ranges and chain lines parse back exactly', () => {
    const names = [{ name: 'omega_cdm', latex: '\\omega_{cdm}' }, { name: 'ln10^{10}A_s', latex: '\\ln10^{10}A_s' }, { name: 'S8', latex: 'S_8', derived: true }];
    expect(parseParamnames(formatParamnames(names))).toEqual(names.map((n) => ({ derived: false, ...n })));
    const values = [0.1200000000000123, 3.0448, -7.25e-12];
    const t = parseChain(formatChainLine(1, 1234.5678901234567, values) + formatChainLine(1, 2, [NaN, 1, 2]), 3);
    expect(t.weights).toEqual([1, 1]);
    // 13 significant digits are written: parse-back error <= 5e-13 relative
    values.forEach((v, i) => expect(Math.abs(t.rows[0][i] / v - 1)).toBeLessThan(5e-13));
    expect(t.rows[1][0]).toBeNaN();
    expect(() => parseChain('1 2 3\n', 3, 'f')).toThrow(/f line 1: has 3 columns, expected 5/);
  });
});

describe('chains on files', () => {
  it('worker threads and a single thread write identical files; they parse back', async () => {
    const a = join(dir, 'workers');
    const b = join(dir, 'single');
    const ra = await runSampling({ spec, settings, out: a, workers: 2, stop: stop() });
    await runSampling({ spec, settings, out: b, workers: 0, stop: stop() });
    for (const i of [1, 2]) expect(read(chainPath(a, 'chain', i))).toBe(read(chainPath(b, 'chain', i)));
    const names = parseParamnames(read(join(a, 'chain.paramnames')));
    expect(names.map((n) => `${n.name}${n.derived ? '*' : ''}`)).toEqual(['x1', 'x2', 'x3', 'sum*', 'chi2*']);
    expect(parseRanges(read(join(a, 'chain.ranges')))).toEqual([{ name: 'x1' }, { name: 'x2', lower: -5, upper: 5 }, { name: 'x3' }]);
    const t = parseChain(read(chainPath(a, 'chain', 1)), names.length);
    expect(t.rows.length).toBe(300);
    expect(t.weights.every((w) => w === 1)).toBe(true);
    // derived columns: sum of the parameters; -ln posterior = chi2 / 2 for this Gaussian
    t.rows.forEach((r, k) => {
      expect(Math.abs(r[3] - (r[0] + r[1] + r[2]))).toBeLessThan(1e-11);
      expect(Math.abs(t.minusLogPost[k] - r[4] / 2)).toBeLessThan(1e-11 * Math.max(1, r[4]));
    });
    const s = JSON.parse(read(join(a, 'summary.json')));
    expect(s.chains).toBe(2);
    expect(s.parameters.map((p: { name: string }) => p.name)).toEqual(['x1', 'x2', 'x3', 'sum', 'chi2']);
    expect(ra.summary?.wall_s_from).toBe('command');
  });

  it('one process per chain (--chain I) writes the same files; they merge into the same summary', async () => {
    const cfg = join(dir, 'cfg.json');
    writeFileSync(cfg, JSON.stringify({ analytic: spec.config, sampler: { chains: 2, warmup: 150, samples: 300, seed: 11, metric: 'dense' } }));
    const out = join(dir, 'per-chain');
    for (const i of ['2', '1']) expect((await cli('sample', '--config', cfg, '--out', out, '--chain', i, '-q')).code).toBe(0);
    for (const i of [1, 2]) expect(read(chainPath(out, 'chain', i))).toBe(read(chainPath(join(dir, 'single'), 'chain', i)));
    const r = await cli('chains', '--out', out, '--no-plots');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/2 chains x 300 draws/);
    const merged = summariseOutput(readOutput(out))!;
    const whole = summariseOutput(readOutput(join(dir, 'single')))!;
    expect(merged.parameters).toEqual(whole.parameters);
  });

  it('a stopped chain resumes with exactly the draws of an uninterrupted one (lines written after the checkpoint are dropped)', async () => {
    const target = analyticTarget(spec.config);
    const one = { ...settings, chains: 1, checkpointSeconds: 1e9 };
    const ref = join(dir, 'ref');
    await runChainToFiles({ settings: one, chain: 1, out: ref, resume: false }, target);
    for (const cut of [100, 300]) {
      const out = join(dir, `cut${cut}`);
      const first = await runChainToFiles({ settings: one, chain: 1, out, resume: false }, target, { shouldStop: (it) => it >= cut });
      expect(first.complete).toBe(false);
      appendFileSync(chainPath(out, 'chain', 1), '1 2.5 0.1'); // a torn line after the checkpoint
      const second = await runChainToFiles({ settings: one, chain: 1, out, resume: true }, target);
      expect(second.complete).toBe(true);
      expect(read(chainPath(out, 'chain', 1))).toBe(read(chainPath(ref, 'chain', 1)));
    }
  });

  it('SIGINT to `clax-pt sample` leaves resumable files; --resume continues the same draws', async () => {
    const cfg = join(dir, 'long.json');
    writeFileSync(cfg, JSON.stringify({ analytic: spec.config, sampler: { chains: 1, warmup: 150, samples: 2000000, seed: 11, metric: 'dense', checkpointSeconds: 0.2 } }));
    const out = join(dir, 'sigint');
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', '..', 'src', 'cli.ts'), 'sample', '--config', cfg, '--out', out, '--workers', '0', '-q'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const cp = checkpointPath(out, 'chain', 1);
    for (let i = 0; i < 600; i++) {
      await new Promise((r) => setTimeout(r, 100));
      if (existsSync(cp) && JSON.parse(read(cp)).draws > 500) break;
    }
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/--resume/);
    const state = JSON.parse(read(cp));
    expect(state.complete).toBe(false);
    const drawn = parseChain(read(chainPath(out, 'chain', 1)), 5).rows.length;
    expect(drawn).toBe(state.draws);
    // resume to drawn + 100 draws (the number of samples may grow or shrink; warm-up and seed may not)
    const total = drawn + 100;
    const cfg2 = join(dir, 'long2.json');
    writeFileSync(cfg2, JSON.stringify({ analytic: spec.config, sampler: { chains: 1, warmup: 150, samples: total, seed: 11, metric: 'dense', checkpointSeconds: 0.2 } }));
    expect((await cli('sample', '--config', cfg2, '--out', out, '--workers', '0', '--resume', '-q', '--no-plots')).code).toBe(0);
    const ref = join(dir, 'sigint-ref');
    await runChainToFiles({ settings: { ...settings, chains: 1, samples: total }, chain: 1, out: ref, resume: false }, analyticTarget(spec.config));
    expect(read(chainPath(out, 'chain', 1))).toBe(read(chainPath(ref, 'chain', 1)));
  });

  it('refuses to overwrite a run, or to resume with other settings, naming the option', async () => {
    const cfg = join(dir, 'cfg.json');
    const out = join(dir, 'single');
    let r = await cli('sample', '--config', cfg, '--out', out, '-q');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--out: .* already holds chains 1, 2/);
    r = await cli('sample', '--config', cfg, '--out', out, '--resume', '--warmup', '151', '-q');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/sampler\.warmup: is 151 but the run .* used 150/);
  });
});
