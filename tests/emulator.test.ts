/**
 * The linear emulator and the background against the CLASS test set (every cosmology, every z;
 * emulator-data/, never used in training): P_cb and P_m worst relative error <= 0.5% and rms
 * <= 0.1% over k in [1e-3, 1] 1/Mpc at every z; f and r_s,drag within 1e-3; H and D_A within
 * 1e-4. Also: the valid range is enforced, and repeated calls leak no tensor.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { expectWithinBound, type Family } from './bounds';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../src/backend';
import { backgroundTensors, getEmulator, linearQuantities, rowParams, sigma8Host, sigma8Tensor } from '../src/cosmology/emulator';
import { apRatiosHost, apRatiosTensor, C_KM_S } from '../src/cosmology/background';
import type { CosmoParamName } from '../src/cosmology/params';
import { COSMO_PARAM_RANGE } from '../src/cosmology/params';
import { hostBackground } from '../src/cosmology/background';
import { isInputError } from '../src/errors';
import { loadEmulatorTestSet } from './emulator-data';

const set = loadEmulatorTestSet();

describe('linear emulator vs the CLASS test set', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('P_cb, P_m, f, D, sigma8, r_s, H, D_A over every test cosmology', (ctx) => {
    const nz = set.z.length;
    const worst: Record<string, { err: number; where: string }> = {};
    const note = (name: string, err: number, where: string) => {
      if (!worst[name] || !(err <= worst[name].err)) worst[name] = { err, where };
    };
    const ss = { cb: new Float64Array(nz), m: new Float64Array(nz), n: new Float64Array(nz) };
    for (const [r, rec] of set.records.entries()) {
      const ans = linearQuantities({ params: rec.params, z: set.z, kMpc: set.k_Mpc });
      for (let iz = 0; iz < nz; iz++) {
        const where = `record ${rec.index}, z = ${set.z[iz]}`;
        const cb = set.pkCb(r, iz);
        const m = set.pkM(r, iz);
        for (let j = 0; j < set.k_Mpc.length; j++) {
          const eCb = ans.pk_cb_Mpc3[iz][j] / cb[j] - 1;
          const eM = ans.pk_m_Mpc3[iz][j] / m[j] - 1;
          note('P_cb', Math.abs(eCb), `${where}, k = ${set.k_Mpc[j].toPrecision(3)}`);
          note('P_m', Math.abs(eM), `${where}, k = ${set.k_Mpc[j].toPrecision(3)}`);
          ss.cb[iz] += eCb * eCb;
          ss.m[iz] += eM * eM;
          ss.n[iz]++;
        }
        note('f', Math.abs(ans.f[iz] / rec.f[iz] - 1), where);
        note('D', Math.abs(ans.D[iz] / rec.D[iz] - 1), where);
        note('sigma8', Math.abs(ans.sigma8[iz] / rec.sigma8[iz] - 1), where);
        note('H', Math.abs(ans.H_kms_Mpc[iz] / rec.H_kms_Mpc[iz] - 1), where);
        if (set.z[iz] > 0) note('D_A', Math.abs(ans.D_A_Mpc[iz] / rec.D_A_Mpc[iz] - 1), where);
      }
      note('rs_drag', Math.abs(ans.rs_drag_Mpc / rec.rs_drag_Mpc - 1), `record ${rec.index}`);
    }
    const rms = (a: Float64Array) => Array.from(a, (s, iz) => Math.sqrt(s / ss.n[iz]));
    const rmsCb = rms(ss.cb);
    const rmsM = rms(ss.m);
    console.log(
      [
        `emulator vs CLASS test set (${set.records.length} cosmologies x ${nz} z; relative errors; P over k in [1e-3, 1] 1/Mpc)`,
        ...Object.entries(worst).map(([n, w]) => `  ${n.padEnd(8)} worst ${w.err.toExponential(2)}  (${w.where})`),
        `  rms P_cb per z: ${rmsCb.map((v) => v.toExponential(1)).join(' ')}`,
        `  rms P_m  per z: ${rmsM.map((v) => v.toExponential(1)).join(' ')}`,
      ].join('\n'),
    );
    const check = (family: Family, name: string) => expectWithinBound(ctx, family, worst[name].err, worst[name].where);
    check('emulator: P_cb (relative, k in [1e-3, 1] 1/Mpc)', 'P_cb');
    check('emulator: P_m (relative)', 'P_m');
    expectWithinBound(ctx, 'emulator: rms of P_cb and P_m per z', Math.max(...rmsCb, ...rmsM), 'worst z');
    check('emulator: f', 'f');
    check('emulator: D', 'D');
    check('emulator: sigma8', 'sigma8');
    check('emulator: r_s,drag', 'rs_drag');
    expectWithinBound(ctx, 'emulator: H, D_A (CLASS background formulas)', Math.max(worst.H.err, worst.D_A.err), worst.H.err > worst.D_A.err ? `H ${worst.H.where}` : `D_A ${worst.D_A.where}`);
  });

  it('the float64 host background matches CLASS to 1e-7 (H, D_A)', () => {
    let w = 0;
    for (const rec of set.records) {
      const p = rec.params;
      const bg = hostBackground({ omegaB: p.omega_b, omegaCdm: p.omega_cdm, h: p.h, mNu: p.m_ncdm });
      set.z.forEach((z, iz) => {
        w = Math.max(w, Math.abs(bg.H(z) / rec.H_kms_Mpc[iz] - 1));
        if (z > 0) w = Math.max(w, Math.abs(bg.DA(z) / rec.D_A_Mpc[iz] - 1));
      });
    }
    console.log(`host background: worst relative error of H, D_A ${w.toExponential(2)}`);
    expect(w).toBeLessThan(1e-7);
  });

  it('the float32 tensor path (gradients) agrees with the float64 host path', (ctx) => {
    const em = getEmulator();
    const k = Float64Array.from(set.k_Mpc);
    const zs = [0, 0.37, 1.1, 2.9];
    const worst: Record<string, number> = {};
    const note = (n: string, a: number, b: number) => (worst[n] = Math.max(worst[n] ?? 0, Math.abs(a / b - 1)));
    for (const rec of set.records.filter((_, i) => i % 30 === 0)) {
      const p = rec.params as Record<CosmoParamName, number>;
      const t = tf.tidy(() => {
        const rp = rowParams(zs.map(() => p));
        const z = tf.tensor2d(zs, [zs.length, 1]);
        const r = em.evaluate(rp, z, k);
        const bg = backgroundTensors(rp, zs);
        const ap = zs.map((zb, b) => apRatiosTensor(tf.slice(bg.E, [b, 0], [1, 1]), tf.slice(bg.chiH0OverC, [b, 0], [1, 1]), tf.slice(bg.omegaG, [b, 0], [1, 1]), zb, 0.31));
        // the z-differentiable form of the AP ratios (z as a tensor)
        const apZ = zs.map((zb, b) => apRatiosTensor(tf.slice(bg.E, [b, 0], [1, 1]), tf.slice(bg.chiH0OverC, [b, 0], [1, 1]), tf.slice(bg.omegaG, [b, 0], [1, 1]), zb, 0.31, tf.scalar(zb)));
        return [r.pkCb!, r.pkM!, r.f, r.D, r.rsDrag, bg.H, bg.DA, sigma8Tensor(em, rp, z), tf.concat(ap.map((a) => a.hratio), 0), tf.concat(ap.map((a) => a.Dratio), 0),
          tf.concat(apZ.map((a) => a.hratio), 0), tf.concat(apZ.map((a) => a.Dratio), 0)];
      });
      const [cb, m, f, D, rs, H, DA, s8, hr, dr, hrZ, drZ] = t.map((x) => x.dataSync());
      tf.dispose(t);
      const hb = hostBackground({ omegaB: p.omega_b, omegaCdm: p.omega_cdm, h: p.h, mNu: p.m_ncdm });
      zs.forEach((z, b) => {
        const hrow = em.evaluateHost(p, z, k);
        k.forEach((_, j) => {
          note('P_cb', cb[b * k.length + j], hrow.pkCb[j]);
          note('P_m', m[b * k.length + j], hrow.pkM[j]);
        });
        note('f', f[b], hrow.f);
        note('D', D[b], hrow.D);
        note('rs_drag', rs[b], hrow.rsDrag);
        note('H', H[b], hb.H(z));
        if (z > 0) note('D_A', DA[b], hb.DA(z));
        note('sigma8', s8[b], sigma8Host(em, p, z));
        const ap = apRatiosHost(hb.E(z), (hb.chi(z) * 100 * p.h) / C_KM_S, hb.omegaG, z, 0.31);
        note('hratio', hr[b], ap.hratio);
        note('Dratio', dr[b], ap.Dratio);
        note('hratio(z tensor)', hrZ[b], ap.hratio);
        note('Dratio(z tensor)', drZ[b], ap.Dratio);
      });
    }
    console.log(`tensor (float32) vs host (float64) path, worst relative difference: ${Object.entries(worst).map(([n, v]) => `${n} ${v.toExponential(1)}`).join(', ')}`);
    const [name, v] = Object.entries(worst).reduce((a, e) => (e[1] > a[1] ? e : a));
    expectWithinBound(ctx, 'emulator: float32 tensor path vs float64 host path', v, name);
  });

  it('refuses parameters, z and k outside the valid range, naming the field', () => {
    const params = { ...set.records[0].params };
    const call = (p: Record<string, number>, z = [0.5], k = [0.1]) => () => linearQuantities({ params: p, z, kMpc: k });
    for (const [name, [lo, hi]] of Object.entries(COSMO_PARAM_RANGE)) {
      for (const v of [lo - 1e-3 * (hi - lo), hi + 1e-3 * (hi - lo)]) {
        try {
          call({ ...params, [name]: v })();
          throw new Error(`accepted ${name} = ${v}`);
        } catch (e) {
          expect(isInputError(e)).toBe(true);
          expect((e as Error).message).toContain(`params.${name}`);
        }
      }
    }
    expect(call(params, [3.5])).toThrow(/z\[0\].*valid range/);
    expect(call(params, [0.5], [30])).toThrow(/k_Mpc\[0\]/);
    expect(call({ ...params, h: Number.NaN })).toThrow(/params\.h/);
    const { m_ncdm: _, ...missing } = params;
    expect(call(missing as Record<string, number>)).toThrow(/params\.m_ncdm: missing/);
  });

  it('repeated calls do not grow the tensor count', () => {
    const req = { params: set.records[1].params, z: [0, 1.3], kMpc: [0.01, 0.1] };
    linearQuantities(req);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) linearQuantities(req);
    expect(tf.memory().numTensors).toBe(before);
  });
});
