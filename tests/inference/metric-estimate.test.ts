/**
 * The warm-up's metric estimates (src/inference/windows.ts) and the linear algebra under them:
 * the symmetric eigen-decomposition, the matrix geometric mean, and the 'fisher' estimate,
 * which recovers a Gaussian's covariance exactly from a window of d + 1 or more draws (the
 * gradients then determine Sigma), where the sample covariance of the same draws is off by
 * tens of per cent.
 */
import { describe, expect, it } from 'vitest';
import { geometricMeanWithInverse, matMul } from '../../src/inference/linalg';
import { symmetricEigen } from '../../src/numerics/dense';
import { Rng } from '../../src/inference/rng';
import { WindowedAdaptation } from '../../src/inference/windows';

/** a random SPD matrix with eigenvalues spread over `spread` decades */
function randomSpd(n: number, rng: Rng, spread: number): Float64Array {
  const a = Float64Array.from({ length: n * n }, () => rng.normal());
  // Q from Gram-Schmidt of a's columns
  const q = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) q[i * n + j] = a[i * n + j];
    for (let k = 0; k < j; k++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += q[i * n + k] * a[i * n + j];
      for (let i = 0; i < n; i++) q[i * n + j] -= d * q[i * n + k];
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += q[i * n + j] ** 2;
    for (let i = 0; i < n; i++) q[i * n + j] /= Math.sqrt(norm);
  }
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const lam = 10 ** (spread * (k / (n - 1) - 0.5));
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] += q[i * n + k] * lam * q[j * n + k];
  }
  return out;
}

const maxRel = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / scale);
  return m;
};

describe('linear algebra of the metric estimate', () => {
  it('Jacobi eigen-decomposition reconstructs the matrix', () => {
    const rng = new Rng(3, 1);
    const n = 12;
    const a = randomSpd(n, rng, 4);
    const { values, vectors: v } = symmetricEigen(a, n);
    const back = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) back[i * n + j] += v[i * n + k] * values[k] * v[j * n + k];
    expect(maxRel(back, a)).toBeLessThan(4e-15); // measured 1.4e-15 (rounding)
  });

  it('the geometric mean G of A and B^-1 solves G B G = A', () => {
    const rng = new Rng(4, 1);
    const n = 9;
    const a = randomSpd(n, rng, 3);
    const b = randomSpd(n, rng, 3);
    const g = geometricMeanWithInverse(a, b, n)!;
    expect(maxRel(matMul(matMul(g, b, n), g, n), a)).toBeLessThan(4e-14); // measured 1.4e-14
  });
});

describe("the 'fisher' window estimate", () => {
  // one slow window of 30 draws: warm-up 30 + the 15/75/10 split gives a window of 23 > d = 8
  const d = 8;
  const rng = new Rng(5, 1);
  const sigma = randomSpd(d, rng, 2);
  const precision = (() => {
    // Sigma^-1 by Gauss-Jordan on [Sigma | I]
    const m = Array.from({ length: d }, (_, i) => [...Array.from(sigma.subarray(i * d, i * d + d)), ...Array.from({ length: d }, (_, j) => (i === j ? 1 : 0))]);
    for (let c = 0; c < d; c++) {
      const p = m[c][c];
      for (let j = 0; j < 2 * d; j++) m[c][j] /= p;
      for (let r = 0; r < d; r++) if (r !== c) { const f = m[r][c]; for (let j = 0; j < 2 * d; j++) m[r][j] -= f * m[c][j]; }
    }
    return Float64Array.from(m.flatMap((row) => row.slice(d)));
  })();
  // draws x = L z (L the Cholesky factor of Sigma), gradient of log N(0, Sigma): -Sigma^-1 x
  const chol = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) {
    let s = sigma[i * d + j];
    for (let k = 0; k < j; k++) s -= chol[i * d + k] * chol[j * d + k];
    chol[i * d + j] = i === j ? Math.sqrt(s) : s / chol[j * d + j];
  }
  const run = (estimate: 'fisher' | 'covariance') => {
    const draws = new Rng(6, 1);
    const w = new WindowedAdaptation('dense', d, 30, undefined, undefined, estimate);
    let out: Float64Array | null = null;
    for (let it = 0; it < 30 && !out; it++) {
      const z = Float64Array.from({ length: d }, () => draws.normal());
      const x = Float64Array.from({ length: d }, (_, i) => { let s = 0; for (let k = 0; k <= i; k++) s += chol[i * d + k] * z[k]; return s; });
      const g = Float64Array.from({ length: d }, (_, i) => { let s = 0; for (let k = 0; k < d; k++) s -= precision[i * d + k] * x[k]; return s; });
      out = w.learn(x, g);
    }
    return { metric: out!, n: w.state().numWarmup };
  };
  it('recovers a Gaussian covariance from one short window (up to the shrinkage Stan applies) to rounding', () => {
    const { metric } = run('fisher');
    const n = 30 - Math.floor(0.15 * 30) - Math.floor(0.1 * 30); // the window's draws
    const expected = Float64Array.from(sigma, (v, k) => (n / (n + 5)) * v + (Math.floor(k / d) === k % d ? 1e-3 * (5 / (n + 5)) : 0));
    expect(maxRel(metric, expected)).toBeLessThan(5e-15); // measured 1.7e-15
    // the sample covariance of the same 23 draws is much further off
    expect(maxRel(run('covariance').metric, expected)).toBeGreaterThan(0.1); // measured 0.30
  });
});
