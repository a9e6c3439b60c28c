/**
 * Small dense linear algebra in float64 (row-major Float64Array), for the likelihood's
 * covariance algebra (a few hundred rows at most): Cholesky factorisation, triangular solves,
 * log-determinants, general LU solves, the symmetric eigen-decomposition.
 */

/**
 * Lower-triangular L with A = L L^T (A symmetric positive definite, n x n). Returns undefined
 * when A is not positive definite (a non-positive pivot), so that callers can name the matrix.
 */
export function cholesky(a: Float64Array, n: number): Float64Array | undefined {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= l[j * n + k] * l[j * n + k];
    if (!(d > 0) || !Number.isFinite(d)) return undefined;
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = s / ljj;
    }
  }
  return l;
}

/** ln det A = 2 sum ln L_ii from A's Cholesky factor. */
export function logDetFromCholesky(l: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(l[i * n + i]);
  return 2 * s;
}

/** Solves L x = b (forward substitution); b is [n] or [n, m] row-major with m columns. */
export function solveLower(l: Float64Array, n: number, b: Float64Array, m = 1): Float64Array {
  const x = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    const lii = l[i * n + i];
    for (let c = 0; c < m; c++) {
      let s = x[i * m + c];
      for (let k = 0; k < i; k++) s -= l[i * n + k] * x[k * m + c];
      x[i * m + c] = s / lii;
    }
  }
  return x;
}

/** Solves L^T x = b (back substitution); b is [n] or [n, m] row-major. */
export function solveUpper(l: Float64Array, n: number, b: Float64Array, m = 1): Float64Array {
  const x = Float64Array.from(b);
  for (let i = n - 1; i >= 0; i--) {
    const lii = l[i * n + i];
    for (let c = 0; c < m; c++) {
      let s = x[i * m + c];
      for (let k = i + 1; k < n; k++) s -= l[k * n + i] * x[k * m + c];
      x[i * m + c] = s / lii;
    }
  }
  return x;
}

/** A^{-1} b for A = L L^T. */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array, m = 1): Float64Array {
  return solveUpper(l, n, solveLower(l, n, b, m), m);
}

/** Largest |A_ij - A_ji| / max(|A_ij|, |A_ji|, tiny) over the matrix: 0 for a symmetric one. */
export function asymmetry(a: Float64Array, n: number): { value: number; i: number; j: number } {
  let worst = { value: 0, i: 0, j: 0 };
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const x = a[i * n + j];
      const y = a[j * n + i];
      const scale = Math.max(Math.abs(x), Math.abs(y), Number.MIN_VALUE);
      const v = Math.abs(x - y) / scale;
      if (v > worst.value || Number.isNaN(v)) worst = { value: v, i, j };
    }
  }
  return worst;
}

/**
 * Solves A X = B for a general square A (n x n) by LU with partial pivoting; B is [n, m]. Throws
 * on a singular matrix.
 */
export function solveGeneral(aIn: Float64Array, n: number, bIn: Float64Array, m = 1): Float64Array {
  const a = Float64Array.from(aIn);
  const b = Float64Array.from(bIn);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r * n + c]) > Math.abs(a[p * n + c])) p = r;
    if (a[p * n + c] === 0) throw new RangeError('solveGeneral: singular matrix');
    if (p !== c) {
      for (let k = 0; k < n; k++) [a[c * n + k], a[p * n + k]] = [a[p * n + k], a[c * n + k]];
      for (let k = 0; k < m; k++) [b[c * m + k], b[p * m + k]] = [b[p * m + k], b[c * m + k]];
    }
    const piv = a[c * n + c];
    for (let r = c + 1; r < n; r++) {
      const f = a[r * n + c] / piv;
      if (f === 0) continue;
      for (let k = c; k < n; k++) a[r * n + k] -= f * a[c * n + k];
      for (let k = 0; k < m; k++) b[r * m + k] -= f * b[c * m + k];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    for (let k = 0; k < m; k++) {
      let s = b[r * m + k];
      for (let c = r + 1; c < n; c++) s -= a[r * n + c] * b[c * m + k];
      b[r * m + k] = s / a[r * n + r];
    }
  }
  return b;
}

/**
 * Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations (Golub & Van Loan,
 * Matrix Computations, 8.5): A = V diag(values) V^T, V's columns the eigenvectors (row-major
 * n x n). Accurate to rounding for the small matrices of the sampler.
 */
export function symmetricEigen(a: ArrayLike<number>, n: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) m[i * n + j] = m[j * n + i] = 0.5 * (m[i * n + j] + m[j * n + i]);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let scale = 0;
  for (let k = 0; k < n * n; k++) scale += m[k] * m[k];
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += m[i * n + j] * m[i * n + j];
    if (!(off > 1e-30 * scale)) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q];
        if (apq === 0) continue;
        // the rotation that zeroes A[p, q]: t = tan(theta), theta from cot(2 theta) = (A_qq - A_pp) / (2 A_pq)
        const tau = (m[q * n + q] - m[p * n + p]) / (2 * apq);
        const t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = m[k * n + p];
          const akq = m[k * n + q];
          m[k * n + p] = c * akp - s * akq;
          m[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = m[p * n + k];
          const aqk = m[q * n + k];
          m[p * n + k] = c * apk - s * aqk;
          m[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: Float64Array.from({ length: n }, (_, i) => m[i * n + i]), vectors: v };
}
