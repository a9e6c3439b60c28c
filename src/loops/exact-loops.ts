/**
 * The matter loop integrals in float64: the values of the P22- and P13-type loops of the matter
 * sets (real space, the IR-on μ-power loops, the IR-off multipoles), from the float64 FFTLog
 * coefficients of the host linear stage, the float64 kernels, float64 anti-diagonal sums (on wasm
 * the `quadraticForms64` function of ./quadratic-forms.wat; elsewhere the same loops in JS),
 * float64 recombination in powers of f and the float64 synthesis.
 *
 * Why: a loop value at k is a small remainder of global FFTLog sums. Rounding anything before
 * the synthesis to float32 (the coefficients, the anti-diagonal sums, their recombination in f)
 * leaves an error of ~1e-7 of the sums' largest terms, i.e. a relative error ~1e-7 P_max/P(k) of
 * the loop at k: 1e-5 to 1e-4 of CLASS-PT at 0.3-1 h/Mpc and 1e-3 at 3 h/Mpc (measured on
 * random cosmologies against CLASS-PT, which works in double precision throughout). After the
 * synthesis the values are local and float32 storage costs 6e-8 of each.
 *
 * The float32 tensor path (./loop-integrals, ./f-power-sets) still runs when a gradient can reach
 * the loops (an input given as a tensor): `exactStack` then returns its tensor plus the constant
 * difference to these values, so the gradient is the float32 path's and the value this one's.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as own from '../private-ops';
import { synthesize } from '../fftlog/synthesis';
import { hasQuadraticFormsKernel, QUADRATIC_FORMS_64 } from '../wasm-kernels';
import type { DotKernels, QuadraticKernels, TensorBasis } from './tensor-basis';
import type { KernelSpan } from './kernel-span';
import type { FPowerTerm } from './f-power-sets';

/** The anti-diagonal rows visited for s (see quadratic-forms.wat `$range`): t0, t1 and c - t. */
function visitedRows(s: number, nc: number, h: number): [number, number, number] {
  return s < nc ? [0, Math.min(h, s >> 1), 0] : [((s + 1) >> 1) - h, h, h];
}

/**
 * A_k(s) = sum over the visited half of anti-diagonal s of S_cd w M_k[c, d], folded modulo N, in
 * float64 (S_cd = X_c Y_d + X_d Y_c): [B, K, 2, N] flattened. x, y: [Re | Im] coefficients per cosmology.
 * The sums are taken with the r basis kernels of the set's span (./kernel-span.ts, r = 4 for
 * every f-power set) and mapped to the K kernels by their coefficients. On wasm the SIMD module's
 * quadraticForms64; `js` forces the same loops in JS (other backends).
 */
export function contractAntiDiagonals64(kernels: QuadraticKernels, x: Float64Array[], y: Float64Array[], js = !hasQuadraticFormsKernel()): Float64Array {
  const B = x.length;
  const n = x[0].length / 2 - 1;
  const K = kernels.names.length;
  const span = spanOf(kernels);
  const basisSums = contractBasis64(kernels, x, y, js);
  return expand(basisSums, B, span, K, 2 * n, Array.from({ length: K }, (_, k) => k).map((k) => (q: number) => span.coefficients[k * span.rank + q]));
}

/** The anti-diagonal sums of the span's basis kernels, [B, r, 2, N] flattened (the SIMD module or JS). */
function contractBasis64(kernels: QuadraticKernels, x: Float64Array[], y: Float64Array[], js: boolean): Float64Array {
  const nc = x[0].length / 2;
  const span = spanOf(kernels);
  return js ? contractJs(span, x, y, nc) : contractWasm(kernels, span, x, y, nc);
}

/** out[b, m] = sum_q w_m(q) rows[b, q] for M outputs from the r basis rows of length L. */
function expand(rows: Float64Array, B: number, span: KernelSpan, M: number, L: number, weights: ((q: number) => number)[] | ((b: number, m: number, q: number) => number)): Float64Array {
  const r = span.rank;
  const out = new Float64Array(B * M * L);
  for (let b = 0; b < B; b++) {
    for (let m = 0; m < M; m++) {
      const dst = (b * M + m) * L;
      for (let q = 0; q < r; q++) {
        const c = Array.isArray(weights) ? weights[m](q) : weights(b, m, q);
        if (c === 0) continue;
        const src = (b * r + q) * L;
        for (let i = 0; i < L; i++) out[dst + i] += c * rows[src + i];
      }
    }
  }
  return out;
}

/** The basis sums [B, r, 2, N] in JS (the loops of quadratic-forms.wat quadraticForms64). */
function contractJs(span: KernelSpan, x: Float64Array[], y: Float64Array[], nc: number): Float64Array {
  const B = x.length;
  const n = nc - 1;
  const R = span.rank;
  const K4 = span.lanes;
  const h = n / 2;
  const ns = 2 * n + 1;
  const blk = span.block;
  const out = new Float64Array(B * R * 2 * n);
  const sre = new Float64Array(h + 1);
  const sim = new Float64Array(h + 1);
  for (let s = 0; s < ns; s++) {
    const [t0, t1, cOff] = visitedRows(s, nc, h);
    const m = s < n ? s : s < 2 * n ? s - n : 0;
    for (let b = 0; b < B; b++) {
      const xb = x[b];
      const yb = y[b];
      for (let t = t0; t <= t1; t++) {
        const c = cOff + t;
        const d = s - c;
        sre[t] = xb[c] * yb[d] - xb[nc + c] * yb[nc + d] + (xb[d] * yb[c] - xb[nc + d] * yb[nc + c]);
        sim[t] = xb[c] * yb[nc + d] + xb[nc + c] * yb[d] + (xb[d] * yb[nc + c] + xb[nc + d] * yb[c]);
      }
      for (let k = 0; k < R; k++) {
        let ar = 0;
        let ai = 0;
        for (let t = t0; t <= t1; t++) {
          const row = (s * (h + 1) + t) * 2 * K4;
          const mr = blk[row + k];
          const mi = blk[row + K4 + k];
          ar += sre[t] * mr - sim[t] * mi;
          ai += sre[t] * mi + sim[t] * mr;
        }
        const o = ((b * R + k) * 2) * n + m;
        out[o] += ar;
        out[o + n] += ai;
      }
    }
  }
  return out;
}

function spanOf(kernels: QuadraticKernels): KernelSpan {
  if (!kernels.span64) throw new Error('internal: kernel set packed without its float64 span');
  return kernels.span64;
}

/** The wasm version: float64 data travel through int32 tensors of twice the length. */
function contractWasm(kernels: QuadraticKernels, span: KernelSpan, x: Float64Array[], y: Float64Array[], nc: number): Float64Array {
  const B = x.length;
  const asInt32 = (rows: Float64Array[]) => {
    const all = new Float64Array(B * 2 * nc);
    rows.forEach((r, b) => all.set(r, b * 2 * nc));
    return tf.tensor2d(new Int32Array(all.buffer), [B, 4 * nc], 'int32');
  };
  const block = (kernels.half64Tensor ??= tf.keep(tf.tensor1d(new Int32Array(span.block.buffer, span.block.byteOffset, 2 * span.block.length), 'int32')));
  const xt = asInt32(x);
  const yt = y === x ? xt : asInt32(y);
  const out = tf.engine().runKernel(QUADRATIC_FORMS_64, { x: xt, y: yt, block }, { K: span.rank, K4: span.lanes }) as tf.Tensor;
  const values = out.dataSync() as Int32Array; // a copy out of the heap
  tf.dispose([xt, yt, out]);
  return values.byteOffset % 8 === 0 ? new Float64Array(values.buffer, values.byteOffset, values.length / 2) : new Float64Array(values.slice().buffer);
}

/** Named rows of float64 values, [B, names, N] flattened. */
export interface HostStack {
  names: string[];
  values: Float64Array;
}

/**
 * Recombines per-kernel rows [B, K, L] in powers of f: out[b, name] = sum over its terms of
 * f_b^power row[b, term] (float64; ./f-power-sets stackFPowers in float32).
 */
function combine(rows: Float64Array, B: number, L: number, terms: FPowerTerm[], f: number[]): HostStack {
  const names = [...new Set(terms.map((t) => t.name))];
  const K = terms.length;
  const out = new Float64Array(B * names.length * L);
  for (let b = 0; b < B; b++) {
    terms.forEach((term, k) => {
      const w = f[b] ** term.power;
      const src = (b * K + k) * L;
      const dst = (b * names.length + names.indexOf(term.name)) * L;
      for (let i = 0; i < L; i++) out[dst + i] += w * rows[src + i];
    });
  }
  return { names, values: out };
}

/**
 * P22-type loops Re X^T M Y per name, [B, names, N] in float64 (without the k^3 factor): the basis
 * kernels' sums, recombined straight into the names (sum over the name's f-power terms of
 * f^power C[term, q]), then synthesised.
 */
export function quadraticStack64(
  basis: TensorBasis,
  kernels: QuadraticKernels,
  terms: FPowerTerm[],
  x: Float64Array[],
  y: Float64Array[],
  f: number[],
): HostStack {
  const B = x.length;
  const n = basis.shape.n;
  const span = spanOf(kernels);
  const r = span.rank;
  const names = [...new Set(terms.map((t) => t.name))];
  // W[b, name, q] = sum over the name's terms k of f_b^power_k C[k, q]
  const W = new Float64Array(B * names.length * r);
  for (let b = 0; b < B; b++) {
    terms.forEach((term, k) => {
      const fp = f[b] ** term.power;
      const row = (b * names.length + names.indexOf(term.name)) * r;
      for (let q = 0; q < r; q++) W[row + q] += fp * span.coefficients[k * r + q];
    });
  }
  const combined = expand(contractBasis64(kernels, x, y, !hasQuadraticFormsKernel()), B, span, names.length, 2 * n, (b, m, q) => W[(b * names.length + m) * r + q]);
  return { names, values: synthesize(combined, B * names.length, n, basis.quadScale) };
}

/** P13-type loops Re X.m per name, [B, names, N] in float64 (CLASS-PT `batch_dot_product`). */
export function dotStack64(basis: TensorBasis, kernels: DotKernels, terms: FPowerTerm[], x: Float64Array[], f: number[]): HostStack {
  const B = x.length;
  const { nc } = basis.shape;
  const K = kernels.names.length;
  const rows = new Float64Array(B * K * 2 * nc);
  for (let b = 0; b < B; b++) {
    const xb = x[b];
    for (let k = 0; k < K; k++) {
      const o = (b * K + k) * 2 * nc;
      for (let c = 0; c < nc; c++) {
        const mr = kernels.re64[k * nc + c];
        const mi = kernels.im64[k * nc + c];
        rows[o + c] = xb[c] * mr - xb[nc + c] * mi;
        rows[o + nc + c] = xb[c] * mi + xb[nc + c] * mr;
      }
    }
  }
  const { names, values } = combine(rows, B, 2 * nc, terms, f);
  return { names, values: synthesize(values, B * names.length, nc, basis.dotScale) };
}

/** One term per kernel, no powers of f (the real-space sets). */
export const plainTerms = (names: string[]): FPowerTerm[] => names.map((name) => ({ name, power: 0 }));

/**
 * A [B, M, N] tensor with the values of `exact` (float64, [B, M, N] flattened). With a tensor
 * path (a gradient can reach it), its tensor plus the constant difference; otherwise the values alone.
 */
export function exactStack(exact: Float64Array, shape: [number, number, number], tensorPath?: () => tf.Tensor3D): tf.Tensor3D {
  if (!tensorPath) return tf.tensor3d(Float32Array.from(exact), shape);
  const t = tensorPath();
  const v = t.dataSync();
  const correction = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) correction[i] = exact[i] - v[i];
  return tf.add(t, tf.tensor3d(correction, shape)) as tf.Tensor3D;
}

/** What the matter loop stages need to take their values from here. */
export interface HostLoopContext {
  /** growth rate per cosmology (unused in real space) */
  f: number[];
  /** whether a gradient can reach the loops (then the float32 tensor path runs too) */
  differentiable: boolean;
}

/** Rows of a stack [B, M, L] by name, [B, L] each. */
export function stackRows(stack: tf.Tensor3D, names: string[]): Record<string, tf.Tensor2D> {
  const [B, , L] = stack.shape;
  return Object.fromEntries(names.map((name, i) => [name, tf.reshape(own.slice(stack, [0, i, 0], [B, 1, L]), [B, L]) as tf.Tensor2D]));
}
