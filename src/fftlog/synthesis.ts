/**
 * The FFTLog synthesis of the loop integrals, in float64 on the host: from the sums A_m of
 * ../loops/loop-integrals.ts (P22-type: over each anti-diagonal, P13-type: the kernel-weighted
 * coefficients) to the values on the k grid,
 *
 *   f_j = scale_j Re sum_m A_m e^{2 pi i m j / N},
 *
 * with scale_j = e^{2 j b Delta} (P22-type) or e^{j b Delta} (-1)^j (P13-type): CLASS-PT's
 * `nonlinear_pt_loop` multiplies by k^{nu_1 + nu_2} (resp. k^{nu}) in double precision. The
 * phase has period N in m, so the A_m are folded modulo N first, and the sum over m is one
 * N-point FFT per row.
 *
 * Why float64: the sum oscillates, and its float32 rounding (a float32 matMul, as in session 1)
 * is amplified by the cancellations of the AP-projected multipoles (loop_4_dd reached 1e-4 of
 * CLASS-PT; with this synthesis 2-3e-5). The map is linear: its vector-Jacobian product is the
 * transposed sum, also one FFT per row. The host float64 paths (../redshift/pure-ap-float64.ts,
 * fnl-float64.ts) use the same functions.
 */
import * as tf from '@tensorflow/tfjs-core';
import { readSync } from '../readback';
import FFT from 'fft.js';
import type { BasisShape } from './decomposition';

export type SynthesisKind = 'quadratic' | 'dot';

/** scale_j of the synthesis (see above). */
export function synthesisScale(shape: BasisShape, kind: SynthesisKind): Float64Array {
  const { n, bias, delta } = shape;
  return Float64Array.from({ length: n }, (_, j) =>
    kind === 'quadratic' ? Math.exp(2 * j * bias * delta) : Math.exp(j * bias * delta) * (j % 2 === 0 ? 1 : -1),
  );
}

const transforms = new Map<number, FFT | null>();

/** fft.js for power-of-two N (>= 4); null: direct sums. */
function transformOf(n: number): FFT | null {
  let t = transforms.get(n);
  if (t === undefined) transforms.set(n, (t = n >= 4 && (n & (n - 1)) === 0 ? new FFT(n) : null));
  return t;
}

/** sum_m z_m e^{-2 pi i m j/N} for interleaved complex z of length 2N, into out (interleaved). */
export function dft(n: number, z: Float64Array, out: Float64Array): void {
  const fft = transformOf(n);
  if (fft) {
    fft.transform(out, z);
    return;
  }
  for (let j = 0; j < n; j++) {
    let re = 0;
    let im = 0;
    for (let m = 0; m < n; m++) {
      const th = (-2 * Math.PI * ((m * j) % n)) / n;
      const c = Math.cos(th);
      const s = Math.sin(th);
      re += z[2 * m] * c - z[2 * m + 1] * s;
      im += z[2 * m] * s + z[2 * m + 1] * c;
    }
    out[2 * j] = re;
    out[2 * j + 1] = im;
  }
}

/**
 * rows [R, 2L] = [Re A_0..A_{L-1} | Im A_0..A_{L-1}] per row (L >= N) -> [R, N].
 * Re sum_m A_m w^{mj} = Re sum_m conj(A_m) e^{-2 pi i m j/N}: one forward FFT of the folded conj(A).
 */
export function synthesize(rows: ArrayLike<number>, R: number, L: number, scale: Float64Array): Float64Array {
  const n = scale.length;
  const z = new Float64Array(2 * n);
  const out = new Float64Array(2 * n);
  const f = new Float64Array(R * n);
  for (let r = 0; r < R; r++) {
    z.fill(0);
    const base = r * 2 * L;
    for (let m = 0; m < L; m++) {
      const i = 2 * (m % n);
      z[i] += rows[base + m];
      z[i + 1] -= rows[base + L + m];
    }
    dft(n, z, out);
    for (let j = 0; j < n; j++) f[r * n + j] = scale[j] * out[2 * j];
  }
  return f;
}

/**
 * The vector-Jacobian product of ./synthesize: g [R, N] -> [R, 2L]. With h_j = g_j scale_j and
 * H_m = sum_j h_j e^{-2 pi i m j/N}: dL/dRe A_m = Re H_{m mod N}, dL/dIm A_m = Im H_{m mod N}.
 */
export function synthesizeAdjoint(g: ArrayLike<number>, R: number, L: number, scale: Float64Array): Float64Array {
  const n = scale.length;
  const z = new Float64Array(2 * n);
  const out = new Float64Array(2 * n);
  const d = new Float64Array(R * 2 * L);
  for (let r = 0; r < R; r++) {
    for (let j = 0; j < n; j++) {
      z[2 * j] = g[r * n + j] * scale[j];
      z[2 * j + 1] = 0;
    }
    dft(n, z, out);
    const base = r * 2 * L;
    for (let m = 0; m < L; m++) {
      const i = 2 * (m % n);
      d[base + m] = out[i];
      d[base + L + m] = out[i + 1];
    }
  }
  return d;
}

/** ./synthesize on a tensor [B, M, 2L] -> [B, M, N], with its exact gradient. */
export function fftlogSynthesis(a: tf.Tensor3D, scale: Float64Array): tf.Tensor3D {
  const [B, M, twoL] = a.shape;
  const n = scale.length;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor3D;
    return {
      value: tf.tensor3d(Float32Array.from(synthesize(readSync(x, 'FFTLog synthesis'), B * M, twoL / 2, scale)), [B, M, n]),
      gradFunc: (dy: tf.Tensor) => tf.tensor3d(Float32Array.from(synthesizeAdjoint(readSync(dy, 'FFTLog synthesis (reverse)'), B * M, twoL / 2, scale)), [B, M, twoL]),
    };
  });
  return op(a) as tf.Tensor3D;
}
