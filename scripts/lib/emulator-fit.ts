/**
 * The fitting tools of the emulator's training scripts (float64, deterministic): PCA by Jacobi
 * eigenvectors of the covariance (../../src/numerics/dense.ts symmetricEigen), and linear least
 * squares on a total-degree Legendre basis by normal equations (accumulated row by row), Cholesky and a tiny ridge for round-off.
 */
import { basisHost, multiIndices } from '../../src/cosmology/polynomial';
import { cholesky, choleskySolve, symmetricEigen } from '../../src/numerics/dense';

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
  const { values: ev, vectors } = symmetricEigen(C, n);
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

