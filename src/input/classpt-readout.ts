/**
 * CLASS-PT's read-out between its output nodes. CLASS-PT computes every row at the nodes of
 * CLASS's k grid (the k of the linear spectrum it was given), stores ln(raw) with
 * raw = offset + sign * row (the "large_for_logs" offsets, nonlinear_pt.c 3359-3364, and classy's
 * signs, classy.pyx get_pk_mult), and `nonlinear_pt_pk_mult_at_kvec_and_z` (6002) returns at any
 * other k the natural cubic spline in ln k of those ln(raw), exponentiated; classy then undoes
 * the offset and sign. Between CLASS's nodes (0.23 apart in ln k below k ~ 0.04 1/Mpc) that
 * spline differs from the rows themselves by up to ~2e-4 of the monopole near the first baryon
 * wiggle. Reproducing a published likelihood that called get_pk_mult at its own k needs it when
 * the input grid is CLASS's.
 */
import { splineInterpolate } from '../numerics/spline';

const M = 5e4; // large_for_logs_matter
const B = 1e6; // large_for_logs_big
const S = 100; // large_for_logs_small

/** [offset, sign] per row name: raw = offset + sign * row (classy's transform inverted). */
export const CLASSPT_STORAGE: Record<string, [number, 1 | -1]> = {
  loop: [M, 1], Id2d2: [B, -1], Id2: [S, 1], IG2: [S, -1], Id2G2: [B, -1], IG2G2: [B, 1], IFG2: [S, -1],
  IFG2_0b1: [B, -1], IFG2_0: [B, -1], IFG2_2: [B, -1],
  ctr: [0, -1], ctr_0: [0, -1], ctr_2: [0, -1], ctr_4: [0, -1], tree: [0, 1],
  tree_0_vv: [B, 1], tree_0_vd: [B, 1], tree_0_dd: [B, 1], tree_2_vv: [B, 1], tree_2_vd: [B, 1], tree_4_vv: [B, 1],
  loop_0_vv: [B, 1], loop_0_vd: [B, 1], loop_0_dd: [B, 1], loop_2_vv: [B, 1], loop_2_vd: [B, 1], loop_2_dd: [B, 1],
  loop_4_vv: [B, 1], loop_4_vd: [B, 1], loop_4_dd: [B, 1],
  '0_b1b2': [B, 1], '0_b2': [B, 1], '0_b1bG2': [B, -1], '0_bG2': [B, -1], '2_b1b2': [B, 1], '2_b2': [B, 1],
  '2_b1bG2': [B, -1], '2_bG2': [B, -1], '4_b2': [B, 1], '4_bG2': [B, -1], '4_b1b2': [B, 1], '4_b1bG2': [B, 1],
  Id2d2_2: [B, 1], Id2G2_2: [B, 1], IG2G2_2: [B, 1], Id2d2_4: [B, 1], Id2G2_4: [B, 1], IG2G2_4: [B, 1],
};

/**
 * A row given at CLASS's nodes `kNodes` (1/Mpc, increasing), read out at `kEval` as CLASS-PT does
 * (natural spline in ln k of ln(offset + sign row)).
 */
export function classptReadout(row: string, values: ArrayLike<number>, kNodes: ArrayLike<number>, kEval: ArrayLike<number>): Float64Array {
  const storage = CLASSPT_STORAGE[row];
  if (!storage) throw new RangeError(`classptReadout: no storage rule for row '${row}'`);
  const [offset, sign] = storage;
  const lnRaw = Array.from(values, (v) => Math.log(Math.max(offset + sign * v, 1e-16))); // CLASS-PT clamps at 1e-16
  const lnk = Array.from(kNodes, Math.log);
  const out = splineInterpolate(lnk, lnRaw, Array.from(kEval, Math.log));
  return out.map((l) => sign * (Math.exp(l) - offset));
}
