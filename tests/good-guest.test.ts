/**
 * The library is a good guest in a user's tfjs program (issue 17, section 3): importing and
 * using it leaves every stock kernel and gradient of the backend untouched (its own kernels are
 * registered under names of its own, src/wasm-kernels.ts), and a user's model in the same
 * process gives bit-identical results before and after a library computation, forward and
 * gradient. Also: the library's source calls its own ops (src/private-ops.ts), never the stock
 * ones it has kernels for, so no path of ours depends on replacing a stock kernel.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { useBackend } from '../src/backend';
import { getPlan } from '../src/plan';
import { computeComponents } from '../src/compute';
import { pkGgL0 } from '../src/assembly/spectra';
import { caseInputs } from '../src/cli/case-file';
import { loadCase } from './oracle';

/** A small user model: dense layers with matMul (and its transposed gradients), mul, slice, cast. */
function userModel(seed: number) {
  const w1 = tf.randomNormal([16, 32], 0, 0.3, 'float32', seed);
  const w2 = tf.randomNormal([32, 4], 0, 0.3, 'float32', seed + 1);
  const x = tf.randomNormal([8, 16], 0, 1, 'float32', seed + 2);
  const run = () =>
    tf.tidy(() => {
      const f = (a: tf.Tensor, b: tf.Tensor) => {
        const h = tf.tanh(tf.matMul(x, a));
        const y = tf.matMul(tf.mul(h, tf.cast(tf.slice(h, [0, 0], [8, 32]), 'float32')), b, false, false);
        return tf.sum(tf.mul(y, y));
      };
      const loss = f(w1, w2);
      const [g1, g2] = tf.grads(f)([w1, w2]);
      const gT = tf.matMul(x, x, true, false); // a transposed product, forward
      return [loss, g1, g2, gT].map((t) => Array.from(t.dataSync()));
    });
  return { run, dispose: () => tf.dispose([w1, w2, x]) };
}

function snapshotRegistry(backend: string) {
  const kernels = new Map(tf.getKernelsForBackend(backend).map((k) => [k.kernelName, k.kernelFunc]));
  const gradients = new Map([...kernels.keys()].map((name) => [name, tf.getGradient(name)?.gradFunc]));
  return { kernels, gradients };
}

// the registries as the backends' own packages left them, before the library is used
const STOCK = { wasm: snapshotRegistry('wasm'), cpu: snapshotRegistry('cpu') };
setWasmPaths(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm')) + '/');

describe('a good guest in a user tfjs program', () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    it(`${backend}: stock kernels untouched, a user model bit-identical before and after`, async () => {
      // the user's side: its own backend and model, before the library computes anything
      expect(await tf.setBackend(backend)).toBe(true);
      const model = userModel(11);
      const before = model.run();
      const stock = STOCK[backend];
      expect(stock.kernels.size).toBeGreaterThan(100);
      expect(await useBackend(backend)).toBe(backend);

      // a library computation: forward and gradient of a spectrum with respect to f
      const inputs = caseInputs(loadCase('fiducial') as never);
      const plan = getPlan({ n: inputs.n });
      const f0 = inputs.cosmology.f as number;
      const grad = tf.grad((f: tf.Tensor) => {
        const r = computeComponents(plan, [{ ...inputs.cosmology, f }], { ...inputs.options, kOutMpc: inputs.kOutMpc, components: 'spectra' });
        return tf.sum(pkGgL0(r.components, { b1: 2, b2: -1, bG2: 0.1, bGamma3: -0.1, cs0: 0, Pshot: 3000, a0: 0, a2: 0, b4: 10 }, { h: inputs.h, f, kOutMpc: inputs.kOutMpc }));
      })(tf.scalar(f0));
      expect(Number.isFinite(grad.dataSync()[0])).toBe(true);
      grad.dispose();

      const after = snapshotRegistry(backend);
      for (const [name, fn] of stock.kernels) {
        expect(after.kernels.get(name), `kernel ${name}`).toBe(fn);
        expect(tf.getKernel(name, backend)?.kernelFunc, `tf.getKernel(${name})`).toBe(fn);
        expect(after.gradients.get(name), `gradient of ${name}`).toBe(stock.gradients.get(name));
      }
      // anything new is ours, under our names
      for (const name of after.kernels.keys()) if (!stock.kernels.has(name)) expect(name.startsWith('Clax')).toBe(true);
      expect(model.run()).toEqual(before);
      model.dispose();
    });
  }

  it('the library source calls its own mul, matMul, slice and addN (src/private-ops.ts)', () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts')) files.push(p);
      }
    };
    const src = join(__dirname, '..', 'src');
    walk(src);
    const allowed = new Set(['private-ops.ts', 'wasm-kernels.ts'].map((f) => join(src, f)));
    const offenders = files.filter((p) => !allowed.has(p) && !p.includes(`${join(src, 'cli')}`) && /\btf\.(mul|matMul|slice|addN)\(/.test(readFileSync(p, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
