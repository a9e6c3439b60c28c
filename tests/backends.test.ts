/**
 * Backend selection (src/backend.ts): a backend asked for by name that cannot start is an error
 * that says why (no silent fallback); `clax-pt predict --backend webgpu` runs under Node on Dawn
 * (software OpenGL without a GPU) and its JSON names the backend used; a synchronous read on
 * WebGPU under Node outside computeAsync is an error that says what to do.
 * (The oracle comparison on webgpu and webgl: CLAX_PT_ORACLE_BACKEND, npm run test:gpu[:ci].)
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../src/backend';
import { runCli } from '../src/cli/main';
import { computeAsync, readSync } from '../src/readback';
import { getPlan } from '../src/plan';
import { computeComponents } from '../src/compute';
import { caseInputs } from '../src/input/case';
import { ORACLE_DIR, loadCase } from './oracle';
import { maxRelativeError } from './metrics';
import { join } from 'node:path';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s), isTTY: false } });
  return { code, out, err };
}

afterAll(async () => {
  await useBackend('wasm');
});

describe('named backends', () => {
  it('webgl under Node: an error that says why, no fallback', async () => {
    await useBackend('wasm');
    await expect(useBackend('webgl')).rejects.toThrow(/backend 'webgl' cannot start: no WebGL context on this platform \(node\).*use webgpu/);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('CLAX_PT_BACKEND names a backend too (an error if it cannot start); unknown names are refused', async () => {
    process.env.CLAX_PT_BACKEND = 'webgl';
    try {
      await expect(useBackend()).rejects.toThrow(/backend 'webgl' cannot start/);
    } finally {
      delete process.env.CLAX_PT_BACKEND;
    }
    await expect(useBackend('gpu')).rejects.toThrow(/unknown backend 'gpu'/);
  });
});

describe('webgpu under Node (Dawn)', () => {
  const id = 'devfast000'; // N = 128, IR, RSD, AP, bias, PNG
  it('clax-pt predict --backend webgpu: "backend": "webgpu", every row within 1e-4 of CLASS-PT', async () => {
    const r = await cli('predict', '--case', join(ORACLE_DIR, `${id}.json.gz`), '--backend', 'webgpu');
    expect(r.code, r.err).toBe(0);
    const p = JSON.parse(r.out);
    expect(p.backend).toBe('webgpu');
    const c = loadCase(id) as unknown as { output: { k_hMpc: number[]; components_Mpc3: Record<string, number[]> } };
    let worst = 0;
    let worstName = '';
    const pureAp = /^(Id2d2|Id2G2|IG2G2)_[24]$|^4_b1b(2|G2)$/; // compared with floors in oracle-components.test.ts
    for (const [name, ours] of Object.entries(p.components_Mpc3 as Record<string, number[]>)) {
      const ref = c.output.components_Mpc3[name];
      if (!ref || pureAp.test(name)) continue;
      const e = maxRelativeError(ours, ref, c.output.k_hMpc);
      if (e > worst) [worst, worstName] = [e, name];
    }
    console.log(`webgpu ${id}: worst row ${worstName} ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-4);
  });

  it('a synchronous read outside computeAsync says what to do; computeAsync leaks no tensor', async () => {
    expect(await useBackend('webgpu')).toBe('webgpu');
    const t = tf.tensor1d([1, 2, 3]);
    const u = tf.mul(t, 2);
    expect(() => readSync(u, 'test')).toThrow(/cannot read tensors synchronously here \(WebGPU under Node\); run the computation through computeAsync/);
    tf.dispose([t, u]);
    const inputs = caseInputs(loadCase(id) as never);
    const plan = getPlan({ n: inputs.n });
    const run = async () => {
      const r = await computeAsync(() => computeComponents(plan, [inputs.cosmology], { ...inputs.options, kOutMpc: inputs.kOutMpc, components: 'spectra' }));
      const v = await r.components.loop_0_dd.data();
      r.dispose();
      return v[10];
    };
    const first = await run();
    const before = tf.memory().numTensors;
    expect(await run()).toBe(first);
    expect(tf.memory().numTensors).toBe(before);
    await useBackend('wasm');
  });

  it('--grad on webgpu under Node fails with the reason', async () => {
    const r = await cli('predict', '--case', join(ORACLE_DIR, `${id}.json.gz`), '--backend', 'webgpu', '--grad');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot read tensors synchronously/);
  });
});
