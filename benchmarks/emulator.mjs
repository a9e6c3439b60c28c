// Speed of the cosmology stage (issue 9), from the sources (it times internals the package does
// not export: the emulator's tensor path and the background), wasm backend:
//   npm run bench:emulator            (tsx benchmarks/emulator.mjs [--backend cpu] [--json])
// - emulator: one call, one cosmology: P_cb and P_m on the 160 training k, f, D, r_s,drag:
//   float64 host path (median of 500), and float32 tensor path (the one gradients go through),
//   read back to the host (median of 200 after 20 warm-up calls)
// - emulator + background: the same plus H, D_A and the AP ratios (what the end-to-end needs)
// - linear: `clax-pt linear`'s function for 2 z and 4 k (adds sigma8 on 801 k)
// - engine: computeComponents + the 12 spectra from the same linear inputs given as numbers
//   (the forward budget of issue 8), and predictFromCosmology (cosmology -> spectra), both
//   on the fiducial case's settings (N = 256, 85 output k, IR + RSD + AP + bias), median of 7
// - gradient: tf.valueAndGrads of S = sum gg_l0 + gg_l2 over [0.005, 0.3] h/Mpc with respect to
//   the 6 cosmological and 10 nuisance parameters, median of 3
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { registerTfjsResolveHook } from '../src/cli/node-hooks.ts';

registerTfjsResolveHook();
const lib = { ...(await import('../src/node.ts')), ...(await import('../src/cosmology/emulator.ts')) };

const args = process.argv.slice(2);
const backend = args.includes('--backend') ? args[args.indexOf('--backend') + 1] : 'wasm';
await lib.useBackend(backend);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const time = (fn, n, warm) => { for (let i = 0; i < warm; i++) fn(); const t = []; for (let i = 0; i < n; i++) { const t0 = performance.now(); fn(); t.push(performance.now() - t0); } return median(t); };

const fid = JSON.parse(gunzipSync(readFileSync(new URL('../oracle-data/fiducial.json.gz', import.meta.url))).toString());
const cp = fid.cosmology;
const params = { omega_b: cp.omega_b, omega_cdm: cp.omega_cdm, h: cp.h, 'ln10^{10}A_s': Math.log(cp.A_s * 1e10), n_s: cp.n_s, m_ncdm: cp.m_ncdm };
const z = fid.derived.z;
const em = lib.getEmulator();

const emulatorCall = (withBackground) => {
  const out = tf.tidy(() => {
    const p = lib.rowParams([params]);
    const r = em.evaluate(p, tf.tensor2d([z], [1, 1]), em.kGridMpc);
    const res = [r.pkCb, r.pkM, r.f, r.D, r.rsDrag];
    if (withBackground) { const bg = lib.backgroundTensors(p, [z]); res.push(bg.H, bg.DA, bg.chiH0OverC); }
    return res;
  });
  out.forEach((t) => t.dataSync());
  tf.dispose(out);
};
const res = {};
// float64 host path (no tensors): what predictFromCosmology, compute --cosmo and linear use
// when no parameter is a tensor
res.emulator_host_ms = time(() => em.evaluateHost(params, z, em.kGridMpc), 500, 50);
res.emulator_ms = time(() => emulatorCall(false), 200, 20);
res.emulator_background_ms = time(() => emulatorCall(true), 200, 20);
res.linear_ms = time(() => lib.linearQuantities({ params, z: [0.38, 0.61], kMpc: [0.001, 0.01, 0.1, 1] }), 50, 5);

const opts = { kOutMpc: fid.output.k_Mpc, n: 256, omfid: 0.31 };
const bias = fid.output.bias;
// cosmology -> spectra with numbers (host emulator) and with tensor parameters (differentiable path)
const tparams = () => Object.fromEntries(Object.entries(params).map(([k, v]) => [k, tf.scalar(v)]));
const e2eTensor = () => { const tp = tparams(); const r = lib.predictFromCosmology([{ params: tp, z, bias }], opts); Object.values(r.spectra).forEach((t) => t.dataSync()); r.dispose(); tf.dispose(Object.values(tp)); };
const e2e = () => { const r = lib.predictFromCosmology([{ params, z, bias }], opts); Object.values(r.spectra).forEach((t) => t.dataSync()); r.dispose(); };
// the engine alone on the same linear inputs as numbers
const r0 = lib.predictFromCosmology([{ params, z, bias }], opts);
const host = { kMpc: r0.linearKMpc, pkMpc3: Array.from(r0.pkLin.dataSync()), h: params.h, nS: params.n_s, rsDragMpc: r0.derived.rsDragMpc.dataSync()[0], f: r0.derived.f.dataSync()[0], hratio: r0.derived.hratio.dataSync()[0], Dratio: r0.derived.Dratio.dataSync()[0] };
r0.dispose();
const plan = lib.getPlan({ n: 256 });
const engine = () => {
  const c = lib.computeComponents(plan, [host], { kOutMpc: opts.kOutMpc });
  const s = lib.assembleAll(c.components, bias, { h: params.h, f: host.f, kOutMpc: opts.kOutMpc });
  Object.values(s).forEach((t) => { t.dataSync(); t.dispose(); });
  c.dispose();
};
res.engine_forward_ms = time(engine, 7, 2);
res.end_to_end_ms = time(e2e, 7, 2);
res.end_to_end_tensor_ms = time(e2eTensor, 7, 2);
const window = Float32Array.from(fid.output.k_hMpc, (k) => (k >= 0.005 && k <= 0.3 ? 1 : 0));
const names = Object.keys(params);
const bnames = ['b1', 'b2', 'bG2', 'bGamma3', 'cs0', 'cs2', 'Pshot', 'a0', 'a2', 'b4'];
const grad = () => {
  const xs = [...names.map((n) => tf.scalar(params[n])), ...bnames.map((n) => tf.scalar(bias[n]))];
  const { value, grads } = tf.valueAndGrads((...t) => {
    const p = Object.fromEntries(names.map((n, i) => [n, t[i]]));
    const b = { ...bias, ...Object.fromEntries(bnames.map((n, i) => [n, t[names.length + i]])) };
    const r = lib.predictFromCosmology([{ params: p, z, bias: b }], { ...opts, only: ['gg_l0', 'gg_l2'] });
    return tf.sum(tf.mul(tf.add(r.spectra.gg_l0, r.spectra.gg_l2), tf.tensor2d(window, [1, window.length])));
  })(xs);
  grads.forEach((g) => g.dataSync());
  tf.dispose([value, ...grads, ...xs]);
};
res.gradient_ms = time(grad, 3, 1);
res.backend = backend;
res.load = loadavg()[0];
const f = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(2));
console.log(`cosmology stage, ${backend} backend, load average ${res.load.toFixed(2)} (2 cores shared)
  emulator call, host float64 (P_cb, P_m, f, D, r_s) ${f(res.emulator_host_ms)} ms
  emulator call, tensors (differentiable)           ${f(res.emulator_ms)} ms
  emulator + background (H, D_A)                    ${f(res.emulator_background_ms)} ms
  clax-pt linear function (2 z, 4 k, with sigma8)   ${f(res.linear_ms)} ms
  engine forward (computeComponents + 12 spectra)   ${f(res.engine_forward_ms)} ms
  cosmology -> 12 spectra (predictFromCosmology)    ${f(res.end_to_end_ms)} ms
    the same with tensor parameters                 ${f(res.end_to_end_tensor_ms)} ms
  gradient of sum gg_l0 + gg_l2 (16 parameters)     ${f(res.gradient_ms)} ms`);
if (args.includes('--json')) console.log(JSON.stringify(res));
