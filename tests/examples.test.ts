/**
 * The examples (examples/*.mjs) run as a user runs them (node, on the built dist/), with short
 * settings (CLAX_EXAMPLE_STEPS), and what the README says of them is asserted on their JSON
 * summary line. dist/ is what `npm ci` builds (the `prepare` script); it is built here if absent.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expectWithinBound } from './bounds';

const ROOT = join(__dirname, '..');

function runExample(name: string, steps: number): Record<string, unknown> {
  if (!existsSync(join(ROOT, 'dist', 'index.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  const r = spawnSync('node', [join(ROOT, 'examples', name)], {
    cwd: ROOT,
    env: { ...process.env, CLAX_EXAMPLE_STEPS: String(steps) },
    encoding: 'utf8',
    timeout: 600_000,
  });
  expect(r.status, `${name}: ${r.stderr.slice(-2000)}`).toBe(0);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

describe('examples', () => {
  it('fit-cosmology.mjs: chi^2 from the README start value down by Adam through the whole chain (60 steps)', (ctx) => {
    const o = runExample('fit-cosmology.mjs', 60) as { chi2_start: number; chi2_end: number; fit: Record<string, number>; truth: Record<string, number> };
    // README: "200 Adam steps take chi^2 from 4.1e3 ..."
    expect(Math.abs(o.chi2_start / 4.1e3 - 1)).toBeLessThan(0.02);
    expectWithinBound(ctx, 'examples: fit-cosmology chi^2 after 60 Adam steps', o.chi2_end, `start ${o.chi2_start.toFixed(0)}`);
    // every parameter moved towards the truth from the README start point
    const start: Record<string, number> = { omega_cdm: 0.115, h: 0.66, 'ln10^{10}A_s': 3.1, b1: 1.9 };
    for (const [k, v] of Object.entries(o.fit)) expect(Math.abs(v - o.truth[k]), k).toBeLessThan(Math.abs(start[k] - o.truth[k]));
  });

  it('fit-nuisance.mjs: chi^2 down by Adam, b1 recovered (300 steps)', (ctx) => {
    const o = runExample('fit-nuisance.mjs', 300) as { chi2_start: number; chi2_end: number; fit: Record<string, number>; truth: Record<string, number> };
    expect(o.chi2_start).toBeGreaterThan(1e4);
    expectWithinBound(ctx, 'examples: fit-nuisance chi^2 after 300 Adam steps', o.chi2_end, `start ${o.chi2_start.toExponential(2)}`);
    expectWithinBound(ctx, 'examples: fit-nuisance b1 after 300 steps (relative)', Math.abs(o.fit.b1 / o.truth.b1 - 1), `b1 ${o.fit.b1.toFixed(4)}`);
  });
});
