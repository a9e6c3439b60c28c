/**
 * Forward-mode dual numbers over a few variables, float64: a value and its gradient. A third
 * evaluator for formulas written against `Ops<T>` (../cosmology/ops.ts): the likelihood's
 * coefficients (polynomials in b1, b2, bG2, f, h) are built with them on the host, so that their
 * derivatives come out exactly alongside the values.
 */
import type { Ops, Val } from '../cosmology/ops';

export interface Dual {
  v: number;
  /** d v / d x_i for the n variables (a plain array: cheaper to allocate than a typed one) */
  d: number[];
}

export interface DualOps extends Ops<Dual> {
  /** the i-th variable with value v */
  variable(v: number, i: number): Dual;
  /** a constant */
  constant(v: number): Dual;
  n: number;
}

export function dualOps(n: number): DualOps {
  const zero = new Array<number>(n).fill(0);
  const lift = (a: Val<Dual>): Dual => (typeof a === 'number' ? { v: a, d: zero } : a);
  const combine = (v: number, a: Dual, ca: number, b: Dual, cb: number): Dual => {
    const d = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) d[i] = ca * a.d[i] + cb * b.d[i];
    return { v, d };
  };
  const scale = (v: number, a: Dual, c: number): Dual => {
    const d = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) d[i] = c * a.d[i];
    return { v, d };
  };
  return {
    n,
    variable(v, i) {
      const d = new Array<number>(n).fill(0);
      d[i] = 1;
      return { v, d };
    },
    constant: (v) => ({ v, d: zero }),
    add: (a, b) => combine(lift(a).v + lift(b).v, lift(a), 1, lift(b), 1),
    sub: (a, b) => combine(lift(a).v - lift(b).v, lift(a), 1, lift(b), -1),
    mul: (a, b) => {
      const x = lift(a);
      const y = lift(b);
      return combine(x.v * y.v, x, y.v, y, x.v);
    },
    div: (a, b) => {
      const x = lift(a);
      const y = lift(b);
      return combine(x.v / y.v, x, 1 / y.v, y, -x.v / (y.v * y.v));
    },
    pow: (a, b) => {
      const x = lift(a);
      const y = lift(b);
      const v = Math.pow(x.v, y.v);
      // d(x^y) = y x^(y-1) dx + x^y ln x dy (the second only when y varies)
      const dy = y.d === zero ? 0 : v * Math.log(x.v);
      return combine(v, x, y.v * Math.pow(x.v, y.v - 1), y, dy);
    },
    log: (a) => scale(Math.log(lift(a).v), lift(a), 1 / lift(a).v),
    exp: (a) => {
      const v = Math.exp(lift(a).v);
      return scale(v, lift(a), v);
    },
    sqrt: (a) => {
      const v = Math.sqrt(lift(a).v);
      return scale(v, lift(a), 0.5 / v);
    },
    sin: (a) => scale(Math.sin(lift(a).v), lift(a), Math.cos(lift(a).v)),
  };
}
