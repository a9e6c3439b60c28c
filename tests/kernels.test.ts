/**
 * The complex toolkit (lnGamma, tanPi) and the analytic FFTLog kernel matrices: known values,
 * Gamma identities, and the symmetries of the matrices on CLASS-PT's grid. Needs no CLASS-PT files
 * (scripts/check-matrices.ts compares with those).
 */
import { describe, expect, it } from 'vitest';
import { abs, add, complex, div, exp, lnGamma, log, mul, sub, tanPi, type Complex } from '../src/numerics/complex';
import { j22, m13, m22 } from '../src/kernels/gamma-kernels';
import {
  biasIFG2,
  biasId2,
  biasId2G2,
  biasIG2,
  biasIG2G2,
  biasJ,
  fftlogExponents,
  matterM13,
  matterM22,
  type ComplexArray,
} from '../src/kernels/matrices';

function relErr(a: Complex, b: Complex): number {
  return abs(sub(a, b)) / abs(b);
}

describe('lnGamma', () => {
  it('gives Gamma(1/2) = sqrt(pi), Gamma(-1/2) = -2 sqrt(pi) and factorials', () => {
    expect(relErr(exp(lnGamma(complex(0.5))), complex(Math.sqrt(Math.PI)))).toBeLessThan(1e-14);
    expect(relErr(exp(lnGamma(complex(-0.5))), complex(-2 * Math.sqrt(Math.PI)))).toBeLessThan(1e-14);
    let factorial = 1;
    for (let n = 1; n <= 25; n++) {
      if (n > 1) factorial *= n - 1;
      const tol = 1e-14 * Math.max(1, Math.log(factorial));
      expect(Math.abs(lnGamma(complex(n)).re - Math.log(factorial))).toBeLessThan(tol);
      expect(lnGamma(complex(n)).im).toBe(0);
    }
    expect(Math.abs(lnGamma(complex(100)).re - 359.13420536957539878)).toBeLessThan(1e-12);
  });

  it('matches principal-branch loggamma at complex arguments (mpmath values)', () => {
    const cases: [Complex, Complex][] = [
      [complex(1, 1), complex(-0.650923199301856338885, -0.301640320467533197888)],
      [complex(0.15, 50), complex(-78.9900828832754594062, 145.050979878976248174)],
      [complex(-1.2, 110), complex(-179.859535850727775241, 404.369729340102619278)],
      [complex(0.8, -30), complex(-45.1846009464950108504, -72.5070492129142145766)],
    ];
    for (const [z, want] of cases) expect(abs(sub(lnGamma(z), want))).toBeLessThan(3e-13);
    const g = exp(lnGamma(complex(1, 1)));
    expect(relErr(g, complex(0.498015668118356042714, -0.154949828301810685125))).toBeLessThan(1e-14);
  });

  it('satisfies Gamma(z + 1) = z Gamma(z) at large imaginary parts', () => {
    for (const z of [complex(0.15, 55), complex(-1.4, 110), complex(2.9, -80), complex(-0.7, 3), complex(0.8, 0.01)]) {
      const lhs = lnGamma(add(z, complex(1)));
      const rhs = add(lnGamma(z), log(z));
      expect(abs(sub(lhs, rhs))).toBeLessThan(5e-13);
    }
  });

  it('satisfies the reflection formula Gamma(z) Gamma(1 - z) = pi / sin(pi z)', () => {
    for (const z of [complex(0.15, 7), complex(-1.3, 20), complex(0.8, -15), complex(2.6, 0.5)]) {
      const lhs = exp(add(lnGamma(z), lnGamma(sub(complex(1), z))));
      const x = Math.PI * z.re;
      const y = Math.PI * z.im;
      const sinPiZ = complex(Math.sin(x) * Math.cosh(y), Math.cos(x) * Math.sinh(y));
      expect(relErr(lhs, div(complex(Math.PI), sinPiZ))).toBeLessThan(1e-13);
    }
  });

  it('gives |Gamma(1/2 + iy)|^2 = pi / cosh(pi y) up to y = 60', () => {
    for (const y of [0.3, 1, 5, 20, 45, 60]) {
      const lhs = Math.exp(2 * lnGamma(complex(0.5, y)).re);
      expect(Math.abs(lhs / (Math.PI / Math.cosh(Math.PI * y)) - 1)).toBeLessThan(1e-13);
    }
  });

  it('returns +Infinity at the poles', () => {
    expect(lnGamma(complex(0)).re).toBe(Infinity);
    expect(lnGamma(complex(-3)).re).toBe(Infinity);
  });
});

describe('tanPi', () => {
  it('agrees with sin/cos at moderate arguments and tends to +-i without overflow', () => {
    const z = complex(0.15, 0.4);
    const x = Math.PI * z.re;
    const y = Math.PI * z.im;
    const sin = complex(Math.sin(x) * Math.cosh(y), Math.cos(x) * Math.sinh(y));
    const cos = complex(Math.cos(x) * Math.cosh(y), -Math.sin(x) * Math.sinh(y));
    expect(relErr(tanPi(z), div(sin, cos))).toBeLessThan(1e-15);
    expect(Math.abs(tanPi(complex(0.15)).re - Math.tan(0.15 * Math.PI))).toBeLessThan(1e-15);
    expect(relErr(tanPi(complex(0.8, 500)), complex(0, 1))).toBeLessThan(1e-15);
    expect(relErr(tanPi(complex(-3.85, -500)), complex(0, -1))).toBeLessThan(1e-15);
  });
});

describe('kernel formulas', () => {
  it('J(1, 1) = 1/8 (the integral of 1/(q^2 |k - q|^2) is 1/(8k))', () => {
    expect(relErr(j22(complex(1), complex(1)), complex(1 / 8))).toBeLessThan(1e-14);
  });

  it('are symmetric and conjugate-symmetric in their arguments', () => {
    const a = complex(0.15, 12.3);
    const b = complex(0.15, -40.1);
    expect(relErr(m22(a, b), m22(b, a))).toBeLessThan(1e-15);
    const c = m22(complex(a.re, -a.im), complex(b.re, -b.im));
    expect(relErr(c, complex(m22(a, b).re, -m22(a, b).im))).toBeLessThan(1e-13);
    const v = m13(complex(0.15, 7));
    expect(relErr(m13(complex(0.15, -7)), complex(v.re, -v.im))).toBeLessThan(1e-15);
  });
});

const N = 128;

function maxAbs(m: ComplexArray): number {
  let x = 0;
  for (let i = 0; i < m.re.length; i++) x = Math.max(x, Math.hypot(m.re[i], m.im[i]));
  return x;
}

function checkMatrix(m: ComplexArray, n: number): void {
  const nc = n + 1;
  expect(m.re.length).toBe(nc * nc);
  const scale = maxAbs(m);
  expect(scale).toBeGreaterThan(0);
  let asym = 0;
  let conjAsym = 0;
  for (let c = 0; c < nc; c++) {
    for (let d = 0; d < nc; d++) {
      const i = c * nc + d;
      expect(Number.isFinite(m.re[i]) && Number.isFinite(m.im[i])).toBe(true);
      asym = Math.max(asym, Math.hypot(m.re[i] - m.re[d * nc + c], m.im[i] - m.im[d * nc + c]));
      const k = (n - c) * nc + (n - d);
      conjAsym = Math.max(conjAsym, Math.hypot(m.re[k] - m.re[i], m.im[k] + m.im[i]));
    }
  }
  expect(asym).toBe(0);
  expect(conjAsym / scale).toBeLessThan(1e-12);
}

describe('kernel matrices', () => {
  it('uses exponents eta_c = b + 2 pi i (c - N/2)/(N Delta) with eta_{N-c} = conj(eta_c)', () => {
    const eta = fftlogExponents(N, -0.3);
    expect(eta.re.length).toBe(N + 1);
    expect(eta.im[N / 2]).toBe(0);
    for (let c = 0; c <= N; c++) {
      expect(eta.re[c]).toBe(-0.3);
      expect(eta.im[N - c]).toBeCloseTo(-eta.im[c], 12);
    }
    const delta = Math.log(100 / 5e-5) / (N - 1);
    expect(eta.im[N]).toBeCloseTo(Math.PI / delta, 12);
  });

  it('are finite, complex symmetric and conjugate-symmetric (matter and bias)', () => {
    for (const build of [matterM22, biasJ, biasId2, biasIG2, biasId2G2, biasIG2G2]) checkMatrix(build(N), N);
  });

  it('gives finite conjugate-symmetric P13 vectors', () => {
    for (const v of [matterM13(N), biasIFG2(N)]) {
      expect(v.re.length).toBe(N + 1);
      const scale = maxAbs(v);
      for (let c = 0; c <= N; c++) {
        expect(Number.isFinite(v.re[c]) && Number.isFinite(v.im[c])).toBe(true);
        expect(Math.hypot(v.re[N - c] - v.re[c], v.im[N - c] + v.im[c]) / scale).toBeLessThan(1e-14);
      }
    }
  });

  it('reproduces the real-space bias matrices as CLASS-PT writes them (J x a factor in eta = -2 nu)', () => {
    const n = 32;
    const nc = n + 1;
    const eta = fftlogExponents(n, -1.6000001);
    const J = biasJ(n);
    const r = (x: number) => complex(x);
    const times = (...zs: Complex[]) => zs.reduce((a, b) => mul(a, b), r(1));
    // CLASS-PT nonlinear_pt.c 4862-4885, transcribed in terms of eta_i, eta_l (-0.5 eta = nu)
    const factors: [ComplexArray, (ei: Complex, el: Complex) => Complex][] = [
      [
        biasIG2G2(n),
        (ei, el) =>
          div(
            times(add(r(3), add(ei, el)), add(r(1), add(ei, el))),
            times(r(-0.5), ei, r(-0.5), el, add(r(1), times(r(-0.5), ei)), add(r(1), times(r(-0.5), el))),
          ),
      ],
      [
        biasId2(n),
        (ei, el) =>
          div(
            times(add(r(3), add(ei, el)), add(r(4), times(r(3.5), add(ei, el)))),
            times(r(14), r(-0.5), el, r(-0.5), ei),
          ),
      ],
      [biasId2G2(n), (ei, el) => div(add(r(3), add(ei, el)), times(r(-0.5), ei, r(-0.5), el))],
      [
        biasIG2(n),
        (ei, el) =>
          div(
            times(r(-1), add(r(3), add(ei, el)), add(r(1), add(ei, el)), sub(r(6), times(r(3.5), add(ei, el)))),
            times(r(28), add(r(1), times(r(-0.5), ei)), add(r(1), times(r(-0.5), el)), r(-0.5), ei, r(-0.5), el),
          ),
      ],
    ];
    for (const [m, factor] of factors) {
      const scale = maxAbs(m);
      for (let i = 0; i < nc; i++) {
        for (let l = 0; l < nc; l++) {
          const jil = complex(J.re[i * nc + l], J.im[i * nc + l]);
          const want = mul(jil, factor(complex(eta.re[i], eta.im[i]), complex(eta.re[l], eta.im[l])));
          expect(abs(sub(complex(m.re[i * nc + l], m.im[i * nc + l]), want)) / scale).toBeLessThan(1e-14);
        }
      }
    }
  });

  it('puts M(nu_c, nu_d) at row c, column d', () => {
    const n = 16;
    const m = matterM22(n);
    const eta = fftlogExponents(n, -0.3);
    const nu = (c: number) => complex(-eta.re[c] / 2, -eta.im[c] / 2);
    for (const [c, d] of [[0, 0], [3, 11], [16, 2], [8, 8]]) {
      const want = m22(nu(c), nu(d));
      expect(relErr(complex(m.re[c * (n + 1) + d], m.im[c * (n + 1) + d]), want)).toBe(0);
    }
  });
});
