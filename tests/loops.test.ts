/**
 * The O(N^2) loop contractions against CLASS-PT's direct definitions (float64, O(N^3)):
 * X_j[c] = c_c k_j^{eta_c} with c_c from FFT_TO_CMSYM, f13_j = Re X_j.m, f22_j = Re X_j^T M X_j.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { useBackend } from '../src/backend';
import { fftlogGrid } from '../src/fftlog/grid';
import {
  createTensorBasis,
  packDotKernels,
  packQuadraticKernels,
  type ComplexArray,
} from '../src/loops/tensor-basis';
import { antiDiagonalProducts, dotLoops, fftlogCoefficients, quadraticLoops } from '../src/loops/loop-integrals';
import { centredRng, dot } from './metrics';
import { analyze, basisShape } from '../src/fftlog/decomposition';
import { contractAntiDiagonals64, dotStack64, plainTerms, quadraticStack64 } from '../src/loops/exact-loops';
import { synthesisScale, synthesize, synthesizeAdjoint } from '../src/fftlog/synthesis';
import { hasQuadraticFormsKernel } from '../src/wasm-kernels';

const rng = centredRng;

/** CLASS-PT's X matrix, directly: X[j][c] = c_c k_j^{eta_c} (float64). */
function directX(p: Float64Array, n: number, b: number, h: number) {
  const grid = fftlogGrid(n, h);
  const { delta, kminMpc } = grid;
  const xr: number[][] = [];
  const xi: number[][] = [];
  // forward DFT of P e^{-j b Delta}
  const Fr = new Float64Array(n);
  const Fi = new Float64Array(n);
  for (let m = 0; m < n; m++) {
    for (let j = 0; j < n; j++) {
      const v = p[j] * Math.exp(-j * b * delta);
      Fr[m] += v * Math.cos((-2 * Math.PI * j * m) / n);
      Fi[m] += v * Math.sin((-2 * Math.PI * j * m) / n);
    }
  }
  const cr = new Float64Array(n + 1);
  const ci = new Float64Array(n + 1);
  for (let c = 0; c <= n; c++) {
    const idx = c < n / 2 ? n / 2 - c : c - n / 2;
    const sign = c < n / 2 ? -1 : 1;
    const etaIm = (2 * Math.PI * (c - n / 2)) / (n * delta);
    // kmin^{-eta} = kmin^{-b} e^{-i etaIm ln kmin}
    const mag = Math.pow(kminMpc, -b);
    const ph = -etaIm * Math.log(kminMpc);
    const ar = Fr[idx] / n;
    const ai = (sign * Fi[idx]) / n;
    cr[c] = mag * (Math.cos(ph) * ar - Math.sin(ph) * ai);
    ci[c] = mag * (Math.cos(ph) * ai + Math.sin(ph) * ar);
  }
  cr[0] /= 2; ci[0] /= 2; cr[n] /= 2; ci[n] /= 2;
  for (let j = 0; j < n; j++) {
    const lk = Math.log(grid.kMpc[j]);
    const rowR: number[] = [];
    const rowI: number[] = [];
    for (let c = 0; c <= n; c++) {
      const etaIm = (2 * Math.PI * (c - n / 2)) / (n * delta);
      const mag = Math.exp(b * lk);
      const kr = mag * Math.cos(etaIm * lk);
      const ki = mag * Math.sin(etaIm * lk);
      rowR.push(cr[c] * kr - ci[c] * ki);
      rowI.push(cr[c] * ki + ci[c] * kr);
    }
    xr.push(rowR);
    xi.push(rowI);
  }
  return { xr, xi };
}

describe('O(N^2) FFTLog loop contractions', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  for (const b of [-0.3, -1.6000001]) {
    it(`match the direct quadratic and dot forms (b = ${b})`, () => {
      const n = 32;
      const h = 0.7;
      const r = rng(7);
      const grid = fftlogGrid(n, h);
      // a smooth positive spectrum-like input
      const p = new Float64Array(n);
      for (let j = 0; j < n; j++) {
        const k = grid.kMpc[j];
        p[j] = (2e4 * (k / 0.02)) / (1 + (k / 0.02) ** 2.6) * (1 + 0.05 * r());
      }
      const nc = n + 1;
      const M: ComplexArray = { re: new Float64Array(nc * nc), im: new Float64Array(nc * nc) };
      for (let c = 0; c < nc; c++) {
        for (let d = c; d < nc; d++) {
          const vr = r();
          const vi = r();
          M.re[c * nc + d] = M.re[d * nc + c] = vr;
          M.im[c * nc + d] = M.im[d * nc + c] = vi;
        }
      }
      const m: ComplexArray = { re: new Float64Array(nc), im: new Float64Array(nc) };
      for (let c = 0; c < nc; c++) {
        m.re[c] = r();
        m.im[c] = r();
      }
      const { xr, xi } = directX(p, n, b, h);
      const f13 = new Float64Array(n);
      const f22 = new Float64Array(n);
      for (let j = 0; j < n; j++) {
        let s13 = 0;
        let s22 = 0;
        for (let c = 0; c < nc; c++) {
          s13 += xr[j][c] * m.re[c] - xi[j][c] * m.im[c];
          for (let d = 0; d < nc; d++) {
            const ar = M.re[c * nc + d] * xr[j][d] - M.im[c * nc + d] * xi[j][d];
            const ai = M.re[c * nc + d] * xi[j][d] + M.im[c * nc + d] * xr[j][d];
            s22 += xr[j][c] * ar - xi[j][c] * ai;
          }
        }
        f13[j] = s13;
        f22[j] = s22;
      }

      const basis = createTensorBasis(n, b);
      const quad = packQuadraticKernels(basis.shape, { M }, true);
      const dot = packDotKernels(basis.shape, { m });
      const pt = tf.tensor2d(Array.from(p), [1, n]);
      const coef = fftlogCoefficients(basis, pt);
      const prods = antiDiagonalProducts(basis, coef);
      const got22 = quadraticLoops(basis, prods, quad).dataSync();
      const got13 = dotLoops(basis, coef, dot).dataSync();
      const max22 = Math.max(...f22.map(Math.abs));
      const max13 = Math.max(...f13.map(Math.abs));
      let e22 = 0;
      let e13 = 0;
      for (let j = 0; j < n; j++) {
        e22 = Math.max(e22, Math.abs(got22[j] - f22[j]) / max22);
        e13 = Math.max(e13, Math.abs(got13[j] - f13[j]) / max13);
      }
      expect(e22).toBeLessThan(2e-5);
      expect(e13).toBeLessThan(2e-5);
      // the float64 values (../src/loops/exact-loops): the same forms to float64 rounding
      const x = [analyze(basis.shape, p)];
      const v22 = quadraticStack64(basis, quad, plainTerms(['M']), x, x, [1]).values;
      const v13 = dotStack64(basis, dot, plainTerms(['m']), x, [1]).values;
      let d22 = 0;
      let d13 = 0;
      for (let j = 0; j < n; j++) {
        d22 = Math.max(d22, Math.abs(v22[j] - f22[j]) / max22);
        d13 = Math.max(d13, Math.abs(v13[j] - f13[j]) / max13);
      }
      expect(d22).toBeLessThan(1e-12);
      expect(d13).toBeLessThan(1e-12);
      tf.dispose([pt, coef, prods.rows ?? [], quad.half, dot.re, dot.im]);
    });
  }
});

describe('float64 anti-diagonal sums: the SIMD module vs the same loops in JS', () => {
  it('agree to float64 rounding for K = 1 ... 11 kernels (passes of 8 and 4 lanes), bilinear and quadratic', async () => {
    await useBackend('wasm');
    expect(hasQuadraticFormsKernel()).toBe(true);
    const n = 32;
    const nc = n + 1;
    const r = rng(5);
    const shape = basisShape(n, -0.3);
    const x = [0, 1, 2].map(() => Float64Array.from({ length: 2 * nc }, () => r()));
    const y = [0, 1, 2].map(() => Float64Array.from({ length: 2 * nc }, () => r()));
    for (const K of [1, 3, 4, 5, 8, 11]) {
      const mats: Record<string, ComplexArray> = {};
      for (let k = 0; k < K; k++) {
        const m: ComplexArray = { re: new Float64Array(nc * nc), im: new Float64Array(nc * nc) };
        for (let c = 0; c < nc; c++) for (let d = c; d < nc; d++) {
          m.re[c * nc + d] = m.re[d * nc + c] = r();
          m.im[c * nc + d] = m.im[d * nc + c] = r();
        }
        mats[`k${k}`] = m;
      }
      const kernels = packQuadraticKernels(shape, mats, true);
      for (const yy of [x, y]) {
        const wasm = contractAntiDiagonals64(kernels, x, yy);
        const js = contractAntiDiagonals64(kernels, x, yy, true);
        const scale = Math.max(...js.map(Math.abs));
        let d = 0;
        for (let i = 0; i < js.length; i++) d = Math.max(d, Math.abs(wasm[i] - js[i]));
        expect(wasm.length).toBe(3 * K * 2 * n);
        expect(d / scale, `K = ${K}`).toBeLessThan(1e-14);
      }
      tf.dispose([kernels.half, kernels.half64Tensor ?? []]);
    }
  });
});

describe('quadratic and bilinear forms: wasm SIMD kernel vs the matMul path', () => {
  it('agree in values and in gradients with respect to both operands (B = 3, K = 1 and 6)', async () => {
    // the same float32 inputs on the cpu backend (materialised products + batched matMul) and
    // on wasm (products formed inside ../src/wasm-kernels.ts' SIMD kernel)
    const n = 16;
    const nc = n + 1;
    const B = 3;
    const r = rng(11);
    const coef = (seed: number) => Float32Array.from({ length: B * 2 * nc }, () => r() * (1 + seed));
    const x = coef(0);
    const y = coef(1);
    const run = async (backend: string, K: number, same: boolean) => {
      await tf.setBackend(backend);
      const mats: Record<string, ComplexArray> = {};
      for (let k = 0; k < K; k++) {
        const re = new Float64Array(nc * nc);
        const im = new Float64Array(nc * nc);
        for (let c = 0; c < nc; c++) {
          for (let d = 0; d <= c; d++) {
            re[c * nc + d] = re[d * nc + c] = Math.sin(1 + k + 0.3 * c + 0.7 * d + 0.1 * c * d);
            im[c * nc + d] = im[d * nc + c] = Math.cos(2 + k * c - 0.2 * d);
          }
        }
        mats[`m${k}`] = { re, im };
      }
      const basis = createTensorBasis(n, -0.3);
      const kernels = packQuadraticKernels(basis.shape, mats);
      const xt = tf.tensor2d(x, [B, 2 * nc]);
      const yt = same ? xt : tf.tensor2d(y, [B, 2 * nc]);
      const w = tf.tensor3d(Float32Array.from({ length: B * K * n }, (_, i) => Math.cos(i)), [B, K, n]);
      const f = (a: tf.Tensor2D, b: tf.Tensor2D) =>
        tf.sum(tf.mul(quadraticLoops(basis, antiDiagonalProducts(basis, a, same ? a : b), kernels), w));
      const value = Array.from(quadraticLoops(basis, antiDiagonalProducts(basis, xt, yt), kernels).dataSync());
      const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => f(a as tf.Tensor2D, b as tf.Tensor2D))([xt, yt]);
      const out = { value, gx: Array.from(grads[0].dataSync()), gy: Array.from(grads[1].dataSync()) };
      tf.dispose([...grads, xt, yt, w, kernels.half, kernels.realBlock ?? []]);
      return out;
    };
    const rel = (a: number[], b: number[]) => {
      let d = 0;
      let m = 0;
      for (let i = 0; i < a.length; i++) {
        d = Math.max(d, Math.abs(a[i] - b[i]));
        m = Math.max(m, Math.abs(b[i]));
      }
      return d / m;
    };
    const backend = await useBackend('wasm');
    if (backend !== 'wasm') return; // the kernel exists for wasm only
    for (const K of [1, 6]) {
      for (const same of [true, false]) {
        const cpu = await run('cpu', K, same);
        const wasm = await run('wasm', K, same);
        expect(hasQuadraticFormsKernel()).toBe(true);
        expect(rel(wasm.value, cpu.value)).toBeLessThan(1e-5);
        expect(rel(wasm.gx, cpu.gx)).toBeLessThan(1e-5);
        if (!same) expect(rel(wasm.gy, cpu.gy)).toBeLessThan(1e-5);
      }
    }
  });
});

/** The P22-type synthesis as a dense [2(2N+1), N] matrix: f_j = e^{2 j b Delta} Re sum_s A_s e^{2 pi i s j/N}. */
function denseSynthesis(n: number, bias: number): Float64Array {
  const { ns, delta } = basisShape(n, bias);
  const s = new Float64Array(2 * ns * n);
  for (let j = 0; j < n; j++) {
    for (let a = 0; a < ns; a++) {
      const theta = (2 * Math.PI * a * j) / n;
      s[a * n + j] = Math.exp(2 * j * bias * delta) * Math.cos(theta);
      s[(ns + a) * n + j] = -Math.exp(2 * j * bias * delta) * Math.sin(theta);
    }
  }
  return s;
}

describe('FFTLog synthesis in float64 (src/fftlog/synthesis.ts)', () => {
  it('equals the dense synthesis matrix, and its adjoint is the transpose (N = 16, 12)', () => {
    for (const n of [16, 12]) {
      const shape = basisShape(n, -0.3);
      const ns = shape.ns;
      const r = rng(5 + n);
      const a = Float64Array.from({ length: 2 * ns }, () => r()); // one row, unfolded: L = 2N + 1
      const got = synthesize(a, 1, ns, synthesisScale(shape, 'quadratic'));
      const S = denseSynthesis(n, -0.3);
      const g = Float64Array.from({ length: n }, () => r());
      let e = 0;
      let scale = 0;
      for (let j = 0; j < n; j++) {
        let ref = 0;
        for (let i = 0; i < 2 * ns; i++) ref += a[i] * S[i * n + j];
        e = Math.max(e, Math.abs(got[j] - ref));
        scale = Math.max(scale, Math.abs(ref));
      }
      expect(e / scale).toBeLessThan(1e-12);
      const adj = synthesizeAdjoint(g, 1, ns, synthesisScale(shape, 'quadratic'));
      expect(Math.abs(dot(adj, a) - dot(g, got)) / Math.abs(dot(g, got))).toBeLessThan(1e-12);
    }
  });
});
