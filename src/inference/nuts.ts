/**
 * One transition of the No-U-Turn sampler as Stan implements it (stan/mcmc/hmc/nuts/base_nuts.hpp;
 * Betancourt 2017, "A conceptual introduction to Hamiltonian Monte Carlo", appendix A):
 * - the trajectory doubles in a random direction until the generalised no-U-turn criterion
 *   (p_sharp^- . rho > 0 and p_sharp^+ . rho > 0, with p_sharp = M^-1 p and rho the summed
 *   momenta) fails on the whole tree or on the merged subtrees (the extra checks across the
 *   subtrees' boundary), the maximum tree depth is reached, or the energy error exceeds
 *   maxDeltaH (a divergence, default 1000 as in Stan);
 * - the draw is chosen by multinomial sampling over the trajectory, weights exp(H0 - H);
 *   uniformly progressive inside subtrees, biased progressive (towards the new subtree) at the
 *   top level;
 * - the acceptance statistic is the mean over every leapfrog step of min(1, exp(H0 - H)).
 * Also Stan's step-size initialisation (base_hmc::init_stepsize).
 */
import { dot, logSumExp } from './linalg';
import type { Metric } from './metric';
import type { Rng } from './rng';
import type { GradientDensity } from './unconstrained';

/** A point of phase space: position q, momentum p, gradient g of log p at q, potential V = -log p(q). */
export interface PhasePoint {
  q: Float64Array;
  p: Float64Array;
  g: Float64Array;
  V: number;
}

export interface TransitionResult {
  /** the draw (its momentum is the one it had on the trajectory) */
  point: PhasePoint;
  acceptStat: number;
  treeDepth: number;
  nLeapfrog: number;
  divergent: boolean;
  /** H at the draw */
  energy: number;
}

export function newPoint(dim: number): PhasePoint {
  return { q: new Float64Array(dim), p: new Float64Array(dim), g: new Float64Array(dim), V: Infinity };
}

export function copyPoint(from: PhasePoint, to: PhasePoint): PhasePoint {
  to.q.set(from.q);
  to.p.set(from.p);
  to.g.set(from.g);
  to.V = from.V;
  return to;
}

export function clonePoint(z: PhasePoint): PhasePoint {
  return { q: Float64Array.from(z.q), p: Float64Array.from(z.p), g: Float64Array.from(z.g), V: z.V };
}

/** per-transition tallies shared by the recursion */
interface Tally {
  nLeapfrog: number;
  sumMetroProb: number;
  divergent: boolean;
}

export class Nuts {
  private readonly dim: number;

  constructor(
    private readonly density: GradientDensity,
    public metric: Metric,
    private readonly rng: Rng,
    public maxTreeDepth = 10,
    public maxDeltaH = 1000,
  ) {
    this.dim = density.dim;
  }

  /** V and g at z.q (one evaluation of the density) */
  evaluate(z: PhasePoint): void {
    z.V = -this.density.logDensity(z.q, z.g);
  }

  hamiltonian(z: PhasePoint): number {
    return z.V + this.metric.kinetic(z.p);
  }

  /** One leapfrog step of size eps (Stan's expl_leapfrog): half kick, drift, new gradient, half kick. */
  leapfrog(z: PhasePoint, eps: number): void {
    const n = this.dim;
    for (let i = 0; i < n; i++) z.p[i] += 0.5 * eps * z.g[i];
    const v = this.metric.velocity(z.p, new Float64Array(n));
    for (let i = 0; i < n; i++) z.q[i] += eps * v[i];
    this.evaluate(z);
    for (let i = 0; i < n; i++) z.p[i] += 0.5 * eps * z.g[i];
  }

  /** One NUTS transition from `start` (its q, g and V are used; its p is redrawn) with step size eps. */
  transition(start: PhasePoint, eps: number): TransitionResult {
    const n = this.dim;
    const z = clonePoint(start);
    this.metric.sampleMomentum(this.rng, z.p);
    const H0 = this.hamiltonian(z);

    let zFwd = clonePoint(z);
    let zBck = clonePoint(z);
    let zSample = clonePoint(z);
    const zPropose = clonePoint(z);

    const sharp = (p: Float64Array) => this.metric.velocity(p, new Float64Array(n));
    // momenta and sharp momenta at the ends of the forward and backward halves
    const pFwdFwd = Float64Array.from(z.p);
    const pSharpFwdFwd = sharp(z.p);
    const pFwdBck = Float64Array.from(z.p);
    const pSharpFwdBck = Float64Array.from(pSharpFwdFwd);
    const pBckFwd = Float64Array.from(z.p);
    const pSharpBckFwd = Float64Array.from(pSharpFwdFwd);
    const pBckBck = Float64Array.from(z.p);
    const pSharpBckBck = Float64Array.from(pSharpFwdFwd);

    const rho = Float64Array.from(z.p);
    let logSumWeight = 0; // log exp(H0 - H0)
    let depth = 0;
    const tally: Tally = { nLeapfrog: 0, sumMetroProb: 0, divergent: false };

    while (depth < this.maxTreeDepth) {
      const rhoFwd = new Float64Array(n);
      const rhoBck = new Float64Array(n);
      const lswSubtree = { value: -Infinity };
      let valid: boolean;
      if (this.rng.uniform() > 0.5) {
        // extend forward: the backward half's inner end is the old tree's forward inner end
        copyPoint(zFwd, z);
        rhoBck.set(rho);
        pBckFwd.set(pFwdBck);
        pSharpBckFwd.set(pSharpFwdBck);
        valid = this.buildTree(depth, z, zPropose, pSharpFwdBck, pSharpFwdFwd, rhoFwd, pFwdBck, pFwdFwd, H0, 1, eps, lswSubtree, tally);
        zFwd = clonePoint(z);
      } else {
        copyPoint(zBck, z);
        rhoFwd.set(rho);
        pFwdBck.set(pBckFwd);
        pSharpFwdBck.set(pSharpBckFwd);
        valid = this.buildTree(depth, z, zPropose, pSharpBckFwd, pSharpBckBck, rhoBck, pBckFwd, pBckBck, H0, -1, eps, lswSubtree, tally);
        zBck = clonePoint(z);
      }
      if (!valid) break;
      depth++;

      // biased progressive sampling at the top level
      if (lswSubtree.value > logSumWeight) {
        copyPoint(zPropose, zSample);
      } else if (this.rng.uniform() < Math.exp(lswSubtree.value - logSumWeight)) {
        copyPoint(zPropose, zSample);
      }
      logSumWeight = logSumExp(logSumWeight, lswSubtree.value);

      for (let i = 0; i < n; i++) rho[i] = rhoBck[i] + rhoFwd[i];
      const ends = { sharpBeg: pSharpBckBck, sharpEnd: pSharpFwdFwd };
      if (!mergedCriterion(ends, rho, { rho: rhoBck, pEnd: pBckFwd, sharpEnd: pSharpBckFwd }, { rho: rhoFwd, pBeg: pFwdBck, sharpBeg: pSharpFwdBck })) break;
    }

    return {
      point: zSample,
      acceptStat: tally.nLeapfrog > 0 ? tally.sumMetroProb / tally.nLeapfrog : 0,
      treeDepth: depth,
      nLeapfrog: tally.nLeapfrog,
      divergent: tally.divergent,
      energy: this.hamiltonian(zSample),
    };
  }

  /**
   * Stan's build_tree: 2^depth leapfrog steps from z (updated in place) in direction `sign`.
   * Outputs: zPropose (the subtree's multinomial draw), pSharpBeg/pSharpEnd and pBeg/pEnd (the
   * subtree's end momenta), rho (+= the subtree's summed momenta), logSumWeight (log-sum-exp'd
   * with the subtree's weights). Returns false on a divergence or a U-turn inside the subtree.
   */
  private buildTree(
    depth: number,
    z: PhasePoint,
    zPropose: PhasePoint,
    pSharpBeg: Float64Array,
    pSharpEnd: Float64Array,
    rho: Float64Array,
    pBeg: Float64Array,
    pEnd: Float64Array,
    H0: number,
    sign: number,
    eps: number,
    logSumWeight: { value: number },
    tally: Tally,
  ): boolean {
    const n = this.dim;
    if (depth === 0) {
      this.leapfrog(z, sign * eps);
      tally.nLeapfrog++;
      let h = this.hamiltonian(z);
      if (Number.isNaN(h)) h = Infinity;
      if (h - H0 > this.maxDeltaH) tally.divergent = true;
      logSumWeight.value = logSumExp(logSumWeight.value, H0 - h);
      tally.sumMetroProb += H0 - h > 0 ? 1 : Math.exp(H0 - h);
      copyPoint(z, zPropose);
      this.metric.velocity(z.p, pSharpBeg);
      pSharpEnd.set(pSharpBeg);
      for (let i = 0; i < n; i++) rho[i] += z.p[i];
      pBeg.set(z.p);
      pEnd.set(z.p);
      return !tally.divergent;
    }

    // the initial subtree
    const lswInit = { value: -Infinity };
    const pInitEnd = new Float64Array(n);
    const pSharpInitEnd = new Float64Array(n);
    const rhoInit = new Float64Array(n);
    if (!this.buildTree(depth - 1, z, zPropose, pSharpBeg, pSharpInitEnd, rhoInit, pBeg, pInitEnd, H0, sign, eps, lswInit, tally)) return false;

    // the final subtree
    const zProposeFinal = clonePoint(z);
    const lswFinal = { value: -Infinity };
    const pFinalBeg = new Float64Array(n);
    const pSharpFinalBeg = new Float64Array(n);
    const rhoFinal = new Float64Array(n);
    if (!this.buildTree(depth - 1, z, zProposeFinal, pSharpFinalBeg, pSharpEnd, rhoFinal, pFinalBeg, pEnd, H0, sign, eps, lswFinal, tally)) return false;

    // multinomial sample from the right subtree (uniformly progressive)
    const lswSubtree = logSumExp(lswInit.value, lswFinal.value);
    logSumWeight.value = logSumExp(logSumWeight.value, lswSubtree);
    if (lswFinal.value > lswSubtree) {
      copyPoint(zProposeFinal, zPropose);
    } else if (this.rng.uniform() < Math.exp(lswFinal.value - lswSubtree)) {
      copyPoint(zProposeFinal, zPropose);
    }

    const rhoSubtree = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      rhoSubtree[i] = rhoInit[i] + rhoFinal[i];
      rho[i] += rhoSubtree[i];
    }
    return mergedCriterion({ sharpBeg: pSharpBeg, sharpEnd: pSharpEnd }, rhoSubtree, { rho: rhoInit, pEnd: pInitEnd, sharpEnd: pSharpInitEnd }, { rho: rhoFinal, pBeg: pFinalBeg, sharpBeg: pSharpFinalBeg });
  }

  /**
   * Stan's step-size initialisation: from eps, one leapfrog step with a fresh momentum; double
   * (or halve) eps until the acceptance exp(H0 - H) crosses 0.8. `z` (q, g, V) is unchanged.
   * Throws when eps leaves (0, 1e7) (an improper or degenerate posterior, as Stan reports).
   */
  initStepSize(z: PhasePoint, eps: number): number {
    if (eps === 0 || eps > 1e7 || Number.isNaN(eps)) return eps;
    const trial = (): number => {
      const w = clonePoint(z);
      this.metric.sampleMomentum(this.rng, w.p);
      const H0 = this.hamiltonian(w);
      this.leapfrog(w, eps);
      let h = this.hamiltonian(w);
      if (Number.isNaN(h)) h = Infinity;
      return H0 - h;
    };
    const direction = trial() > Math.log(0.8) ? 1 : -1;
    for (;;) {
      const deltaH = trial();
      if (direction === 1 && !(deltaH > Math.log(0.8))) break;
      if (direction === -1 && !(deltaH < Math.log(0.8))) break;
      eps = direction === 1 ? 2 * eps : 0.5 * eps;
      if (eps > 1e7) throw new Error('step-size initialisation: the step size grew past 1e7 (is the posterior improper? check the target)');
      if (eps === 0) throw new Error('step-size initialisation: the step size fell to 0 (no finite gradient near the starting point? check the target)');
    }
    return eps;
  }
}

/** the generalised no-U-turn criterion */
function criterion(pSharpMinus: Float64Array, pSharpPlus: Float64Array, rho: Float64Array): boolean {
  return dot(pSharpPlus, rho) > 0 && dot(pSharpMinus, rho) > 0;
}

/**
 * The criterion on a tree made of an earlier subtree a and a later one b (Stan checks it the
 * same way at the top level and inside build_tree): on the whole tree (summed momenta rho),
 * and across the boundary, on a extended by b's first point and on b extended by a's last one.
 */
function mergedCriterion(
  ends: { sharpBeg: Float64Array; sharpEnd: Float64Array },
  rho: Float64Array,
  a: { rho: Float64Array; pEnd: Float64Array; sharpEnd: Float64Array },
  b: { rho: Float64Array; pBeg: Float64Array; sharpBeg: Float64Array },
): boolean {
  const n = rho.length;
  const ext = new Float64Array(n);
  for (let i = 0; i < n; i++) ext[i] = a.rho[i] + b.pBeg[i];
  const aExtended = criterion(ends.sharpBeg, b.sharpBeg, ext);
  for (let i = 0; i < n; i++) ext[i] = b.rho[i] + a.pEnd[i];
  const bExtended = criterion(a.sharpEnd, ends.sharpEnd, ext);
  return criterion(ends.sharpBeg, ends.sharpEnd, rho) && aExtended && bExtended;
}
