// A user's own tfjs program that also uses clax-pt-ts (the built library, dist/index.js): the
// library must leave the user's backend untouched. Checks, and exits 1 if any fails:
//   - every stock kernel of the user's backend (tf.getKernel) and every gradient registered
//     before the import is the same function object after the library was imported and used;
//   - the user's own model (dense layers: matMul, also with transposed operands, mul, slice,
//     cast) gives bit-identical values before and after a library forward + gradient.
// (In plain Node, tfjs-core registers no gradients, so the user model here is forward only;
// tests/good-guest.test.ts checks a user model's gradients too.)
// Run: npm run build && node examples/good-guest.mjs [wasm|cpu]
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const backend = process.argv[2] ?? 'wasm';
setWasmPaths(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm')) + '/');
if (!(await tf.setBackend(backend))) throw new Error(`cannot start ${backend}`);

// the user's model
const w1 = tf.randomNormal([16, 32], 0, 0.3, 'float32', 1);
const w2 = tf.randomNormal([32, 4], 0, 0.3, 'float32', 2);
const x = tf.randomNormal([8, 16], 0, 1, 'float32', 3);
const model = () =>
  tf.tidy(() => {
    const h = tf.tanh(tf.matMul(x, w1));
    const y = tf.matMul(tf.mul(h, tf.cast(tf.slice(h, [0, 0], [8, 32]), 'float32')), w2);
    return [tf.sum(tf.mul(y, y)), y, tf.matMul(x, x, true, false), tf.matMul(h, w1, false, true)].map((t) => Array.from(t.dataSync()));
  });

const kernelsBefore = new Map(tf.getKernelsForBackend(backend).map((k) => [k.kernelName, k.kernelFunc]));
const gradientsBefore = new Map([...kernelsBefore.keys()].map((n) => [n, tf.getGradient(n)?.gradFunc]));
const before = model();

// the library: imported and used (a forward and a gradient through the whole chain)
const lib = await import('../dist/index.js');
await lib.useBackend(backend);
const params = { omega_b: 0.02237, omega_cdm: 0.12, h: 0.6736, 'ln10^{10}A_s': 3.0448, n_s: 0.9649, m_ncdm: 0.06 };
const bias = { b1: 2, b2: -1, bG2: 0.1, bGamma3: -0.1, cs0: 0, cs2: 30, cs4: 0, Pshot: 3000, a0: 0, a2: 0, b4: 10 };
const kOutMpc = [0.02, 0.05, 0.1, 0.15];
const g = tf.grad((b1) => {
  const r = lib.predictFromCosmology([{ params, z: 0.5, bias: { ...bias, b1 } }], { kOutMpc, n: 128, only: ['gg_l0'] });
  return tf.sum(r.spectra.gg_l0);
})(tf.scalar(2));
const dS = g.dataSync()[0];

const failures = [];
for (const [name, fn] of kernelsBefore) {
  if (tf.getKernel(name, backend)?.kernelFunc !== fn) failures.push(`kernel ${name} replaced`);
  const g0 = gradientsBefore.get(name);
  if (g0 !== undefined && tf.getGradient(name)?.gradFunc !== g0) failures.push(`gradient of ${name} replaced`);
}
const after = model();
if (JSON.stringify(after) !== JSON.stringify(before)) failures.push('the user model changed');
const added = tf.getKernelsForBackend(backend).map((k) => k.kernelName).filter((n) => !kernelsBefore.has(n));
const gradientsAdded = [...gradientsBefore].filter(([n, g0]) => g0 === undefined && tf.getGradient(n)).length;
console.log(
  `backend ${backend}: ${kernelsBefore.size} stock kernels checked, library kernels added (own names): ${added.join(', ') || 'none'}; ` +
    `tfjs's stock gradients added where none was registered (tfjs-core's Node build has none): ${gradientsAdded}; dS/db1 = ${dS.toPrecision(6)}`,
);
console.log(failures.length ? `FAILED: ${failures.join('; ')}` : 'good guest: stock kernels, gradients and the user model untouched');
process.exit(failures.length ? 1 : 0);
