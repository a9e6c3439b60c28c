/**
 * Small dense linear algebra in float64 for the sampler (matrices row-major in Float64Array,
 * n x n with n the number of parameters, tens at most): Cholesky factor, triangular solves,
 * products and the inverse of a symmetric positive-definite matrix.
 */
import { symmetricEigen } from '../numerics/dense';

/** Lower-triangular L with A = L L^T, or null when A is not (numerically) positive definite. */
export function cholesky(a: ArrayLike<number>, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(s > 0) || !Number.isFinite(s)) return null;
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j];
      }
    }
  }
  return l;
}

/** Solves L y = b in place (b becomes y); L lower triangular. */
export function solveLower(l: Float64Array, n: number, b: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * b[k];
    b[i] = s / l[i * n + i];
  }
  return b;
}

/** Solves L^T x = b in place (b becomes x); L lower triangular. */
export function solveLowerTransposed(l: Float64Array, n: number, b: Float64Array): Float64Array {
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * b[k];
    b[i] = s / l[i * n + i];
  }
  return b;
}

/** out = A v (A n x n). */
export function matVec(a: ArrayLike<number>, n: number, v: ArrayLike<number>, out: Float64Array = new Float64Array(n)): Float64Array {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += a[i * n + j] * v[j];
    out[i] = s;
  }
  return out;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** The inverse of a symmetric positive-definite matrix, or null when it is not one. */
export function inverseSpd(a: ArrayLike<number>, n: number): Float64Array | null {
  const l = cholesky(a, n);
  if (!l) return null;
  const inv = new Float64Array(n * n);
  const col = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    col.fill(0);
    col[j] = 1;
    solveLower(l, n, col);
    solveLowerTransposed(l, n, col);
    for (let i = 0; i < n; i++) inv[i * n + j] = col[i];
  }
  symmetrise(inv, n);
  return inv;
}

/** A <- (A + A^T) / 2 in place. */
export function symmetrise(a: Float64Array, n: number): Float64Array {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const m = 0.5 * (a[i * n + j] + a[j * n + i]);
      a[i * n + j] = m;
      a[j * n + i] = m;
    }
  }
  return a;
}

/** log(exp(a) + exp(b)) without overflow; -Infinity is the identity. */
export function logSumExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** V f(Lambda) V^T for a symmetric A = V Lambda V^T (f applied to each eigenvalue). */
export function symmetricFunction(a: ArrayLike<number>, n: number, f: (lambda: number) => number): Float64Array {
  return fromEigen(symmetricEigen(a, n), n, f);
}

/** V f(Lambda) V^T from an eigen-decomposition (V's columns the eigenvectors, row-major). */
function fromEigen(e: { values: Float64Array; vectors: Float64Array }, n: number, f: (lambda: number) => number): Float64Array {
  const v = e.vectors;
  const fl = e.values.map(f);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += v[i * n + k] * fl[k] * v[j * n + k];
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  return out;
}

/** C = A B (n x n). */
export function matMul(a: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
    }
  }
  return c;
}

/**
 * The matrix geometric mean of SPD A and B^-1, G = B^-1/2 (B^1/2 A B^1/2)^1/2 B^-1/2: the
 * unique SPD solution of G B G = A. Null when B is not positive definite.
 */
export function geometricMeanWithInverse(a: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array | null {
  const eb = symmetricEigen(b, n);
  if (!eb.values.every((x) => x > 0 && Number.isFinite(x))) return null;
  const bHalf = fromEigen(eb, n, Math.sqrt);
  const bInvHalf = fromEigen(eb, n, (x) => 1 / Math.sqrt(x));
  const inner = symmetricFunction(matMul(matMul(bHalf, a, n), bHalf, n), n, (x) => Math.sqrt(Math.max(x, 0)));
  return symmetrise(matMul(matMul(bInvHalf, inner, n), bInvHalf, n), n);
}
