/**
 * The primordial non-Gaussianity spectra as classy assembles them (classy.pyx `pk_mm_fNL_real`
 * ... `pk_gm_fNL_l4_ortho`), from the `fNL_*` (equilateral) or `fNLortho_*` (orthogonal) rows.
 * Each is in (Mpc/h)^3 and still to be multiplied by fNL. Broadcasting and differentiability as
 * in ./spectra.ts.
 *
 * classy quirk, reproduced: `pk_mm_fNL_l0/l2/l4` return the `vv` row alone (pk_mult[51], [54],
 * [57]), not vv + vd + dd. The consistent matter multipoles are `pkGgFnlL*` with b1 = 1,
 * b2 = bG2 = 0.
 */
import * as tf from '@tensorflow/tfjs-core';
import { add, comp, hOf, mul, param, sq, type Components, type HArg, type Param } from './params';

/** The two bispectrum templates: the row prefix of each. */
export type FnlShape = 'equilateral' | 'orthogonal';

const PREFIX: Record<FnlShape, string> = { equilateral: 'fNL', orthogonal: 'fNLortho' };

export interface FnlBiasParams {
  b1: Param;
  b2: Param;
  bG2: Param;
}

/**
 * The context of the fNL spectra: h (the only number classy's formulas need besides the rows)
 * and the template, `fnlShape` (default 'equilateral'). An AssembleContext with `fnlShape` added,
 * so the same object serves both families; a bare h is accepted (deprecated).
 */
export interface FnlContext {
  h: Param;
  fnlShape?: FnlShape;
}

type FnlCtx = FnlContext | HArg;

/** h and the template of a context (a deprecated trailing `shape` argument wins when given). */
function unpack(ctx: FnlCtx, shape?: FnlShape): { h: HArg; shape: FnlShape } {
  const fromCtx = typeof ctx === 'object' && !(ctx instanceof tf.Tensor) ? (ctx as FnlContext).fnlShape : undefined;
  const s = shape ?? fromCtx ?? 'equilateral';
  if (s !== 'equilateral' && s !== 'orthogonal') throw new TypeError(`fnlShape: 'equilateral' or 'orthogonal', got ${String(s)}`);
  return { h: ctx as HArg, shape: s };
}

function rows(c: Components, shape: FnlShape, fn: string) {
  return (name: string) => comp(c, `${PREFIX[shape]}_${name}`, fn);
}

function biasParams(p: FnlBiasParams) {
  return [param('b1', p.b1), param('b2', p.b2), param('bG2', p.bG2)] as const;
}

const h3 = (h: HArg) => tf.pow(param('h', hOf(h)), 3);

/**
 * classy `pk_mm_fNL_real()` = fNL_loop h^3 (no nuisance parameters: (components, context)).
 * The third argument is the deprecated form of `ctx.fnlShape`.
 */
export function pkMmFnlReal(c: Components, ctx: FnlCtx, shape?: FnlShape): tf.Tensor {
  const u = unpack(ctx, shape);
  return tf.tidy(() => mul(rows(c, u.shape, 'pkMmFnlReal')('loop'), h3(u.h)));
}

/** classy `pk_gm_fNL_real(b1, b2, bG2)` = (b1 fNL_loop + b2/2 fNL_d2 + bG2 fNL_G2) h^3. */
export function pkGmFnlReal(c: Components, p: FnlBiasParams, ctx: FnlCtx, shape?: FnlShape): tf.Tensor {
  const u = unpack(ctx, shape);
  return tf.tidy(() => {
    const g = rows(c, u.shape, 'pkGmFnlReal');
    const [b1, b2, bG2] = biasParams(p);
    return mul(add(mul(b1, g('loop')), mul(0.5, b2, g('d2')), mul(bG2, g('G2'))), h3(u.h));
  });
}

/** classy `pk_gg_fNL_real(b1, b2, bG2)` = (b1^2 fNL_loop + b1 (b2/2 fNL_d2 + bG2 fNL_G2)) h^3. */
export function pkGgFnlReal(c: Components, p: FnlBiasParams, ctx: FnlCtx, shape?: FnlShape): tf.Tensor {
  const u = unpack(ctx, shape);
  return tf.tidy(() => {
    const g = rows(c, u.shape, 'pkGgFnlReal');
    const [b1, b2, bG2] = biasParams(p);
    return mul(add(mul(sq(b1), g('loop')), mul(b1, add(mul(0.5, b2, g('d2')), mul(bG2, g('G2'))))), h3(u.h));
  });
}

type Multipole = 0 | 2 | 4;

/** classy `pk_mm_fNL_l{0,2,4}()` = fNL_{l}_vv h^3 (classy's choice, see the module note). */
function mmFnl(c: Components, l: Multipole, ctx: FnlCtx, shape?: FnlShape): tf.Tensor {
  const u = unpack(ctx, shape);
  return tf.tidy(() => mul(rows(c, u.shape, `pkMmFnlL${l}`)(`${l}_vv`), h3(u.h)));
}

/**
 * classy `pk_gg_fNL_l{0,2,4}(b1, b2, bG2)` = (fNL_l_vv + b1 fNL_l_vd + b1^2 fNL_l_dd
 * + b1 b2/2 fNL_12_l_b1b2 + b2/2 fNL_12_l_b2 + b1 bG2 fNL_12_l_b1bG2 + bG2 fNL_12_l_bG2) h^3.
 */
function ggFnl(c: Components, l: Multipole, p: FnlBiasParams, ctx: FnlCtx, shape?: FnlShape): tf.Tensor {
  const u = unpack(ctx, shape);
  return tf.tidy(() => {
    const g = rows(c, u.shape, `pkGgFnlL${l}`);
    const [b1, b2, bG2] = biasParams(p);
    return mul(
      add(
        g(`${l}_vv`),
        mul(b1, g(`${l}_vd`)),
        mul(sq(b1), g(`${l}_dd`)),
        mul(b1, 0.5, b2, g(`12_${l}_b1b2`)),
        mul(0.5, b2, g(`12_${l}_b2`)),
        mul(b1, bG2, g(`12_${l}_b1bG2`)),
        mul(bG2, g(`12_${l}_bG2`)),
      ),
      h3(u.h),
    );
  });
}

/**
 * classy `pk_gm_fNL_l{0,2,4}(b1, b2, bG2)` = (fNL_l_vv + b1 (fNL_l_vd + fNL_l_dd)
 * + b2/2 (fNL_12_l_b1b2 + fNL_12_l_b2) + bG2 (fNL_12_l_b1bG2 + fNL_12_l_bG2)) h^3.
 */
function gmFnl(c: Components, l: Multipole, p: FnlBiasParams, ctx: FnlCtx, shape?: FnlShape): tf.Tensor {
  const u = unpack(ctx, shape);
  return tf.tidy(() => {
    const g = rows(c, u.shape, `pkGmFnlL${l}`);
    const [b1, b2, bG2] = biasParams(p);
    return mul(
      add(
        g(`${l}_vv`),
        mul(b1, add(g(`${l}_vd`), g(`${l}_dd`))),
        mul(0.5, b2, add(g(`12_${l}_b1b2`), g(`12_${l}_b2`))),
        mul(bG2, add(g(`12_${l}_b1bG2`), g(`12_${l}_bG2`))),
      ),
      h3(u.h),
    );
  });
}

/** classy `pk_mm_fNL_l0()`, (components, context). */
export const pkMmFnlL0 = (c: Components, ctx: FnlContext): tf.Tensor => mmFnl(c, 0, ctx);
/** classy `pk_mm_fNL_l2()`. */
export const pkMmFnlL2 = (c: Components, ctx: FnlContext): tf.Tensor => mmFnl(c, 2, ctx);
/** classy `pk_mm_fNL_l4()`. */
export const pkMmFnlL4 = (c: Components, ctx: FnlContext): tf.Tensor => mmFnl(c, 4, ctx);
/** classy `pk_gg_fNL_l0(b1, b2, bG2)`, (components, params, context). */
export const pkGgFnlL0 = (c: Components, p: FnlBiasParams, ctx: FnlContext): tf.Tensor => ggFnl(c, 0, p, ctx);
/** classy `pk_gg_fNL_l2(b1, b2, bG2)`. */
export const pkGgFnlL2 = (c: Components, p: FnlBiasParams, ctx: FnlContext): tf.Tensor => ggFnl(c, 2, p, ctx);
/** classy `pk_gg_fNL_l4(b1, b2, bG2)`. */
export const pkGgFnlL4 = (c: Components, p: FnlBiasParams, ctx: FnlContext): tf.Tensor => ggFnl(c, 4, p, ctx);
/** classy `pk_gm_fNL_l0(b1, b2, bG2)`. */
export const pkGmFnlL0 = (c: Components, p: FnlBiasParams, ctx: FnlContext): tf.Tensor => gmFnl(c, 0, p, ctx);
/** classy `pk_gm_fNL_l2(b1, b2, bG2)`. */
export const pkGmFnlL2 = (c: Components, p: FnlBiasParams, ctx: FnlContext): tf.Tensor => gmFnl(c, 2, p, ctx);
/** classy `pk_gm_fNL_l4(b1, b2, bG2)`. */
export const pkGmFnlL4 = (c: Components, p: FnlBiasParams, ctx: FnlContext): tf.Tensor => gmFnl(c, 4, p, ctx);

/** @deprecated use pkMmFnlL0/L2/L4(c, ctx) (for one release) */
export const pkMmFnl = (c: Components, l: Multipole, h: HArg, shape?: FnlShape): tf.Tensor => mmFnl(c, l, h, shape);
/** @deprecated use pkGgFnlL0/L2/L4(c, p, ctx) (for one release) */
export const pkGgFnl = (c: Components, l: Multipole, p: FnlBiasParams, h: HArg, shape?: FnlShape): tf.Tensor => ggFnl(c, l, p, h, shape);
/** @deprecated use pkGmFnlL0/L2/L4(c, p, ctx) (for one release) */
export const pkGmFnl = (c: Components, l: Multipole, p: FnlBiasParams, h: HArg, shape?: FnlShape): tf.Tensor => gmFnl(c, l, p, h, shape);

/** Names of the 24 fNL spectra (12 per template) as `assembleFnl` returns them. */
export const FNL_SPECTRUM_NAMES = [
  'mm_fNL_real', 'gm_fNL_real', 'gg_fNL_real',
  'mm_fNL_l0', 'mm_fNL_l2', 'mm_fNL_l4',
  'gg_fNL_l0', 'gg_fNL_l2', 'gg_fNL_l4',
  'gm_fNL_l0', 'gm_fNL_l2', 'gm_fNL_l4',
] as const;

/**
 * Every fNL spectrum of one template (`_ortho` appended to the names for the orthogonal one),
 * in (Mpc/h)^3, per unit fNL. Real-space spectra need only the real-space rows; multipoles
 * need the redshift-space ones (present when they were computed). The fourth argument is the
 * deprecated form of `ctx.fnlShape`.
 */
export function assembleFnl(c: Components, p: FnlBiasParams, ctx: FnlCtx, shape?: FnlShape): Record<string, tf.Tensor> {
  const u = unpack(ctx, shape);
  const suffix = u.shape === 'orthogonal' ? '_ortho' : '';
  const out: Record<string, tf.Tensor> = {
    [`mm_fNL_real${suffix}`]: pkMmFnlReal(c, u.h, u.shape),
    [`gm_fNL_real${suffix}`]: pkGmFnlReal(c, p, u.h, u.shape),
    [`gg_fNL_real${suffix}`]: pkGgFnlReal(c, p, u.h, u.shape),
  };
  if (`${PREFIX[u.shape]}_0_vv` in c) {
    for (const l of [0, 2, 4] as const) {
      out[`mm_fNL_l${l}${suffix}`] = mmFnl(c, l, u.h, u.shape);
      out[`gg_fNL_l${l}${suffix}`] = ggFnl(c, l, p, u.h, u.shape);
      out[`gm_fNL_l${l}${suffix}`] = gmFnl(c, l, p, u.h, u.shape);
    }
  }
  return out;
}
