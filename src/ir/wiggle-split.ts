/**
 * CLASS-PT's no-wiggle spectrum (`nonlinear_pt_ir_resummation`, nonlinear_pt.c 2744-2907):
 *
 *   1. ln(k P_L) on Nir = 65536 linear k from 7e-5 to 7 1/Mpc (no h)            `logKPowerOnIrGrid`
 *   2. c = DST-II of it (scipy convention)                                       `dst2`
 *   3. split c into odd/even entries (c_{2i}, c_{2i+1}, "harmonic position" i+1), drop
 *      i in [120, 240) from both, and refill the gap with a natural spline in the position
 *      through the kept entries                                                   `removeBaoHarmonics`
 *   4. P_nw = exp(inverse DST-II) / k                                            `idst2`, `noWiggleFromLogKP`
 *
 * Steps 2-3 and the idst are linear maps, so their vector-Jacobian products are their transposes
 * (`dst2Transpose`, `removeBaoHarmonicsTranspose`, `idst2Transpose`); steps 1 and 4 are pointwise.
 * With g = dL/dP_nw: dL/d(ln kP) = dst2^T R^T idst2^T (g P_nw), R = removeBaoHarmonics.
 */
import { splineAdjoint, splineEvaluate, splineKnots, splineSecondDerivatives, type SplineKnots } from '../numerics/spline';
import { expDividedBy } from '../numerics/exp';
import { dst2, idst2 } from '../numerics/sine-transform';
import type { LogPowerInterpolator } from '../input/linear-power';

export { dst2, idst2, dst2Transpose, idst2Transpose } from '../numerics/sine-transform';

/** Size of CLASS-PT's DST grid (fixed in `nonlinear_pt_ir_resummation`, independent of the FFTLog size despite its comment). */
export const NIR = 65536;
/** k range of the DST grid in 1/Mpc (no h: `kmin2`, `kmax2` of `nonlinear_pt_ir_resummation`). */
export const K_MIN_IR_MPC = 0.00007;
export const K_MAX_IR_MPC = 7;
/** Harmonics i in [BAO_HARMONIC_LEFT, BAO_HARMONIC_RIGHT) of each odd/even half are dropped. */
export const BAO_HARMONIC_LEFT = 120;
export const BAO_HARMONIC_RIGHT = 240;

/**
 * The linear DST grid k_i = kmin + i (kmax - kmin)/(Nir - 1). CLASS-PT writes it two ways that
 * differ in the last bit: `kmin2 + i*kstep` for the input (2768) and
 * `kmin2 + i*(kmax2-kmin2)/(Nird-1.)` for the P_nw knots (2912); `form` picks one.
 */
export function irGrid(form: 'input' | 'knots' = 'input', nIr: number = NIR): Float64Array {
  const span = K_MAX_IR_MPC - K_MIN_IR_MPC;
  const step = span / (nIr - 1);
  const k = new Float64Array(nIr);
  if (form === 'input') for (let i = 0; i < nIr; i++) k[i] = K_MIN_IR_MPC + i * step;
  else for (let i = 0; i < nIr; i++) k[i] = K_MIN_IR_MPC + (i * span) / (nIr - 1);
  return k;
}

/** ln(k P_L(k)) on the DST input grid `irGrid('input')` with CLASS-PT's three input rules (2765-2787). */
export function logKPowerOnIrGrid(interp: LogPowerInterpolator): Float64Array {
  const lnk = cache().lnkInput;
  const out = interp.lnPowerAtLnK(lnk);
  for (let i = 0; i < lnk.length; i++) out[i] += lnk[i];
  return out;
}

/** ln k of the DST input grid `irGrid('input')` (a copy of the cached logs). */
export function irInputLogK(): Float64Array {
  return cache().lnkInput.slice();
}

/** ln k of the DST input grid and the P_nw spline's knot factorisation, computed once (the logs
 * are never handed out: callers get copies; the factorisation, with its copy of the knots, is
 * shared read-only through `NoWiggleSpectrum`). */
let gridCache: { lnkInput: Float64Array; knots: SplineKnots } | undefined;
function cache() {
  if (!gridCache) {
    gridCache = { lnkInput: irGrid('input').map(Math.log), knots: splineKnots(irGrid('knots')) };
  }
  return gridCache;
}

interface HarmonicLayout {
  /** positions (i+1) of the kept entries of one half */
  knots: Float64Array;
  /** positions of the dropped entries, i+1 for i in [left, right) */
  gap: Float64Array;
}

/** Layouts already built, by `${half} ${left} ${right}` (the IR step uses one for every cosmology). */
const layouts = new Map<string, HarmonicLayout>();

function harmonicLayout(half: number, left: number, right: number): HarmonicLayout {
  const key = `${half} ${left} ${right}`;
  let layout = layouts.get(key);
  if (!layout) {
    layout = buildHarmonicLayout(half, left, right);
    layouts.set(key, layout);
  }
  return layout;
}

function buildHarmonicLayout(half: number, left: number, right: number): HarmonicLayout {
  if (!(0 <= left && left < right && right <= half && half - (right - left) >= 2)) {
    throw new RangeError(`BAO harmonic window [${left}, ${right}) does not fit ${half} harmonics`);
  }
  const nThrow = right - left;
  const knots = new Float64Array(half - nThrow);
  for (let i = 0; i < left; i++) knots[i] = i + 1;
  for (let i = left; i < knots.length; i++) knots[i] = i + 1 + nThrow;
  const gap = new Float64Array(nThrow);
  for (let i = left; i < right; i++) gap[i - left] = i + 1;
  return { knots, gap };
}

/**
 * Kept knots used for the refill: `window` kept entries on each side of the gap. The natural
 * spline's dependence on a knot d places away decays like (2 - sqrt 3)^d = 0.268^d, so with the
 * default 64 the windowed spline equals CLASS-PT's spline through all Nir/2 - 120 kept entries to
 * double precision (0.268^64 ~ 1e-37) at 1/180 of the cost. `window = Infinity` uses all of them.
 */
export const BAO_REFILL_WINDOW = 64;

function windowRange(nKept: number, left: number, window: number): [number, number] {
  return [Math.max(0, left - window), Math.min(nKept, left + window)];
}

/**
 * Step 3 (2808-2860): drop harmonics [left, right) of the odd (c_{2i}) and even (c_{2i+1})
 * sequences and refill them with a natural spline in the position i+1 through the kept entries.
 * Kept entries are reproduced exactly (as CLASS-PT's spline evaluation at a knot does).
 */
export function removeBaoHarmonics(
  c: ArrayLike<number>,
  left: number = BAO_HARMONIC_LEFT,
  right: number = BAO_HARMONIC_RIGHT,
  window: number = BAO_REFILL_WINDOW,
): Float64Array {
  return refillBaoHarmonics(Float64Array.from(c), left, right, window);
}

/** `removeBaoHarmonics` in place. */
function refillBaoHarmonics(c: Float64Array, left: number, right: number, window: number): Float64Array {
  const half = c.length >> 1;
  const { knots, gap } = harmonicLayout(half, left, right);
  const nThrow = right - left;
  const [lo, hi] = windowRange(knots.length, left, window);
  const x = knots.subarray(lo, hi);
  const vals = new Float64Array(hi - lo);
  for (let parity = 0; parity < 2; parity++) {
    for (let i = lo; i < hi; i++) vals[i - lo] = c[2 * (i < left ? i : i + nThrow) + parity];
    const filled = splineEvaluate(x, vals, splineSecondDerivatives(x, vals), gap);
    for (let g = 0; g < nThrow; g++) c[2 * (left + g) + parity] = filled[g];
  }
  return c;
}

/** Transpose of `removeBaoHarmonics` (its vector-Jacobian product): kept entries pass g through,
 * gap entries send g back to the kept ones through the spline adjoint; dropped inputs get 0. */
export function removeBaoHarmonicsTranspose(
  g: ArrayLike<number>,
  left: number = BAO_HARMONIC_LEFT,
  right: number = BAO_HARMONIC_RIGHT,
  window: number = BAO_REFILL_WINDOW,
): Float64Array {
  const half = g.length >> 1;
  const { knots, gap } = harmonicLayout(half, left, right);
  const nThrow = right - left;
  const [lo, hi] = windowRange(knots.length, left, window);
  const x = knots.subarray(lo, hi);
  const out = Float64Array.from(g);
  const gGap = new Float64Array(nThrow);
  for (let parity = 0; parity < 2; parity++) {
    for (let q = 0; q < nThrow; q++) {
      gGap[q] = g[2 * (left + q) + parity];
      out[2 * (left + q) + parity] = 0;
    }
    const back = splineAdjoint(x, gap, gGap);
    for (let i = lo; i < hi; i++) out[2 * (i < left ? i : i + nThrow) + parity] += back[i - lo];
  }
  return out;
}

/** Steps 2-4 from ln(kP) on the DST grid: P_nw_i = exp(idst2(R dst2(ln kP))_i) / k_i (2862-2913);
 * kIr are the P_nw knots (`irGrid('knots')`). In place: logKP is overwritten by P_nw (returned). */
export function noWiggleFromLogKP(logKP: Float64Array, kIr: Float64Array): Float64Array {
  const c = refillBaoHarmonics(dst2(logKP, logKP), BAO_HARMONIC_LEFT, BAO_HARMONIC_RIGHT, BAO_REFILL_WINDOW);
  return expDividedBy(idst2(c, c), kIr); // the smooth ln(kP), then P_nw
}

/** The no-wiggle spectrum on CLASS-PT's DST grid. */
export interface NoWiggleSpectrum {
  /** the DST grid, 1/Mpc (shared, read-only: `knots.x`) */
  kMpc: Float64Array;
  /** P_nw on it, Mpc^3 */
  pNw: Float64Array;
  /** natural-spline second derivatives of P_nw in k (CLASS-PT splines P_nw in k, 2915) */
  pNwDD: Float64Array;
  /** that spline's knot factorisation (shared, read-only; for `splineAdjoint`) */
  knots: SplineKnots;
}

export function noWiggleSpectrum(interp: LogPowerInterpolator): NoWiggleSpectrum {
  const { knots } = cache();
  const kMpc = knots.x;
  const pNw = noWiggleFromLogKP(logKPowerOnIrGrid(interp), kMpc);
  return { kMpc, pNw, pNwDD: splineSecondDerivatives(knots, pNw), knots };
}

/** A NoWiggleSpectrum from its values on the DST grid (plain data, e.g. after crossing threads). */
export function noWiggleSpectrumFrom(values: { pNw: Float64Array; pNwDD: Float64Array }): NoWiggleSpectrum {
  const { knots } = cache();
  return { kMpc: knots.x, pNw: values.pNw, pNwDD: values.pNwDD, knots };
}
