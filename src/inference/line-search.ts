/**
 * A line search satisfying the strong Wolfe conditions (Nocedal & Wright, "Numerical
 * Optimization", 2nd ed., algorithms 3.5 and 3.6, with the cubic interpolation of their
 * eq. 3.59 safeguarded to the middle 80% of the bracket). c1 = 1e-4 (sufficient decrease),
 * c2 = 0.9 (curvature; the usual quasi-Newton choice). A trial point with a non-finite value
 * (outside the model's domain) counts as too long a step.
 */

export interface LineTrial {
  alpha: number;
  f: number;
  /** directional derivative f'(alpha) along the search direction */
  d: number;
}

/** the last accepted trial (with whatever phi attached to it), or alpha = 0 and ok = false */
export type LineSearchResult<T extends LineTrial> = (T | LineTrial) & { ok: boolean };

const C1 = 1e-4;
const C2 = 0.9;

/** the minimiser of the cubic through (a, fa, da), (b, fb, db), kept inside the bracket's middle */
function cubicStep(a: LineTrial, b: LineTrial): number {
  const d1 = a.d + b.d - (3 * (a.f - b.f)) / (a.alpha - b.alpha);
  const disc = d1 * d1 - a.d * b.d;
  const lo = Math.min(a.alpha, b.alpha);
  const hi = Math.max(a.alpha, b.alpha);
  let x = NaN;
  if (disc >= 0 && Number.isFinite(b.f)) {
    const d2 = Math.sign(b.alpha - a.alpha) * Math.sqrt(disc);
    x = b.alpha - (b.alpha - a.alpha) * ((b.d + d2 - d1) / (b.d - a.d + 2 * d2));
  }
  const margin = 0.1 * (hi - lo);
  if (!Number.isFinite(x) || x < lo + margin || x > hi - margin) x = 0.5 * (lo + hi);
  return x;
}

/**
 * phi(alpha) evaluates the objective along the direction (and keeps what the caller needs of
 * the point); f0 and d0 = phi'(0) < 0 at alpha = 0; alpha1 is the first trial step.
 */
export function wolfeLineSearch<T extends LineTrial>(phi: (alpha: number) => T, f0: number, d0: number, alpha1 = 1, maxEvaluations = 40): LineSearchResult<T> {
  const zero: LineTrial = { alpha: 0, f: f0, d: d0 };
  let prev: T | LineTrial = zero;
  let alpha = alpha1;
  let evaluations = 0;
  const zoom = (lo: T | LineTrial, hi: T | LineTrial): LineSearchResult<T> => {
    while (evaluations < maxEvaluations) {
      const t = phi(cubicStep(lo, hi));
      evaluations++;
      if (!Number.isFinite(t.f) || t.f > f0 + C1 * t.alpha * d0 || t.f >= lo.f) {
        hi = t;
      } else {
        if (Math.abs(t.d) <= -C2 * d0) return { ...t, ok: true };
        if (t.d * (hi.alpha - lo.alpha) >= 0) hi = lo;
        lo = t;
      }
      if (Math.abs(hi.alpha - lo.alpha) <= 1e-14 * Math.max(1, lo.alpha)) break;
    }
    // the best point found decreases f (Armijo) but may miss the curvature condition
    return { ...lo, ok: lo.alpha > 0 };
  };
  for (let i = 0; evaluations < maxEvaluations; i++) {
    const t = phi(alpha);
    evaluations++;
    if (!Number.isFinite(t.f)) {
      // outside the domain: shorten towards the last good point
      alpha = prev.alpha + 0.25 * (alpha - prev.alpha);
      if (alpha - prev.alpha < 1e-14 * Math.max(1, alpha)) break;
      continue;
    }
    if (t.f > f0 + C1 * t.alpha * d0 || (i > 0 && t.f >= prev.f)) return zoom(prev, t);
    if (Math.abs(t.d) <= -C2 * d0) return { ...t, ok: true };
    if (t.d >= 0) return zoom(t, prev);
    prev = t;
    alpha *= 2;
  }
  return { ...prev, ok: prev.alpha > 0 };
}
