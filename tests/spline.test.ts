/** CLASS's natural cubic spline (src/numerics/spline.ts): values, the linear operator W and W^T. */
import { describe, expect, it } from 'vitest';
import {
  splineAdjoint,
  splineEvaluate,
  splineInterpolate,
  splineOperator,
  splineSecondDerivatives,
} from '../src/numerics/spline';
import { dot, maxAbs, uniformRng } from './metrics';
import { outputSplineOperators } from '../src/numerics/output-spline';
import { fftlogGrid } from '../src/fftlog/grid';
import { useBackend } from '../src/backend';

const rng = uniformRng;

/** strictly increasing, non-uniform knots */
function knots(n: number, seed: number): Float64Array {
  const r = rng(seed);
  const x = new Float64Array(n);
  for (let i = 1; i < n; i++) x[i] = x[i - 1] + 0.2 + r();
  return x;
}


describe('natural cubic spline', () => {
  const x = knots(40, 1);
  const r = rng(2);
  const y = Float64Array.from(x, () => r() - 0.5);

  it('reproduces the knots exactly and has zero end curvature', () => {
    const y2 = splineSecondDerivatives(x, y);
    expect(y2[0]).toBe(0);
    expect(y2[x.length - 1]).toBe(0);
    const v = splineEvaluate(x, y, y2, x);
    expect(maxAbs(v, y)).toBe(0);
  });

  it('has a continuous first derivative at interior knots', () => {
    const M = splineSecondDerivatives(x, y);
    for (let i = 1; i < x.length - 1; i++) {
      const hl = x[i] - x[i - 1];
      const hr = x[i + 1] - x[i];
      const left = (y[i] - y[i - 1]) / hl + (hl * (M[i - 1] + 2 * M[i])) / 6;
      const right = (y[i + 1] - y[i]) / hr - (hr * (2 * M[i] + M[i + 1])) / 6;
      expect(Math.abs(left - right)).toBeLessThan(1e-12);
    }
  });

  it('is exact on linear functions (the only cubics with zero end curvature)', () => {
    const lin = Float64Array.from(x, (t) => 3 - 0.7 * t);
    const xe = Float64Array.from({ length: 200 }, (_, i) => x[0] + ((x[x.length - 1] - x[0]) * i) / 199);
    const v = splineInterpolate(x, lin, xe);
    expect(maxAbs(v, Float64Array.from(xe, (t) => 3 - 0.7 * t))).toBeLessThan(1e-13);
  });

  it('converges like h^4 away from the ends on a smooth function', () => {
    const err = (n: number) => {
      const xs = Float64Array.from({ length: n }, (_, i) => (2 * Math.PI * i) / (n - 1));
      const ys = xs.map(Math.sin); // sin'' = 0 at 0 and 2 pi: natural ends are exact
      const xe = Float64Array.from({ length: 101 }, (_, i) => (2 * Math.PI * i) / 100);
      return maxAbs(splineInterpolate(xs, ys, xe), xe.map(Math.sin));
    };
    const e1 = err(40);
    const e2 = err(80);
    expect(e1).toBeLessThan(1e-4);
    expect(e1 / e2).toBeGreaterThan(12); // ~16 for h^4
  });

  it('accepts evaluation points in any order and rejects points outside the knots', () => {
    const xe = [x[5] + 0.1, x[0], x[x.length - 1], x[2] + 0.3, x[30], x[1] + 0.01];
    const y2 = splineSecondDerivatives(x, y);
    const v = splineEvaluate(x, y, y2, xe);
    xe.forEach((t, e) => expect(v[e]).toBe(splineEvaluate(x, y, y2, [t])[0]));
    expect(() => splineEvaluate(x, y, y2, [x[0] - 1e-9])).toThrow(RangeError);
    expect(() => splineEvaluate(x, y, y2, [x[x.length - 1] * 1.0001])).toThrow(RangeError);
    expect(() => splineSecondDerivatives([0, 1, 2], [1, 2])).toThrow(/same|entries/);
  });

  it('operator matrix W equals direct evaluation, and splineAdjoint equals W^T', () => {
    const re = rng(7);
    const xe = Float64Array.from({ length: 57 }, () => x[0] + re() * (x[x.length - 1] - x[0]));
    xe[0] = x[0];
    xe[1] = x[x.length - 1];
    xe[2] = x[17];
    const W = splineOperator(x, xe);
    const n = x.length;
    const direct = splineInterpolate(x, y, xe);
    const viaW = new Float64Array(xe.length);
    for (let e = 0; e < xe.length; e++) viaW[e] = dot(W.subarray(e * n, (e + 1) * n), y);
    expect(maxAbs(viaW, direct)).toBeLessThan(1e-13);

    const g = Float64Array.from(xe, () => re() - 0.5);
    const adj = splineAdjoint(x, xe, g);
    const wtg = new Float64Array(n);
    for (let e = 0; e < xe.length; e++) for (let j = 0; j < n; j++) wtg[j] += W[e * n + j] * g[e];
    expect(maxAbs(adj, wtg)).toBeLessThan(1e-13);
    expect(Math.abs(dot(direct, g) - dot(y, adj))).toBeLessThan(1e-12);
  });

  it('builds the operator for a 512-node grid quickly', () => {
    const xk = Float64Array.from({ length: 512 }, (_, i) => 5e-5 * Math.exp(i * 0.03));
    const xe = Float64Array.from({ length: 300 }, (_, i) => xk[10] + (i / 299) * (xk[500] - xk[10]));
    const t0 = performance.now();
    const W = splineOperator(xk, xe);
    const ms = performance.now() - t0;
    const yk = xk.map((t) => Math.log(t));
    const v = splineInterpolate(xk, yk, xe);
    let e = 0;
    for (let i = 0; i < xe.length; i++) e = Math.max(e, Math.abs(dot(W.subarray(i * 512, (i + 1) * 512), yk) - v[i]));
    expect(e).toBeLessThan(1e-12);
    console.log(`splineOperator 512 knots x 300 points: ${ms.toFixed(1)} ms`);
  });
});

describe('output spline operators (src/numerics/output-spline.ts)', () => {
  it('equal the spline on each cosmology own FFTLog nodes (scale-free cache, two h, repeated calls)', async () => {
    await useBackend();
    const n = 64;
    const kOutHMpc = Float64Array.from({ length: 20 }, (_, i) => 0.01 + 0.015 * i);
    for (const h of [0.67, 0.71, 0.67]) {
      const grid = fftlogGrid(n, h).kMpc;
      const kOut = Float64Array.from(kOutHMpc, (k) => k * h);
      const t = outputSplineOperators([grid], [kOut]);
      const got = t.dataSync();
      t.dispose();
      const W = splineOperator(grid, kOut); // [nOut, N]
      let e = 0;
      for (let i = 0; i < kOut.length; i++) for (let j = 0; j < n; j++) e = Math.max(e, Math.abs(got[j * kOut.length + i] - W[i * n + j]));
      expect(e).toBeLessThan(1e-6); // float32 storage of entries <= 1
    }
  });
});
