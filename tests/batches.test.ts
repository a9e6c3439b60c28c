/**
 * computeInBatches (src/batches.ts): a batch computed in calls of at most maxBatch cosmologies
 * equals one call (float32 summation order aside) and leaks no tensor.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../src/backend';
import { getPlan } from '../src/plan';
import { computeComponents } from '../src/compute';
import { computeInBatches, defaultMaxBatch } from '../src/batches';
import { caseInputs } from '../src/input/case';
import { loadCase } from './oracle';

describe('computeInBatches', () => {
  it('5 cosmologies in calls of 2 equal one call of 5 (1e-6), no tensor leaked', async () => {
    await useBackend('wasm');
    expect(defaultMaxBatch(256)).toBe(256);
    const inputs = caseInputs(loadCase('devfast000') as never);
    const plan = getPlan({ n: inputs.n });
    const c = inputs.cosmology;
    const cosmologies = [0.96, 0.98, 1, 1.02, 1.04].map((a) => ({ ...c, pkMpc3: Array.from(c.pkMpc3 as ArrayLike<number>, (p) => p * a), f: (c.f as number) * a }));
    const options = { ...inputs.options, kOutMpc: inputs.kOutMpc, components: 'spectra' as const };
    const one = computeComponents(plan, cosmologies, options);
    const before = tf.memory().numTensors;
    const split = await computeInBatches(plan, cosmologies, options, 2);
    expect(split.kOutMpc).toHaveLength(5);
    expect(split.linear.pBin).toHaveLength(5);
    let worst = 0;
    for (const [name, t] of Object.entries(one.components)) {
      const a = t.dataSync();
      const b = split.components[name].dataSync();
      expect(split.components[name].shape).toEqual(t.shape);
      const scale = Math.max(...Array.from(a, Math.abs)) || 1;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / scale);
    }
    expect(worst).toBeLessThan(1e-6);
    split.dispose();
    expect(tf.memory().numTensors).toBe(before);
    one.dispose();
  });
});
