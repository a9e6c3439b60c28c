/**
 * One formula, two evaluators: the physics of this stage (Eisenstein-Hu, the background, the
 * growth baselines) is written once against `Ops<T>` and evaluated either on host float64
 * numbers (training, reference checks) or on tfjs float32 tensors (inference, gradients).
 * Tensor ops are tfjs-core's functional ops only (the Node build has no chained ops).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as own from '../private-ops';

export type Val<T> = T | number;

export interface Ops<T> {
  add(a: Val<T>, b: Val<T>): T;
  sub(a: Val<T>, b: Val<T>): T;
  mul(a: Val<T>, b: Val<T>): T;
  div(a: Val<T>, b: Val<T>): T;
  /** a^b for a > 0 (never b = 0: pow(x, 0) has a NaN gradient at x = 0 in tfjs) */
  pow(a: Val<T>, b: Val<T>): T;
  log(a: Val<T>): T;
  exp(a: Val<T>): T;
  sqrt(a: Val<T>): T;
  sin(a: Val<T>): T;
}

export const hostOps: Ops<number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => Math.pow(a, b),
  log: Math.log,
  exp: Math.exp,
  sqrt: Math.sqrt,
  sin: Math.sin,
};

/**
 * The formulas' numeric constants as float32 scalars, created once per backend and kept (a
 * fresh tf.scalar per use costs an upload each: ~200 per emulator call). Bounded: past
 * MAX_CONSTANTS distinct values, numbers are uploaded per use.
 */
const MAX_CONSTANTS = 2048;
let constants = new Map<number, tf.Tensor>();
let constantsBackend = '';
function constant(x: number): tf.Tensor {
  const backend = tf.getBackend();
  if (backend !== constantsBackend) {
    tf.dispose([...constants.values()]);
    constants = new Map();
    constantsBackend = backend;
  }
  let c = constants.get(x);
  if (c === undefined || c.isDisposed) {
    if (constants.size >= MAX_CONSTANTS) return tf.scalar(x);
    c = tf.keep(tf.scalar(x));
    constants.set(x, c);
  }
  return c;
}

const t = (x: Val<tf.Tensor>): tf.Tensor => (typeof x === 'number' ? constant(x) : x);

/** Tensor evaluator (call inside tf.tidy); numbers become float32 scalars. */
export const tensorOps: Ops<tf.Tensor> = {
  add: (a, b) => tf.add(t(a), t(b)),
  sub: (a, b) => tf.sub(t(a), t(b)),
  mul: (a, b) => own.mul(t(a), t(b)),
  div: (a, b) => tf.div(t(a), t(b)),
  // a > 0 everywhere in this stage: a constant exponent is one Pow kernel (finite gradient),
  // a tensor exponent exp(b ln a)
  pow: (a, b) =>
    typeof a === 'number' && typeof b === 'number'
      ? constant(Math.pow(a, b))
      : typeof b === 'number'
        ? b === 1 ? t(a) : b === 2 ? tf.square(t(a)) : tf.pow(t(a), constant(b))
        : tf.exp(own.mul(t(b), tf.log(t(a)))),
  log: (a) => tf.log(t(a)),
  exp: (a) => tf.exp(t(a)),
  sqrt: (a) => tf.sqrt(t(a)),
  sin: (a) => tf.sin(t(a)),
};
