/**
 * The Mathematica-expression evaluator and the fNL M12 kernel matrices (src/kernels/fnl.ts).
 * Needs no CLASS-PT files: reference values were computed from the same formulas with mpmath at
 * 50 digits (scripts/check-fnl-matrices.ts compares whole matrices with CLASS-PT's files).
 */
import { describe, expect, it } from 'vitest';
import { abs, sub, type Complex } from '../src/numerics/complex';
import {
  compileGrid,
  compileScalar,
  evaluateMathematica,
  parseMathematica,
} from '../src/kernels/mathematica-expr';
import {
  FNL_BIAS,
  FNL_BIAS_B2,
  FNL_BUNDLE,
  FNL_EXTRA,
  FNL_SIMPLIFICATIONS,
  fnlExpression,
  fnlExpressionValue,
  fnlKernel,
  fnlMatrices,
  fnlMatrix,
  type FnlTemplate,
} from '../src/kernels/fnl';
import { EQUILATERAL_EXPRESSIONS } from '../src/kernels/fnl-expressions/equilateral';
import { ORTHOGONAL_EXPRESSIONS } from '../src/kernels/fnl-expressions/orthogonal';
import { fftlogExponents } from '../src/kernels/matrices';

const c = (re: number, im = 0): Complex => ({ re, im });
const relErr = (a: Complex, b: Complex): number => abs(sub(a, b)) / abs(b);
const ev = (text: string, vars: Record<string, Complex | number> = {}): Complex => evaluateMathematica(text, vars);
const real = (text: string, vars: Record<string, Complex | number> = {}): number => {
  const v = ev(text, vars);
  expect(Math.abs(v.im)).toBeLessThanOrEqual(1e-15 * Math.max(1, Math.abs(v.re)));
  return v.re;
};
const TEMPLATES: FnlTemplate[] = ['equilateral', 'orthogonal'];

describe('Mathematica expression parser', () => {
  it('follows Mathematica precedence and associativity', () => {
    expect(real('1 + 2*3')).toBe(7);
    expect(real('2^3^2')).toBe(512); // right-associative
    expect(real('-2^2')).toBe(-4); // ^ binds tighter than unary minus
    expect(real('(-2)^2')).toBe(4);
    expect(real('2^-1')).toBe(0.5);
    expect(real('2^-1*3')).toBe(1.5);
    expect(real('12/3/2')).toBe(2); // left-associative
    expect(real('12/3*2')).toBe(8);
    expect(real('1 - 2 - 3')).toBe(-4);
    expect(real('-1/140*(2*70)')).toBeCloseTo(-1, 15);
    expect(real('2*-3')).toBe(-6);
    expect(real('--3')).toBe(3);
    expect(real('+3 - -2')).toBe(5);
  });

  it('multiplies juxtaposed factors (implicit Times)', () => {
    expect(real('(1 + 2)(3 + 4)')).toBe(21);
    expect(real('2 x', { x: 3 })).toBe(6);
    expect(real('2(x + 1)', { x: 3 })).toBe(8);
    expect(real('x y^2', { x: 3, y: 2 })).toBe(12);
    expect(real('2 Pi')).toBeCloseTo(2 * Math.PI, 15);
    expect(real('3 Sin[Pi/2]')).toBeCloseTo(3, 15);
  });

  it('reads number formats and constants', () => {
    expect(real('1.5 + .25')).toBe(1.75);
    expect(real('2.5*^-3')).toBeCloseTo(2.5e-3, 18);
    expect(real('1.5`20')).toBe(1.5);
    expect(real('E')).toBe(Math.E);
    const i = ev('I^2');
    expect(i.re).toBe(-1);
    expect(i.im).toBe(0);
  });

  it('evaluates the functions the kernel files use, and a few more', () => {
    expect(real('Csc[Pi/6]')).toBeCloseTo(2, 14);
    expect(real('Sin[Pi/2]')).toBeCloseTo(1, 15);
    expect(real('Cos[Pi]')).toBeCloseTo(-1, 15);
    expect(real('Tan[Pi/4]')).toBeCloseTo(1, 15);
    expect(real('Cot[Pi/4]')).toBeCloseTo(1, 15);
    expect(real('Sec[Pi/3]')).toBeCloseTo(2, 14);
    expect(real('Gamma[5]')).toBeCloseTo(24, 12);
    expect(real('Log[E^3]')).toBeCloseTo(3, 15);
    expect(real('Sinh[1]')).toBeCloseTo(Math.sinh(1), 15);
    expect(real('Cosh[1]')).toBeCloseTo(Math.cosh(1), 15);
    const s = ev('Sqrt[-4]');
    expect(s.re).toBeCloseTo(0, 15);
    expect(s.im).toBeCloseTo(2, 15);
    const e = ev('Exp[I Pi]');
    expect(e.re).toBeCloseTo(-1, 15);
    expect(e.im).toBeCloseTo(0, 15);
    // complex arguments: sin(x + iy) = sin x cosh y + i cos x sinh y
    const z = c(0.3, 2);
    const sz = ev('Sin[z]', { z });
    expect(relErr(sz, c(Math.sin(0.3) * Math.cosh(2), Math.cos(0.3) * Math.sinh(2)))).toBeLessThan(1e-15);
    const cz = ev('Csc[z]', { z });
    const d = Math.pow(Math.sin(0.3) * Math.cosh(2), 2) + Math.pow(Math.cos(0.3) * Math.sinh(2), 2);
    expect(relErr(cz, c((Math.sin(0.3) * Math.cosh(2)) / d, -(Math.cos(0.3) * Math.sinh(2)) / d))).toBeLessThan(1e-15);
  });

  it('keeps exponentially large and small trigonometric factors in range', () => {
    // Sin[2x] Csc[x]^2 = 2 Cot[x]; at Im x = 120 pi Sin[2x] ~ e^754 would overflow float64
    const x = c(0.4 * Math.PI, 120 * Math.PI);
    const v = ev('Sin[2 x] Csc[x]^2', { x });
    const cot = ev('Cot[x]', { x });
    expect(Number.isFinite(v.re) && Number.isFinite(v.im)).toBe(true);
    expect(relErr(v, c(2 * cot.re, 2 * cot.im))).toBeLessThan(1e-14);
    expect(cot.im).toBeCloseTo(-1, 14);
    // the same through the grid evaluator
    const p = parseMathematica('Sin[2 (x + y)] Csc[x + y]^2', ['x', 'y']);
    const out = { re: new Float64Array(1), im: new Float64Array(1) };
    compileGrid(p, [c(0.2 * Math.PI, 60 * Math.PI)]).evaluateRow(c(0.2 * Math.PI, 60 * Math.PI), 1, out.re, out.im);
    expect(relErr({ re: out.re[0], im: out.im[0] }, c(2 * cot.re, 2 * cot.im))).toBeLessThan(1e-13);
  });

  it('evaluates cancelling polynomials in double-double', () => {
    // (x+1)^10 - x^10 - 10 x^9 = sum_{k<=8} binom(10,k) x^k; float64 would lose ~6 digits here
    const x = 12345;
    let exact = 0n;
    let binom = 1n;
    for (let k = 0; k <= 8; k++) {
      exact += binom * BigInt(x) ** BigInt(k);
      binom = (binom * BigInt(10 - k)) / BigInt(k + 1);
    }
    const v = real('(x + 1)^10 - x^10 - 10*x^9', { x });
    expect(Math.abs(v - Number(exact)) / Number(exact)).toBeLessThan(2e-16);
    // a coefficient that cancels by ~300: 1470 pi^2 - 14557 = -48.681530398642830313298...
    expect(Math.abs(real('-14557 + 1470*Pi^2') + 48.68153039864283031329823)).toBeLessThan(1e-14);
  });

  it('compiles to the same values for scalar and grid evaluation', () => {
    const text = 'Csc[x Pi] Csc[(x + y) Pi] ((1 + 3 x - 2 y^3) Sin[2 y Pi] - x^2 y Cos[(x + y) Pi])/(x (-5 + 2 x + 2 y))';
    const p = parseMathematica(text, ['x', 'y']);
    const scalar = compileScalar(p);
    const rows = [c(0.4, 3), c(0.4, -7.5), c(0.4, 0)];
    for (const cols of [
      [c(0.4, -2), c(0.4, 0.5), c(0.4, 11), c(0.4, -30)], // common real part: Taylor-shifted path
      [c(0.3, -2), c(0.7, 0.5), c(-0.2, 11), c(1.1, -30)], // general path
    ]) {
      const grid = compileGrid(p, cols);
      const re = new Float64Array(cols.length);
      const im = new Float64Array(cols.length);
      for (const row of rows) {
        grid.evaluateRow(row, cols.length, re, im);
        cols.forEach((col, d) => {
          expect(relErr({ re: re[d], im: im[d] }, scalar([row, col]))).toBeLessThan(1e-14);
        });
      }
    }
  });

  it('rejects malformed input', () => {
    expect(() => parseMathematica('1 + ', [])).toThrow(SyntaxError);
    expect(() => parseMathematica('(1 + 2', [])).toThrow(SyntaxError);
    expect(() => parseMathematica('Foo[1]', [])).toThrow(/unknown function/);
    expect(() => parseMathematica('z + 1', ['x'])).toThrow(/unknown symbol/);
    expect(() => parseMathematica('Sin[1, 2]', [])).toThrow(SyntaxError);
    expect(() => parseMathematica('1 # 2', [])).toThrow(SyntaxError);
  });
});

describe('fNL expressions', () => {
  it('has the 21 bundle matrices in CLASS-PT order with their biases', () => {
    expect(FNL_BUNDLE.map((e) => e.key)).toEqual([
      'matter',
      'matter_multipoles_vv0_f2',
      'matter_multipoles_vv0_f3',
      'matter_multipoles_vd0_f1',
      'matter_multipoles_vd0_f2',
      'matter_multipoles_dd0_f0',
      'matter_multipoles_dd0_f1',
      'matter_multipoles_vv2_f3',
      'matter_multipoles_vd2_f2',
      'matter_multipoles_vv4_f3',
      'matter_multipoles_vd4_f2',
      'matter_mu_powers_vd2_f1',
      'matter_mu_powers_vd2_f2',
      'matter_mu_powers_dd2_f1',
      'matter_mu_powers_vv4_f2',
      'matter_mu_powers_vd4_f2',
      'matter_mu_powers_vv6_f3',
      'bias_real_space_b2',
      'bias_real_space_G2',
      'bias_multipoles_b2_vv0_f1',
      'bias_multipoles_bG2_vv0_f1',
    ]);
    for (const e of FNL_BUNDLE) {
      expect(e.bias).toBe(e.key === 'bias_real_space_b2' || e.key === 'bias_multipoles_b2_vv0_f1' ? FNL_BIAS_B2 : FNL_BIAS);
    }
    for (const t of [EQUILATERAL_EXPRESSIONS, ORTHOGONAL_EXPRESSIONS]) {
      expect(Object.keys(t).sort()).toEqual([...FNL_BUNDLE, ...FNL_EXTRA].map((e) => e.key).sort());
    }
  });

  it('parses every expression and is symmetric in (nu1, nu2)', () => {
    const pts: [Complex, Complex][] = [
      [c(0.4, 3.1), c(0.4, -7.7)],
      [c(0.3, 1.3), c(0.7, 2.9)],
      [c(0.625, 0), c(0.625, 5)],
      [c(0.4, 40.5), c(0.4, -39)],
    ];
    for (const t of TEMPLATES) {
      for (const { key } of [...FNL_BUNDLE, ...FNL_EXTRA]) {
        for (const [a, b] of pts) {
          const x = fnlExpressionValue(t, key, a, b);
          const y = fnlExpressionValue(t, key, b, a);
          expect(Number.isFinite(x.re) && Number.isFinite(x.im), `${t} ${key}`).toBe(true);
          expect(relErr(x, y), `${t} ${key}`).toBeLessThan(1e-13);
        }
      }
    }
  });

  it("satisfies CLASS-PT's simplifications.txt identities", () => {
    const pts: [Complex, Complex][] = [
      [c(0.4, 3), c(0.3, -5)],
      [c(0.4, 12), c(0.4, -13)],
    ];
    for (const t of TEMPLATES) {
      for (const { key, base, factor } of FNL_SIMPLIFICATIONS) {
        for (const [a, b] of pts) {
          const x = fnlExpressionValue(t, key, a, b);
          const y = fnlExpressionValue(t, base, a, b);
          expect(relErr(x, c(factor * y.re, factor * y.im)), `${t} ${key}`).toBeLessThan(1e-14);
        }
      }
    }
  });

  it('matches 50-digit mpmath values of J x expression', () => {
    // [template, key, nu1, nu2, value]; the second and third points are where the orthogonal polynomials cancel
    const cases: [FnlTemplate, 'matter' | 'matter_multipoles_vv0_f2' | 'bias_real_space_b2', Complex, Complex, Complex][] = [
      ['equilateral', 'matter', c(0.4, 3), c(0.4, -5), c(-0.0015396888480112563, 0.00021638988982667997)],
      ['equilateral', 'matter', c(0.4, 13.25), c(0.4, -13.5), c(0.00024428757654662987, 0.0005050493069475664)],
      ['equilateral', 'matter', c(0.4, 40.5), c(0.4, -41), c(-8.953709156330108e-5, -1.4791090787322902e-5)],
      ['equilateral', 'matter', c(0.625, 7), c(0.625, 2), c(1.8021037080737104e-5, 0.0005858239741097099)],
      ['orthogonal', 'matter', c(0.4, 3), c(0.4, -5), c(0.010510152180545433, 0.00884909477690232)],
      ['orthogonal', 'matter', c(0.4, 13.25), c(0.4, -13.5), c(-0.0003562596733835956, -0.000859601851421259)],
      ['orthogonal', 'matter', c(0.4, 40.5), c(0.4, -41), c(0.00024719126280136445, 0.00013293502527321317)],
      ['orthogonal', 'matter', c(0.625, 7), c(0.625, 2), c(0.009188462373760574, -0.0007745542393275471)],
      ['orthogonal', 'matter_multipoles_vv0_f2', c(0.4, 13.25), c(0.4, -13.5), c(-0.0002111300837145036, -0.0002206231693988389)],
      ['orthogonal', 'matter_multipoles_vv0_f2', c(0.4, 40.5), c(0.4, -41), c(8.340193778739923e-5, 5.586373229856155e-7)],
      ['orthogonal', 'bias_real_space_b2', c(0.4, 3), c(0.4, -5), c(-0.09736794548501711, -0.11092412812544215)],
      ['orthogonal', 'bias_real_space_b2', c(0.4, 40.5), c(0.4, -41), c(-4.0759709095141785, 0.06630948325409056)],
    ];
    for (const [t, key, a, b, want] of cases) {
      expect(relErr(fnlKernel(t, key)(a, b), want), `${t} ${key}`).toBeLessThan(1e-13);
    }
  });
});

describe('fNL matrices', () => {
  const n = 10;
  const nc = n + 1;

  it.each(TEMPLATES)('%s: 21 finite, symmetric, conjugate-symmetric (N+1)^2 matrices equal to J x E', (t) => {
    const ms = fnlMatrices(n, t);
    expect(Object.keys(ms)).toEqual(FNL_BUNDLE.map((e) => e.key));
    for (const { key, bias } of FNL_BUNDLE) {
      const m = ms[key];
      expect(m.bias).toBe(bias);
      expect(m.re.length).toBe(nc * nc);
      const eta = fftlogExponents(n, bias);
      const nu = (i: number): Complex => c(-eta.re[i] / 2, -eta.im[i] / 2);
      const kernel = fnlKernel(t, key);
      let maxAbs = 0;
      for (let i = 0; i < m.re.length; i++) maxAbs = Math.max(maxAbs, Math.hypot(m.re[i], m.im[i]));
      for (let i = 0; i < nc; i++) {
        for (let j = 0; j < nc; j++) {
          const v = c(m.re[i * nc + j], m.im[i * nc + j]);
          expect(Number.isFinite(v.re) && Number.isFinite(v.im)).toBe(true);
          expect(v.re).toBe(m.re[j * nc + i]);
          expect(v.im).toBe(m.im[j * nc + i]);
          const mirror = c(m.re[(n - i) * nc + (n - j)], m.im[(n - i) * nc + (n - j)]);
          expect(abs(sub(v, c(mirror.re, -mirror.im))) / maxAbs).toBeLessThan(1e-14);
          expect(abs(sub(v, kernel(nu(i), nu(j)))) / maxAbs, `${key} [${i}][${j}]`).toBeLessThan(1e-13);
        }
      }
      // the centre (nu1 = nu2 = -b/2, real) is real
      expect(Math.abs(m.im[(n / 2) * nc + n / 2])).toBeLessThan(1e-15 * maxAbs);
    }
  });

  it('builds the identity-replaced matrices consistently with their base', () => {
    for (const t of TEMPLATES) {
      for (const { key, base, factor } of FNL_SIMPLIFICATIONS) {
        const a = fnlMatrix(n, t, key);
        const b = fnlMatrix(n, t, base);
        expect(a.bias).toBe(b.bias);
        let maxAbs = 0;
        let maxDiff = 0;
        for (let i = 0; i < a.re.length; i++) {
          maxAbs = Math.max(maxAbs, Math.hypot(b.re[i], b.im[i]) * factor);
          maxDiff = Math.max(maxDiff, Math.hypot(a.re[i] - factor * b.re[i], a.im[i] - factor * b.im[i]));
        }
        expect(maxDiff / maxAbs, `${t} ${key}`).toBeLessThan(1e-14);
      }
    }
  });

  it('stays accurate where float64 trigonometry would overflow (N = 1024 corners, 60-digit mpmath values)', () => {
    // at N = 1024, |Im nu| reaches 110: Sin[2 (nu1 + nu2) Pi] ~ e^1390
    const big = 1024;
    const eta = fftlogExponents(big, FNL_BIAS);
    const nu = (i: number): Complex => c(-eta.re[i] / 2, -eta.im[i] / 2);
    const rows = [0, 512, 1020, 1024];
    const cols = [0, 3, 1024].map(nu);
    const want: Record<string, Complex> = {
      '0,0': c(-1.3497050047256758e-7, 5.21374943001868e-5),
      '1024,3': c(-7.211952670987658e-5, 1.4060058757904057e-5),
      '1024,1024': c(-1.3497050047256758e-7, -5.21374943001868e-5),
      '1020,3': c(1.601251667265301e-5, 2.743787370744337e-5),
      '512,0': c(1.1794947588545838e-7, 4.7587213939770904e-7),
    };
    const kernel = fnlKernel('orthogonal', 'matter_mu_powers_vv6_f3');
    const grid = compileGrid(fnlExpression('orthogonal', 'matter_mu_powers_vv6_f3'), cols);
    const re = new Float64Array(cols.length);
    const im = new Float64Array(cols.length);
    for (const i of rows) {
      grid.evaluateRow(nu(i), cols.length, re, im);
      [0, 3, 1024].forEach((j, d) => {
        const e = fnlExpressionValue('orthogonal', 'matter_mu_powers_vv6_f3', nu(i), nu(j));
        expect(Number.isFinite(re[d]) && Number.isFinite(im[d])).toBe(true);
        expect(relErr({ re: re[d], im: im[d] }, e)).toBeLessThan(1e-13);
        const w = want[`${i},${j}`];
        if (w) expect(relErr(kernel(nu(i), nu(j)), w), `[${i}][${j}]`).toBeLessThan(1e-12);
      });
    }
  });

  it('rejects odd or tiny N', () => {
    expect(() => fnlMatrices(15, 'equilateral')).toThrow(RangeError);
    expect(() => fnlMatrix(0, 'orthogonal', 'matter')).toThrow(RangeError);
  });
});
