/**
 * The BOSS DR12 full-shape likelihood against the published one (full_shape_likelihoods at
 * 3991ebb, run with CLASS-PT by ../shared/tools/boss-reference.py at the 24 points of
 * scripts/boss-reference/make-points.py; tests/data/boss-reference.json.gz): -2 ln L per point
 * and per sample, (1) fed CLASS-PT's own linear spectrum (dumped from its run) and scalars,
 * and (2) from the cosmological parameters through the emulator; gradients against central
 * differences; the CLI contract. The BOSS files are read from ../shared/boss (no licence is
 * stated upstream, so the project does not ship them); CLAX_PT_BOSS_DIR points elsewhere.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../src/backend';
import { loadLikelihood, presetConfigPath } from '../src/likelihood/node-files';
import type { FullShapeLikelihood, LinearInputs, ParameterPoint } from '../src/likelihood/full-shape-likelihood';
import { runCli } from '../src/cli/main';
import { WorstCase } from './metrics';
import { BOUNDS } from './likelihood-bounds';

const BOSS = process.env.CLAX_PT_BOSS_DIR ?? join(__dirname, '..', '..', 'shared', 'boss');
const HAVE = existsSync(join(BOSS, 'boss_pk_ngc_z1.dat'));

interface RefPoint {
  params: Record<string, number | Record<string, number> | string>;
  minus2lnL: number;
  samples: Record<string, number>;
  rs_drag_Mpc: number;
  classpt_input: Record<string, { f: number; hratio: number; Dratio: number; k_Mpc: number[]; pk_lin_Mpc3: number[] }>;
}
const REF = JSON.parse(gunzipSync(readFileSync(join(__dirname, 'data', 'boss-reference.json.gz'))).toString()) as { points: RefPoint[] };

function pointOf(p: RefPoint): ParameterPoint {
  const out: ParameterPoint = {};
  for (const [k, v] of Object.entries(p.params)) {
    if (typeof v === 'number') out[k] = v;
    else if (typeof v === 'object') for (const [n, x] of Object.entries(v)) out[`${k}.${n}`] = x;
  }
  return out;
}

function linearOf(p: RefPoint): LinearInputs {
  return {
    h: p.params.h as number,
    n_s: p.params.n_s as number,
    rsDragMpc: p.rs_drag_Mpc,
    perZ: ['z0.38', 'z0.61'].map((z) => ({ kMpc: p.classpt_input[z].k_Mpc, pkMpc3: p.classpt_input[z].pk_lin_Mpc3, f: p.classpt_input[z].f, hratio: p.classpt_input[z].hratio, Dratio: p.classpt_input[z].Dratio })),
    classptReadout: true,
  };
}

const worst = new WorstCase();

describe.skipIf(!HAVE)('BOSS DR12 likelihood vs the published one', () => {
  let lik: FullShapeLikelihood;
  beforeAll(async () => {
    await useBackend('wasm');
    // the reference points vary m_ncdm too: every cosmological parameter free
    const config = JSON.parse(readFileSync(presetConfigPath('boss-dr12'), 'utf8'));
    config.cosmology.m_ncdm = { bounds: [0.01, 0.5] };
    const { checkConfig } = await import('../src/likelihood/config');
    lik = loadLikelihood(checkConfig(config), BOSS);
  });

  it('fed CLASS-PT\'s own linear spectrum: -2 ln L at every reference point', () => {
    const lines: string[] = [];
    for (const p of REF.points) {
      const r = lik.evaluate(pointOf(p), { linear: linearOf(p) });
      const d = r.minus2lnL - p.minus2lnL;
      worst.add('-2lnL, CLASS-PT input', String(p.params.label), Math.abs(d));
      for (const [s, v] of Object.entries(r.samples)) worst.add('per sample, CLASS-PT input', `${p.params.label} ${s}`, Math.abs(v - p.samples[s]));
      lines.push(`  ${String(p.params.label).padEnd(5)} ref ${p.minus2lnL.toFixed(3).padStart(9)}  ours ${r.minus2lnL.toFixed(3).padStart(9)}  diff ${d.toExponential(2)}`);
    }
    console.log(`BOSS -2 ln L fed CLASS-PT's inputs (24 points):\n${lines.join('\n')}`);
    expect(worst.get('-2lnL, CLASS-PT input')).toBeLessThan(BOUNDS.bossClassptInput);
  });

  it('from the cosmological parameters (emulator): -2 ln L at every reference point', () => {
    const lines: string[] = [];
    for (const p of REF.points) {
      const r = lik.evaluate(pointOf(p));
      const d = r.minus2lnL - p.minus2lnL;
      // p16w-p23w are far from the data (-2 ln L 1000-3600: residuals of several sigma per bin
      // multiply the emulator's ~1e-5 model error); the others lie near the posterior
      const far = String(p.params.label).endsWith('w');
      worst.add(far ? '-2lnL, emulator, far points' : '-2lnL, emulator', String(p.params.label), Math.abs(d));
      lines.push(`  ${String(p.params.label).padEnd(5)} ref ${p.minus2lnL.toFixed(3).padStart(9)}  ours ${r.minus2lnL.toFixed(3).padStart(9)}  diff ${d.toExponential(2)}`);
    }
    console.log(`BOSS -2 ln L through the emulator (24 points):\n${lines.join('\n')}`);
    expect(worst.get('-2lnL, emulator')).toBeLessThan(BOUNDS.bossEmulator);
    expect(worst.get('-2lnL, emulator, far points')).toBeLessThan(BOUNDS.bossEmulatorFar);
  });

  it('the gradient of -2 ln L equals central differences, every parameter', () => {
    const p = pointOf(REF.points[4]);
    const g = lik.evaluate(p, { gradient: true }).gradient!;
    const lines: string[] = [];
    for (const name of lik.parameterNames) {
      const step = name.includes('.') ? 0.01 : ({ omega_b: 2e-4, omega_cdm: 1e-3, h: 3e-3, 'ln10^{10}A_s': 0.01, n_s: 3e-3, m_ncdm: 0.01 } as Record<string, number>)[name];
      const at = (d: number) => lik.evaluate({ ...p, [name]: p[name] + d }).minus2lnL;
      // fourth order: the float64 host path, whose truncation error at these steps is ~1e-8
      const fd = (-at(2 * step) + 8 * at(step) - 8 * at(-step) + at(-2 * step)) / (12 * step);
      const err = Math.abs(g[name] - fd) / Math.abs(fd);
      worst.add('gradient vs FD', name, err);
      lines.push(`  ${name.padEnd(14)} AD ${g[name].toExponential(4).padStart(11)}  FD ${fd.toExponential(4).padStart(11)}  rel ${err.toExponential(1)}`);
    }
    console.log(`d(-2 ln L)/d theta at ${REF.points[4].params.label}:\n${lines.join('\n')}`);
    expect(worst.get('gradient vs FD')).toBeLessThan(BOUNDS.bossGradient);
    // repeated calls leave no tensor behind (the first ones built the plan and caches)
    const settled = tf.memory().numTensors;
    lik.evaluate(p, { gradient: true });
    lik.evaluate(p);
    expect(tf.memory().numTensors).toBe(settled);
  });

  it('clax-pt likelihood --boss DIR --params FILE --grad prints the contract', async () => {
    const p = REF.points[1];
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'clax-boss-'));
    writeFileSync(join(dir, 'p.json'), JSON.stringify(p.params));
    const out: string[] = [];
    const io = { stdout: { write: (s: string) => (out.push(s), true) }, stderr: { write: (s: string) => (out.push(s), true) } };
    expect(await runCli(['likelihood', '--boss', BOSS, '--params', join(dir, 'p.json'), '--grad'], io)).toBe(0);
    const j = JSON.parse(out.join(''));
    expect(Object.keys(j.samples).sort()).toEqual(['ngc_z1', 'ngc_z3', 'sgc_z1', 'sgc_z3']);
    expect(Object.keys(j.marginalised.ngc_z1).sort()).toEqual(['Pshot', 'a0', 'a2', 'b4', 'bGamma3', 'cs0', 'cs2', 'cs4']);
    for (const k of ['omega_b', 'omega_cdm', 'h', 'ln10^{10}A_s', 'n_s', 'm_ncdm', 'ngc_z1.b1', 'sgc_z3.bG2']) expect(Number.isFinite(j.gradient[k])).toBe(true);
    expect(Math.abs(j.minus2lnL - p.minus2lnL)).toBeLessThan(BOUNDS.bossEmulator);
    console.log(worst.table('BOSS DR12 likelihood'));
  });
});
