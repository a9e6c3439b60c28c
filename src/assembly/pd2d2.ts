/**
 * classy's `Pd2d2_0` (the constant 0.25 b2^2 Pd2d2_0 of `pk_gg_l0`): scipy's Simpson rule over
 * the output k array, and an alternative on a fixed grid. Float64 weights, float32 tensor sums.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as own from '../private-ops';
import { kRows, param, sq, type KArray, type Param } from './params';

/** How scipy.integrate.simpson treats an even number of samples. */
export type SimpsonEvenRule = 'avg' | 'cartwright';

/**
 * Weights w with `scipy.integrate.simpson(y, x=x) = sum_i w_i y_i` (float64).
 * Odd N: composite Simpson over pairs of intervals (scipy's `_basic_simpson`, irregular spacing).
 * Even N: `'avg'` = scipy < 1.11 (`even='avg'`, the default then): the mean of (Simpson on the
 * first N-1 points + trapezoid on the last interval) and (trapezoid on the first interval +
 * Simpson on the last N-1 points); `'cartwright'` = scipy >= 1.11: Simpson on the first N-1 points
 * and Cartwright's parabolic correction for the last interval. N = 2: the trapezoid.
 * The oracle's `derived.Pd2d2_0` (classy's value) matches `'avg'` to 1e-12 on every even-N case.
 */
export function simpsonWeights(x: ArrayLike<number>, even: SimpsonEvenRule = 'avg'): Float64Array {
  const n = x.length;
  if (n < 2) throw new RangeError(`simpson: needs at least 2 samples, got ${n}`);
  const w = new Float64Array(n);
  const div = (a: number, b: number): number => (b !== 0 ? a / b : 0); // scipy's guarded true_divide
  const basic = (start: number, stop: number, scale: number): void => {
    for (let i = start; i < stop; i += 2) {
      const h0 = x[i + 1] - x[i];
      const h1 = x[i + 2] - x[i + 1];
      const hs = h0 + h1;
      const r = div(h0, h1);
      w[i] += (scale * hs * (2 - div(1, r))) / 6;
      w[i + 1] += (scale * hs * hs * div(hs, h0 * h1)) / 6;
      w[i + 2] += (scale * hs * (2 - r)) / 6;
    }
  };
  const trap = (i: number, scale: number): void => {
    const d = 0.5 * scale * (x[i + 1] - x[i]);
    w[i] += d;
    w[i + 1] += d;
  };
  if (n % 2 === 1) basic(0, n - 2, 1);
  else if (n === 2) trap(0, 1);
  else if (even === 'avg') {
    basic(0, n - 3, 0.5);
    trap(n - 2, 0.5);
    basic(1, n - 2, 0.5);
    trap(0, 0.5);
  } else {
    basic(0, n - 3, 1);
    const h0 = x[n - 2] - x[n - 3];
    const h1 = x[n - 1] - x[n - 2];
    w[n - 1] += div(2 * h1 * h1 + 3 * h0 * h1, 6 * (h1 + h0));
    w[n - 2] += div(h1 * h1 + 3 * h0 * h1, 6 * h0);
    w[n - 3] -= div(h1 * h1 * h1, 6 * h0 * (h0 + h1));
  }
  return w;
}

/**
 * classy `initialize_output`: `Pd2d2_0 = simpson((tree h^3)^2 kh^3, x=ln kh) / pi^2`, in (Mpc/h)^3,
 * with kh the output k array exactly as passed to classy (1/Mpc) and `tree` at those k (Mpc^3).
 * It depends on the output k array (range and sampling). `even` picks scipy's even-N rule
 * (default `'avg'`, what the oracle's classy used). tree [B, nK] -> [B] (tree [nK] -> scalar).
 */
export function pd2d2Classy(tree: tf.Tensor, kOutMpc: KArray, h: Param, options: { even?: SimpsonEvenRule } = {}): tf.Tensor {
  const rows = kRows(kOutMpc).map((k) => {
    k.forEach((v, i) => {
      if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`pd2d2Classy: kOutMpc[${i}] must be positive and finite, got ${v}`);
    });
    const w = simpsonWeights(k.map(Math.log), options.even ?? 'avg');
    return k.map((v, i) => (w[i] * v * v * v) / (Math.PI * Math.PI));
  });
  if (rows[0].length !== tree.shape[tree.rank - 1]) {
    throw new RangeError(`pd2d2Classy: kOutMpc has ${rows[0].length} points, tree has ${tree.shape[tree.rank - 1]}`);
  }
  return tf.tidy(() => {
    const weights = rows.length === 1 ? tf.tensor1d(rows[0]) : tf.tensor2d(rows);
    const h3 = tf.pow(param('h', h), 3);
    const p = own.mul(tree, h3); // tree in (Mpc/h)^3
    return tf.sum(own.mul(sq(p), weights), -1);
  });
}

/**
 * An alternative to classy's `Pd2d2_0` that does not depend on the output k array: the same
 * integral, int (P_tree h^3)^2 k^3 d ln k / pi^2, by Simpson's rule (scipy < 1.11 'avg' rule)
 * over the nodes of a fixed grid, e.g. the FFTLog grid (k in h/Mpc shared by the batch:
 * CLASS-PT's nodes are 5e-5 ... 100 h/Mpc for every h), that lie in [kMinHMpc, kMaxHMpc].
 * Defaults [1e-3, 0.6] h/Mpc: classy's nominal output range; on the oracle cases (N = 128, 256,
 * 512) this is within 0.75% of classy's value. kMinHMpc = 0, kMaxHMpc = Infinity integrates the whole grid
 * (the complete integral, ~5-10% above classy's). `treeMpc3` [B, nGrid] (Mpc^3) -> [B].
 */
export function pd2d2Fixed(
  treeMpc3: tf.Tensor,
  kGridHMpc: ArrayLike<number>,
  h: Param,
  options: { kMinHMpc?: number; kMaxHMpc?: number } = {},
): tf.Tensor {
  const kMin = options.kMinHMpc ?? 1e-3;
  const kMax = options.kMaxHMpc ?? 0.6;
  const idx: number[] = [];
  for (let i = 0; i < kGridHMpc.length; i++) if (kGridHMpc[i] >= kMin && kGridHMpc[i] <= kMax) idx.push(i);
  if (idx.length < 2) throw new RangeError(`pd2d2Fixed: fewer than 2 grid nodes in [${kMin}, ${kMax}] h/Mpc`);
  if (kGridHMpc.length !== treeMpc3.shape[treeMpc3.rank - 1]) {
    throw new RangeError(`pd2d2Fixed: kGridHMpc has ${kGridHMpc.length} points, tree has ${treeMpc3.shape[treeMpc3.rank - 1]}`);
  }
  const w = simpsonWeights(idx.map((i) => Math.log(kGridHMpc[i])));
  const full = new Float64Array(kGridHMpc.length);
  idx.forEach((i, j) => (full[i] = (w[j] * kGridHMpc[i] ** 3) / (Math.PI * Math.PI)));
  return tf.tidy(() => {
    const hh = param('h', h);
    // (tree h^3)^2 k_Mpc^3 = tree^2 h^9 k_h^3 ; d ln k is the same in both units
    return tf.sum(own.mul(sq(own.mul(treeMpc3, tf.pow(hh, 3))), own.mul(tf.tensor1d(Array.from(full)), tf.pow(hh, 3))), -1);
  });
}
