/**
 * Gauss-Legendre nodes and weights on [-1, 1], ascending (CLASS-PT's `gauss_tab.dat` holds the
 * 40-node rule, identical to numpy's leggauss(40)). Newton iteration on P_n in float64.
 */
export interface GaussRule {
  x: Float64Array;
  w: Float64Array;
}

/** [P_n(z), P_{n-1}(z)] by the three-term recurrence (n >= 1). */
function legendrePair(n: number, z: number): [number, number] {
  let p0 = 1;
  let p1 = z;
  for (let k = 2; k <= n; k++) {
    const p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
    p0 = p1;
    p1 = p2;
  }
  return [p1, p0];
}

/** CLASS-PT's AP quadrature: the 40-node Gauss-Legendre rule on [-1, 1] (`gauss_tab.dat`). */
export const AP_GAUSS_NODES = 40;

/** The Legendre polynomial L_l(mu) for the multipoles l = 0, 2, 4. */
export function legendreEven(l: 0 | 2 | 4, mu: number): number {
  const m2 = mu * mu;
  return l === 0 ? 1 : l === 2 ? (3 * m2 - 1) / 2 : (35 * m2 * m2 - 30 * m2 + 3) / 8;
}

export function gaussLegendre(n: number): GaussRule {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`Gauss-Legendre order must be a positive integer, got ${n}`);
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < Math.ceil(n / 2); i++) {
    // initial guess (Tricomi), then Newton on P_n
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let iter = 0; iter < 100; iter++) {
      const [pn, pnm1] = legendrePair(n, z);
      dp = (n * (z * pn - pnm1)) / (z * z - 1);
      const dz = pn / dp;
      z -= dz;
      if (Math.abs(dz) < 1e-16) break;
    }
    // recompute the derivative at the converged root
    const [pn, pnm1] = legendrePair(n, z);
    dp = (n * (z * pn - pnm1)) / (z * z - 1);
    const weight = 2 / ((1 - z * z) * dp * dp);
    x[i] = -z;
    x[n - 1 - i] = z;
    w[i] = weight;
    w[n - 1 - i] = weight;
  }
  return { x, w };
}

let apRule: GaussRule | undefined;

/**
 * CLASS-PT's AP quadrature (the AP_GAUSS_NODES-node rule) folded onto mu > 0. The rule is exactly
 * symmetric (x_{n-1-g} = -x_g, equal weights, as built above), and every AP integrand of the even
 * multipoles depends on mu through mu^2 only (q(mu), mu_t^2, L_l with l even, mu_t^p with p
 * even), so the positive nodes with doubled weights give the same sums with half the work.
 */
export function apGaussRule(): GaussRule {
  if (!apRule) {
    const { x, w } = gaussLegendre(AP_GAUSS_NODES);
    const half = AP_GAUSS_NODES / 2;
    apRule = { x: x.slice(half), w: w.slice(half).map((v) => 2 * v) };
  }
  return apRule;
}
