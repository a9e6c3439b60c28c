// Fit the nuisance parameters of a mock galaxy multipole data vector by gradient descent.
// Run after `npm ci` (which builds dist/):  node examples/fit-nuisance.mjs
// (CLAX_EXAMPLE_STEPS=N runs N Adam steps instead of 1500; the last line is a JSON summary.)
//
// The cosmology is fixed, so the components are computed once; the nuisance parameters are tf
// variables and Adam minimises chi^2 = sum_k sum_l (P_l(theta) - P_l^data)^2 / sigma_l(k)^2 with
// a simple diagonal Gaussian error, through the library's differentiable assembly.
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { useBackend, getPlan, computeComponents, caseInputs, pkGgL0, pkGgL2, pkGgL4 } from '../dist/index.js';

await useBackend();
const c = JSON.parse(readFileSync(new URL('../data/default-cosmology.json', import.meta.url), 'utf8'));
const inputs = caseInputs(c);
const h = inputs.h;
const kMask = inputs.kOutMpc.map((k) => k / h >= 0.01 && k / h <= 0.2);
const kOutMpc = inputs.kOutMpc.filter((_, i) => kMask[i]);
const result = computeComponents(getPlan({ n: inputs.n }), [inputs.cosmology], { ...inputs.options, kOutMpc });
const comps = result.components;
const ctx = { h, f: inputs.cosmology.f, kOutMpc };

const multipoles = (p) => [
  pkGgL0(comps, { b1: p.b1, b2: p.b2, bG2: p.bG2, bGamma3: p.bGamma3, cs0: p.cs0, Pshot: p.Pshot, a0: 0, a2: 0, b4: 0 }, ctx),
  pkGgL2(comps, { b1: p.b1, b2: p.b2, bG2: p.bG2, bGamma3: p.bGamma3, cs2: p.cs2, a2: 0, b4: 0 }, ctx),
  pkGgL4(comps, { b1: p.b1, b2: p.b2, bG2: p.bG2, bGamma3: p.bGamma3, cs4: 0, b4: 0 }, ctx),
];

const truth = { b1: 2.0, b2: -1.0, bG2: 0.1, bGamma3: -0.1, cs0: 5.0, cs2: 15.0, Pshot: 3000 };
const data = tf.tidy(() => multipoles(truth).map((t) => tf.keep(t)));
const sigma = data.map((d) => tf.keep(tf.add(tf.mul(tf.abs(d), 0.01), 50))); // 1% + 50 (Mpc/h)^3

// start away from the truth; parameters are scaled to order one for the optimiser
const scale = { b1: 1, b2: 1, bG2: 1, bGamma3: 1, cs0: 10, cs2: 10, Pshot: 1000 };
const start = { b1: 1.6, b2: 0.0, bG2: 0.0, bGamma3: 0.0, cs0: 0.0, cs2: 0.0, Pshot: 1500 };
const vars = Object.fromEntries(Object.keys(start).map((k) => [k, tf.variable(tf.scalar(start[k] / scale[k]))]));
const params = () => Object.fromEntries(Object.keys(vars).map((k) => [k, tf.mul(vars[k], scale[k])]));
const chi2 = () =>
  tf.addN(multipoles(params()).map((m, l) => tf.sum(tf.square(tf.div(tf.sub(m, data[l]), sigma[l])))));

const optimizer = tf.train.adam(0.05);
const steps = Number(process.env.CLAX_EXAMPLE_STEPS ?? 1500);
let first;
let last;
for (let step = 0; step <= steps; step++) {
  const loss = optimizer.minimize(chi2, true, Object.values(vars));
  last = loss.dataSync()[0];
  first ??= last;
  if (step % 300 === 0 || step === steps) console.log(`step ${String(step).padStart(4)}  chi2 = ${last.toExponential(3)}`);
  loss.dispose();
}
console.log('parameter      truth     fit');
for (const k of Object.keys(truth)) {
  console.log(`${k.padEnd(10)} ${String(truth[k]).padStart(9)} ${(vars[k].dataSync()[0] * scale[k]).toFixed(3).padStart(9)}`);
}
console.log(JSON.stringify({ steps, chi2_start: first, chi2_end: last, fit: Object.fromEntries(Object.keys(truth).map((k) => [k, vars[k].dataSync()[0] * scale[k]])), truth }));
result.dispose();
