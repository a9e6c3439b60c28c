/**
 * Double-double arithmetic (a value hi + lo with |lo| <= ulp(hi)/2, about 32 significant digits),
 * real and complex, after Dekker (1971) and the QD library of Hida, Li and Bailey. JavaScript has no
 * fused multiply-add, so exact products use Dekker's splitting. These object-based helpers are for
 * set-up work (constant folding, polynomial expansion); hot loops inline the same formulas.
 */

export interface DD {
  readonly hi: number;
  readonly lo: number;
}

/** complex double-double: (rh + rl) + i (ih + il) */
export interface DDComplex {
  readonly rh: number;
  readonly rl: number;
  readonly ih: number;
  readonly il: number;
}

/** 2^27 + 1, Dekker's splitter for float64 */
export const SPLITTER = 134217729;

/** pi to double-double precision */
export const DD_PI: DD = { hi: Math.PI, lo: 1.2246467991473532e-16 };
/** e to double-double precision */
export const DD_E: DD = { hi: Math.E, lo: 1.4456468917292502e-16 };

export function dd(hi: number, lo = 0): DD {
  return { hi, lo };
}

function quickTwoSum(a: number, b: number): DD {
  const s = a + b;
  return { hi: s, lo: b - (s - a) };
}

function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return { hi: s, lo: a - (s - bb) + (b - bb) };
}

function twoProd(a: number, b: number): DD {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return { hi: p, lo: ah * bh - p + ah * bl + al * bh + al * bl };
}

export function ddAdd(a: DD, b: DD): DD {
  const s = twoSum(a.hi, b.hi);
  const t = twoSum(a.lo, b.lo);
  const u = quickTwoSum(s.hi, s.lo + t.hi);
  return quickTwoSum(u.hi, u.lo + t.lo);
}

export function ddNeg(a: DD): DD {
  return { hi: -a.hi, lo: -a.lo };
}

export function ddSub(a: DD, b: DD): DD {
  return ddAdd(a, ddNeg(b));
}

export function ddMul(a: DD, b: DD): DD {
  const p = twoProd(a.hi, b.hi);
  return quickTwoSum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi));
}

export function ddDiv(a: DD, b: DD): DD {
  const q1 = a.hi / b.hi;
  let r = ddSub(a, ddMul(b, dd(q1)));
  const q2 = r.hi / b.hi;
  r = ddSub(r, ddMul(b, dd(q2)));
  const q3 = r.hi / b.hi;
  const q = quickTwoSum(q1, q2);
  return ddAdd(q, dd(q3));
}

export function ddc(re: DD, im: DD = dd(0)): DDComplex {
  return { rh: re.hi, rl: re.lo, ih: im.hi, il: im.lo };
}

export const DDC_ZERO: DDComplex = { rh: 0, rl: 0, ih: 0, il: 0 };
export const DDC_ONE: DDComplex = { rh: 1, rl: 0, ih: 0, il: 0 };

const re = (a: DDComplex): DD => ({ hi: a.rh, lo: a.rl });
const im = (a: DDComplex): DD => ({ hi: a.ih, lo: a.il });

export function ddcAdd(a: DDComplex, b: DDComplex): DDComplex {
  return ddc(ddAdd(re(a), re(b)), ddAdd(im(a), im(b)));
}

export function ddcSub(a: DDComplex, b: DDComplex): DDComplex {
  return ddc(ddSub(re(a), re(b)), ddSub(im(a), im(b)));
}

export function ddcNeg(a: DDComplex): DDComplex {
  return { rh: -a.rh, rl: -a.rl, ih: -a.ih, il: -a.il };
}

export function ddcMul(a: DDComplex, b: DDComplex): DDComplex {
  if (a.ih === 0 && a.il === 0 && b.ih === 0 && b.il === 0) return ddc(ddMul(re(a), re(b)));
  return ddc(
    ddSub(ddMul(re(a), re(b)), ddMul(im(a), im(b))),
    ddAdd(ddMul(re(a), im(b)), ddMul(im(a), re(b))),
  );
}

export function ddcDiv(a: DDComplex, b: DDComplex): DDComplex {
  if (b.ih === 0 && b.il === 0) return ddc(ddDiv(re(a), re(b)), ddDiv(im(a), re(b)));
  const den = ddAdd(ddMul(re(b), re(b)), ddMul(im(b), im(b)));
  const num = ddcMul(a, { rh: b.rh, rl: b.rl, ih: -b.ih, il: -b.il });
  return ddc(ddDiv(re(num), den), ddDiv(im(num), den));
}

/** a^p for an integer p (binary powering) */
export function ddcIpow(a: DDComplex, p: number): DDComplex {
  let n = Math.abs(p);
  let r = DDC_ONE;
  let base = a;
  while (n > 0) {
    if (n & 1) r = ddcMul(r, base);
    n >>= 1;
    if (n > 0) base = ddcMul(base, base);
  }
  return p < 0 ? ddcDiv(DDC_ONE, r) : r;
}

export function ddcIsZero(a: DDComplex): boolean {
  return a.rh === 0 && a.rl === 0 && a.ih === 0 && a.il === 0;
}
