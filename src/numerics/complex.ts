/**
 * A minimal float64 complex-number toolkit for the FFTLog kernel matrices (CLASS-PT's Gamma-function
 * formulas evaluated at nu = -eta/2). Values are plain immutable {re, im} objects; every function
 * returns a new object.
 *
 * Precision notes:
 * - `lnGamma` uses Stirling's series after an upward shift to |z| >= 12, Re z >= 0 (remainder
 *   below 1e-18), the shift being undone by a sum of logarithms. Its absolute error is a few ulps of
 *   the largest term, |z ln z|, so Gamma ratios built as exp(sum of lnGamma) are accurate to about
 *   1e-13 relative for |z| ~ 100 (the largest arguments at N = 512).
 * - `tanPi` uses the tanh form, so it neither overflows nor loses accuracy for large |Im z|.
 */

export interface Complex {
  readonly re: number;
  readonly im: number;
}

export function complex(re: number, im = 0): Complex {
  return { re, im };
}

export const ZERO: Complex = complex(0, 0);
export const ONE: Complex = complex(1, 0);

export function add(a: Complex, b: Complex): Complex {
  return { re: a.re + b.re, im: a.im + b.im };
}

export function sub(a: Complex, b: Complex): Complex {
  return { re: a.re - b.re, im: a.im - b.im };
}

/** a + x for real x */
export function addReal(a: Complex, x: number): Complex {
  return { re: a.re + x, im: a.im };
}

/** x - a for real x */
export function rsubReal(x: number, a: Complex): Complex {
  return { re: x - a.re, im: -a.im };
}

export function mul(a: Complex, b: Complex): Complex {
  return { re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re };
}

/** s * a for real s */
export function scale(a: Complex, s: number): Complex {
  return { re: a.re * s, im: a.im * s };
}

/** a / b (Smith's algorithm, avoids overflow of |b|^2) */
export function div(a: Complex, b: Complex): Complex {
  if (Math.abs(b.re) >= Math.abs(b.im)) {
    const r = b.im / b.re;
    const d = b.re + b.im * r;
    return { re: (a.re + a.im * r) / d, im: (a.im - a.re * r) / d };
  }
  const r = b.re / b.im;
  const d = b.re * r + b.im;
  return { re: (a.re * r + a.im) / d, im: (a.im * r - a.re) / d };
}

/** 1 / a */
export function inv(a: Complex): Complex {
  return div(ONE, a);
}

export function neg(a: Complex): Complex {
  return { re: -a.re, im: -a.im };
}

export function conj(a: Complex): Complex {
  return { re: a.re, im: -a.im };
}

export function abs(a: Complex): number {
  return Math.hypot(a.re, a.im);
}

export function exp(a: Complex): Complex {
  const m = Math.exp(a.re);
  return { re: m * Math.cos(a.im), im: m * Math.sin(a.im) };
}

/** principal logarithm */
export function log(a: Complex): Complex {
  return { re: Math.log(Math.hypot(a.re, a.im)), im: Math.atan2(a.im, a.re) };
}

/** product of several factors */
export function prod(...factors: Complex[]): Complex {
  let re = 1;
  let im = 0;
  for (const f of factors) {
    const t = re * f.re - im * f.im;
    im = re * f.im + im * f.re;
    re = t;
  }
  return { re, im };
}

const HALF_LN_2PI = 0.5 * Math.log(2 * Math.PI);
/** Stirling coefficients B_{2k} / (2k (2k-1)), k = 1..8 */
const STIRLING = [
  1 / 12,
  -1 / 360,
  1 / 1260,
  -1 / 1680,
  1 / 1188,
  -691 / 360360,
  1 / 156,
  -3617 / 122400,
];
const SHIFT_RADIUS2 = 12 * 12;
const FLUSH = 1e250;

/**
 * ln Gamma(z) on the principal branch (analytic in the plane cut along the negative real axis, as
 * scipy.special.loggamma). At the poles z = 0, -1, -2, ... it returns {re: +Infinity, im: 0}.
 */
export function lnGamma(z: Complex): Complex {
  let x = z.re;
  const y = z.im;
  if (y === 0 && x <= 0 && Number.isInteger(x)) return { re: Infinity, im: 0 };
  // Gamma(z) = Gamma(z + n) / prod_{k<n} (z + k): accumulate |prod|^2 and sum of args
  let mod2 = 1;
  let lnMod = 0;
  let argSum = 0;
  while (x < 0 || x * x + y * y < SHIFT_RADIUS2) {
    mod2 *= x * x + y * y;
    argSum += Math.atan2(y, x);
    if (mod2 > FLUSH) {
      lnMod += Math.log(mod2);
      mod2 = 1;
    }
    x += 1;
  }
  lnMod = 0.5 * (lnMod + Math.log(mod2));
  // Stirling: (z - 1/2) ln z - z + ln(2 pi)/2 + sum_k c_k / z^{2k-1}
  const r2 = x * x + y * y;
  const lr = 0.5 * Math.log(r2);
  const li = Math.atan2(y, x);
  const wr = x / r2; // w = 1/z
  const wi = -y / r2;
  const w2r = wr * wr - wi * wi;
  const w2i = 2 * wr * wi;
  let sr = STIRLING[STIRLING.length - 1];
  let si = 0;
  for (let k = STIRLING.length - 2; k >= 0; k--) {
    const t = sr * w2r - si * w2i + STIRLING[k];
    si = sr * w2i + si * w2r;
    sr = t;
  }
  const seriesRe = sr * wr - si * wi;
  const seriesIm = sr * wi + si * wr;
  const re = (x - 0.5) * lr - y * li - x + HALF_LN_2PI + seriesRe;
  const im = (x - 0.5) * li + y * lr - y + seriesIm;
  return { re: re - lnMod, im: im - argSum };
}

/** Gamma(z); 0-safe only away from poles (returns Infinity/NaN there) */
export function gamma(z: Complex): Complex {
  return exp(lnGamma(z));
}

/**
 * tan(pi z), in the form tan(u + iv) = [sin 2u sech 2v + i tanh 2v] / [1 + cos 2u sech 2v], with
 * u = pi Re z reduced to [-pi/2, pi/2] first (tan has period pi): finite for any |Im z|.
 */
export function tanPi(z: Complex): Complex {
  const u = z.re - Math.round(z.re);
  const a = 2 * Math.PI * u;
  const b = 2 * Math.PI * z.im;
  const sech = 1 / Math.cosh(b);
  const den = 1 + Math.cos(a) * sech;
  return { re: (Math.sin(a) * sech) / den, im: Math.tanh(b) / den };
}
