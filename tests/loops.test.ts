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
import { antiDiagonalProducts, contractAntiDiagonals, dotLoops, fftlogCoefficients, PER_DIAGONAL_MIN_ROWS, quadraticLoops } from '../src/loops/loop-integrals';
import { centredRng } from './metrics';

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
      const quad = packQuadraticKernels(basis.shape, { M });
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
      tf.dispose([pt, coef, prods, quad.block, dot.re, dot.im]);
    });
  }
});

describe('per-anti-diagonal contraction (batches)', () => {
  it('equals the batched matMul in values and gradients', async () => {
    await useBackend();
    const ns = 9;
    const width = 12;
    const twoK = 6;
    const M = PER_DIAGONAL_MIN_ROWS + 2;
    const block = tf.randomNormal([ns, width, twoK], 0, 1, 'float32', 3) as tf.Tensor3D;
    const kernels = { names: ['a', 'b', 'c'], block };
    const x = tf.randomNormal([ns, M, width], 0, 1, 'float32', 4) as tf.Tensor3D;
    const w = tf.randomNormal([ns, M, twoK], 0, 1, 'float32', 5);
    const loss = (f: (y: tf.Tensor3D) => tf.Tensor) => (y: tf.Tensor) => tf.sum(tf.mul(f(y as tf.Tensor3D), w));
    const ref = tf.matMul(x, block).dataSync();
    const got = contractAntiDiagonals(x, kernels).dataSync();
    const gRef = tf.grad(loss((y) => tf.matMul(y, block)))(x).dataSync();
    const gGot = tf.grad(loss((y) => contractAntiDiagonals(y, kernels)))(x).dataSync();
    const rel = (a: ArrayLike<number>, b: ArrayLike<number>) => {
      let d = 0;
      let m = 0;
      for (let i = 0; i < a.length; i++) {
        d = Math.max(d, Math.abs(a[i] - b[i]));
        m = Math.max(m, Math.abs(a[i]));
      }
      return d / m;
    };
    expect(rel(ref, got)).toBeLessThan(1e-6);
    expect(rel(gRef, gGot)).toBeLessThan(1e-6);
    tf.dispose([block, x, w, ...(kernels as { slabs?: tf.Tensor[] }).slabs!, ...(kernels as { slabsT?: tf.Tensor[] }).slabsT!]);
  });
});
