/**
 * Type-II discrete sine transform and its inverse, in the unnormalised scipy convention that
 * CLASS-PT's IR step uses (nonlinear_pt.c 2791-2805 and 2862-2907 build them from a 4N-point
 * complex FFT; here they go through one N-point real FFT, Makhoul's DCT-II algorithm):
 *
 *   dst2(x)_k  = 2 sum_{n=0}^{N-1} x_n sin(pi (k+1)(2n+1) / 2N)              = scipy.fft.dst(x, type=2)
 *   idst2(c)_n = [(-1)^n c_{N-1} + 2 sum_{k=0}^{N-2} c_k sin(pi (k+1)(2n+1) / 2N)] / 2N
 *                                                                             = scipy.fft.idst(c, type=2)
 *
 * Both maps are linear, so their vector-Jacobian products are their transposes:
 *   dst2^T(y)  = 2N idst2(y with y_{N-1} doubled)
 *   idst2^T(x) = dst2(x) / 2N with the last entry halved.
 * Power-of-two N use fft.js; other N fall back to the direct O(N^2) sums.
 */
import FFT from 'fft.js';

interface Plan {
  n: number;
  fft: FFT;
  /** half-size FFT for the packed real inverse */
  fftHalf: FFT;
  /** cos and sin of 2 pi k / N, k = 0..N/2-1 */
  tc: Float64Array;
  ts: Float64Array;
  /** cos and sin of pi k / 2N, k = 0..N/2 */
  cw: Float64Array;
  sw: Float64Array;
  real: Float64Array;
  spec: Float64Array;
  spec2: Float64Array;
  /** views of length N (interleaved N/2 complex) for the half-size inverse */
  half: Float64Array;
  half2: Float64Array;
}

const plans = new Map<number, Plan>();

function isPow2(n: number): boolean {
  return n >= 4 && (n & (n - 1)) === 0;
}

function plan(n: number): Plan {
  let p = plans.get(n);
  if (!p) {
    const cw = new Float64Array(n / 2 + 1);
    const sw = new Float64Array(n / 2 + 1);
    for (let k = 0; k <= n / 2; k++) {
      cw[k] = Math.cos((Math.PI * k) / (2 * n));
      sw[k] = Math.sin((Math.PI * k) / (2 * n));
    }
    const tc = new Float64Array(n / 2);
    const ts = new Float64Array(n / 2);
    for (let k = 0; k < n / 2; k++) {
      tc[k] = Math.cos((2 * Math.PI * k) / n);
      ts[k] = Math.sin((2 * Math.PI * k) / n);
    }
    p = {
      n, fft: new FFT(n), fftHalf: new FFT(n / 2), tc, ts, cw, sw,
      real: new Float64Array(n), spec: new Float64Array(2 * n), spec2: new Float64Array(2 * n),
      half: new Float64Array(n), half2: new Float64Array(n),
    };
    plans.set(n, p);
  }
  return p;
}

/** Unnormalised DCT-II, y_k = 2 sum_n x_n cos(pi k (2n+1)/2N) (= scipy.fft.dct(x, type=2)). */
export function dct2(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const y = new Float64Array(n);
  if (!isPow2(n)) {
    for (let k = 0; k < n; k++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += x[j] * Math.cos((Math.PI * k * (2 * j + 1)) / (2 * n));
      y[k] = 2 * s;
    }
    return y;
  }
  const { fft, cw, sw, real: v, spec } = plan(n);
  // Makhoul reordering: v_j = x_{2j}, v_{N-1-j} = x_{2j+1}
  for (let j = 0; j < n / 2; j++) {
    v[j] = x[2 * j];
    v[n - 1 - j] = x[2 * j + 1];
  }
  fft.realTransform(spec, v); // bins 0..N/2
  y[0] = 2 * spec[0];
  for (let k = 1; k <= n / 2; k++) {
    // z = e^{-i pi k/2N} V_k; y_k = 2 Re z, y_{N-k} = -2 Im z
    const vr = spec[2 * k];
    const vi = spec[2 * k + 1];
    const zr = cw[k] * vr + sw[k] * vi;
    const zi = cw[k] * vi - sw[k] * vr;
    y[k] = 2 * zr;
    if (k < n / 2) y[n - k] = -2 * zi;
  }
  return y;
}

/** Inverse of `dct2`: x = DCT-III(y) / 2N (= scipy.fft.idct(y, type=2)). */
export function idct2(y: ArrayLike<number>): Float64Array {
  const n = y.length;
  const x = new Float64Array(n);
  if (!isPow2(n)) {
    for (let j = 0; j < n; j++) {
      let s = y[0];
      for (let k = 1; k < n; k++) s += 2 * y[k] * Math.cos((Math.PI * k * (2 * j + 1)) / (2 * n));
      x[j] = s / (2 * n);
    }
    return x;
  }
  const { fftHalf, tc, ts, cw, sw, spec, half, half2 } = plan(n);
  // V_k = e^{i pi k/2N} (y_k - i y_{N-k}) / 2 for k = 0..N/2 (Hermitian: V_{N-k} = conj V_k)
  spec[0] = y[0] / 2;
  spec[1] = 0;
  for (let k = 1; k <= n / 2; k++) {
    const a = y[k] / 2;
    const b = -y[n - k] / 2; // for k = N/2 this is -y_{N/2}/2 as well
    spec[2 * k] = cw[k] * a - sw[k] * b;
    spec[2 * k + 1] = cw[k] * b + sw[k] * a;
  }
  // real v = IDFT_N(V) through one N/2-point complex IDFT: Z_k = A_k + i B_k with
  // A_k = V_k + V_{k+N/2}, B_k = (V_k - V_{k+N/2}) e^{2 pi i k/N}; IDFT_{N/2}(Z)_m = 2 (v_{2m} + i v_{2m+1})
  const m = n / 2;
  for (let k = 0; k < m; k++) {
    const vr = spec[2 * k];
    const vi = spec[2 * k + 1];
    const wr = spec[2 * (m - k)]; // V_{k+N/2} = conj V_{N/2-k}
    const wi = -spec[2 * (m - k) + 1];
    const dr = vr - wr;
    const di = vi - wi;
    const br = dr * tc[k] - di * ts[k];
    const bi = dr * ts[k] + di * tc[k];
    half[2 * k] = vr + wr - bi;
    half[2 * k + 1] = vi + wi + br;
  }
  fftHalf.inverseTransform(half2, half);
  // x_{2j} = v_j, x_{2j+1} = v_{N-1-j}
  for (let q = 0; q < m; q++) {
    const ve = half2[2 * q] / 2; // v_{2q}
    const vo = half2[2 * q + 1] / 2; // v_{2q+1}
    // v_{2q} -> x at j = 2q: j < N/2 -> x_{4q}; else x_{2(N-1-2q)+1}
    const je = 2 * q;
    if (je < m) x[2 * je] = ve;
    else x[2 * (n - 1 - je) + 1] = ve;
    const jo = 2 * q + 1;
    if (jo < m) x[2 * jo] = vo;
    else x[2 * (n - 1 - jo) + 1] = vo;
  }
  return x;
}

/** DST-II (scipy `dst(x, type=2)`): DCT-II of (-1)^n x_n, read backwards. */
export function dst2(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const alt = new Float64Array(n);
  for (let j = 0; j < n; j++) alt[j] = j & 1 ? -x[j] : x[j];
  const c = dct2(alt);
  const y = new Float64Array(n);
  for (let k = 0; k < n; k++) y[k] = c[n - 1 - k];
  return y;
}

/** Inverse DST-II (scipy `idst(c, type=2)` = DST-III / 2N): (-1)^n idct2(c read backwards)_n. */
export function idst2(c: ArrayLike<number>): Float64Array {
  const n = c.length;
  const rev = new Float64Array(n);
  for (let k = 0; k < n; k++) rev[k] = c[n - 1 - k];
  const x = idct2(rev);
  for (let j = 1; j < n; j += 2) x[j] = -x[j];
  return x;
}

/** Transpose of `dst2`: S^T y = DST-III(y') with y'_{N-1} = 2 y_{N-1}, i.e. 2N idst2(y'). */
export function dst2Transpose(y: ArrayLike<number>): Float64Array {
  const n = y.length;
  const yy = Float64Array.from(y);
  yy[n - 1] *= 2;
  const x = idst2(yy);
  for (let j = 0; j < n; j++) x[j] *= 2 * n;
  return x;
}

/** Transpose of `idst2`: dst2(x) / 2N with the last entry halved. */
export function idst2Transpose(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const c = dst2(x);
  for (let k = 0; k < n; k++) c[k] /= 2 * n;
  c[n - 1] *= 0.5;
  return c;
}
