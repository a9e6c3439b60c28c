/**
 * Bounded parameters <-> the unconstrained space the sampler moves in (as Stan does, Stan
 * Reference Manual, "Constraint transforms"):
 *   unbounded      x = u
 *   lower bound a  x = a + exp(u)                          log|dx/du| = u
 *   upper bound b  x = b - exp(u)                          log|dx/du| = u
 *   interval (a,b) x = a + (b - a) s(u), s = 1/(1+e^-u)    log|dx/du| = log(b - a) + log s(u) + log(1 - s(u))
 * A density p(x) becomes p(x(u)) |dx/du| on u; d/du log|dx/du| is 1 (one-sided) or 1 - 2 s(u).
 */
import { ClaxPtInputError } from '../errors';
import type { ParameterSpec } from './target';

export type TransformKind = 'identity' | 'lower' | 'upper' | 'interval';

/** log(1 + e^x) without overflow */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** s(u) = 1/(1 + e^-u) without overflow */
function sigmoid(u: number): number {
  if (u >= 0) return 1 / (1 + Math.exp(-u));
  const e = Math.exp(u);
  return e / (1 + e);
}

export class ParameterTransforms {
  readonly dim: number;
  readonly kinds: TransformKind[];
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;

  constructor(readonly parameters: readonly ParameterSpec[]) {
    this.dim = parameters.length;
    this.lo = new Float64Array(this.dim);
    this.hi = new Float64Array(this.dim);
    this.kinds = parameters.map((p, i) => {
      const hasLo = p.lower !== undefined;
      const hasHi = p.upper !== undefined;
      if (hasLo && !Number.isFinite(p.lower)) throw new ClaxPtInputError(`parameters[${i}].lower`, `must be finite or absent, got ${p.lower}`);
      if (hasHi && !Number.isFinite(p.upper)) throw new ClaxPtInputError(`parameters[${i}].upper`, `must be finite or absent, got ${p.upper}`);
      if (hasLo && hasHi && !((p.upper as number) > (p.lower as number))) throw new ClaxPtInputError(`parameters[${i}].upper`, `must exceed lower (${p.lower}), got ${p.upper}`);
      this.lo[i] = p.lower ?? -Infinity;
      this.hi[i] = p.upper ?? Infinity;
      return hasLo && hasHi ? 'interval' : hasLo ? 'lower' : hasHi ? 'upper' : 'identity';
    });
  }

  /** x(u) into `out` */
  toConstrained(u: ArrayLike<number>, out: Float64Array = new Float64Array(this.dim)): Float64Array {
    for (let i = 0; i < this.dim; i++) {
      const v = u[i];
      switch (this.kinds[i]) {
        case 'identity':
          out[i] = v;
          break;
        case 'lower':
          out[i] = this.lo[i] + Math.exp(v);
          break;
        case 'upper':
          out[i] = this.hi[i] - Math.exp(v);
          break;
        case 'interval':
          out[i] = this.lo[i] + (this.hi[i] - this.lo[i]) * sigmoid(v);
          break;
      }
    }
    return out;
  }

  /** u(x); a point on or outside a bound is refused (ClaxPtInputError naming `field`[i]). */
  toUnconstrained(x: ArrayLike<number>, field = 'x', out: Float64Array = new Float64Array(this.dim)): Float64Array {
    for (let i = 0; i < this.dim; i++) {
      const v = x[i];
      const name = this.parameters[i].name;
      if (!Number.isFinite(v)) throw new ClaxPtInputError(`${field}[${i}] (${name})`, `must be finite, got ${v}`);
      const lo = this.lo[i];
      const hi = this.hi[i];
      if (!(v > lo) || !(v < hi)) throw new ClaxPtInputError(`${field}[${i}] (${name})`, `${v} is not strictly inside the bounds (${lo}, ${hi})`);
      switch (this.kinds[i]) {
        case 'identity':
          out[i] = v;
          break;
        case 'lower':
          out[i] = Math.log(v - lo);
          break;
        case 'upper':
          out[i] = Math.log(hi - v);
          break;
        case 'interval':
          out[i] = Math.log(v - lo) - Math.log(hi - v);
          break;
      }
    }
    return out;
  }

  /** dx_i/du_i (the Jacobian is diagonal) */
  derivative(u: ArrayLike<number>, out: Float64Array = new Float64Array(this.dim)): Float64Array {
    for (let i = 0; i < this.dim; i++) {
      const v = u[i];
      switch (this.kinds[i]) {
        case 'identity':
          out[i] = 1;
          break;
        case 'lower':
          out[i] = Math.exp(v);
          break;
        case 'upper':
          out[i] = -Math.exp(v);
          break;
        case 'interval': {
          const s = sigmoid(v);
          out[i] = (this.hi[i] - this.lo[i]) * s * (1 - s);
          break;
        }
      }
    }
    return out;
  }

  /** sum_i log|dx_i/du_i|; adds d/du_i of it into `grad` when given */
  logJacobian(u: ArrayLike<number>, grad?: Float64Array): number {
    let total = 0;
    for (let i = 0; i < this.dim; i++) {
      const v = u[i];
      switch (this.kinds[i]) {
        case 'identity':
          break;
        case 'lower':
        case 'upper':
          total += v;
          if (grad) grad[i] += 1;
          break;
        case 'interval':
          // log s(u) + log(1 - s(u)) = -softplus(-u) - softplus(u)
          total += Math.log(this.hi[i] - this.lo[i]) - softplus(-v) - softplus(v);
          if (grad) grad[i] += 1 - 2 * sigmoid(v);
          break;
      }
    }
    return total;
  }
}
