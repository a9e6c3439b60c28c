/**
 * The fitting tools of the emulator's training scripts (float64, deterministic): PCA by Jacobi
 * eigenvectors of the covariance, and linear least squares on a total-degree Legendre basis by
 * normal equations (accumulated row by row), Cholesky and a tiny ridge for round-off.
 */
import { basisHost, multiIndices } from '../../src/cosmology/polynomial';
import { cholesky, choleskySolve } from '../../src/numerics/dense';

export function jacobiEigen(Ain: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const A = Float64Array.from(Ain);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A[p * n + q] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (A[q * n + q] - A[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < n; r++) {
          const arp = A[r * n + p];
          const arq = A[r * n + q];
          A[r * n + p] = c * arp - s * arq;
          A[r * n + q] = s * arp + c * arq;
        }
        for (let r = 0; r < n; r++) {
          const apr = A[p * n + r];
          const aqr = A[q * n + r];
          A[p * n + r] = c * apr - s * aqr;
          A[q * n + r] = s * apr + c * aqr;
        }
        for (let r = 0; r < n; r++) {
          const vrp = V[r * n + p];
          const vrq = V[r * n + q];
          V[r * n + p] = c * vrp - s * vrq;
          V[r * n + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const values = Float64Array.from({ length: n }, (_, i) => A[i * n + i]);
  return { values, vectors: V };
}

export function pca(Y: Float64Array[], ncomp: number) {
  const n = Y[0].length;
  const mean = new Float64Array(n);
  for (const y of Y) for (let j = 0; j < n; j++) mean[j] += y[j] / Y.length;
  const C = new Float64Array(n * n);
  const d = new Float64Array(n);
  for (const y of Y) {
    for (let j = 0; j < n; j++) d[j] = y[j] - mean[j];
    for (let a = 0; a < n; a++) {
      const da = d[a];
      for (let b = a; b < n; b++) C[a * n + b] += da * d[b];
    }
  }
  for (let a = 0; a < n; a++) for (let b = 0; b < a; b++) C[a * n + b] = C[b * n + a];
  const { values: ev, vectors } = jacobiEigen(C, n);
  const order = Array.from(ev.keys()).sort((a, b) => ev[b] - ev[a]).slice(0, ncomp);
  const comps = new Float64Array(ncomp * n); // [ncomp, n] rows
  order.forEach((c, r) => {
    let sign = 0;
    for (let j = 0; j < n; j++) sign += vectors[j * n + c];
    const sg = sign < 0 ? -1 : 1; // a fixed sign convention (reproducible output)
    for (let j = 0; j < n; j++) comps[r * n + j] = sg * vectors[j * n + c];
  });
  const total = ev.reduce((s, v) => s + Math.max(v, 0), 0);
  const kept = order.reduce((s, c) => s + ev[c], 0);
  return { mean, comps, ncomp, n, unexplained: 1 - kept / total };
}
export const project = (P: ReturnType<typeof pca>, y: Float64Array) => {
  const out = new Float64Array(P.ncomp);
  for (let c = 0; c < P.ncomp; c++) {
    let s = 0;
    for (let j = 0; j < P.n; j++) s += (y[j] - P.mean[j]) * P.comps[c * P.n + j];
    out[c] = s;
  }
  return out;
};
export function leastSquares(X: number[][], T: Float64Array[], degree: number, dim: number, ridge = 1e-8) {
  const idx = multiIndices(dim, degree);
  const nb = idx.length;
  const nt = T[0].length;
  const A = new Float64Array(nb * nb);
  const R = new Float64Array(nb * nt);
  const b = new Float64Array(nb);
  X.forEach((x, r) => {
    basisHost(x, idx, degree, b);
    for (let i = 0; i < nb; i++) {
      const bi = b[i];
      if (bi === 0) continue;
      const row = i * nb;
      for (let j = 0; j <= i; j++) A[row + j] += bi * b[j];
      const t = T[r];
      for (let c = 0; c < nt; c++) R[i * nt + c] += bi * t[c];
    }
  });
  let tr = 0;
  for (let i = 0; i < nb; i++) tr += A[i * nb + i];
  const lam = (ridge * tr) / nb; // a tiny ridge for round-off only
  for (let i = 0; i < nb; i++) A[i * nb + i] += lam;
  const L = cholesky(A, nb);
  if (!L) throw new Error('normal equations not positive definite');
  const W = choleskySolve(L, nb, R, nt);
  return { idx, W, nb, nt };
}
export const predict = (fit: ReturnType<typeof leastSquares>, x: number[], degree: number) => {
  const b = basisHost(x, fit.idx, degree);
  const out = new Float64Array(fit.nt);
  for (let i = 0; i < fit.nb; i++) for (let c = 0; c < fit.nt; c++) out[c] += b[i] * fit.W[i * fit.nt + c];
  return out;
};

