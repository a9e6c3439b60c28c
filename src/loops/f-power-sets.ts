/**
 * Kernel sets split in powers of the growth rate: the plan holds one f-independent kernel per
 * (name, power); a computation evaluates every one of them and recombines
 * K_name = sum_p f^p K_{name,p} with each cosmology's f, so batches share the kernels and the
 * dependence on f is exact (and exactly differentiable).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as own from '../private-ops';
import { contractAntiDiagonals, quadraticSynthesis, type AntiDiagonalProducts } from './loop-integrals';
import { fPowerMatrices, fPowerVectors, type ComplexArray } from '../kernels/f-power-kernels';
import {
  packDotKernels,
  disposeQuadraticKernels,
  packQuadraticKernels,
  type DotKernels,
  type QuadraticKernels,
  type TensorBasis,
} from './tensor-basis';

export interface FormulaSet {
  [name: string]: { numerator: string; denominator?: string };
}

export interface FPowerTerm {
  name: string;
  power: number;
}

export interface FPowerQuadratic {
  terms: FPowerTerm[];
  kernels: QuadraticKernels;
}

export interface FPowerDot {
  terms: FPowerTerm[];
  kernels: DotKernels;
}

export function buildFPowerQuadratic(basis: TensorBasis, base: ComplexArray, formulas: FormulaSet, float64 = false): FPowerQuadratic {
  const { n, bias } = basis.shape;
  const matrices: Record<string, ComplexArray> = {};
  const terms: FPowerTerm[] = [];
  for (const [name, formula] of Object.entries(formulas)) {
    fPowerMatrices(n, bias, base, formula.numerator, formula.denominator).forEach((m, power) => {
      if (!m) return;
      terms.push({ name, power });
      matrices[`${name}^${power}`] = m;
    });
  }
  return { terms, kernels: packQuadraticKernels(basis.shape, matrices, float64) };
}

export function buildFPowerDot(basis: TensorBasis, base: ComplexArray, formulas: FormulaSet): FPowerDot {
  const { n, bias } = basis.shape;
  const vectors: Record<string, ComplexArray> = {};
  const terms: FPowerTerm[] = [];
  for (const [name, formula] of Object.entries(formulas)) {
    fPowerVectors(n, bias, base, formula.numerator, formula.denominator).forEach((v, power) => {
      if (!v) return;
      terms.push({ name, power });
      vectors[`${name}^${power}`] = v;
    });
  }
  return { terms, kernels: packDotKernels(basis.shape, vectors) };
}

export function disposeFPowerQuadratic(set: FPowerQuadratic): void {
  disposeQuadraticKernels(set.kernels);
}

export function disposeFPowerDot(set: FPowerDot): void {
  tf.dispose([set.kernels.re, set.kernels.im]);
}

/**
 * Recombines per-power loop results [B, K, L] into named arrays [B, L]:
 * out[name] = sum over its terms of f^power * loops[:, term, :], with f [B]. One small matMul
 * does it for every name: weights [B, names, K] (the powers of f, by products: pow's gradient is
 * NaN at f = 0 for exponent 0, trap) times the loops, instead of a slice, a pow, a mul and an
 * addN per term.
 */
export function combineFPowers(loops: tf.Tensor3D, terms: FPowerTerm[], f: tf.Tensor1D): Record<string, tf.Tensor2D> {
  const { names, combined } = stackFPowers(loops, terms, f);
  return byName(combined, names);
}

/** A named stack of arrays: combined [B, names, L]. */
export interface NamedStack {
  names: string[];
  combined: tf.Tensor3D;
}

/**
 * P22-type loops of an f-power set, [B, N] per name: the anti-diagonal sums of every kernel are
 * recombined in powers of f before the synthesis (both are linear), so the synthesis runs once
 * per name rather than once per (name, power).
 */
export function fPowerQuadraticLoops(
  basis: TensorBasis,
  products: AntiDiagonalProducts,
  set: FPowerQuadratic,
  f: tf.Tensor1D,
): Record<string, tf.Tensor2D> {
  const { names, combined } = fPowerQuadraticStack(basis, products, set, f);
  return byName(combined, names);
}

/** ./fPowerQuadraticLoops as one stack [B, names, N]. */
export function fPowerQuadraticStack(basis: TensorBasis, products: AntiDiagonalProducts, set: FPowerQuadratic, f: tf.Tensor1D): NamedStack {
  const { names, combined } = stackFPowers(contractAntiDiagonals(products, set.kernels), set.terms, f);
  return { names, combined: quadraticSynthesis(basis, combined) };
}

/** ./combineFPowers as one stack [B, names, L]. */
export function stackFPowers(loops: tf.Tensor3D, terms: FPowerTerm[], f: tf.Tensor1D): NamedStack {
  const [B, K] = loops.shape;
  const names = [...new Set(terms.map((t) => t.name))];
  const maxPower = Math.max(0, ...terms.map((t) => t.power));
  // no powers of f and one kernel per name (the real-space bias set): nothing to combine
  if (maxPower === 0 && names.length === K && terms.every((t, k) => names[k] === t.name)) return { names, combined: loops };
  const powers: tf.Tensor1D[] = [tf.onesLike(f)];
  for (let p = 1; p <= maxPower; p++) powers.push(p === 1 ? f : (own.mul(powers[p - 1], f) as tf.Tensor1D));
  const fPowers = tf.stack(powers, 1) as tf.Tensor2D; // [B, P]
  const select = new Float32Array((maxPower + 1) * names.length * K); // [P, names * K]
  terms.forEach((term, k) => {
    select[term.power * names.length * K + names.indexOf(term.name) * K + k] = 1;
  });
  const weights = tf.reshape(own.matMul(fPowers, tf.tensor2d(select, [maxPower + 1, names.length * K])), [B, names.length, K]);
  return { names, combined: own.matMul(weights, loops) }; // [B, names, L]
}

function byName(combined: tf.Tensor3D, names: string[]): Record<string, tf.Tensor2D> {
  const [B, , L] = combined.shape;
  const out: Record<string, tf.Tensor2D> = {};
  names.forEach((name, i) => {
    out[name] = tf.reshape(own.slice(combined, [0, i, 0], [B, 1, L]), [B, L]) as tf.Tensor2D;
  });
  return out;
}
