/**
 * The library's own wasm kernels (src/wasm-kernels.ts, called through src/private-ops.ts):
 * ClaxSlice gives exactly the stock Slice's values, for contiguous and strided slices of every
 * rank used (2-5), and the same gradient; ClaxBatchMatMul with transposes equals the float64
 * product; ClaxMultiply's gradient equals the stock one.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { useBackend } from '../src/backend';
import * as own from '../src/private-ops';

const CASES: [number[], number[], number[]][] = [
  [[7, 9], [2, 3], [4, 5]],
  [[7, 9], [0, 0], [7, 9]],
  [[7, 9], [3, 0], [2, 9]],
  [[3, 5, 6], [1, 0, 2], [2, 5, 3]],
  [[3, 5, 6], [0, 2, 0], [3, 2, 6]],
  [[2, 3, 4, 5], [1, 1, 0, 2], [1, 2, 4, 3]],
  [[2, 3, 4, 5], [0, 1, 0, 0], [2, 1, 4, 5]],
  [[3, 2, 2, 3, 4], [1, 0, 1, 0, 1], [2, 2, 1, 3, 2]],
  [[3, 2, 2, 3, 4], [0, 1, 0, 0, 0], [3, 1, 2, 3, 4]],
];

describe('ClaxSlice (own wasm kernel)', () => {
  let backend = '';
  beforeAll(async () => {
    backend = await useBackend('wasm');
  });

  it('matches the stock kernel in values and gradients', () => {
    if (backend !== 'wasm') return; // the replacement exists for wasm only
    for (const [shape, begin, size] of CASES) {
      const x = tf.randomNormal(shape, 0, 1, 'float32', 7);
      const w = tf.randomNormal(size, 0, 1, 'float32', 8);
      const run = (slice: typeof tf.slice) => {
        const v = slice(x, begin, size);
        const g = tf.grad((y: tf.Tensor) => tf.sum(tf.mul(slice(y, begin, size), w)))(x);
        const out = [Array.from(v.dataSync()), Array.from(g.dataSync())];
        tf.dispose([v, g]);
        return out;
      };
      const stock = run(tf.slice);
      const fast = run(own.slice as typeof tf.slice);
      expect(fast[0]).toEqual(stock[0]);
      expect(fast[1]).toEqual(stock[1]);
      tf.dispose([x, w]);
    }
  });
});

describe('quadratic-forms SIMD module', () => {
  it('the committed bytes are the assembled src/loops/quadratic-forms.wat (npx tsx scripts/build-wasm.ts)', async () => {
    const { readFileSync } = await import('node:fs');
    const { assembleWat } = await import('../scripts/wat');
    const { QUADRATIC_FORMS_WASM } = await import('../src/loops/quadratic-forms-wasm');
    const wat = readFileSync(new URL('../src/loops/quadratic-forms.wat', import.meta.url), 'utf8');
    expect(Buffer.from(await assembleWat(wat)).toString('base64')).toBe(QUADRATIC_FORMS_WASM);
  });
});

describe('ClaxBatchMatMul with transposed operands (transposed first, then XNNPACK)', () => {
  it('equals the float64 product for every transpose combination, 2D and batched', async () => {
    const backend = await useBackend('wasm');
    if (backend !== 'wasm') return;
    for (const batch of [0, 3]) {
      for (const tA of [false, true]) {
        for (const tB of [false, true]) {
          const [m, k, n] = [5, 7, 4];
          const lead = batch ? [batch] : [];
          const a = tf.randomNormal([...lead, ...(tA ? [k, m] : [m, k])], 0, 1, 'float32', 1);
          const b = tf.randomNormal([...lead, ...(tB ? [n, k] : [k, n])], 0, 1, 'float32', 2);
          const got = own.matMul(a, b, tA, tB).dataSync();
          const av = a.dataSync();
          const bv = b.dataSync();
          let err = 0;
          for (let q = 0; q < Math.max(1, batch); q++) {
            for (let i = 0; i < m; i++) {
              for (let j = 0; j < n; j++) {
                let ref = 0;
                for (let l = 0; l < k; l++) ref += av[q * m * k + (tA ? l * m + i : i * k + l)] * bv[q * k * n + (tB ? j * k + l : l * n + j)];
                err = Math.max(err, Math.abs(got[q * m * n + i * n + j] - ref));
              }
            }
          }
          expect(err).toBeLessThan(1e-5);
          tf.dispose([a, b]);
        }
      }
    }
  });
});

describe('ClaxMultiply and ClaxBatchMatMul gradients', () => {
  it('equal the stock gradients (broadcast operands, transposes)', async () => {
    const backend = await useBackend('wasm');
    if (backend !== 'wasm') return;
    const before = tf.memory().numTensors;
    const a = tf.randomNormal([3, 4, 5], 0, 1, 'float32', 4);
    const b = tf.randomNormal([4, 1], 0, 1, 'float32', 5);
    const m = tf.randomNormal([3, 6, 5], 0, 1, 'float32', 6);
    const grads = (mul: typeof tf.mul, matMul: typeof tf.matMul) =>
      tf.grads((x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) => tf.sum(tf.square(matMul(mul(x, y), z, false, true))))([a, b, m]).map((g) => {
        const v = Array.from(g.dataSync());
        g.dispose();
        return v;
      });
    const stock = grads(tf.mul, tf.matMul);
    const ours = grads(own.mul as typeof tf.mul, own.matMul as typeof tf.matMul);
    for (let i = 0; i < 3; i++) {
      const scale = Math.max(...stock[i].map(Math.abs));
      stock[i].forEach((v, j) => expect(Math.abs(ours[i][j] - v)).toBeLessThan(1e-5 * scale));
    }
    tf.dispose([a, b, m]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('Legendre sums in float64 (the SIMD module)', () => {
  it('equal the float64 sums of float32 rows', async () => {
    const backend = await useBackend('wasm');
    if (backend !== 'wasm') return;
    const { LEGENDRE_SUMS } = await import('../src/wasm-kernels');
    const [R, G] = [7, 20];
    const x = tf.randomNormal([R, G], 0, 1, 'float32', 3);
    const w = Float64Array.from({ length: 3 * G }, (_, i) => Math.sin(1 + i) / 3);
    const weights = tf.tensor1d(new Int32Array(w.buffer), 'int32');
    const got = (tf.engine().runKernel(LEGENDRE_SUMS, { x, w: weights }) as tf.Tensor).dataSync();
    const xv = x.dataSync();
    for (let r = 0; r < R; r++) {
      for (let l = 0; l < 3; l++) {
        let ref = 0;
        for (let g = 0; g < G; g++) ref += xv[r * G + g] * w[3 * g + l];
        expect(got[3 * r + l]).toBe(Math.fround(ref));
      }
    }
    tf.dispose([x, weights]);
  });
});
