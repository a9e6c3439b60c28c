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

function rows(c: Components, shape: FnlShape, fn: string) {
  return (name: string) => comp(c, `${PREFIX[shape]}_${name}`, fn);
}

function biasParams(p: FnlBiasParams) {
  return [param('b1', p.b1), param('b2', p.b2), param('bG2', p.bG2)] as const;
}

const h3 = (h: HArg) => tf.pow(param('h', hOf(h)), 3);

/** classy `pk_mm_fNL_real()` = fNL_loop h^3. */
export function pkMmFnlReal(c: Components, h: HArg, shape: FnlShape = 'equilateral'): tf.Tensor {
  return tf.tidy(() => mul(rows(c, shape, 'pkMmFnlReal')('loop'), h3(h)));
}

/** classy `pk_gm_fNL_real(b1, b2, bG2)` = (b1 fNL_loop + b2/2 fNL_d2 + bG2 fNL_G2) h^3. */
export function pkGmFnlReal(c: Components, p: FnlBiasParams, h: HArg, shape: FnlShape = 'equilateral'): tf.Tensor {
  return tf.tidy(() => {
    const g = rows(c, shape, 'pkGmFnlReal');
    const [b1, b2, bG2] = biasParams(p);
    return mul(add(mul(b1, g('loop')), mul(0.5, b2, g('d2')), mul(bG2, g('G2'))), h3(h));
  });
}

/** classy `pk_gg_fNL_real(b1, b2, bG2)` = (b1^2 fNL_loop + b1 (b2/2 fNL_d2 + bG2 fNL_G2)) h^3. */
export function pkGgFnlReal(c: Components, p: FnlBiasParams, h: HArg, shape: FnlShape = 'equilateral'): tf.Tensor {
  return tf.tidy(() => {
    const g = rows(c, shape, 'pkGgFnlReal');
    const [b1, b2, bG2] = biasParams(p);
    return mul(add(mul(sq(b1), g('loop')), mul(b1, add(mul(0.5, b2, g('d2')), mul(bG2, g('G2'))))), h3(h));
  });
}

type Multipole = 0 | 2 | 4;

/** classy `pk_mm_fNL_l{0,2,4}()` = fNL_{l}_vv h^3 (classy's choice, see the module note). */
export function pkMmFnl(c: Components, l: Multipole, h: HArg, shape: FnlShape = 'equilateral'): tf.Tensor {
  return tf.tidy(() => mul(rows(c, shape, 'pkMmFnl')(`${l}_vv`), h3(h)));
}

/**
 * classy `pk_gg_fNL_l{0,2,4}(b1, b2, bG2)` = (fNL_l_vv + b1 fNL_l_vd + b1^2 fNL_l_dd
 * + b1 b2/2 fNL_12_l_b1b2 + b2/2 fNL_12_l_b2 + b1 bG2 fNL_12_l_b1bG2 + bG2 fNL_12_l_bG2) h^3.
 */
export function pkGgFnl(c: Components, l: Multipole, p: FnlBiasParams, h: HArg, shape: FnlShape = 'equilateral'): tf.Tensor {
  return tf.tidy(() => {
    const g = rows(c, shape, 'pkGgFnl');
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
      h3(h),
    );
  });
}

/**
 * classy `pk_gm_fNL_l{0,2,4}(b1, b2, bG2)` = (fNL_l_vv + b1 (fNL_l_vd + fNL_l_dd)
 * + b2/2 (fNL_12_l_b1b2 + fNL_12_l_b2) + bG2 (fNL_12_l_b1bG2 + fNL_12_l_bG2)) h^3.
 */
export function pkGmFnl(c: Components, l: Multipole, p: FnlBiasParams, h: HArg, shape: FnlShape = 'equilateral'): tf.Tensor {
  return tf.tidy(() => {
    const g = rows(c, shape, 'pkGmFnl');
    const [b1, b2, bG2] = biasParams(p);
    return mul(
      add(
        g(`${l}_vv`),
        mul(b1, add(g(`${l}_vd`), g(`${l}_dd`))),
        mul(0.5, b2, add(g(`12_${l}_b1b2`), g(`12_${l}_b2`))),
        mul(bG2, add(g(`12_${l}_b1bG2`), g(`12_${l}_bG2`))),
      ),
      h3(h),
    );
  });
}

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
 * need the redshift-space ones (present when they were computed).
 */
export function assembleFnl(c: Components, p: FnlBiasParams, h: HArg, shape: FnlShape = 'equilateral'): Record<string, tf.Tensor> {
  const suffix = shape === 'orthogonal' ? '_ortho' : '';
  const out: Record<string, tf.Tensor> = {
    [`mm_fNL_real${suffix}`]: pkMmFnlReal(c, h, shape),
    [`gm_fNL_real${suffix}`]: pkGmFnlReal(c, p, h, shape),
    [`gg_fNL_real${suffix}`]: pkGgFnlReal(c, p, h, shape),
  };
  if (`${PREFIX[shape]}_0_vv` in c) {
    for (const l of [0, 2, 4] as const) {
      out[`mm_fNL_l${l}${suffix}`] = pkMmFnl(c, l, h, shape);
      out[`gg_fNL_l${l}${suffix}`] = pkGgFnl(c, l, p, h, shape);
      out[`gm_fNL_l${l}${suffix}`] = pkGmFnl(c, l, p, h, shape);
    }
  }
  return out;
}
