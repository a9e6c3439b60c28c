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
 * Every function is differentiable in the components and all parameters (tf.grad works once
 * tfjs-core's gradients are registered: `import '@tensorflow/tfjs-core/dist/register_all_gradients.js'`).
 * Helpers live in ./params.ts, Pd2d2_0 in ./pd2d2.ts (both re-exported here).
 */
import * as tf from '@tensorflow/tfjs-core';
import { add, comp, hOf, kSquared, mul, param, sq, type Components, type HArg, type KArray, type Param } from './params';
import { pd2d2Classy } from './pd2d2';

export type { Components, HArg, KArray, Param } from './params';
export { pd2d2Classy, pd2d2Fixed, simpsonWeights, type SimpsonEvenRule } from './pd2d2';

/** What the redshift-space galaxy multipoles need besides the components. */
export interface MultipoleContext {
  h: Param;
  /** growth rate, classy's `fz` = scale_independent_growth_factor_f(z) */
  f: Param;
  /** the output k array as passed to classy (1/Mpc; classy's `self.kh`) */
  kOutMpc: KArray;
  /** classy's `Pd2d2_0` in (Mpc/h)^3; default `pd2d2Classy(c.tree, kOutMpc, h)` */
  Pd2d2_0?: Param;
}

/* ---------------------------------------------------------------- real space */

/** classy `pk_mm_real(cs)` = (loop + tree + 2 cs ctr/h^2) h^3. */
export function pkMmReal(c: Components, p: { cs: Param }, h: HArg): tf.Tensor {
  return tf.tidy(() => {
    const g = (n: string) => comp(c, n, 'pkMmReal');
    const hh = param('h', hOf(h));
    const cs = param('cs', p.cs);
    return mul(add(g('loop'), g('tree'), mul(2, cs, g('ctr'), tf.pow(hh, -2))), tf.pow(hh, 3));
  });
}

export interface GgRealParams { b1: Param; b2: Param; bG2: Param; bGamma3: Param; cs: Param; cs0: Param; Pshot: Param }

/**
 * classy `pk_gg_real(b1, b2, bG2, bGamma3, cs, cs0, Pshot)` = (b1^2 (tree + loop)
 * + 2 (cs b1^2 + cs0 b1) ctr/h^2 + b1 b2 Id2 + b2^2/4 Id2d2 + 2 b1 bG2 IG2
 * + b1 (2 bG2 + 0.8 bGamma3) IFG2 + bG2^2 IG2G2 + b2 bG2 Id2G2) h^3 + Pshot. (No Pd2d2_0 here.)
 */
export function pkGgReal(c: Components, p: GgRealParams, h: HArg): tf.Tensor {
  return tf.tidy(() => {
    const g = (n: string) => comp(c, n, 'pkGgReal');
    const hh = param('h', hOf(h));
    const [b1, b2, bG2, bGamma3, cs, cs0, Pshot] = (['b1', 'b2', 'bG2', 'bGamma3', 'cs', 'cs0', 'Pshot'] as const).map((k) => param(k, p[k]));
    const body = add(
      mul(sq(b1), g('tree')),
      mul(sq(b1), g('loop')),
      mul(2, add(mul(cs, sq(b1)), mul(cs0, b1)), g('ctr'), tf.pow(hh, -2)),
      mul(b1, b2, g('Id2')),
      mul(0.25, sq(b2), g('Id2d2')),
      mul(2, b1, bG2, g('IG2')),
      mul(b1, add(mul(2, bG2), mul(0.8, bGamma3)), g('IFG2')),
      mul(sq(bG2), g('IG2G2')),
      mul(b2, bG2, g('Id2G2')),
    );
    return add(mul(body, tf.pow(hh, 3)), Pshot);
  });
}

export type GmRealParams = Omit<GgRealParams, 'Pshot'>;

/**
 * classy `pk_gm_real(b1, b2, bG2, bGamma3, cs, cs0)` = (b1 (tree + loop) + (2 cs b1 + cs0) ctr/h^2
 * + b2/2 Id2 + bG2 IG2 + (bG2 + 0.4 bGamma3) IFG2) h^3. Note: `(2 cs b1 + cs0)`, without a 2 on cs0.
 */
export function pkGmReal(c: Components, p: GmRealParams, h: HArg): tf.Tensor {
  return tf.tidy(() => {
    const g = (n: string) => comp(c, n, 'pkGmReal');
    const hh = param('h', hOf(h));
    const [b1, b2, bG2, bGamma3, cs, cs0] = (['b1', 'b2', 'bG2', 'bGamma3', 'cs', 'cs0'] as const).map((k) => param(k, p[k]));
    const body = add(
      mul(b1, g('tree')),
      mul(b1, g('loop')),
      mul(add(mul(2, cs, b1), cs0), g('ctr'), tf.pow(hh, -2)),
      mul(0.5, b2, g('Id2')),
      mul(bG2, g('IG2')),
      mul(add(bG2, mul(0.4, bGamma3)), g('IFG2')),
    );
    return mul(body, tf.pow(hh, 3));
  });
}

/* ---------------------------------------------------------------- matter multipoles */

/** classy `pk_mm_l0(cs0)` = (tree_0_{vv,vd,dd} + loop_0_{vv,vd,dd} + 2 cs0 ctr_0/h^2) h^3. */
export function pkMmL0(c: Components, p: { cs0: Param }, h: HArg): tf.Tensor {
  return mmMultipole(c, 'pkMmL0', ['tree_0_vv', 'loop_0_vv', 'tree_0_vd', 'loop_0_vd', 'tree_0_dd', 'loop_0_dd'], 'ctr_0', ['cs0', p.cs0], h);
}

/** classy `pk_mm_l2(cs2)` = (tree_2_vv + loop_2_vv + tree_2_vd + loop_2_vd + loop_2_dd + 2 cs2 ctr_2/h^2) h^3. */
export function pkMmL2(c: Components, p: { cs2: Param }, h: HArg): tf.Tensor {
  return mmMultipole(c, 'pkMmL2', ['tree_2_vv', 'loop_2_vv', 'tree_2_vd', 'loop_2_vd', 'loop_2_dd'], 'ctr_2', ['cs2', p.cs2], h);
}

/** classy `pk_mm_l4(cs4)` = (tree_4_vv + loop_4_vv + loop_4_vd + loop_4_dd + 2 cs4 ctr_4/h^2) h^3. */
export function pkMmL4(c: Components, p: { cs4: Param }, h: HArg): tf.Tensor {
  return mmMultipole(c, 'pkMmL4', ['tree_4_vv', 'loop_4_vv', 'loop_4_vd', 'loop_4_dd'], 'ctr_4', ['cs4', p.cs4], h);
}

function mmMultipole(c: Components, fn: string, rows: string[], ctr: string, csArg: [string, Param], h: HArg): tf.Tensor {
  return tf.tidy(() => {
    const hh = param('h', hOf(h));
    const cs = param(...csArg);
    const body = add(...rows.map((r) => comp(c, r, fn)), mul(2, cs, comp(c, ctr, fn), tf.pow(hh, -2)));
    return mul(body, tf.pow(hh, 3));
  });
}

/* ---------------------------------------------------------------- galaxy multipoles */

export interface GgL0Params { b1: Param; b2: Param; bG2: Param; bGamma3: Param; cs0: Param; Pshot: Param; a0: Param; a2: Param; b4: Param }
export interface GgL2Params { b1: Param; b2: Param; bG2: Param; bGamma3: Param; cs2: Param; a2: Param; b4: Param }
export interface GgL4Params { b1: Param; b2: Param; bG2: Param; bGamma3: Param; cs4: Param; b4: Param }

/** Shared by the three gg multipoles: parameters as tensors, h^3, 2/h^2, (k/0.45)^2, k^2, f. */
function rsdScope(fn: string, ctx: MultipoleContext) {
  if (ctx.kOutMpc === undefined) throw new TypeError(`${fn}: ctx.kOutMpc missing`);
  const hh = param('h', ctx.h);
  const k2 = kSquared(ctx.kOutMpc);
  return { hh, h3: tf.pow(hh, 3), twoOverH2: tf.mul(2, tf.pow(hh, -2)), f: param('f', ctx.f), k2, kk45: tf.div(k2, 0.45 * 0.45) };
}

/**
 * classy's b4 term: fz^2 b4 kh^2 poly (35/8) ctr_4 h, with kh the k passed to classy (1/Mpc),
 * `pm13` = ctr_4 in Mpc^3 and one power of h (as classy writes it).
 */
function b4Term(f: tf.Tensor, b4: tf.Tensor, k2: tf.Tensor, poly: tf.Tensor, ctr4: tf.Tensor, h: tf.Tensor): tf.Tensor {
  return mul(sq(f), b4, k2, poly, 35 / 8, ctr4, h);
}

/**
 * classy `pk_gg_l0(b1, b2, bG2, bGamma3, cs0, Pshot_nbar, a0_nbar, a2_nbar, b4)` (here Pshot, a0,
 * a2 are classy's *_nbar arguments) = (tree_0_vv + loop_0_vv + b1 (tree_0_vd + loop_0_vd)
 * + b1^2 (tree_0_dd + loop_0_dd) + b2^2/4 Id2d2 + b1 b2 [0_b1b2] + b2 [0_b2] + b1 bG2 [0_b1bG2]
 * + bG2 [0_bG2] + b2 bG2 Id2G2 + bG2^2 IG2G2 + 2 cs0 ctr_0/h^2 + (2 bG2 + 0.8 bGamma3)(b1 IFG2_0b1
 * + IFG2_0)) h^3 + Pshot + a0 (kh/0.45)^2 + a2/3 (kh/0.45)^2 + b2^2/4 Pd2d2_0
 * + fz^2 b4 kh^2 (fz^2/9 + 2 fz b1/7 + b1^2/5)(35/8) ctr_4 h.
 */
export function pkGgL0(c: Components, p: GgL0Params, ctx: MultipoleContext): tf.Tensor {
  return tf.tidy(() => {
    const g = (n: string) => comp(c, n, 'pkGgL0');
    const s = rsdScope('pkGgL0', ctx);
    const [b1, b2, bG2, bGamma3, cs0, Pshot, a0, a2, b4] = (['b1', 'b2', 'bG2', 'bGamma3', 'cs0', 'Pshot', 'a0', 'a2', 'b4'] as const).map((k) => param(k, p[k]));
    const pd2d2 = ctx.Pd2d2_0 !== undefined ? param('Pd2d2_0', ctx.Pd2d2_0) : param('Pd2d2_0', pd2d2Classy(g('tree'), ctx.kOutMpc, ctx.h));
    const body = add(
      g('tree_0_vv'), g('loop_0_vv'),
      mul(b1, add(g('tree_0_vd'), g('loop_0_vd'))),
      mul(sq(b1), add(g('tree_0_dd'), g('loop_0_dd'))),
      mul(0.25, sq(b2), g('Id2d2')),
      mul(b1, b2, g('0_b1b2')),
      mul(b2, g('0_b2')),
      mul(b1, bG2, g('0_b1bG2')),
      mul(bG2, g('0_bG2')),
      mul(b2, bG2, g('Id2G2')),
      mul(sq(bG2), g('IG2G2')),
      mul(cs0, g('ctr_0'), s.twoOverH2),
      mul(add(mul(2, bG2), mul(0.8, bGamma3)), add(mul(b1, g('IFG2_0b1')), g('IFG2_0'))),
    );
    const poly = add(mul(sq(s.f), 1 / 9), mul(2 / 7, s.f, b1), mul(sq(b1), 1 / 5));
    return add(
      mul(body, s.h3),
      Pshot,
      mul(a0, s.kk45),
      mul(a2, 1 / 3, s.kk45),
      mul(0.25, sq(b2), pd2d2),
      b4Term(s.f, b4, s.k2, poly, g('ctr_4'), s.hh),
    );
  });
}

/**
 * classy `pk_gg_l2(b1, b2, bG2, bGamma3, cs2, a2_nbar, b4)` = (tree_2_vv + loop_2_vv
 * + b1 (tree_2_vd + loop_2_vd) + b1^2 loop_2_dd + b1 b2 [2_b1b2] + b2 [2_b2] + b1 bG2 [2_b1bG2]
 * + bG2 [2_bG2] + 2 cs2 ctr_2/h^2 + (2 bG2 + 0.8 bGamma3) IFG2_2) h^3 + a2 (2/3)(kh/0.45)^2
 * + fz^2 b4 kh^2 ((70 fz^2 + 165 fz b1 + 99 b1^2) 4/693)(35/8) ctr_4 h.
 */
export function pkGgL2(c: Components, p: GgL2Params, ctx: MultipoleContext): tf.Tensor {
  return tf.tidy(() => {
    const g = (n: string) => comp(c, n, 'pkGgL2');
    const s = rsdScope('pkGgL2', ctx);
    const [b1, b2, bG2, bGamma3, cs2, a2, b4] = (['b1', 'b2', 'bG2', 'bGamma3', 'cs2', 'a2', 'b4'] as const).map((k) => param(k, p[k]));
    const body = add(
      g('tree_2_vv'), g('loop_2_vv'),
      mul(b1, add(g('tree_2_vd'), g('loop_2_vd'))),
      mul(sq(b1), g('loop_2_dd')),
      mul(b1, b2, g('2_b1b2')),
      mul(b2, g('2_b2')),
      mul(b1, bG2, g('2_b1bG2')),
      mul(bG2, g('2_bG2')),
      mul(cs2, g('ctr_2'), s.twoOverH2),
      mul(add(mul(2, bG2), mul(0.8, bGamma3)), g('IFG2_2')),
    );
    const poly = mul(add(mul(70, sq(s.f)), mul(165, s.f, b1), mul(99, sq(b1))), 4 / 693);
    return add(mul(body, s.h3), mul(a2, 2 / 3, s.kk45), b4Term(s.f, b4, s.k2, poly, g('ctr_4'), s.hh));
  });
}

/**
 * classy `pk_gg_l4(b1, b2, bG2, bGamma3, cs4, b4)` = (tree_4_vv + loop_4_vv + b1 loop_4_vd
 * + b1^2 loop_4_dd + b2 [4_b2] + bG2 [4_bG2] + 2 cs4 ctr_4/h^2) h^3
 * + fz^2 b4 kh^2 ((210 fz^2 + 390 fz b1 + 143 b1^2) 8/5005)(35/8) ctr_4 h. (bGamma3 unused, as in classy.)
 */
export function pkGgL4(c: Components, p: GgL4Params, ctx: MultipoleContext): tf.Tensor {
  return tf.tidy(() => {
    const g = (n: string) => comp(c, n, 'pkGgL4');
    const s = rsdScope('pkGgL4', ctx);
    const [b1, b2, bG2, cs4, b4] = (['b1', 'b2', 'bG2', 'cs4', 'b4'] as const).map((k) => param(k, p[k]));
    param('bGamma3', p.bGamma3); // validated, not used (classy's signature)
    const body = add(
      g('tree_4_vv'), g('loop_4_vv'),
      mul(b1, g('loop_4_vd')),
      mul(sq(b1), g('loop_4_dd')),
      mul(b2, g('4_b2')),
      mul(bG2, g('4_bG2')),
      mul(cs4, g('ctr_4'), s.twoOverH2),
    );
    const poly = mul(add(mul(210, sq(s.f)), mul(390, s.f, b1), mul(143, sq(b1))), 8 / 5005);
    return add(mul(body, s.h3), b4Term(s.f, b4, s.k2, poly, g('ctr_4'), s.hh));
  });
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
export function pkGmL0(c: Components, p: GmL0Params, h: HArg): tf.Tensor {
  return tf.tidy(() => {
    const g = (n: string) => comp(c, n, 'pkGmL0');
    const hh = param('h', hOf(h));
    const [b1, b2, bG2, bGamma3, cs0] = (['b1', 'b2', 'bG2', 'bGamma3', 'cs0'] as const).map((k) => param(k, p[k]));
    const body = add(
      g('tree_0_vv'), g('loop_0_vv'),
      mul(b1, add(g('tree_0_vd'), g('loop_0_vd'))),
      mul(b1, add(g('tree_0_dd'), g('loop_0_dd'))),
      mul(0.5, b2, add(g('0_b1b2'), g('0_b2'))),
      mul(bG2, add(g('0_b1bG2'), g('0_bG2'))),
      mul(2, cs0, g('ctr_0'), tf.pow(hh, -2)),
      mul(add(bG2, mul(0.4, bGamma3)), add(mul(b1, g('IFG2_0b1')), g('IFG2_0'))),
    );
    return mul(body, tf.pow(hh, 3));
  });
}

/**
 * classy `pk_gm_l2(b1, b2, bG2, bGamma3, cs2)` = (tree_2_vv + loop_2_vv + b1 (tree_2_vd + loop_2_vd)
 * + b1 loop_2_dd + b2/2 ([2_b1b2] + [2_b2]) + bG2 ([2_b1bG2] + [2_bG2]) + 2 cs2 ctr_2/h^2
 * + (bG2 + 0.4 bGamma3) IFG2_2) h^3.
 */
export function pkGmL2(c: Components, p: GmL2Params, h: HArg): tf.Tensor {
  return tf.tidy(() => {
    const g = (n: string) => comp(c, n, 'pkGmL2');
    const hh = param('h', hOf(h));
    const [b1, b2, bG2, bGamma3, cs2] = (['b1', 'b2', 'bG2', 'bGamma3', 'cs2'] as const).map((k) => param(k, p[k]));
    const body = add(
      g('tree_2_vv'), g('loop_2_vv'),
      mul(b1, add(g('tree_2_vd'), g('loop_2_vd'))),
      mul(b1, g('loop_2_dd')),
      mul(0.5, b2, add(g('2_b1b2'), g('2_b2'))),
      mul(bG2, add(g('2_b1bG2'), g('2_bG2'))),
      mul(2, cs2, g('ctr_2'), tf.pow(hh, -2)),
      mul(add(bG2, mul(0.4, bGamma3)), g('IFG2_2')),
    );
    return mul(body, tf.pow(hh, 3));
  });
}

/**
 * classy `pk_gm_l4(b1, b2, bG2, bGamma3, cs4)` = (tree_4_vv + loop_4_vv + b1 loop_4_vd
 * + b1 loop_4_dd + b2/2 [4_b2] + bG2 [4_bG2] + 2 cs4 ctr_4/h^2) h^3. (bGamma3 unused, as in classy.)
 */
export function pkGmL4(c: Components, p: GmL4Params, h: HArg): tf.Tensor {
  return tf.tidy(() => {
    const g = (n: string) => comp(c, n, 'pkGmL4');
    const hh = param('h', hOf(h));
    const [b1, b2, bG2, cs4] = (['b1', 'b2', 'bG2', 'cs4'] as const).map((k) => param(k, p[k]));
    param('bGamma3', p.bGamma3);
    const body = add(
      g('tree_4_vv'), g('loop_4_vv'),
      mul(b1, g('loop_4_vd')),
      mul(b1, g('loop_4_dd')),
      mul(0.5, b2, g('4_b2')),
      mul(bG2, g('4_bG2')),
      mul(2, cs4, g('ctr_4'), tf.pow(hh, -2)),
    );
    return mul(body, tf.pow(hh, 3));
  });
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

export interface AssembleContext {
  h: Param;
  /** growth rate (classy's fz); needed by gg_l{0,2,4} only */
  f?: Param;
  /** output k as passed to classy (1/Mpc); needed by gg_l{0,2,4} only */
  kOutMpc?: KArray;
  /** classy's Pd2d2_0; default pd2d2Classy(components.tree, kOutMpc, h) */
  Pd2d2_0?: Param;
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
    if (IS_GG_MULTIPOLE(n) && ctx.kOutMpc === undefined) return 'ctx.kOutMpc';
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
    let rsd: MultipoleContext | undefined;
    const rsdCtx = (): MultipoleContext => {
      if (!rsd) {
        const k = ctx.kOutMpc as KArray;
        const needPd2d2 = ctx.Pd2d2_0 === undefined && todo.includes('gg_l0');
        rsd = { h, f: ctx.f as Param, kOutMpc: k, Pd2d2_0: needPd2d2 ? pd2d2Classy(c.tree, k, h) : ctx.Pd2d2_0 };
      }
      return rsd;
    };
    const out: Partial<Record<SpectrumName, tf.Tensor>> = {};
    for (const n of todo) {
      switch (n) {
        case 'mm_real': out[n] = pkMmReal(c, b, h); break;
        case 'gg_real': out[n] = pkGgReal(c, b, h); break;
        case 'gm_real': out[n] = pkGmReal(c, b, h); break;
        case 'mm_l0': out[n] = pkMmL0(c, b, h); break;
        case 'mm_l2': out[n] = pkMmL2(c, b, h); break;
        case 'mm_l4': out[n] = pkMmL4(c, b, h); break;
        case 'gg_l0': out[n] = pkGgL0(c, b, rsdCtx()); break;
        case 'gg_l2': out[n] = pkGgL2(c, b, rsdCtx()); break;
        case 'gg_l4': out[n] = pkGgL4(c, b, rsdCtx()); break;
        case 'gm_l0': out[n] = pkGmL0(c, b, h); break;
        case 'gm_l2': out[n] = pkGmL2(c, b, h); break;
        case 'gm_l4': out[n] = pkGmL4(c, b, h); break;
      }
    }
    return out as Record<string, tf.Tensor>;
  }) as Partial<Record<SpectrumName, tf.Tensor>>;
}
