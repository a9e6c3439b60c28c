/**
 * Type-II discrete sine transform and its inverse, in the unnormalised scipy convention that
 * CLASS-PT's IR step uses (nonlinear_pt.c 2791-2805 and 2862-2907 build them from a 4N-point
 * complex FFT; here each goes through one N/2-point complex FFT: Makhoul's DCT-II algorithm on
 * (-1)^n x_n, with the N-point real FFT packed into N/2 complex points):
 *
 *   dst2(x)_k  = 2 sum_{n=0}^{N-1} x_n sin(pi (k+1)(2n+1) / 2N)              = scipy.fft.dst(x, type=2)
 *   idst2(c)_n = [(-1)^n c_{N-1} + 2 sum_{k=0}^{N-2} c_k sin(pi (k+1)(2n+1) / 2N)] / 2N
 *                                                                             = scipy.fft.idst(c, type=2)
 *
 * Both maps are linear, so their vector-Jacobian products are their transposes:
 *   dst2^T(y)  = 2N idst2(y with y_{N-1} doubled)
 *   idst2^T(x) = dst2(x) / 2N with the last entry halved.
 * Power-of-two N use fft.js (setup and work buffers cached per size); other N fall back to the
 * direct O(N^2) sums.
 */
import FFT from 'fft.js';

interface Plan {
  /** N/2-point complex FFT (interleaved re/im) */
  fft: FFT;
  /** cos and sin of 2 pi k / N, k = 0..N/2 (real-FFT packing) */
  tc: Float64Array;
  ts: Float64Array;
  /** cos and sin of pi k / 2N, k = 0..N/2 (Makhoul's twiddle) */
  cw: Float64Array;
  sw: Float64Array;
  /** work buffers, N entries each (N/2 interleaved complex) */
  a: Float64Array;
  b: Float64Array;
}

const plans = new Map<number, Plan>();

function isPow2(n: number): boolean {
  return n >= 4 && (n & (n - 1)) === 0;
}

function plan(n: number): Plan {
  let p = plans.get(n);
  if (!p) {
    const m = n / 2;
    const tc = new Float64Array(m + 1);
    const ts = new Float64Array(m + 1);
    const cw = new Float64Array(m + 1);
    const sw = new Float64Array(m + 1);
    for (let k = 0; k <= m; k++) {
      tc[k] = Math.cos((2 * Math.PI * k) / n);
      ts[k] = Math.sin((2 * Math.PI * k) / n);
      cw[k] = Math.cos((Math.PI * k) / (2 * n));
      sw[k] = Math.sin((Math.PI * k) / (2 * n));
    }
    p = { fft: new FFT(m), tc, ts, cw, sw, a: new Float64Array(n), b: new Float64Array(n) };
    plans.set(n, p);
  }
  return p;
}

/** DST-II (scipy `dst(x, type=2)`) = DCT-II of (-1)^n x_n, read backwards (into `out` if given;
 * it may be x itself). */
export function dst2(x: ArrayLike<number>, out: Float64Array = new Float64Array(x.length)): Float64Array {
  const n = x.length;
  if (!isPow2(n)) {
    const xs = out === x ? Float64Array.from(x) : x;
    for (let k = 0; k < n; k++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += xs[j] * Math.sin((Math.PI * (k + 1) * (2 * j + 1)) / (2 * n));
      out[k] = 2 * s;
    }
    return out;
  }
  const { fft, tc, ts, cw, sw, a: v, b: z } = plan(n);
  const m = n / 2;
  // Makhoul's reordering of u_j = (-1)^j x_j: v_j = u_{2j}, v_{N-1-j} = u_{2j+1}. Read as N/2
  // interleaved complex numbers, v is the packed input z_q = v_{2q} + i v_{2q+1} of the real FFT.
  for (let j = 0; j < m; j++) {
    v[j] = x[2 * j];
    v[n - 1 - j] = -x[2 * j + 1];
  }
  fft.transform(z, v); // Z = DFT_{N/2}(z)
  // real-FFT unpacking, bins k and N/2-k together: with E = (Z_k + conj Z_{N/2-k}) / 2,
  // O = (Z_k - conj Z_{N/2-k}) / 2i and P = e^{-2 pi i k/N} O (Z_{N/2} = Z_0),
  // V_k = E + P and V_{N/2-k} = conj(E - P). DCT-II: y_k = 2 Re(e^{-i pi k/2N} V_k),
  // y_{N-k} = -2 Im(e^{-i pi k/2N} V_k); dst2_k = y_{N-1-k}.
  for (let k = 0; k <= m / 2; k++) {
    const q = m - k;
    const zr = z[2 * k];
    const zi = z[2 * k + 1];
    const yr = z[2 * (q % m)];
    const yi = -z[2 * (q % m) + 1];
    const er = (zr + yr) / 2;
    const ei = (zi + yi) / 2;
    const or = (zi - yi) / 2;
    const oi = -(zr - yr) / 2;
    const pr = tc[k] * or + ts[k] * oi;
    const pi = tc[k] * oi - ts[k] * or;
    const vr = er + pr;
    const vi = ei + pi;
    out[n - 1 - k] = 2 * (cw[k] * vr + sw[k] * vi);
    if (k > 0) out[k - 1] = -2 * (cw[k] * vi - sw[k] * vr);
    if (q === k) continue;
    const wr = er - pr;
    const wi = -(ei - pi);
    out[n - 1 - q] = 2 * (cw[q] * wr + sw[q] * wi);
    if (q < m) out[q - 1] = -2 * (cw[q] * wi - sw[q] * wr);
  }
  return out;
}

/** Inverse DST-II (scipy `idst(c, type=2)` = DST-III / 2N): (-1)^n DCT-III(c read backwards)_n / 2N
 * (into `out` if given; it may be c itself). */
export function idst2(c: ArrayLike<number>, out: Float64Array = new Float64Array(c.length)): Float64Array {
  const n = c.length;
  if (!isPow2(n)) {
    const cs = out === c ? Float64Array.from(c) : c;
    for (let j = 0; j < n; j++) {
      let s = (j & 1 ? -1 : 1) * cs[n - 1];
      for (let k = 0; k < n - 1; k++) s += 2 * cs[k] * Math.sin((Math.PI * (k + 1) * (2 * j + 1)) / (2 * n));
      out[j] = s / (2 * n);
    }
    return out;
  }
  const { fft, tc, ts, cw, sw, a: zc, b: w } = plan(n);
  const m = n / 2;
  const scale = 1 / (2 * n);
  // With y_k = c_{N-1-k} (y_N = 0): V_k = e^{i pi k/2N} (y_k - i y_{N-k}) / 2, k = 0..N/2 (Hermitian),
  // and the real v = IDFT_N(V) packed as z_q = v_{2q} + i v_{2q+1} = IDFT_{N/2}(Z) / 2 with
  // Z_k = A_k + i B_k, A_k = V_k + V_{k+N/2}, B_k = (V_k - V_{k+N/2}) e^{2 pi i k/N}, V_{k+N/2} = conj V_{N/2-k}.
  // The inverse runs as a forward FFT of conj(Z), the factor 1/N and the 1/2 folded into `scale`.
  // Bins k and N/2-k together: Z_{N/2-k} = conj A_k + i conj B_k.
  for (let k = 0; k <= m / 2; k++) {
    const q = m - k;
    const ak = c[n - 1 - k];
    const bk = k === 0 ? 0 : -c[k - 1];
    const vr = (cw[k] * ak - sw[k] * bk) * scale;
    const vi = (cw[k] * bk + sw[k] * ak) * scale;
    const aq = c[n - 1 - q];
    const bq = -c[q - 1];
    const wr = (cw[q] * aq - sw[q] * bq) * scale; // conj V_{N/2-k}
    const wi = -(cw[q] * bq + sw[q] * aq) * scale;
    const ar = vr + wr;
    const ai = vi + wi;
    const dr = vr - wr;
    const di = vi - wi;
    const br = dr * tc[k] - di * ts[k];
    const bi = dr * ts[k] + di * tc[k];
    zc[2 * k] = ar - bi;
    zc[2 * k + 1] = -(ai + br);
    if (q === k || q === m) continue;
    zc[2 * q] = ar + bi;
    zc[2 * q + 1] = ai - br;
  }
  fft.transform(w, zc); // conj(w_p) = v_p: even p real parts, odd p minus imaginary parts
  // x_{2j} = v_j, x_{2j+1} = v_{N-1-j}; idst2 = (-1)^n x_n
  for (let j = 0; j < m; j++) {
    out[2 * j] = j & 1 ? -w[j] : w[j];
    const p = n - 1 - j;
    out[2 * j + 1] = p & 1 ? w[p] : -w[p];
  }
  return out;
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
