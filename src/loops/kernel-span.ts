/**
 * A basis of the span of a kernel set, for the float64 contractions (./exact-loops.ts).
 *
 * The f-power kernels of a set are one base matrix (CLASS-PT's M22 or J) times rational
 * polynomials in nu1, nu2, and they are far from independent: the 15 μ-power P22 kernels, the 23
 * IR-off multipole kernels and the 16 redshift-space bias kernels each span 4 dimensions
 * (pivoted Gram-Schmidt on the kernels at N = 64: the fifth pivot is 8e-15 of the first). So the
 * anti-diagonal sums are contracted with r basis kernels (chosen among the kernels themselves by
 * a pivoted Cholesky factorisation of their Gram matrix) and A_k = sum_q C_kq A_q recovers every
 * kernel's sums, exactly up to float64 rounding (each kernel's fit is certified on all its
 * entries when the span is built; one that fails joins the basis). Real coefficients: the
 * kernels' real and imaginary parts are one real vector each.
 */
import type { BasisShape } from '../fftlog/decomposition';
import type { ComplexArray } from '../kernels/f-power-kernels';

export interface KernelSpan {
  /** number of basis kernels r, and the lanes of the block (r rounded up to 4) */
  rank: number;
  lanes: number;
  /** the basis kernels in the packed layout of ./tensor-basis.ts packQuadraticKernels, float64: [ns, h+1, 2 lanes] */
  block: Float64Array;
  /** C [K, r]: kernel k = sum_q C[k, q] basis q */
  coefficients: Float64Array;
}

/**
 * Squared relative residual (Schur complement of the normalised Gram matrix) under which a kernel
 * counts as inside the span: independent directions here have >= 3e-2, dependent ones ~1e-16.
 * The fit is then certified on the entries (1e-10 of the kernel's largest); a kernel that fails
 * joins the basis.
 */
const SPAN_TOLERANCE = 1e-10;
const FIT_TOLERANCE = 1e-10;

/**
 * The half anti-diagonal entries w M[c, d] of one kernel in the packed layout's order (row
 * s (h+1) + t holds the pair c = t (s <= N) or h + t (s > N), d = s - c, w = 1/2 on c = d, zero
 * off that half; ./tensor-basis.ts packs the lanes from it), [Re | Im].
 */
export function halfEntries(shape: BasisShape, m: ComplexArray): Float64Array {
  const { nc, ns } = shape;
  const h = (nc - 1) / 2;
  const rows = ns * (h + 1);
  const v = new Float64Array(2 * rows);
  for (let s = 0; s < ns; s++) {
    for (let t = 0; t <= h; t++) {
      const c = s < nc ? t : h + t;
      const d = s - c;
      if (d < 0 || d >= nc || (s < nc ? c > d : c < d)) continue;
      const w = c === d ? 0.5 : 1;
      v[s * (h + 1) + t] = w * m.re[c * nc + d];
      v[rows + s * (h + 1) + t] = w * m.im[c * nc + d];
    }
  }
  return v;
}

const dot = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/** The span of kernels given by their ./halfEntries vectors. */
export function kernelSpan(shape: BasisShape, vectors: Float64Array[]): KernelSpan {
  const K = vectors.length;
  // Gram matrix of the kernels over every 7th entry (an exact dependence holds on any subset; the
  // fit is certified on all entries below), normalised to unit diagonal
  const STRIDE = 7;
  const sub = vectors.map((v) => Float64Array.from({ length: Math.ceil(v.length / STRIDE) }, (_, i) => v[i * STRIDE]));
  const G = new Float64Array(K * K);
  for (let a = 0; a < K; a++) for (let b = 0; b <= a; b++) G[a * K + b] = G[b * K + a] = dot(sub[a], sub[b]);
  const norm = Float64Array.from({ length: K }, (_, k) => Math.sqrt(G[k * K + k]) || 1);
  const g = (a: number, b: number) => G[a * K + b] / (norm[a] * norm[b]);
  // pivoted Cholesky of the normalised Gram matrix: the pivots are the basis kernels, and a kernel
  // whose Schur complement (its squared residual off the span of the pivots) is below
  // SPAN_TOLERANCE is inside the span; `forced` kernels (failed fits) are pivots first
  const fitWith = (forced: number[]) => {
    const basis: number[] = [];
    const Lc: Float64Array[] = []; // columns of the factor, over all K kernels
    const schur = Float64Array.from({ length: K }, (_, k) => g(k, k));
    for (;;) {
      let best = forced.find((k) => !basis.includes(k)) ?? -1;
      if (best < 0) {
        let bestVal = SPAN_TOLERANCE;
        for (let k = 0; k < K; k++) if (!basis.includes(k) && schur[k] > bestVal) [best, bestVal] = [k, schur[k]];
      }
      if (best < 0) break;
      const col = new Float64Array(K);
      const piv = Math.sqrt(schur[best]);
      for (let k = 0; k < K; k++) {
        let v = g(k, best);
        for (const l of Lc) v -= l[k] * l[best];
        col[k] = v / piv;
      }
      Lc.push(col);
      basis.push(best);
      for (let k = 0; k < K; k++) schur[k] -= col[k] * col[k];
    }
    const r = basis.length;
    // C: every kernel on the basis kernels, from the r x r system G_bb c = G_bk (Cholesky)
    const L = new Float64Array(r * r);
    for (let i = 0; i < r; i++) {
      for (let j = 0; j <= i; j++) {
        let sum = G[basis[i] * K + basis[j]];
        for (let k = 0; k < j; k++) sum -= L[i * r + k] * L[j * r + k];
        L[i * r + j] = i === j ? Math.sqrt(sum) : sum / L[j * r + j];
      }
    }
    const coefficients = new Float64Array(K * r);
    const fit = new Float64Array(vectors[0].length);
    let worst = -1;
    let worstRes = FIT_TOLERANCE;
    for (let k = 0; k < K; k++) {
      const y = new Float64Array(r);
      for (let i = 0; i < r; i++) {
        let sum = G[basis[i] * K + k];
        for (let j = 0; j < i; j++) sum -= L[i * r + j] * y[j];
        y[i] = sum / L[i * r + i];
      }
      for (let i = r - 1; i >= 0; i--) {
        let sum = y[i];
        for (let j = i + 1; j < r; j++) sum -= L[j * r + i] * coefficients[k * r + j];
        coefficients[k * r + i] = sum / L[i * r + i];
      }
      if (basis.includes(k)) continue;
      // certified on the entries themselves
      fit.fill(0);
      for (let i = 0; i < r; i++) {
        const c = coefficients[k * r + i];
        const v = vectors[basis[i]];
        for (let j = 0; j < fit.length; j++) fit[j] += c * v[j];
      }
      let res = 0;
      let scale = 0;
      const vk = vectors[k];
      for (let j = 0; j < fit.length; j++) {
        res = Math.max(res, Math.abs(fit[j] - vk[j]));
        scale = Math.max(scale, Math.abs(vk[j]));
      }
      if (scale > 0 && res / scale > worstRes) [worst, worstRes] = [k, res / scale];
    }
    return { basis, coefficients, worst };
  };
  let forced: number[] = [];
  let found = fitWith(forced);
  while (found.worst >= 0) found = fitWith((forced = [...found.basis, found.worst]));
  const { basis, coefficients } = found;
  const r = basis.length;
  // the packed float64 block of the basis kernels
  const { nc, ns } = shape;
  const h = (nc - 1) / 2;
  const rows = ns * (h + 1);
  const lanes = 4 * Math.ceil(r / 4);
  const block = new Float64Array(rows * 2 * lanes);
  basis.forEach((bk, lane) => {
    const v = vectors[bk];
    for (let i = 0; i < rows; i++) {
      block[i * 2 * lanes + lane] = v[i];
      block[i * 2 * lanes + lanes + lane] = v[rows + i];
    }
  });
  return { rank: r, lanes, block, coefficients };
}
