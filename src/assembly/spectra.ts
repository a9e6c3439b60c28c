/**
 * Assembly of the matter and galaxy power spectra from the components, exactly as classy
 * (CLASS-PT's Python wrapper, classy.pyx `initialize_output`, `pk_mm_real` ... `pk_gm_l4`).
 *
 * Components are classy's `get_pk_mult` rows by name (`loop`, `tree`, `ctr`, `Id2`, `0_b1b2`,
 * `loop_2_vd`, ...), in Mpc^3, at the output k (1/Mpc). Spectra are in (Mpc/h)^3: every row is
 * multiplied by h^3, counterterms enter as `2 cs ctr / h^2` (cs in (Mpc/h)^2), the stochastic
 * terms as `Pshot + a0 (k/0.45)^2 + ...` and the b4 terms as `f^2 b4 k^2 P(f, b1) (35/8) ctr_4 h`,
 * with k the output k array exactly as passed to classy (1/Mpc, classy's `self.kh`).
 *
 * Broadcasting rule (one for every function here):
 * - a component is a [B, nK] tensor (a [nK] tensor is accepted and broadcasts like a row);
 * - every parameter (nuisance parameters, h, f, Pd2d2_0) is a number, a rank-0 tensor, a [B]
 *   tensor or a [B, 1] tensor; a [B] tensor is always read as a column [B, 1], i.e. one value
 *   per cosmology / parameter set, constant in k;
 * - the k array is shared ([nK], number array or tensor) or per cosmology ([B][nK] or a
 *   [B, nK] tensor);
 * - the result is the broadcast of all of these: [B, nK]. `pd2d2Classy` / `pd2d2Fixed` give [B].
 * One call shape for every spectrum: `pkXx(components, params, context)`, params the nuisance
 * parameters by classy's names ({b1, b2, bG2, ...}; omitted for the fNL matter spectra, which
 * have none) and context an AssembleContext: `{h}` for the real-space and matter/cross
 * spectra, `{h, f, kOutMpc | kOutHMpc}` for the galaxy multipoles, `{h, fnlShape}` for the fNL
 * ones. (A bare h in place of the context is accepted where only h is needed: deprecated.)
 * Every function is differentiable in the components and all parameters (tf.grad works once
 * tfjs-core's gradients are registered: `import '@tensorflow/tfjs-core/dist/register_all_gradients.js'`).
 * Helpers live in ./params.ts, Pd2d2_0 in ./pd2d2.ts (both re-exported here).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as own from '../private-ops';
import { cadd, cmul, coef, comp, hOf, kRows, param, type Coef, type Components, type HArg, type KArray, type Param } from './params';
import { pd2d2Classy } from './pd2d2';
import { splitRows } from '../numerics/rows';

export type { Components, HArg, KArray, Param } from './params';
export { pd2d2Classy, pd2d2Fixed, simpsonWeights, type SimpsonEvenRule } from './pd2d2';

/** What the galaxy multipoles need besides the components: the context with f and a k array. */
export type MultipoleContext = AssembleContext & { f: Param };

/* ---------------------------------------------------------------- linear forms */

/**
 * Every spectrum is linear in the rows: sum_r coefficient_r row_r, with the coefficients built
 * from the parameters (numbers fold on the host, see Coef) and the rows the components plus
 * three k-dependent ones: a constant (Pshot, Pd2d2_0), (k/0.45)^2 (a0, a2) and k^2 ctr_4 (b4).
 */
const ONE = '1';
const KK45 = '(k/0.45)^2';
const K2_CTR4 = 'k^2 ctr_4';
type Form = Map<string, Coef>;

/** A form from (row, coefficient) terms; a row named twice gets the sum. */
function form(terms: [string, Coef][]): Form {
  const out: Form = new Map();
  for (const [row, c] of terms) out.set(row, out.has(row) ? cadd(out.get(row)!, c) : c);
  return out;
}

/** The same coefficient on several rows. */
const each = (c: Coef, ...rows: string[]): [string, Coef][] => rows.map((r) => [r, c]);

/** Parameters by name as coefficients (validated). */
function coefs<K extends string>(p: Partial<Record<K, Param>>, keys: readonly K[]): Record<K, Coef> {
  return Object.fromEntries(keys.map((k) => [k, coef(k, p[k])])) as Record<K, Coef>;
}

/** h^3 (every component row) and 2 / h^2 (the counterterms), as coefficients. */
function hFactors(h: HArg): { h: Coef; h3: Coef; twoOverH2: Coef } {
  const hh = coef('h', hOf(h));
  return typeof hh === 'number'
    ? { h: hh, h3: hh ** 3, twoOverH2: 2 / hh ** 2 }
    : { h: hh, h3: tf.pow(hh, 3), twoOverH2: own.mul(2, tf.pow(hh, -2)) };
}

/** A form of component rows times h^3 plus terms outside the h^3 (stochastic, b4). */
function scaled(h3: Coef, body: [string, Coef][], outside: [string, Coef][] = []): Form {
  return form([...body.map(([r, c]): [string, Coef] => [r, cmul(c, h3)]), ...outside]);
}

/**
 * Evaluates forms over the same components in one matMul: the rows stacked [R, B, nK], the
 * coefficients a [S, R] matrix (or [B, S, R] when a parameter is per cosmology), numbers placed
 * on the host and tensor coefficients by one small matMul. Returns one [B, nK] tensor per form
 * ([nK] when every component is [nK] and no parameter is per cosmology).
 */
function evaluate(c: Components, forms: Form[], fn: string, kOutMpc?: KArray): tf.Tensor[] {
  const names = [...new Set(forms.flatMap((f) => [...f.keys()]))];
  const comps = new Map<string, tf.Tensor>();
  for (const r of names) if (r !== ONE && r !== KK45) comps.set(r, comp(c, r === K2_CTR4 ? 'ctr_4' : r, fn));
  const first = comps.values().next().value as tf.Tensor | undefined;
  const kHost = kOutMpc !== undefined && (names.includes(KK45) || names.includes(K2_CTR4)) ? kRows(kOutMpc) : undefined;
  const nK = first ? first.shape[first.rank - 1] : kHost![0].length;
  const perK = (scale: number) => {
    const rows = kHost!.map((k) => k.map((x) => (x * x) / scale));
    return rows.length === 1 ? tf.tensor1d(rows[0]) : tf.tensor2d(rows);
  };
  const k2 = names.includes(K2_CTR4) ? perK(1) : undefined;
  const tensors = names.map((r) =>
    r === ONE ? tf.ones([nK]) : r === KK45 ? perK(0.45 * 0.45) : r === K2_CTR4 ? own.mul(k2!, comps.get(r)!) : comps.get(r)!,
  );
  const rowBatch = Math.max(...tensors.map((t) => (t.rank === 2 ? t.shape[0] : 1)));
  const rows = tensors.map((t) => {
    const t2 = t.rank === 2 ? t : tf.reshape(t, [1, nK]);
    return t2.shape[0] === rowBatch ? t2 : own.mul(t2, tf.ones([rowBatch, 1]));
  });
  // coefficients: host numbers and tensor entries (rank 0 or [B, 1])
  const S = forms.length;
  const R = names.length;
  const numbers = new Float64Array(S * R);
  const entries: { at: number; t: tf.Tensor }[] = [];
  forms.forEach((f, s) => {
    for (const [r, v] of f) {
      const at = s * R + names.indexOf(r);
      if (typeof v === 'number') numbers[at] = v;
      else entries.push({ at, t: v });
    }
  });
  const coefBatch = Math.max(1, ...entries.map(({ t }) => (t.rank === 2 ? t.shape[0] : 1)));
  let W: tf.Tensor2D = tf.tensor2d(Float32Array.from(numbers), [1, S * R]);
  if (entries.length > 0) {
    const cols = entries.map(({ t }) => {
      const col = tf.reshape(t, [-1, 1]);
      return col.shape[0] === coefBatch ? col : own.mul(col, tf.ones([coefBatch, 1]));
    });
    const placement = new Float32Array(entries.length * S * R);
    entries.forEach(({ at }, e) => (placement[e * S * R + at] = 1));
    const values = cols.length === 1 ? cols[0] : tf.concat(cols, 1);
    W = tf.add(own.matMul(values, tf.tensor2d(placement, [entries.length, S * R])), W);
  }
  let out: tf.Tensor3D; // [S, B, nK]
  if (coefBatch === 1) {
    const stacked = tf.reshape(tf.stack(rows), [R, rowBatch * nK]);
    out = tf.reshape(own.matMul(tf.reshape(W, [S, R]), stacked), [S, rowBatch, nK]);
  } else if (rowBatch === 1) {
    const stacked = tf.reshape(tf.stack(rows), [R, nK]);
    out = tf.transpose(tf.reshape(own.matMul(tf.reshape(W, [coefBatch * S, R]), stacked), [coefBatch, S, nK]), [1, 0, 2]);
  } else {
    if (rowBatch !== coefBatch) throw new RangeError(`${fn}: parameters for ${coefBatch} cosmologies, components for ${rowBatch}`);
    const stacked = tf.stack(rows, 1) as tf.Tensor3D; // [B, R, nK]
    out = tf.transpose(own.matMul(tf.reshape(W, [coefBatch, S, R]) as tf.Tensor3D, stacked), [1, 0, 2]) as tf.Tensor3D;
  }
  const flat = tensors.every((t) => t.rank === 1) && entries.every(({ t }) => t.rank === 0);
  return splitRows(out).map((t) => (flat ? tf.reshape(t, [nK]) : t));
}

/** One form evaluated (see evaluate). */
function evaluateOne(c: Components, f: Form, fn: string, kOutMpc?: KArray): tf.Tensor {
  return tf.tidy(() => evaluate(c, [f], fn, kOutMpc)[0]);
}

/* ---------------------------------------------------------------- real space */

/** classy `pk_mm_real(cs)` = (loop + tree + 2 cs ctr/h^2) h^3. */
function mmRealForm(p: { cs: Param }, h: HArg): Form {
  const { h3, twoOverH2 } = hFactors(h);
  return scaled(h3, [['loop', 1], ['tree', 1], ['ctr', cmul(coef('cs', p.cs), twoOverH2)]]);
}

export function pkMmReal(c: Components, p: { cs: Param }, h: HArg): tf.Tensor {
  return tf.tidy(() => evaluateOne(c, mmRealForm(p, h), 'pkMmReal'));
}

export interface GgRealParams { b1: Param; b2: Param; bG2: Param; bGamma3: Param; cs: Param; cs0: Param; Pshot: Param }

/**
 * classy `pk_gg_real(b1, b2, bG2, bGamma3, cs, cs0, Pshot)` = (b1^2 (tree + loop)
 * + 2 (cs b1^2 + cs0 b1) ctr/h^2 + b1 b2 Id2 + b2^2/4 Id2d2 + 2 b1 bG2 IG2
 * + b1 (2 bG2 + 0.8 bGamma3) IFG2 + bG2^2 IG2G2 + b2 bG2 Id2G2) h^3 + Pshot. (No Pd2d2_0 here.)
 */
function ggRealForm(p: GgRealParams, h: HArg): Form {
  const { h3, twoOverH2 } = hFactors(h);
  const { b1, b2, bG2, bGamma3, cs, cs0, Pshot } = coefs(p, ['b1', 'b2', 'bG2', 'bGamma3', 'cs', 'cs0', 'Pshot'] as const);
  const b1sq = cmul(b1, b1);
  return scaled(h3, [
    ...each(b1sq, 'tree', 'loop'),
    ['ctr', cmul(cadd(cmul(cs, b1sq), cmul(cs0, b1)), twoOverH2)],
    ['Id2', cmul(b1, b2)],
    ['Id2d2', cmul(0.25, b2, b2)],
    ['IG2', cmul(2, b1, bG2)],
    ['IFG2', cmul(b1, cadd(cmul(2, bG2), cmul(0.8, bGamma3)))],
    ['IG2G2', cmul(bG2, bG2)],
    ['Id2G2', cmul(b2, bG2)],
  ], [[ONE, Pshot]]);
}

export function pkGgReal(c: Components, p: GgRealParams, h: HArg): tf.Tensor {
  return tf.tidy(() => evaluateOne(c, ggRealForm(p, h), 'pkGgReal'));
}

export type GmRealParams = Omit<GgRealParams, 'Pshot'>;

/**
 * classy `pk_gm_real(b1, b2, bG2, bGamma3, cs, cs0)` = (b1 (tree + loop) + (2 cs b1 + cs0) ctr/h^2
 * + b2/2 Id2 + bG2 IG2 + (bG2 + 0.4 bGamma3) IFG2) h^3. Note: `(2 cs b1 + cs0)`, without a 2 on cs0.
 */
function gmRealForm(p: GmRealParams, h: HArg): Form {
  const { h3, twoOverH2 } = hFactors(h);
  const { b1, b2, bG2, bGamma3, cs, cs0 } = coefs(p, ['b1', 'b2', 'bG2', 'bGamma3', 'cs', 'cs0'] as const);
  return scaled(h3, [
    ...each(b1, 'tree', 'loop'),
    ['ctr', cmul(cadd(cmul(2, cs, b1), cs0), twoOverH2, 0.5)],
    ['Id2', cmul(0.5, b2)],
    ['IG2', bG2],
    ['IFG2', cadd(bG2, cmul(0.4, bGamma3))],
  ]);
}

export function pkGmReal(c: Components, p: GmRealParams, h: HArg): tf.Tensor {
  return tf.tidy(() => evaluateOne(c, gmRealForm(p, h), 'pkGmReal'));
}

/* ---------------------------------------------------------------- matter multipoles */

const MM_ROWS = {
  0: ['tree_0_vv', 'loop_0_vv', 'tree_0_vd', 'loop_0_vd', 'tree_0_dd', 'loop_0_dd'],
  2: ['tree_2_vv', 'loop_2_vv', 'tree_2_vd', 'loop_2_vd', 'loop_2_dd'],
  4: ['tree_4_vv', 'loop_4_vv', 'loop_4_vd', 'loop_4_dd'],
} as const;

/** classy `pk_mm_l{0,2,4}(cs_l)` = (the l rows summed + 2 cs_l ctr_l/h^2) h^3. */
function mmMultipoleForm(l: 0 | 2 | 4, cs: Coef, h: HArg): Form {
  const { h3, twoOverH2 } = hFactors(h);
  return scaled(h3, [...each(1, ...MM_ROWS[l]), [`ctr_${l}`, cmul(cs, twoOverH2)]]);
}

/** classy `pk_mm_l0(cs0)` = (tree_0_{vv,vd,dd} + loop_0_{vv,vd,dd} + 2 cs0 ctr_0/h^2) h^3. */
export function pkMmL0(c: Components, p: { cs0: Param }, h: HArg): tf.Tensor {
  return tf.tidy(() => evaluateOne(c, mmMultipoleForm(0, coef('cs0', p.cs0), h), 'pkMmL0'));
}

/** classy `pk_mm_l2(cs2)` = (tree_2_vv + loop_2_vv + tree_2_vd + loop_2_vd + loop_2_dd + 2 cs2 ctr_2/h^2) h^3. */
export function pkMmL2(c: Components, p: { cs2: Param }, h: HArg): tf.Tensor {
  return tf.tidy(() => evaluateOne(c, mmMultipoleForm(2, coef('cs2', p.cs2), h), 'pkMmL2'));
}

/** classy `pk_mm_l4(cs4)` = (tree_4_vv + loop_4_vv + loop_4_vd + loop_4_dd + 2 cs4 ctr_4/h^2) h^3. */
export function pkMmL4(c: Components, p: { cs4: Param }, h: HArg): tf.Tensor {
  return tf.tidy(() => evaluateOne(c, mmMultipoleForm(4, coef('cs4', p.cs4), h), 'pkMmL4'));
}

/* ---------------------------------------------------------------- galaxy multipoles */

export interface GgL0Params { b1: Param; b2: Param; bG2: Param; bGamma3: Param; cs0: Param; Pshot: Param; a0: Param; a2: Param; b4: Param }
export interface GgL2Params { b1: Param; b2: Param; bG2: Param; bGamma3: Param; cs2: Param; a2: Param; b4: Param }
export interface GgL4Params { b1: Param; b2: Param; bG2: Param; bGamma3: Param; cs4: Param; b4: Param }

/** The growth rate of a gg multipole's context, checked. */
function rsdF(fn: string, ctx: MultipoleContext): Coef {
  if (ctx.kOutMpc === undefined && ctx.kOutHMpc === undefined) throw new TypeError(`${fn}: ctx.kOutMpc (or ctx.kOutHMpc) missing`);
  if (ctx.kOutMpc !== undefined && ctx.kOutHMpc !== undefined) throw new TypeError(`${fn}: give ctx.kOutMpc or ctx.kOutHMpc, not both`);
  return coef('f', ctx.f);
}

/** The k array of a context (h/Mpc when kOutHMpc is given, else 1/Mpc). */
const kOf = (ctx: { kOutMpc?: KArray; kOutHMpc?: KArray }): KArray | undefined => ctx.kOutHMpc ?? ctx.kOutMpc;

/** (k_Mpc / k_context)^2: h^2 when the context's k are in h/Mpc (k_Mpc = k h), else 1. */
function kUnitSquared(ctx: { h: Param; kOutHMpc?: KArray }): Coef {
  if (ctx.kOutHMpc === undefined) return 1;
  const h = coef('h', ctx.h);
  return cmul(h, h);
}

/**
 * classy's b4 term: fz^2 b4 kh^2 poly (35/8) ctr_4 h, with kh the k passed to classy (1/Mpc),
 * `pm13` = ctr_4 in Mpc^3 and one power of h (as classy writes it): the coefficient of k^2 ctr_4.
 */
function b4Term(f: Coef, b4: Coef, poly: Coef, h: Coef): [string, Coef] {
  return [K2_CTR4, cmul(f, f, b4, poly, 35 / 8, h)];
}

/**
 * classy `pk_gg_l0(b1, b2, bG2, bGamma3, cs0, Pshot_nbar, a0_nbar, a2_nbar, b4)` (here Pshot, a0,
 * a2 are classy's *_nbar arguments) = (tree_0_vv + loop_0_vv + b1 (tree_0_vd + loop_0_vd)
 * + b1^2 (tree_0_dd + loop_0_dd) + b2^2/4 Id2d2 + b1 b2 [0_b1b2] + b2 [0_b2] + b1 bG2 [0_b1bG2]
 * + bG2 [0_bG2] + b2 bG2 Id2G2 + bG2^2 IG2G2 + 2 cs0 ctr_0/h^2 + (2 bG2 + 0.8 bGamma3)(b1 IFG2_0b1
 * + IFG2_0)) h^3 + Pshot + a0 (kh/0.45)^2 + a2/3 (kh/0.45)^2 + b2^2/4 Pd2d2_0
 * + fz^2 b4 kh^2 (fz^2/9 + 2 fz b1/7 + b1^2/5)(35/8) ctr_4 h.
 */
function ggL0Form(p: GgL0Params, ctx: MultipoleContext, pd2d2: Coef): Form {
  const f = rsdF('pkGgL0', ctx);
  const { h, h3, twoOverH2 } = hFactors(ctx.h);
  const { b1, b2, bG2, bGamma3, cs0, Pshot, a0, a2, b4 } = coefs(p, ['b1', 'b2', 'bG2', 'bGamma3', 'cs0', 'Pshot', 'a0', 'a2', 'b4'] as const);
  const g3 = cadd(cmul(2, bG2), cmul(0.8, bGamma3));
  const poly = cadd(cmul(f, f, 1 / 9), cmul(2 / 7, f, b1), cmul(b1, b1, 1 / 5));
  return scaled(h3, [
    ...each(1, 'tree_0_vv', 'loop_0_vv'),
    ...each(b1, 'tree_0_vd', 'loop_0_vd'),
    ...each(cmul(b1, b1), 'tree_0_dd', 'loop_0_dd'),
    ['Id2d2', cmul(0.25, b2, b2)],
    ['0_b1b2', cmul(b1, b2)],
    ['0_b2', b2],
    ['0_b1bG2', cmul(b1, bG2)],
    ['0_bG2', bG2],
    ['Id2G2', cmul(b2, bG2)],
    ['IG2G2', cmul(bG2, bG2)],
    ['ctr_0', cmul(cs0, twoOverH2)],
    ['IFG2_0b1', cmul(g3, b1)],
    ['IFG2_0', g3],
  ], [
    [ONE, cadd(Pshot, cmul(0.25, b2, b2, pd2d2))],
    [KK45, cmul(cadd(a0, cmul(a2, 1 / 3)), kUnitSquared(ctx))],
    b4Term(f, b4, cmul(poly, kUnitSquared(ctx)), h),
  ]);
}

/**
 * classy's Pd2d2_0 of a gg_l0 context: given, or pd2d2Classy(tree, k, h). With k in h/Mpc:
 * Simpson's rule in ln k is invariant under k -> k h, so the sum over k^3 is h^3 times the one
 * over (k/h)^3.
 */
function pd2d2Of(c: Components, ctx: MultipoleContext): Coef {
  if (ctx.Pd2d2_0 !== undefined) return coef('Pd2d2_0', ctx.Pd2d2_0);
  const tree = comp(c, 'tree', 'pkGgL0');
  if (ctx.kOutHMpc === undefined) return param('Pd2d2_0', pd2d2Classy(tree, ctx.kOutMpc as KArray, ctx.h));
  const h = coef('h', ctx.h);
  return cmul(param('Pd2d2_0', pd2d2Classy(tree, ctx.kOutHMpc, ctx.h)), h, h, h);
}

export function pkGgL0(c: Components, p: GgL0Params, ctx: MultipoleContext): tf.Tensor {
  return tf.tidy(() => evaluateOne(c, ggL0Form(p, ctx, pd2d2Of(c, ctx)), 'pkGgL0', kOf(ctx)));
}

/**
 * classy `pk_gg_l2(b1, b2, bG2, bGamma3, cs2, a2_nbar, b4)` = (tree_2_vv + loop_2_vv
 * + b1 (tree_2_vd + loop_2_vd) + b1^2 loop_2_dd + b1 b2 [2_b1b2] + b2 [2_b2] + b1 bG2 [2_b1bG2]
 * + bG2 [2_bG2] + 2 cs2 ctr_2/h^2 + (2 bG2 + 0.8 bGamma3) IFG2_2) h^3 + a2 (2/3)(kh/0.45)^2
 * + fz^2 b4 kh^2 ((70 fz^2 + 165 fz b1 + 99 b1^2) 4/693)(35/8) ctr_4 h.
 */
function ggL2Form(p: GgL2Params, ctx: MultipoleContext): Form {
  const f = rsdF('pkGgL2', ctx);
  const { h, h3, twoOverH2 } = hFactors(ctx.h);
  const { b1, b2, bG2, bGamma3, cs2, a2, b4 } = coefs(p, ['b1', 'b2', 'bG2', 'bGamma3', 'cs2', 'a2', 'b4'] as const);
  const poly = cmul(cadd(cmul(70, f, f), cmul(165, f, b1), cmul(99, b1, b1)), 4 / 693);
  return scaled(h3, [
    ...each(1, 'tree_2_vv', 'loop_2_vv'),
    ...each(b1, 'tree_2_vd', 'loop_2_vd'),
    ['loop_2_dd', cmul(b1, b1)],
    ['2_b1b2', cmul(b1, b2)],
    ['2_b2', b2],
    ['2_b1bG2', cmul(b1, bG2)],
    ['2_bG2', bG2],
    ['ctr_2', cmul(cs2, twoOverH2)],
    ['IFG2_2', cadd(cmul(2, bG2), cmul(0.8, bGamma3))],
  ], [[KK45, cmul(a2, 2 / 3, kUnitSquared(ctx))], b4Term(f, b4, cmul(poly, kUnitSquared(ctx)), h)]);
}

export function pkGgL2(c: Components, p: GgL2Params, ctx: MultipoleContext): tf.Tensor {
  return tf.tidy(() => evaluateOne(c, ggL2Form(p, ctx), 'pkGgL2', kOf(ctx)));
}

/**
 * classy `pk_gg_l4(b1, b2, bG2, bGamma3, cs4, b4)` = (tree_4_vv + loop_4_vv + b1 loop_4_vd
 * + b1^2 loop_4_dd + b2 [4_b2] + bG2 [4_bG2] + 2 cs4 ctr_4/h^2) h^3
 * + fz^2 b4 kh^2 ((210 fz^2 + 390 fz b1 + 143 b1^2) 8/5005)(35/8) ctr_4 h. (bGamma3 unused, as in classy.)
 */
function ggL4Form(p: GgL4Params, ctx: MultipoleContext): Form {
  const f = rsdF('pkGgL4', ctx);
  const { h, h3, twoOverH2 } = hFactors(ctx.h);
  const { b1, b2, bG2, cs4, b4 } = coefs(p, ['b1', 'b2', 'bG2', 'cs4', 'b4'] as const);
  coef('bGamma3', p.bGamma3); // validated, not used (classy's signature)
  const poly = cmul(cadd(cmul(210, f, f), cmul(390, f, b1), cmul(143, b1, b1)), 8 / 5005);
  return scaled(h3, [
    ...each(1, 'tree_4_vv', 'loop_4_vv'),
    ['loop_4_vd', b1],
    ['loop_4_dd', cmul(b1, b1)],
    ['4_b2', b2],
    ['4_bG2', bG2],
    ['ctr_4', cmul(cs4, twoOverH2)],
  ], [b4Term(f, b4, cmul(poly, kUnitSquared(ctx)), h)]);
}

export function pkGgL4(c: Components, p: GgL4Params, ctx: MultipoleContext): tf.Tensor {
  return tf.tidy(() => evaluateOne(c, ggL4Form(p, ctx), 'pkGgL4', kOf(ctx)));
}

/* ---------------------------------------------------------------- galaxy-matter multipoles */

export interface GmL0Params { b1: Param; b2: Param; bG2: Param; bGamma3: Param; cs0: Param }
export interface GmL2Params { b1: Param; b2: Param; bG2: Param; bGamma3: Param; cs2: Param }
export interface GmL4Params { b1: Param; b2: Param; bG2: Param; bGamma3: Param; cs4: Param }

/**
 * classy `pk_gm_l0(b1, b2, bG2, bGamma3, cs0)` = (tree_0_vv + loop_0_vv + b1 (tree_0_vd + loop_0_vd)
 * + b1 (tree_0_dd + loop_0_dd) + b2/2 ([0_b1b2] + [0_b2]) + bG2 ([0_b1bG2] + [0_bG2])
 * + 2 cs0 ctr_0/h^2 + (bG2 + 0.4 bGamma3)(b1 IFG2_0b1 + IFG2_0)) h^3.
 */
function gmL0Form(p: GmL0Params, h: HArg): Form {
  const { h3, twoOverH2 } = hFactors(h);
  const { b1, b2, bG2, bGamma3, cs0 } = coefs(p, ['b1', 'b2', 'bG2', 'bGamma3', 'cs0'] as const);
  const g3 = cadd(bG2, cmul(0.4, bGamma3));
  return scaled(h3, [
    ...each(1, 'tree_0_vv', 'loop_0_vv'),
    ...each(b1, 'tree_0_vd', 'loop_0_vd', 'tree_0_dd', 'loop_0_dd'),
    ...each(cmul(0.5, b2), '0_b1b2', '0_b2'),
    ...each(bG2, '0_b1bG2', '0_bG2'),
    ['ctr_0', cmul(cs0, twoOverH2)],
    ['IFG2_0b1', cmul(g3, b1)],
    ['IFG2_0', g3],
  ]);
}

export function pkGmL0(c: Components, p: GmL0Params, h: HArg): tf.Tensor {
  return tf.tidy(() => evaluateOne(c, gmL0Form(p, h), 'pkGmL0'));
}

/**
 * classy `pk_gm_l2(b1, b2, bG2, bGamma3, cs2)` = (tree_2_vv + loop_2_vv + b1 (tree_2_vd + loop_2_vd)
 * + b1 loop_2_dd + b2/2 ([2_b1b2] + [2_b2]) + bG2 ([2_b1bG2] + [2_bG2]) + 2 cs2 ctr_2/h^2
 * + (bG2 + 0.4 bGamma3) IFG2_2) h^3.
 */
function gmL2Form(p: GmL2Params, h: HArg): Form {
  const { h3, twoOverH2 } = hFactors(h);
  const { b1, b2, bG2, bGamma3, cs2 } = coefs(p, ['b1', 'b2', 'bG2', 'bGamma3', 'cs2'] as const);
  return scaled(h3, [
    ...each(1, 'tree_2_vv', 'loop_2_vv'),
    ...each(b1, 'tree_2_vd', 'loop_2_vd', 'loop_2_dd'),
    ...each(cmul(0.5, b2), '2_b1b2', '2_b2'),
    ...each(bG2, '2_b1bG2', '2_bG2'),
    ['ctr_2', cmul(cs2, twoOverH2)],
    ['IFG2_2', cadd(bG2, cmul(0.4, bGamma3))],
  ]);
}

export function pkGmL2(c: Components, p: GmL2Params, h: HArg): tf.Tensor {
  return tf.tidy(() => evaluateOne(c, gmL2Form(p, h), 'pkGmL2'));
}

/**
 * classy `pk_gm_l4(b1, b2, bG2, bGamma3, cs4)` = (tree_4_vv + loop_4_vv + b1 loop_4_vd
 * + b1 loop_4_dd + b2/2 [4_b2] + bG2 [4_bG2] + 2 cs4 ctr_4/h^2) h^3. (bGamma3 unused, as in classy.)
 */
function gmL4Form(p: GmL4Params, h: HArg): Form {
  const { h3, twoOverH2 } = hFactors(h);
  const { b1, b2, bG2, cs4 } = coefs(p, ['b1', 'b2', 'bG2', 'cs4'] as const);
  coef('bGamma3', p.bGamma3);
  return scaled(h3, [
    ...each(1, 'tree_4_vv', 'loop_4_vv'),
    ...each(b1, 'loop_4_vd', 'loop_4_dd'),
    ['4_b2', cmul(0.5, b2)],
    ['4_bG2', bG2],
    ['ctr_4', cmul(cs4, twoOverH2)],
  ]);
}

export function pkGmL4(c: Components, p: GmL4Params, h: HArg): tf.Tensor {
  return tf.tidy(() => evaluateOne(c, gmL4Form(p, h), 'pkGmL4'));
}

/* ---------------------------------------------------------------- all twelve */

export const SPECTRUM_NAMES = [
  'mm_real', 'gg_real', 'gm_real', 'mm_l0', 'mm_l2', 'mm_l4', 'gg_l0', 'gg_l2', 'gg_l4', 'gm_l0', 'gm_l2', 'gm_l4',
] as const;
export type SpectrumName = (typeof SPECTRUM_NAMES)[number];

export const BIAS_NAMES = ['b1', 'b2', 'bG2', 'bGamma3', 'cs', 'cs0', 'cs2', 'cs4', 'Pshot', 'a0', 'a2', 'b4'] as const;
export type BiasName = (typeof BIAS_NAMES)[number];
export type Bias = Partial<Record<BiasName, Param>>;

const M0 = ['tree_0_vv', 'loop_0_vv', 'tree_0_vd', 'loop_0_vd', 'tree_0_dd', 'loop_0_dd', 'ctr_0'];
const M2 = ['tree_2_vv', 'loop_2_vv', 'tree_2_vd', 'loop_2_vd', 'loop_2_dd', 'ctr_2'];
const M4 = ['tree_4_vv', 'loop_4_vv', 'loop_4_vd', 'loop_4_dd', 'ctr_4'];
const G = ['b1', 'b2', 'bG2', 'bGamma3'] as const;

/** The components each spectrum reads (gg_l0 also reads `tree` when Pd2d2_0 is not given). */
export const SPECTRUM_COMPONENTS: Record<SpectrumName, readonly string[]> = {
  mm_real: ['loop', 'tree', 'ctr'],
  gg_real: ['tree', 'loop', 'ctr', 'Id2', 'Id2d2', 'IG2', 'IFG2', 'IG2G2', 'Id2G2'],
  gm_real: ['tree', 'loop', 'ctr', 'Id2', 'IG2', 'IFG2'],
  mm_l0: M0,
  mm_l2: M2,
  mm_l4: M4,
  gg_l0: [...M0, 'Id2d2', '0_b1b2', '0_b2', '0_b1bG2', '0_bG2', 'Id2G2', 'IG2G2', 'IFG2_0b1', 'IFG2_0', 'ctr_4'],
  gg_l2: [...M2, '2_b1b2', '2_b2', '2_b1bG2', '2_bG2', 'IFG2_2', 'ctr_4'],
  gg_l4: [...M4, '4_b2', '4_bG2'],
  gm_l0: [...M0, '0_b1b2', '0_b2', '0_b1bG2', '0_bG2', 'IFG2_0b1', 'IFG2_0'],
  gm_l2: [...M2, '2_b1b2', '2_b2', '2_b1bG2', '2_bG2', 'IFG2_2'],
  gm_l4: [...M4, '4_b2', '4_bG2'],
};

/** The nuisance parameters (keys of `output.bias`) each spectrum takes, in classy's order. */
export const SPECTRUM_PARAMS: Record<SpectrumName, readonly BiasName[]> = {
  mm_real: ['cs'],
  gg_real: [...G, 'cs', 'cs0', 'Pshot'],
  gm_real: [...G, 'cs', 'cs0'],
  mm_l0: ['cs0'],
  mm_l2: ['cs2'],
  mm_l4: ['cs4'],
  gg_l0: [...G, 'cs0', 'Pshot', 'a0', 'a2', 'b4'],
  gg_l2: [...G, 'cs2', 'a2', 'b4'],
  gg_l4: [...G, 'cs4', 'b4'],
  gm_l0: [...G, 'cs0'],
  gm_l2: [...G, 'cs2'],
  gm_l4: [...G, 'cs4'],
};

const IS_GG_MULTIPOLE = (n: SpectrumName): boolean => n === 'gg_l0' || n === 'gg_l2' || n === 'gg_l4';

/**
 * The context of every assembly function (the third argument): h always; the growth rate and
 * the output k for the galaxy multipoles gg_l{0,2,4}.
 */
export interface AssembleContext {
  h: Param;
  /** growth rate, classy's `fz` = scale_independent_growth_factor_f(z); gg_l{0,2,4} only */
  f?: Param;
  /** the output k array as passed to classy (1/Mpc; classy's `self.kh`); or give kOutHMpc */
  kOutMpc?: KArray;
  /**
   * the output k in h/Mpc instead: classy's formulas then take k h (1/Mpc), with h a tensor
   * where it is one, so that d/dh includes the rescaling of k in the stochastic and b4 terms
   */
  kOutHMpc?: KArray;
  /** classy's `Pd2d2_0` in (Mpc/h)^3; default `pd2d2Classy(c.tree, kOutMpc, h)` */
  Pd2d2_0?: Param;
  /** the fNL template of the fNL spectra (./fnl-spectra.ts), default 'equilateral' */
  fnlShape?: 'equilateral' | 'orthogonal';
}

export interface AssembleOptions {
  /** which spectra (default all twelve) */
  only?: readonly SpectrumName[];
  /** leave out spectra whose components, parameters or context are missing instead of throwing */
  skipMissing?: boolean;
}

/**
 * The twelve spectra of the oracle's `output.spectra_hMpc3`, (Mpc/h)^3, from the components and
 * one `output.bias`-style object: mm_l{0,2,4} and gm_l{0,2,4} take cs0 / cs2 / cs4, the real-space
 * ones cs (and cs0 for gg/gm), exactly as the oracle called classy. Pd2d2_0 is computed once.
 */
export function assembleAll(c: Components, bias: Bias, ctx: AssembleContext, options: AssembleOptions = {}): Partial<Record<SpectrumName, tf.Tensor>> {
  const names = options.only ?? SPECTRUM_NAMES;
  const missing = (n: SpectrumName): string | undefined => {
    const comps = [...SPECTRUM_COMPONENTS[n], ...(n === 'gg_l0' && ctx.Pd2d2_0 === undefined ? ['tree'] : [])];
    const noComp = comps.find((k) => c[k] === undefined);
    if (noComp) return `component '${noComp}'`;
    const noPar = SPECTRUM_PARAMS[n].find((k) => bias[k] === undefined);
    if (noPar) return `bias parameter '${noPar}'`;
    if (IS_GG_MULTIPOLE(n) && ctx.f === undefined) return 'ctx.f';
    if (IS_GG_MULTIPOLE(n) && ctx.kOutMpc === undefined && ctx.kOutHMpc === undefined) return 'ctx.kOutMpc';
    return undefined;
  };
  const todo = names.filter((n) => {
    const why = missing(n);
    if (why && !options.skipMissing) throw new TypeError(`assembleAll: ${n} needs ${why}`);
    return !why;
  });
  return tf.tidy(() => {
    const b = bias as Record<BiasName, Param>;
    const h = ctx.h;
    const rsd: MultipoleContext = { h, f: ctx.f as Param, kOutMpc: ctx.kOutMpc, kOutHMpc: ctx.kOutHMpc, Pd2d2_0: ctx.Pd2d2_0 };
    const formOf = (n: SpectrumName): Form => {
      switch (n) {
        case 'mm_real': return mmRealForm(b, h);
        case 'gg_real': return ggRealForm(b, h);
        case 'gm_real': return gmRealForm(b, h);
        case 'mm_l0': return mmMultipoleForm(0, coef('cs0', b.cs0), h);
        case 'mm_l2': return mmMultipoleForm(2, coef('cs2', b.cs2), h);
        case 'mm_l4': return mmMultipoleForm(4, coef('cs4', b.cs4), h);
        case 'gg_l0': return ggL0Form(b, rsd, pd2d2Of(c, rsd));
        case 'gg_l2': return ggL2Form(b, rsd);
        case 'gg_l4': return ggL4Form(b, rsd);
        case 'gm_l0': return gmL0Form(b, h);
        case 'gm_l2': return gmL2Form(b, h);
        case 'gm_l4': return gmL4Form(b, h);
      }
    };
    // all requested spectra in one evaluation: one stack of their rows, one matMul
    const values = todo.length > 0 ? evaluate(c, todo.map(formOf), 'assembleAll', kOf(ctx)) : [];
    return Object.fromEntries(todo.map((n, i) => [n, values[i]])) as Record<string, tf.Tensor>;
  }) as Partial<Record<SpectrumName, tf.Tensor>>;
}
