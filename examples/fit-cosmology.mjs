// Maximum-likelihood cosmology of a mock galaxy multipole data vector by gradient descent,
// end to end: parameters -> linear P(k) emulator + background -> one-loop engine -> gg_l0, gg_l2.
// Run after `npm ci` (which builds dist/):  node examples/fit-cosmology.mjs
// (CLAX_EXAMPLE_STEPS=N runs N Adam steps instead of 200; the last line is a JSON summary.)
//
// The mock is the model itself at a "true" point (z = 0.61, k in [0.01, 0.2] h/Mpc of the
// fiducial h, as 1/Mpc values passed to the spectra as classy takes them), with a diagonal
// Gaussian error of 1% + 100 (Mpc/h)^3. Free: omega_cdm, h, ln10^{10}A_s and b1; the rest fixed.
// Each free parameter is a sigmoid of an unconstrained tf.variable, so the optimiser can never
// leave the emulator's valid range (which predictFromCosmology enforces).
import * as tf from '@tensorflow/tfjs-core';
import { useBackend, predictFromCosmology, COSMO_PARAM_RANGE } from '../dist/index.js';

await useBackend();
const z = 0.61;
const kOutMpc = Array.from({ length: 24 }, (_, i) => 0.6736 * 0.01 * Math.pow(20, i / 23)); // 0.01..0.2 h/Mpc
const fixed = { omega_b: 0.02237, n_s: 0.9649, m_ncdm: 0.06 };
const nuisance = { b2: -1.0, bG2: 0.1, bGamma3: -0.1, cs0: 5, cs2: 15, Pshot: 3000, a0: 0, a2: 0, b4: 0 };
const truth = { omega_cdm: 0.125, h: 0.69, 'ln10^{10}A_s': 3.0, b1: 2.1 };
const start = { omega_cdm: 0.115, h: 0.66, 'ln10^{10}A_s': 3.1, b1: 1.9 };
const FREE = Object.keys(truth);
const RANGE = { ...COSMO_PARAM_RANGE, b1: [1, 3] };

const model = (p) => {
  const params = { ...fixed, omega_cdm: p.omega_cdm, h: p.h, 'ln10^{10}A_s': p['ln10^{10}A_s'] };
  const r = predictFromCosmology([{ params, z, bias: { ...nuisance, b1: p.b1 } }], { kOutMpc, only: ['gg_l0', 'gg_l2'] });
  const out = [tf.clone(r.spectra.gg_l0), tf.clone(r.spectra.gg_l2)];
  r.dispose();
  return out;
};

const data = tf.tidy(() => model(truth).map((t) => tf.keep(t)));
const sigma = data.map((d) => tf.keep(tf.add(tf.mul(tf.abs(d), 0.01), 100)));

// p = lo + (hi - lo) sigmoid(u)
const toU = (name, v) => { const [lo, hi] = RANGE[name]; const s = (v - lo) / (hi - lo); return Math.log(s / (1 - s)); };
const vars = Object.fromEntries(FREE.map((n) => [n, tf.variable(tf.scalar(toU(n, start[n])))]));
const params = () => Object.fromEntries(FREE.map((n) => { const [lo, hi] = RANGE[n]; return [n, tf.add(lo, tf.mul(hi - lo, tf.sigmoid(vars[n])))]; }));
const chi2 = () => tf.addN(model(params()).map((m, l) => tf.sum(tf.square(tf.div(tf.sub(m, data[l]), sigma[l])))));

const optimizer = tf.train.adam(0.1);
const show = (step, c) => {
  const p = tf.tidy(() => Object.fromEntries(Object.entries(params()).map(([n, t]) => [n, t.dataSync()[0]])));
  console.log(`step ${String(step).padStart(3)}  chi2 ${c.toExponential(3)}  ` + FREE.map((n) => `${n} ${p[n].toFixed(4)}`).join('  '));
  return p;
};
const steps = Number(process.env.CLAX_EXAMPLE_STEPS ?? 200);
const t0 = performance.now();
let last;
let first;
let c;
for (let step = 0; step <= steps; step++) {
  const cost = optimizer.minimize(chi2, true);
  c = cost.dataSync()[0];
  cost.dispose();
  first ??= c;
  if (step % 25 === 0 || step === steps) last = show(step, c);
}
console.log('truth     ' + FREE.map((n) => `${n} ${truth[n].toFixed(4)}`).join('  '));
console.log(JSON.stringify({ steps, chi2_start: first, chi2_end: c, fit: last, truth, ms_per_step: (performance.now() - t0) / (steps + 1) }));
