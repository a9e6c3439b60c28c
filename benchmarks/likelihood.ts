/**
 * The likelihood's speed (issue 14): -2 ln L of the BOSS DR12 analysis (four samples, two
 * redshifts: one engine call of two cosmologies), the value alone and the value with its gradient
 * with respect to every sampled parameter (5 cosmological + 12 bias), at a point near the
 * posterior. The BOSS files come from CLAX_PT_BOSS_DIR or ../shared/boss; without them the
 * project's mock survey (same shape: four samples, 114 data each) stands in, and the result
 * says which. Median of repeated calls after a warm-up of at least 1.5 s.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, stats } from './common';

export interface LikelihoodBench {
  backend: string;
  data: 'boss_dr12' | 'mock';
  likelihood_ms: number;
  likelihood_grad_ms: number;
  value_runs_ms: number[];
  grad_runs_ms: number[];
  parameters: number;
  leaked_tensors: number;
}

export async function runLikelihoodBench(backend: string, reps: number): Promise<LikelihoodBench> {
  const tf = await import('@tensorflow/tfjs-core');
  await import('../src/platform/node');
  const { useBackend } = await import('../src/backend');
  const { loadLikelihood, presetConfigPath } = await import('../src/likelihood/node-files');
  const used = await useBackend(backend);
  const boss = process.env.CLAX_PT_BOSS_DIR ?? join(ROOT, '..', 'shared', 'boss');
  const haveBoss = existsSync(join(boss, 'boss_pk_ngc_z1.dat'));
  const mock = join(ROOT, 'data', 'mock-survey');
  const lik = haveBoss ? loadLikelihood(presetConfigPath('boss-dr12'), boss) : loadLikelihood(join(mock, 'mock-noisy.json'), mock);
  const point: Record<string, number> = { omega_b: 0.0224, omega_cdm: 0.121, h: 0.68, 'ln10^{10}A_s': 2.95, n_s: 0.965 };
  for (const s of lik.config.samples) Object.assign(point, { [`${s.name}.b1`]: s.z < 0.5 ? 1.95 : 2.15, [`${s.name}.b2`]: -0.5, [`${s.name}.bG2`]: -0.3 });
  const time = (fn: () => void) => {
    const t0 = performance.now();
    fn();
    return performance.now() - t0;
  };
  // warm-up: plan build, caches, V8 tiers (at least 1.5 s and 3 calls of each)
  const start = performance.now();
  for (let i = 0; i < 3 || performance.now() - start < 1500; i++) {
    lik.evaluate(point);
    lik.evaluate(point, { gradient: true });
    if (i > 30) break;
  }
  const before = tf.memory().numTensors;
  const value = Array.from({ length: reps }, () => time(() => lik.evaluate(point)));
  const grad = Array.from({ length: reps }, () => time(() => lik.evaluate(point, { gradient: true })));
  return {
    backend: used,
    data: haveBoss ? 'boss_dr12' : 'mock',
    likelihood_ms: stats(value).median,
    likelihood_grad_ms: stats(grad).median,
    value_runs_ms: value,
    grad_runs_ms: grad,
    parameters: lik.parameterNames.length,
    leaked_tensors: tf.memory().numTensors - before,
  };
}
