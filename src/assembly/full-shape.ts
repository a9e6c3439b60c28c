/**
 * The galaxy power-spectrum multipoles of the BOSS DR12 full-shape analysis (Philcox & Ivanov
 * 2022; the `full_shape_spectra` MontePython likelihood, fs_utils.py `PkTheory`, at commit
 * 3991ebb), written once as linear forms over classy's `get_pk_mult` rows. k is in h/Mpc (the
 * rows are evaluated at k h), P in (Mpc/h)^3:
 *
 *   P0 = h^3 [tree_0_vv + loop_0_vv + b1 (tree_0_vd + loop_0_vd) + b1^2 (tree_0_dd + loop_0_dd)
 *        + b2^2/4 Id2d2 + b1 b2 0_b1b2 + b2 0_b2 + b1 bG2 0_b1bG2 + bG2 0_bG2 + b2 bG2 Id2G2
 *        + bG2^2 IG2G2 + (2 bG2 + 0.8 bGamma3)(b1 IFG2_0b1 + IFG2_0)] + 2 cs0 h ctr_0
 *        + b4 c0 f^2 h k^2 ctr_4 + Pshot + (a0 + a2/3)(k/0.45)^2
 *   P2 = h^3 [tree_2_vv + loop_2_vv + b1 (tree_2_vd + loop_2_vd) + b1^2 loop_2_dd + b1 b2 2_b1b2
 *        + b2 2_b2 + b1 bG2 2_b1bG2 + bG2 2_bG2 + b2^2/4 Id2d2_2 + b2 bG2 Id2G2_2 + bG2^2 IG2G2_2
 *        + (2 bG2 + 0.8 bGamma3) IFG2_2] + 2 cs2 h ctr_2 + b4 c2 f^2 h k^2 ctr_4 + (2 a2/3)(k/0.45)^2
 *   P4 = h^3 [tree_4_vv + loop_4_vv + b1 loop_4_vd + b1^2 loop_4_dd + b2 4_b2 + bG2 4_bG2
 *        + b1 b2 4_b1b2 + b1 bG2 4_b1bG2 + b2^2/4 Id2d2_4 + b2 bG2 Id2G2_4 + bG2^2 [IG2G2_4]]
 *        + 2 cs4 h ctr_4 + b4 c4 f^2 h k^2 ctr_4
 *   c0 = (35/8)(f^2/9 + 2 f b1/7 + b1^2/5),  c2 = (35/8)(4/693)(70 f^2 + 165 f b1 + 99 b1^2),
 *   c4 = 210 f^2/143 + 30 f b1/11 + b1^2
 *
 * (2 cs h ctr = 2 cs ctr/h^2 h^3 with cs in (Mpc/h)^2; b4 in (Mpc/h)^4.) The published code puts
 * row 46 (Id2G2_4) where IG2G2_4 belongs in the bG2^2 term of P4 (fixed upstream in 08ba303);
 * `bG2SquaredL4Row` chooses, the published row by default (the difference is below 1e-5 in
 * -2 ln L: rows 45-47 are ~1e-4 (Mpc/h)^3 AP leakage). The stochastic terms carry the
 * normalisation of the published templates (Pshot: 1, a0: (k/0.45)^2, a2: (k/0.45)^2 (1/3, 2/3)).
 *
 * Every term is linear in the parameters that a likelihood marginalises analytically
 * (bGamma3, cs0, cs2, cs4, b4, Pshot, a0, a2), so their templates are differences of these same
 * forms (`fullShapeTemplates`): one source of truth for the model and its derivatives.
 * Coefficients are written against `Ops<T>`: float64 numbers, dual numbers (exact host
 * gradients, what the likelihood uses) or tfjs tensors.
 */
import type { Ops, Val } from '../cosmology/ops';

/** Rows whose values are bin-averaged by a likelihood: component rows, and k^2 ctr_4 (k in h/Mpc). */
export const K2_CTR4_HMPC = 'k^2 ctr_4';
/** Rows taken at the bin centres (not averaged): the constant and (k/0.45)^2 (k in h/Mpc). */
export const CONSTANT_ROW = '1';
export const K045_ROW = '(k/0.45)^2';

export const FULL_SHAPE_LINEAR_PARAMS = ['bGamma3', 'cs0', 'cs2', 'cs4', 'b4', 'Pshot', 'a0', 'a2'] as const;
export type FullShapeLinearParam = (typeof FULL_SHAPE_LINEAR_PARAMS)[number];
export const FULL_SHAPE_BIAS_PARAMS = ['b1', 'b2', 'bG2'] as const;

export type FullShapeParams<T> = Record<(typeof FULL_SHAPE_BIAS_PARAMS)[number] | FullShapeLinearParam, Val<T>>;

export interface FullShapeTerm<T> {
  /** multipole */
  l: 0 | 2 | 4;
  /** a component row, K2_CTR4_HMPC, CONSTANT_ROW or K045_ROW */
  row: string;
  coefficient: Val<T>;
}

export interface FullShapeOptions {
  /** the row of the bG2^2 term of P4: 'Id2G2_4' as published (default) or 'IG2G2_4' */
  bG2SquaredL4Row?: 'Id2G2_4' | 'IG2G2_4';
}

/** The terms of P0, P2, P4 (see the header), coefficients in the algebra `o`. */
export function fullShapeTerms<T>(o: Ops<T>, p: FullShapeParams<T>, f: Val<T>, h: Val<T>, options: FullShapeOptions = {}): FullShapeTerm<T>[] {
  const m = (...xs: Val<T>[]): Val<T> => xs.reduce((a, b) => o.mul(a, b));
  const a = (...xs: Val<T>[]): Val<T> => xs.reduce((x, y) => o.add(x, y));
  const { b1, b2, bG2, bGamma3, cs0, cs2, cs4, b4, Pshot, a0, a2 } = p;
  const h3 = m(h, h, h);
  const g3 = a(m(2, bG2), m(0.8, bGamma3)); // 2 bG2 + 0.8 bGamma3
  const c0 = m(35 / 8, a(m(f, f, 1 / 9), m(2 / 7, f, b1), m(b1, b1, 1 / 5)));
  const c2 = m((35 / 8) * (4 / 693), a(m(70, f, f), m(165, f, b1), m(99, b1, b1)));
  const c4 = a(m(210 / 143, f, f), m(30 / 11, f, b1), m(b1, b1));
  const b4f2h = m(b4, f, f, h);
  const terms: FullShapeTerm<T>[] = [];
  const bracket = (l: 0 | 2 | 4, rows: [string, Val<T>][]) => {
    for (const [row, c] of rows) terms.push({ l, row, coefficient: m(c, h3) });
  };
  const add = (l: 0 | 2 | 4, row: string, coefficient: Val<T>) => terms.push({ l, row, coefficient });
  bracket(0, [
    ['tree_0_vv', 1], ['loop_0_vv', 1], ['tree_0_vd', b1], ['loop_0_vd', b1], ['tree_0_dd', m(b1, b1)], ['loop_0_dd', m(b1, b1)],
    ['Id2d2', m(0.25, b2, b2)], ['0_b1b2', m(b1, b2)], ['0_b2', b2], ['0_b1bG2', m(b1, bG2)], ['0_bG2', bG2],
    ['Id2G2', m(b2, bG2)], ['IG2G2', m(bG2, bG2)], ['IFG2_0b1', m(g3, b1)], ['IFG2_0', g3],
  ]);
  add(0, 'ctr_0', m(2, cs0, h));
  add(0, K2_CTR4_HMPC, m(b4f2h, c0));
  add(0, CONSTANT_ROW, Pshot);
  add(0, K045_ROW, a(a0, m(a2, 1 / 3)));
  bracket(2, [
    ['tree_2_vv', 1], ['loop_2_vv', 1], ['tree_2_vd', b1], ['loop_2_vd', b1], ['loop_2_dd', m(b1, b1)],
    ['2_b1b2', m(b1, b2)], ['2_b2', b2], ['2_b1bG2', m(b1, bG2)], ['2_bG2', bG2],
    ['Id2d2_2', m(0.25, b2, b2)], ['Id2G2_2', m(b2, bG2)], ['IG2G2_2', m(bG2, bG2)], ['IFG2_2', g3],
  ]);
  add(2, 'ctr_2', m(2, cs2, h));
  add(2, K2_CTR4_HMPC, m(b4f2h, c2));
  add(2, K045_ROW, m(a2, 2 / 3));
  bracket(4, [
    ['tree_4_vv', 1], ['loop_4_vv', 1], ['loop_4_vd', b1], ['loop_4_dd', m(b1, b1)], ['4_b2', b2], ['4_bG2', bG2],
    ['4_b1b2', m(b1, b2)], ['4_b1bG2', m(b1, bG2)], ['Id2d2_4', m(0.25, b2, b2)], ['Id2G2_4', m(b2, bG2)],
    [options.bG2SquaredL4Row ?? 'Id2G2_4', m(bG2, bG2)],
  ]);
  add(4, 'ctr_4', m(2, cs4, h));
  add(4, K2_CTR4_HMPC, m(b4f2h, c4));
  return terms;
}

const numberOps: Ops<number> = {
  add: (a, b) => a + b, sub: (a, b) => a - b, mul: (a, b) => a * b, div: (a, b) => a / b,
  pow: Math.pow, log: Math.log, exp: Math.exp, sqrt: Math.sqrt, sin: Math.sin,
};

/** The component rows the model reads (K2_CTR4_HMPC needs ctr_4; both bG2^2 rows of P4). */
export const FULL_SHAPE_ROWS: readonly string[] = [
  ...new Set(
    fullShapeTerms<number>(numberOps, { b1: 1, b2: 1, bG2: 1, bGamma3: 1, cs0: 1, cs2: 1, cs4: 1, b4: 1, Pshot: 1, a0: 1, a2: 1 }, 1, 1)
      .map((t) => (t.row === K2_CTR4_HMPC ? 'ctr_4' : t.row))
      .filter((r) => r !== CONSTANT_ROW && r !== K045_ROW)
      .concat('IG2G2_4'),
  ),
];

/**
 * A value affine in the linear parameters theta: c + sum_p t[p] theta_p, with c and the t[p] in
 * the algebra `o`. The model's terms are affine in each linear parameter and never multiply two
 * of them, so evaluating the forms once in this algebra gives the model's coefficients (c) and
 * every template's (t[p]) together.
 */
interface Affine<T> {
  c: Val<T>;
  t: Map<number, Val<T>>;
}

function affineOps<T>(o: Ops<T>): Ops<Affine<T>> {
  const lift = (a: Val<Affine<T>>): Affine<T> => (typeof a === 'number' ? { c: a, t: new Map() } : a);
  const plain = (a: Affine<T>, what: string): Val<T> => {
    if (a.t.size) throw new Error(`internal: ${what} of a linear parameter (the model must be affine in them)`);
    return a.c;
  };
  const combine = (a: Affine<T>, b: Affine<T>, sign: 1 | -1): Affine<T> => {
    const t = new Map(a.t);
    for (const [p, v] of b.t) t.set(p, t.has(p) ? (sign > 0 ? o.add(t.get(p)!, v) : o.sub(t.get(p)!, v)) : sign > 0 ? v : o.sub(0, v));
    return { c: sign > 0 ? o.add(a.c, b.c) : o.sub(a.c, b.c), t };
  };
  const scale = (a: Affine<T>, k: Val<T>): Affine<T> => ({ c: o.mul(a.c, k), t: new Map([...a.t].map(([p, v]) => [p, o.mul(v, k)])) });
  return {
    add: (a, b) => combine(lift(a), lift(b), 1),
    sub: (a, b) => combine(lift(a), lift(b), -1),
    mul: (a, b) => {
      const x = lift(a);
      const y = lift(b);
      if (x.t.size && y.t.size) throw new Error('internal: a product of linear parameters (the model must be affine in them)');
      return x.t.size ? scale(x, y.c) : scale(y, x.c);
    },
    div: (a, b) => scale(lift(a), o.div(1, plain(lift(b), 'a division by a function'))),
    pow: (a, b) => ({ c: o.pow(plain(lift(a), 'a power'), plain(lift(b), 'a power')), t: new Map() }),
    log: (a) => ({ c: o.log(plain(lift(a), 'the log')), t: new Map() }),
    exp: (a) => ({ c: o.exp(plain(lift(a), 'the exp')), t: new Map() }),
    sqrt: (a) => ({ c: o.sqrt(plain(lift(a), 'the sqrt')), t: new Map() }),
    sin: (a) => ({ c: o.sin(plain(lift(a), 'the sin')), t: new Map() }),
  };
}

/**
 * The terms grouped as the model at given linear parameters and the template of each linear
 * parameter, t_p = d(model)/d(theta_p): one evaluation of the same forms in an algebra affine in
 * theta (exact: every term is affine in each linear parameter). Coefficients keyed "l:row".
 */
export function fullShapeTemplates<T>(
  o: Ops<T>,
  bias: { b1: Val<T>; b2: Val<T>; bG2: Val<T> },
  linear: Record<FullShapeLinearParam, Val<T>>,
  f: Val<T>,
  h: Val<T>,
  options: FullShapeOptions = {},
): { model: Map<string, Val<T>>; templates: Map<FullShapeLinearParam, Map<string, Val<T>>> } {
  const a = affineOps(o);
  const theta = Object.fromEntries(FULL_SHAPE_LINEAR_PARAMS.map((n, p) => [n, { c: 0, t: new Map([[p, 1]]) } as Affine<T>])) as Record<FullShapeLinearParam, Affine<T>>;
  const lift = (v: Val<T>): Affine<T> => ({ c: v, t: new Map() });
  const sums = new Map<string, Affine<T>>();
  for (const term of fullShapeTerms<Affine<T>>(a, { b1: lift(bias.b1), b2: lift(bias.b2), bG2: lift(bias.bG2), ...theta }, lift(f), lift(h), options)) {
    const key = `${term.l}:${term.row}`;
    const c = typeof term.coefficient === 'number' ? lift(term.coefficient) : term.coefficient;
    sums.set(key, sums.has(key) ? (a.add(sums.get(key)!, c) as Affine<T>) : c);
  }
  const model = new Map<string, Val<T>>();
  const templates = new Map<FullShapeLinearParam, Map<string, Val<T>>>(FULL_SHAPE_LINEAR_PARAMS.map((n) => [n, new Map()]));
  for (const [key, v] of sums) {
    let m = v.c;
    for (const [p, tp] of v.t) {
      m = o.add(m, o.mul(tp, linear[FULL_SHAPE_LINEAR_PARAMS[p]]));
      templates.get(FULL_SHAPE_LINEAR_PARAMS[p])!.set(key, tp);
    }
    model.set(key, m);
  }
  return { model, templates };
}
