/**
 * The primordial non-Gaussianity (fNL) FFTLog kernel matrices M12 of CLASS-PT, computed in float64
 * from their analytic formulas (CLASS-PT loads them from `pt_matrices/M12_bundle_N{N}[_ortho].bin`).
 *
 * Each matrix is M12(nu1, nu2) = J(nu1, nu2) x E(nu1, nu2), with J the one-loop Gamma-function
 * integral (`j22`) and E a trigonometric-rational expression that CLASS-PT keeps as Mathematica text
 * (./fnl-expressions, one per file of its generator directories), evaluated at nu = -eta/2 on the
 * FFTLog grid of bias b (see `FNL_BUNDLE`). Two templates: equilateral
 * (`pt_matrices/compute_matrices_python/`) and orthogonal (`ORTHOGONAL_NG_matrices/computation_of_matrices/`).
 *
 * Layout (CLASS-PT's generators `matrix_gen-*.py` and packed storage): the generator fills rows
 * j1 <= N/2 with M12(nu_{j1}, nu_{j2}) for all j2, and rows j1 > N/2 with conj(m[N-j1][N-j2]); it then
 * stores only the lower triangle i >= j (nu1 from the row i), which the C code mirrors. So the matrix
 * CLASS-PT uses is M[c][d] = M12(nu_max(c,d), nu_min(c,d)). This module reproduces exactly that
 * procedure (the conjugate fill equals the direct value analytically, because nu_{N-c} = conj(nu_c)
 * and E, J are real-analytic). Although most expressions are not written symmetrically (the
 * orthogonal ones have e.g. nu2^9 but no nu1^9 terms), every one of the 30 expressions of both
 * templates is symmetric in (nu1, nu2) (checked numerically to ~1e-15, tests/fnl-kernels.test.ts), so
 * the mirrored matrix equals M12(nu_c, nu_d) everywhere, and M[N-c][N-d] = conj(M[c][d]).
 *
 * Singularities: the explicit denominators nu1 (4 nu1^2 - 1) nu2 (4 nu2^2 - 1) (2 nu12 - 5) and the
 * Csc factors vanish/blow up at nu = 0, +-1/2, integers, nu12 = 5/2, integers; at nu = +-1/2, 1 and
 * nu12 = 5/2 the expressions are finite (removable 0/0), at nu = 0 and nu12 = 3 they have poles
 * (b2 files also at nu12 = 1). None is met on the FFTLog grids: Re nu = -b/2 = 0.4 (b = -0.8) or
 * 0.625 (b = -1.25), Re nu12 = 0.8 or 1.25, so no entry needs a limit.
 *
 * Accuracy: compared with CLASS-PT's files (mpmath, 32 digits) at N = 128, 256, 512, every block
 * agrees to <= 6.1e-14 of its largest entry (scripts/check-fnl-matrices.ts). This needs the
 * double-double polynomial evaluation of ./mathematica-expr: the orthogonal polynomials cancel by
 * up to ~1e7 at N = 128, and plain float64 gave 1e-9.
 *
 * Where CLASS-PT uses an identity instead of a separate matrix (its `simplifications.txt`), the
 * identity is listed in `FNL_SIMPLIFICATIONS`; the expressions of those files are kept too, so the
 * identities can be checked.
 */
import type { Complex } from '../numerics/complex';
import { lnGamma } from '../numerics/complex';
import { EQUILATERAL_EXPRESSIONS } from './fnl-expressions/equilateral';
import { ORTHOGONAL_EXPRESSIONS } from './fnl-expressions/orthogonal';
import type { FnlExpression } from './fnl-expressions/types';
import { compileGrid, compileScalar, parseMathematica, type ParsedExpression } from './mathematica-expr';
import { fftlogExponents, type ComplexArray } from './matrices';

export type FnlTemplate = 'equilateral' | 'orthogonal';

/** FFTLog bias of most fNL matrices (CLASS-PT `b = -0.8`, transfer basis `cmsym_transfer`). */
export const FNL_BIAS = -0.8;
/** FFTLog bias of the b2 fNL matrices (CLASS-PT `-1.25`, transfer basis `cmsym2_transfer`). */
export const FNL_BIAS_B2 = -1.25;

/**
 * The 21 matrices of CLASS-PT's M12 bundle, in bundle order (`bundle_m12.py` M12_PAIRS, the
 * `m12_regular`/`m12_ortho` arrays of `nonlinear_pt.c`), with their FFTLog biases
 * (`bias_real_space/matrix_gen-bias_real_space.py` dictio, `bias_multipoles/whichdict.py`).
 * `member` is the C struct member (`pnlpt->M12_oneline_...`, `_ortho` appended for orthogonal).
 */
export const FNL_BUNDLE = [
  { key: 'matter', bias: FNL_BIAS, member: 'M12_oneline' },
  { key: 'matter_multipoles_vv0_f2', bias: FNL_BIAS, member: 'M12_oneline_matter_multipoles_vv0_f2' },
  { key: 'matter_multipoles_vv0_f3', bias: FNL_BIAS, member: 'M12_oneline_matter_multipoles_vv0_f3' },
  { key: 'matter_multipoles_vd0_f1', bias: FNL_BIAS, member: 'M12_oneline_matter_multipoles_vd0_f1' },
  { key: 'matter_multipoles_vd0_f2', bias: FNL_BIAS, member: 'M12_oneline_matter_multipoles_vd0_f2' },
  { key: 'matter_multipoles_dd0_f0', bias: FNL_BIAS, member: 'M12_oneline_matter_multipoles_dd0_f0' },
  { key: 'matter_multipoles_dd0_f1', bias: FNL_BIAS, member: 'M12_oneline_matter_multipoles_dd0_f1' },
  { key: 'matter_multipoles_vv2_f3', bias: FNL_BIAS, member: 'M12_oneline_matter_multipoles_vv2_f3' },
  { key: 'matter_multipoles_vd2_f2', bias: FNL_BIAS, member: 'M12_oneline_matter_multipoles_vd2_f2' },
  { key: 'matter_multipoles_vv4_f3', bias: FNL_BIAS, member: 'M12_oneline_matter_multipoles_vv4_f3' },
  { key: 'matter_multipoles_vd4_f2', bias: FNL_BIAS, member: 'M12_oneline_matter_multipoles_vd4_f2' },
  { key: 'matter_mu_powers_vd2_f1', bias: FNL_BIAS, member: 'M12_oneline_matter_mu_powers_vd2_f1' },
  { key: 'matter_mu_powers_vd2_f2', bias: FNL_BIAS, member: 'M12_oneline_matter_mu_powers_vd2_f2' },
  { key: 'matter_mu_powers_dd2_f1', bias: FNL_BIAS, member: 'M12_oneline_matter_mu_powers_dd2_f1' },
  { key: 'matter_mu_powers_vv4_f2', bias: FNL_BIAS, member: 'M12_oneline_matter_mu_powers_vv4_f2' },
  { key: 'matter_mu_powers_vd4_f2', bias: FNL_BIAS, member: 'M12_oneline_matter_mu_powers_vd4_f2' },
  { key: 'matter_mu_powers_vv6_f3', bias: FNL_BIAS, member: 'M12_oneline_matter_mu_powers_vv6_f3' },
  { key: 'bias_real_space_b2', bias: FNL_BIAS_B2, member: 'M12_oneline_bias_real_space_b2' },
  { key: 'bias_real_space_G2', bias: FNL_BIAS, member: 'M12_oneline_bias_real_space_bG2' },
  { key: 'bias_multipoles_b2_vv0_f1', bias: FNL_BIAS_B2, member: 'M12_oneline_bias_multipoles_b2_vv0_f1' },
  { key: 'bias_multipoles_bG2_vv0_f1', bias: FNL_BIAS, member: 'M12_oneline_bias_multipoles_bG2_vv0_f1' },
] as const;

export type FnlMatrixKey = (typeof FNL_BUNDLE)[number]['key'];

/** Expressions CLASS-PT ships but replaces by identities (not in the bundle), with their biases. */
export const FNL_EXTRA = [
  { key: 'matter_multipoles_vv2_f2', bias: FNL_BIAS },
  { key: 'matter_multipoles_vv4_f2', bias: FNL_BIAS },
  { key: 'matter_multipoles_vd2_f1', bias: FNL_BIAS },
  { key: 'matter_multipoles_dd2_f1', bias: FNL_BIAS },
  { key: 'matter_mu_powers_vv4_f3', bias: FNL_BIAS },
  { key: 'bias_multipoles_b2_vd0_f0', bias: FNL_BIAS_B2 },
  { key: 'bias_multipoles_b2_vv2_f1', bias: FNL_BIAS_B2 },
  { key: 'bias_multipoles_bG2_vd0_f0', bias: FNL_BIAS },
  { key: 'bias_multipoles_bG2_vv2_f1', bias: FNL_BIAS },
] as const;

export type FnlExpressionKey = FnlMatrixKey | (typeof FNL_EXTRA)[number]['key'];

/**
 * CLASS-PT's `simplifications.txt` identities (`matter_multipoles/`, `matter_mu_powers/`,
 * `bias_multipoles/`; the same files in both template directories): `key` = `factor` x `base`.
 * The C code uses them in the fNL rows (`nonlinear_pt.c` 3771-3790, 3999-4010, FILL_M12_BIAS).
 */
export const FNL_SIMPLIFICATIONS: readonly { key: FnlExpressionKey; base: FnlMatrixKey; factor: number }[] = [
  { key: 'matter_multipoles_vv2_f2', base: 'matter_multipoles_vv0_f2', factor: 20 / 7 },
  { key: 'matter_multipoles_vv4_f2', base: 'matter_multipoles_vv0_f2', factor: 8 / 7 },
  { key: 'matter_multipoles_vd2_f1', base: 'matter_multipoles_vd0_f1', factor: 2 },
  { key: 'matter_multipoles_dd2_f1', base: 'matter_multipoles_dd0_f1', factor: 2 },
  { key: 'matter_mu_powers_vv4_f3', base: 'matter_mu_powers_vd2_f2', factor: 1 },
  { key: 'bias_multipoles_b2_vd0_f0', base: 'bias_multipoles_b2_vv0_f1', factor: 3 },
  { key: 'bias_multipoles_b2_vv2_f1', base: 'bias_multipoles_b2_vv0_f1', factor: 2 },
  { key: 'bias_multipoles_bG2_vd0_f0', base: 'bias_multipoles_bG2_vv0_f1', factor: 3 },
  { key: 'bias_multipoles_bG2_vv2_f1', base: 'bias_multipoles_bG2_vv0_f1', factor: 2 },
];

/** One fNL matrix: row-major (N+1)x(N+1) complex entries, with its name and FFTLog bias. */
export interface FnlMatrix extends ComplexArray {
  readonly key: FnlExpressionKey;
  readonly bias: number;
}

const EXPRESSIONS: Record<FnlTemplate, Readonly<Record<string, FnlExpression>>> = {
  equilateral: EQUILATERAL_EXPRESSIONS,
  orthogonal: ORTHOGONAL_EXPRESSIONS,
};

const BIAS_OF = new Map<string, number>([...FNL_BUNDLE, ...FNL_EXTRA].map((e) => [e.key, e.bias]));

const parsedCache = new Map<string, ParsedExpression>();

/** The parsed expression E of a matrix (variables in the order nu1, nu2). */
export function fnlExpression(template: FnlTemplate, key: FnlExpressionKey): ParsedExpression {
  const id = `${template}:${key}`;
  let p = parsedCache.get(id);
  if (!p) {
    const e = EXPRESSIONS[template][key];
    if (!e) throw new RangeError(`no fNL expression '${key}' for template '${template}'`);
    p = parseMathematica(e.text, e.variables);
    parsedCache.set(id, p);
  }
  return p;
}

/** The FFTLog bias of a matrix. */
export function fnlBias(key: FnlExpressionKey): number {
  const b = BIAS_OF.get(key);
  if (b === undefined) throw new RangeError(`unknown fNL matrix '${key}'`);
  return b;
}

const J_NORM = 1 / (8 * Math.pow(Math.PI, 1.5));

const scalarCache = new Map<string, (args: readonly Complex[]) => Complex>();

function scalarExpression(template: FnlTemplate, key: FnlExpressionKey): (args: readonly Complex[]) => Complex {
  const id = `${template}:${key}`;
  let f = scalarCache.get(id);
  if (!f) {
    f = compileScalar(fnlExpression(template, key));
    scalarCache.set(id, f);
  }
  return f;
}

/** J(nu1, nu2) x E(nu1, nu2) at one point (slow path, for tests and spot checks). */
export function fnlKernel(template: FnlTemplate, key: FnlExpressionKey): (nu1: Complex, nu2: Complex) => Complex {
  const e = scalarExpression(template, key);
  return (nu1, nu2) => {
    const j = jValue(nu1, nu2);
    const v = e([nu1, nu2]);
    return { re: j.re * v.re - j.im * v.im, im: j.re * v.im + j.im * v.re };
  };
}

/** The expression E alone at one point. */
export function fnlExpressionValue(template: FnlTemplate, key: FnlExpressionKey, nu1: Complex, nu2: Complex): Complex {
  return scalarExpression(template, key)([nu1, nu2]);
}

function jValue(nu1: Complex, nu2: Complex): Complex {
  const s = { re: nu1.re + nu2.re, im: nu1.im + nu2.im };
  const terms: [Complex, number][] = [
    [{ re: 1.5 - nu1.re, im: -nu1.im }, 1],
    [{ re: 1.5 - nu2.re, im: -nu2.im }, 1],
    [{ re: s.re - 1.5, im: s.im }, 1],
    [nu1, -1],
    [nu2, -1],
    [{ re: 3 - s.re, im: -s.im }, -1],
  ];
  let re = 0;
  let im = 0;
  for (const [z, sign] of terms) {
    const g = lnGamma(z);
    re += sign * g.re;
    im += sign * g.im;
  }
  const m = Math.exp(re) * J_NORM;
  return { re: m * Math.cos(im), im: m * Math.sin(im) };
}

/** nu_c = -eta_c/2 on the N+1 point FFTLog grid of bias b */
function gridNu(n: number, b: number): Complex[] {
  const eta = fftlogExponents(n, b);
  return Array.from({ length: n + 1 }, (_, c) => ({ re: -eta.re[c] / 2, im: -eta.im[c] / 2 }));
}

/**
 * J(nu_c, nu_e) for the entries the generator evaluates: rows c = 0..N/2, columns 0..N (row N/2:
 * 0..N/2), stored [c * (N+1) + e]. ln J is assembled from per-index and per-(c+e) log-Gammas
 * (nu_c + nu_e depends on c + e only), the same six terms as `j22`.
 */
function jHalfRows(n: number, nu: readonly Complex[]): ComplexArray {
  const nc = n + 1;
  const half = n / 2;
  const lgA: Complex[] = nu.map((z) => {
    const a = lnGamma({ re: 1.5 - z.re, im: -z.im });
    const g = lnGamma(z);
    return { re: a.re - g.re, im: a.im - g.im };
  });
  const lgB: Complex[] = [];
  for (let s = 0; s <= 2 * n; s++) {
    const c = Math.min(s, n);
    const e = s - c;
    const zr = nu[c].re + nu[e].re;
    const zi = nu[c].im + nu[e].im;
    const a = lnGamma({ re: zr - 1.5, im: zi });
    const g = lnGamma({ re: 3 - zr, im: -zi });
    lgB.push({ re: a.re - g.re, im: a.im - g.im });
  }
  const re = new Float64Array((half + 1) * nc);
  const im = new Float64Array((half + 1) * nc);
  for (let c = 0; c <= half; c++) {
    const count = c < half ? nc : half + 1;
    for (let e = 0; e < count; e++) {
      const lr = lgA[c].re + lgA[e].re + lgB[c + e].re;
      const li = lgA[c].im + lgA[e].im + lgB[c + e].im;
      const m = Math.exp(lr) * J_NORM;
      re[c * nc + e] = m * Math.cos(li);
      im[c * nc + e] = m * Math.sin(li);
    }
  }
  return { re, im };
}

interface GridCache {
  nu: Complex[];
  j: ComplexArray;
}

function gridCache(n: number, b: number, cache?: Map<number, GridCache>): GridCache {
  const hit = cache?.get(b);
  if (hit) return hit;
  const nu = gridNu(n, b);
  const g = { nu, j: jHalfRows(n, nu) };
  cache?.set(b, g);
  return g;
}

function buildM12(n: number, expr: ParsedExpression, grid: GridCache): ComplexArray {
  const nc = n + 1;
  const half = n / 2;
  const { nu, j } = grid;
  const ev = compileGrid(expr, nu);
  const re = new Float64Array(nc * nc);
  const im = new Float64Array(nc * nc);
  const rowRe = new Float64Array(nc);
  const rowIm = new Float64Array(nc);
  for (let c = 0; c <= half; c++) {
    const count = c < half ? nc : half + 1;
    ev.evaluateRow(nu[c], count, rowRe, rowIm);
    const mirror = n - c;
    for (let e = 0; e < count; e++) {
      const jr = j.re[c * nc + e];
      const ji = j.im[c * nc + e];
      const fr = rowRe[e] * jr - rowIm[e] * ji;
      const fi = rowRe[e] * ji + rowIm[e] * jr;
      if (e <= c) {
        // lower-triangle entry of a row <= N/2, and its mirror
        re[c * nc + e] = re[e * nc + c] = fr;
        im[c * nc + e] = im[e * nc + c] = fi;
      }
      if (c < half && e >= c) {
        // the generator's conjugate fill: m[N-c][N-e] = conj(m[c][e]), a lower-triangle entry of row N-c
        const r = mirror;
        const d = n - e;
        re[r * nc + d] = re[d * nc + r] = fr;
        im[r * nc + d] = im[d * nc + r] = -fi;
      }
    }
  }
  return { re, im };
}

function checkN(n: number): void {
  if (!Number.isInteger(n) || n < 2 || n % 2 !== 0) throw new RangeError(`N must be an even integer >= 2, got ${n}`);
}

/** One fNL matrix (any expression key, including the `FNL_EXTRA` ones). */
export function fnlMatrix(n: number, template: FnlTemplate, key: FnlExpressionKey): FnlMatrix {
  checkN(n);
  const bias = fnlBias(key);
  const m = buildM12(n, fnlExpression(template, key), gridCache(n, bias));
  return { key, bias, re: m.re, im: m.im };
}

/**
 * The 21 M12 matrices of CLASS-PT's bundle for one template, keyed in bundle order
 * (`Object.values` iterates in that order), each row-major (N+1)x(N+1) on the grid of its bias.
 */
export function fnlMatrices(n: number, template: FnlTemplate): Record<FnlMatrixKey, FnlMatrix> {
  checkN(n);
  const cache = new Map<number, GridCache>();
  /** identical expressions (e.g. matter_multipoles dd0_f0 = matter, in both templates) are built once */
  const built = new Map<string, ComplexArray>();
  const out = {} as Record<FnlMatrixKey, FnlMatrix>;
  for (const { key, bias } of FNL_BUNDLE) {
    const e = EXPRESSIONS[template][key];
    const [v1, v2] = e.variables;
    const id = `${bias}:${e.text.replace(new RegExp(`\\b${v1}\\b`, 'g'), '#1').replace(new RegExp(`\\b${v2}\\b`, 'g'), '#2')}`;
    let m = built.get(id);
    if (m) m = { re: m.re.slice(), im: m.im.slice() };
    else {
      m = buildM12(n, fnlExpression(template, key), gridCache(n, bias, cache));
      built.set(id, m);
    }
    out[key] = { key, bias, re: m.re, im: m.im };
  }
  return out;
}
