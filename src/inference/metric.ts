/**
 * The Euclidean metric of HMC (Stan's diag_e and dense_e): the inverse mass matrix M^-1 is the
 * metric (an estimate of the posterior covariance on the unconstrained space);
 *   kinetic energy  K(p) = p^T M^-1 p / 2,   velocity dK/dp = M^-1 p,   p ~ N(0, M).
 * Dense: with M^-1 = L L^T (Cholesky), p = L^-T z for z ~ N(0, I) has covariance
 * L^-T L^-1 = M. Diagonal: p_i = z_i / sqrt(M^-1_ii).
 */
import { ClaxPtInputError } from '../errors';
import { cholesky, matVec, solveLowerTransposed } from './linalg';
import type { Rng } from './rng';

export type MetricKind = 'diag' | 'dense';

export class Metric {
  /** the inverse metric: n values (diag) or n*n row-major (dense) */
  readonly inverse: Float64Array;
  private readonly chol: Float64Array | null;
  private readonly invSqrt: Float64Array | null;

  constructor(
    readonly kind: MetricKind,
    readonly dim: number,
    inverse?: ArrayLike<number>,
  ) {
    const size = kind === 'dense' ? dim * dim : dim;
    if (inverse === undefined) {
      this.inverse = new Float64Array(size);
      for (let i = 0; i < dim; i++) this.inverse[kind === 'dense' ? i * dim + i : i] = 1;
    } else {
      if (inverse.length !== size) throw new ClaxPtInputError('metric', `a ${kind} metric of ${dim} parameters has ${size} values, got ${inverse.length}`);
      this.inverse = Float64Array.from(inverse);
    }
    if (kind === 'dense') {
      this.chol = cholesky(this.inverse, dim);
      if (!this.chol) throw new ClaxPtInputError('metric', 'the dense inverse metric is not symmetric positive definite');
      this.invSqrt = null;
    } else {
      this.chol = null;
      this.invSqrt = new Float64Array(dim);
      for (let i = 0; i < dim; i++) {
        const v = this.inverse[i];
        if (!(v > 0) || !Number.isFinite(v)) throw new ClaxPtInputError(`metric[${i}]`, `a diagonal inverse metric needs positive finite entries, got ${v}`);
        this.invSqrt[i] = 1 / Math.sqrt(v);
      }
    }
  }

  /** A metric of `kind` from n (diagonal) or n*n (dense) values: a dense one keeps only its diagonal for 'diag'; a diagonal one is spread for 'dense'. */
  static from(kind: MetricKind, dim: number, inverse: ArrayLike<number>): Metric {
    if (dim > 1 && kind === 'diag' && inverse.length === dim * dim) {
      return new Metric('diag', dim, Array.from({ length: dim }, (_, i) => inverse[i * dim + i]));
    }
    if (dim > 1 && kind === 'dense' && inverse.length === dim) {
      const full = new Float64Array(dim * dim);
      for (let i = 0; i < dim; i++) full[i * dim + i] = inverse[i];
      return new Metric('dense', dim, full);
    }
    return new Metric(kind, dim, inverse);
  }

  /** p ~ N(0, M) */
  sampleMomentum(rng: Rng, p: Float64Array): void {
    const n = this.dim;
    for (let i = 0; i < n; i++) p[i] = rng.normal();
    if (this.chol) solveLowerTransposed(this.chol, n, p);
    else for (let i = 0; i < n; i++) p[i] *= this.invSqrt![i];
  }

  /** dK/dp = M^-1 p into `out` */
  velocity(p: Float64Array, out: Float64Array): Float64Array {
    if (this.kind === 'dense') return matVec(this.inverse, this.dim, p, out);
    for (let i = 0; i < this.dim; i++) out[i] = this.inverse[i] * p[i];
    return out;
  }

  /** K(p) = p^T M^-1 p / 2 */
  kinetic(p: Float64Array): number {
    const n = this.dim;
    let s = 0;
    if (this.kind === 'dense') {
      for (let i = 0; i < n; i++) {
        let r = 0;
        for (let j = 0; j < n; j++) r += this.inverse[i * n + j] * p[j];
        s += p[i] * r;
      }
    } else {
      for (let i = 0; i < n; i++) s += this.inverse[i] * p[i] * p[i];
    }
    return 0.5 * s;
  }
}
