/**
 * e^x in float64 for long elementwise loops (the 65536-point P_nw = exp(.)/k of the IR split).
 * V8's Math.exp is a call into its fdlibm port; this one is inlined by the JIT and about twice as
 * fast there. Method (as in fdlibm / musl): x = (128 k + j) ln2/128 + r with |r| <= ln2/256
 * (Cody-Waite split of ln2/128, the product k ln2_hi exact), e^x = 2^k 2^{j/128} e^r, e^r - 1
 * by its Taylor series to r^5 (truncation < 1e-18 relative). Within 2 ulp of Math.exp (tested);
 * outside |x| < 700 (overflow, underflow, NaN) it defers to Math.exp.
 */
const TABLE_BITS = 7;
const TABLE_SIZE = 1 << TABLE_BITS;
/** 2^{j/128}, j = 0..127 */
const POW2_FRAC = Float64Array.from({ length: TABLE_SIZE }, (_, j) => Math.pow(2, j / TABLE_SIZE));
/** 2^e for e = -1022..1023, at e + 1023 */
const POW2_INT = Float64Array.from({ length: 2047 }, (_, i) => Math.pow(2, i - 1023));
const INV_STEP = TABLE_SIZE / Math.LN2;
/** ln2/128 in two parts: fdlibm's ln2_hi (32 significant bits) and ln2_lo */
const STEP_HI = 6.93147180369123816490e-1 / TABLE_SIZE;
const STEP_LO = 1.90821492927058770002e-10 / TABLE_SIZE;
/** 1.5 * 2^52: adding and subtracting it rounds to the nearest integer */
const ROUND = 6755399441055744;

export function exp64(x: number): number {
  if (!(x > -700 && x < 700)) return Math.exp(x);
  const kd = x * INV_STEP + ROUND - ROUND;
  const r = x - kd * STEP_HI - kd * STEP_LO;
  const k = kd | 0;
  const t = POW2_FRAC[k & (TABLE_SIZE - 1)] * POW2_INT[(k >> TABLE_BITS) + 1023];
  const em1 = r * (1 + r * (1 / 2 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120)))));
  return t + t * em1;
}

/** out_i = e^{x_i} / d_i (in place by default): one loop, so that exp64 is inlined into it. */
export function expDividedBy(x: Float64Array, d: Float64Array, out: Float64Array = x): Float64Array {
  for (let i = 0; i < x.length; i++) out[i] = exp64(x[i]) / d[i];
  return out;
}
