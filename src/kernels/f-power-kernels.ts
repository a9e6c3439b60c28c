/**
 * Builds kernel matrices (or vectors) of the form
 *
 *   K(nu1, nu2; f) = base(nu1, nu2) * numerator(nu1, nu2, f) / denominator(nu1, nu2)
 *                  = sum_p f^p K_p(nu1, nu2),
 *
 * one f-independent complex matrix K_p per power of f, with nu = -eta/2 on the FFTLog basis
 * (N, b). `base` is a Gamma-function matrix (M22, J) or vector (M13, IFG2) from ./matrices.
 * This is how CLASS-PT fills its per-redshift matrices (`FILL_M22_BIAS`, the μ-power and
 * multipole fills of `nonlinear_pt_loop`), reorganised so that f stays outside the plan.
 */
import { fftlogExponents } from './matrices';
import { compilePoly, complexPowers, evalFPower, maxExponent, parsePoly, type CompiledPoly } from './polynomial';

export interface ComplexArray {
  re: Float64Array;
  im: Float64Array;
}

function compile(text: string): CompiledPoly {
  return compilePoly(parsePoly(text.replace(/n12/g, '(n1+n2)')));
}

/** Compiled numerator and denominator, and the powers of nu_c = -eta_c/2 they need. */
function kernelSetup(n: number, bias: number, numerator: string, denominator: string) {
  const num = compile(numerator);
  const den = compile(denominator);
  if (den.length > 1) throw new RangeError(`kernel denominator must not depend on f: '${denominator}'`);
  const nc = n + 1;
  const eta = fftlogExponents(n, bias);
  const deg = Math.max(maxExponent(num), maxExponent(den));
  const powers = Array.from({ length: nc }, (_, c) => complexPowers(-eta.re[c] / 2, -eta.im[c] / 2, deg));
  return { num, den, nc, deg, powers };
}

/**
 * Matrix version: base is (N+1)x(N+1) row-major, entry [c][d] with nu1 = -eta_c/2,
 * nu2 = -eta_d/2. Returns one matrix per power of f (index = power).
 */
export function fPowerMatrices(
  n: number,
  bias: number,
  base: ComplexArray,
  numerator: string,
  denominator = '1',
): (ComplexArray | null)[] {
  const { num, den, nc, deg, powers } = kernelSetup(n, bias, numerator, denominator);
  const out = num.map((terms) => (terms.length ? { re: new Float64Array(nc * nc), im: new Float64Array(nc * nc) } : null));
  // Per row, collapse each polynomial to coefficients of nu2^b (complex polynomials in nu1),
  // so that an entry costs deg(nu2) complex multiply-adds per power of f.
  const rowCoefficients = (poly: CompiledPoly, p: number, n1: [number, number][]) => {
    const re = new Float64Array(deg + 1);
    const im = new Float64Array(deg + 1);
    for (const [coef, a, b] of poly[p] ?? []) {
      re[b] += coef * n1[a][0];
      im[b] += coef * n1[a][1];
    }
    return { re, im };
  };
  // nu2^b of every column, flat [nc, deg + 1] (no per-entry allocations in the loop below)
  const D = deg + 1;
  const p2r = new Float64Array(nc * D);
  const p2i = new Float64Array(nc * D);
  for (let d = 0; d < nc; d++) {
    for (let e = 0; e < D; e++) {
      p2r[d * D + e] = powers[d][e][0];
      p2i[d * D + e] = powers[d][e][1];
    }
  }
  const P = num.length;
  // CLASS-PT fills the lower triangle (nu1 from the row, nu2 from the column) and mirrors it
  for (let c = 0; c < nc; c++) {
    const denRow = rowCoefficients(den, 0, powers[c]);
    const numRows = num.map((terms, p) => (terms.length ? rowCoefficients(num, p, powers[c]) : null));
    for (let d = 0; d <= c; d++) {
      const off = d * D;
      let dr = 0;
      let di = 0;
      for (let e = 0; e < D; e++) {
        const xr = p2r[off + e];
        const xi = p2i[off + e];
        dr += denRow.re[e] * xr - denRow.im[e] * xi;
        di += denRow.re[e] * xi + denRow.im[e] * xr;
      }
      const br = base.re[c * nc + d];
      const bi = base.im[c * nc + d];
      // base / den
      const dd = dr * dr + di * di;
      const qr = (br * dr + bi * di) / dd;
      const qi = (bi * dr - br * di) / dd;
      for (let p = 0; p < P; p++) {
        const m = out[p];
        const row = numRows[p];
        if (!m || !row) continue;
        let pr = 0;
        let pi = 0;
        for (let e = 0; e < D; e++) {
          const xr = p2r[off + e];
          const xi = p2i[off + e];
          pr += row.re[e] * xr - row.im[e] * xi;
          pi += row.re[e] * xi + row.im[e] * xr;
        }
        m.re[c * nc + d] = m.re[d * nc + c] = qr * pr - qi * pi;
        m.im[c * nc + d] = m.im[d * nc + c] = qr * pi + qi * pr;
      }
    }
  }
  return out;
}

/** Vector version (P13-type): base has N+1 entries, the polynomial is in nu and f. */
export function fPowerVectors(
  n: number,
  bias: number,
  base: ComplexArray,
  numerator: string,
  denominator = '1',
): (ComplexArray | null)[] {
  const { num, den, nc, powers } = kernelSetup(n, bias, numerator, denominator);
  const none = complexPowers(0, 0, 0);
  const out = num.map((terms) => (terms.length ? { re: new Float64Array(nc), im: new Float64Array(nc) } : null));
  for (let c = 0; c < nc; c++) {
    const pw = { n1: none, n2: none, nu: powers[c] };
    const [dr, di] = evalFPower(den, 0, pw);
    const dd = dr * dr + di * di;
    const qr = (base.re[c] * dr + base.im[c] * di) / dd;
    const qi = (base.im[c] * dr - base.re[c] * di) / dd;
    for (let p = 0; p < num.length; p++) {
      const v = out[p];
      if (!v) continue;
      const [pr, pi] = evalFPower(num, p, pw);
      v.re[c] = qr * pr - qi * pi;
      v.im[c] = qr * pi + qi * pr;
    }
  }
  return out;
}

/** Evaluates a polynomial in f alone (e.g. a UV coefficient) at a number. */
export function fPolynomialCoefficients(text: string): number[] {
  const p = compile(text);
  const none = complexPowers(0, 0, 0);
  return p.map((_, q) => evalFPower(p, q, { n1: none, n2: none, nu: none })[0]);
}
