/**
 * Argument handling shared by the assembly functions: parameters as numbers or tensors (the
 * broadcasting rule of ./spectra.ts), k arrays, and tiny functional-op helpers.
 */
import * as tf from '@tensorflow/tfjs-core';
import { readSync } from '../readback';
import * as own from '../private-ops';

/** A number or a tensor: rank 0, [B] (read as [B, 1]) or [B, 1]. */
export type Param = number | tf.Tensor;
/** Components by classy row name, each [B, nK] in Mpc^3. */
export type Components = Record<string, tf.Tensor>;
/** k in 1/Mpc: shared ([nK]) or per cosmology ([B][nK] / [B, nK] tensor). */
export type KArray = ArrayLike<number> | ArrayLike<number>[] | tf.Tensor;

/**
 * The context argument of the assembly functions: an object carrying `h` (an AssembleContext,
 * a MultipoleContext; the canonical form), or classy's bare `h` (a Param; still accepted, for one
 * release, as the deprecated form).
 */
export type HArg = Param | { h: Param };

/** A Param as a tensor that broadcasts against [B, nK]: number -> scalar, [B] -> [B, 1]. */
export function param(name: string, p: Param | undefined): tf.Tensor {
  if (p === undefined || p === null) throw new TypeError(`${name}: missing`);
  if (typeof p === 'number') return tf.scalar(p);
  if (!(p instanceof tf.Tensor)) throw new TypeError(`${name}: expected a number or a tf.Tensor`);
  if (p.rank === 0) return p;
  if (p.rank === 1) return tf.reshape(p, [p.shape[0], 1]);
  if (p.rank === 2 && p.shape[1] === 1) return p;
  throw new RangeError(`${name}: expected a number, a scalar, a [B] or a [B,1] tensor, got shape [${p.shape.join(',')}]`);
}

/** The h of an HArg. */
export function hOf(h: HArg): Param {
  return typeof h === 'number' || h instanceof tf.Tensor ? h : h.h;
}

/** A component by name, or an error naming the function and the row. */
export function comp(c: Components, name: string, fn: string): tf.Tensor {
  const t = c[name];
  if (t === undefined) throw new TypeError(`${fn}: component '${name}' missing`);
  if (t.rank !== 1 && t.rank !== 2) throw new RangeError(`${fn}: component '${name}' must be [B, nK], got shape [${t.shape.join(',')}]`);
  return t;
}

/** Products and sums of tensors and numeric constants (functional ops only). */
export type T = tf.Tensor | number;
export const asTensor = (x: T): tf.Tensor => (typeof x === 'number' ? tf.scalar(x) : x);
export const mul = (...xs: T[]): tf.Tensor => xs.slice(1).reduce<tf.Tensor>((a, b) => own.mul(a, b), asTensor(xs[0]));
export const add = (...xs: T[]): tf.Tensor => xs.slice(1).reduce<tf.Tensor>((a, b) => tf.add(a, b), asTensor(xs[0]));
export const sq = (x: tf.Tensor): tf.Tensor => own.mul(x, x);

/** Host float64 copy of a k array: one row (shared) or one row per cosmology. */
export function kRows(k: KArray): number[][] {
  if (k instanceof tf.Tensor) {
    const v = Array.from(readSync(k, 'kOutMpc'));
    if (k.rank === 1) return [v];
    const [rows, cols] = k.shape as [number, number];
    if (k.rank === 2) return Array.from({ length: rows }, (_, b) => v.slice(b * cols, (b + 1) * cols));
    throw new RangeError(`kOutMpc: expected [nK] or [B, nK], got shape [${k.shape.join(',')}]`);
  }
  const nested = k.length > 0 && typeof (k as ArrayLike<unknown>)[0] !== 'number';
  return nested ? (Array.from(k as ArrayLike<number>[]) as ArrayLike<number>[]).map((r) => Array.from(r)) : [Array.from(k as ArrayLike<number>)];
}

/** k^2 (k in 1/Mpc as passed to classy) as [nK] or [B, nK] tensors. */
export function kSquared(k: KArray): tf.Tensor {
  const rows = kRows(k).map((r) => r.map((x) => x * x));
  return rows.length === 1 && !(k instanceof tf.Tensor && k.rank === 2) ? tf.tensor1d(rows[0]) : tf.tensor2d(rows);
}

/**
 * Coefficients of the linear forms of ./spectra.ts: a number stays on the host (float64) and a
 * tensor follows param's broadcasting rule, so that products and sums of plain numbers fold on
 * the host and only parameters given as tensors become tensor ops.
 */
export type Coef = number | tf.Tensor;

/** A parameter as a coefficient (see Coef); validated like param. */
export function coef(name: string, p: Param | undefined): Coef {
  return typeof p === 'number' ? p : param(name, p);
}

/** Product of coefficients: the numbers multiplied on the host, then the tensors. */
export function cmul(...xs: Coef[]): Coef {
  let n = 1;
  const ts: tf.Tensor[] = [];
  for (const x of xs) typeof x === 'number' ? (n *= x) : ts.push(x);
  if (ts.length === 0) return n;
  const t = ts.slice(1).reduce((a, b) => own.mul(a, b), ts[0]);
  return n === 1 ? t : own.mul(t, n);
}

/** Sum of coefficients: the numbers added on the host, then the tensors. */
export function cadd(...xs: Coef[]): Coef {
  let n = 0;
  const ts: tf.Tensor[] = [];
  for (const x of xs) typeof x === 'number' ? (n += x) : ts.push(x);
  if (ts.length === 0) return n;
  const t = ts.slice(1).reduce((a, b) => tf.add(a, b), ts[0]);
  return n === 0 ? t : tf.add(t, n);
}
