/**
 * Maximum a posteriori: L-BFGS (Nocedal & Wright, algorithm 7.4/7.5, 10 correction pairs) with
 * a strong Wolfe line search (./line-search.ts), on the unconstrained space scaled by the
 * target's scales (so that every coordinate moves in units of its own width), optionally from
 * several starting points. By default it maximises p(x) itself (no Jacobian: the mode in the
 * parameters the user wrote, as Stan's optimizer does); `jacobian: true` finds the mode on the
 * unconstrained space instead.
 *
 * At the optimum the Hessian of -log p on the unconstrained space is taken by central finite
 * differences of the gradient (2 n evaluations) and inverted: with the log-Jacobian's own
 * curvature added it is the sampler's first metric (`invHessian`), and mapped by dx/du it is
 * the Laplace covariance of x (`covariance`). When it is not positive definite (a flat
 * direction, a mode on a bound) the L-BFGS inverse-Hessian estimate is used instead.
 */
import { ClaxPtInputError } from '../errors';
import { dot, inverseSpd, symmetrise } from './linalg';
import { wolfeLineSearch, type LineTrial } from './line-search';
import { Rng } from './rng';
import type { Target } from './target';
import { UnconstrainedDensity } from './unconstrained';

export interface MapOptions {
  /** number of starting points: the initial point, then random ones around it (default 1) */
  starts?: number;
  /** random starts lie within +- initRadius scales of the initial point (default 2) */
  initRadius?: number;
  seed?: number;
  maxIterations?: number;
  /** include log|dx/du| (mode on the unconstrained space); default false */
  jacobian?: boolean;
  /** finite-difference step of the Hessian, in units of each coordinate's estimated width (default 1e-2) */
  hessianStep?: number;
  /** an explicit first starting point (constrained) instead of the target's */
  initial?: ArrayLike<number>;
}

export interface MapStart {
  logPosterior: number;
  iterations: number;
  converged: boolean;
  message: string;
  x: number[];
}

export interface MapResult {
  /** the best optimum, constrained and unconstrained */
  x: Float64Array;
  u: Float64Array;
  /** log p(x) there (or log p on the unconstrained space with jacobian) */
  logPosterior: number;
  converged: boolean;
  message: string;
  iterations: number;
  evaluations: number;
  /** inverse Hessian of -log p(x(u)) - log|dx/du| at the optimum, n*n: a first dense metric */
  invHessian: Float64Array;
  /** Laplace covariance of x at the optimum, n*n */
  covariance: Float64Array;
  hessianFrom: 'finite differences' | 'L-BFGS';
  starts: MapStart[];
}

const HISTORY = 10;

interface Point extends LineTrial {
  w: Float64Array;
  g: Float64Array;
}

/** L-BFGS from w0 on f(w) (gradient into g). */
function lbfgs(fg: (w: Float64Array, g: Float64Array) => number, w0: Float64Array, maxIterations: number) {
  const n = w0.length;
  let w: Float64Array = Float64Array.from(w0);
  let g: Float64Array = new Float64Array(n);
  let f = fg(w, g);
  if (!Number.isFinite(f)) return { w, g, f, iterations: 0, converged: false, message: 'the log density is not finite at the starting point', pairs: [] as [Float64Array, Float64Array][] };
  const pairs: [Float64Array, Float64Array][] = [];
  let message = `stopped after ${maxIterations} iterations`;
  let converged = false;
  let it = 0;
  for (; it < maxIterations; it++) {
    const gInf = Math.max(...Array.from(g, Math.abs));
    if (gInf < 1e-8) {
      converged = true;
      message = 'gradient below 1e-8';
      break;
    }
    // two-loop recursion: d = -H g
    const q = Float64Array.from(g);
    const alphas: number[] = [];
    for (let k = pairs.length - 1; k >= 0; k--) {
      const [s, y] = pairs[k];
      const a = dot(s, q) / dot(y, s);
      alphas[k] = a;
      for (let i = 0; i < n; i++) q[i] -= a * y[i];
    }
    const gamma = pairs.length ? dot(pairs[pairs.length - 1][0], pairs[pairs.length - 1][1]) / dot(pairs[pairs.length - 1][1], pairs[pairs.length - 1][1]) : 1;
    for (let i = 0; i < n; i++) q[i] *= gamma;
    for (let k = 0; k < pairs.length; k++) {
      const [s, y] = pairs[k];
      const b = dot(y, q) / dot(y, s);
      for (let i = 0; i < n; i++) q[i] += s[i] * (alphas[k] - b);
    }
    let d = q.map((v) => -v);
    let d0 = dot(g, d);
    if (!(d0 < 0)) {
      pairs.length = 0;
      d = g.map((v) => -v);
      d0 = dot(g, d);
    }
    const alpha1 = pairs.length ? 1 : Math.min(1, 1 / Math.sqrt(dot(g, g)));
    const phi = (alpha: number): Point => {
      const wt = Float64Array.from(w, (v, i) => v + alpha * d[i]);
      const gt = new Float64Array(n);
      const ft = fg(wt, gt);
      return { alpha, f: ft, d: Number.isFinite(ft) ? dot(gt, d) : NaN, w: wt, g: gt };
    };
    const ls = wolfeLineSearch(phi, f, d0, alpha1);
    if (!ls.ok || !('w' in ls)) {
      converged = Math.max(...Array.from(g, Math.abs)) < 1e-3;
      message = 'the line search found no further decrease (converged to the precision of the log density)';
      break;
    }
    const s = Float64Array.from(ls.w, (v, i) => v - w[i]);
    const y = Float64Array.from(ls.g, (v, i) => v - g[i]);
    const fPrev = f;
    w = ls.w;
    g = ls.g;
    f = ls.f;
    if (dot(s, y) > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      pairs.push([s, y]);
      if (pairs.length > HISTORY) pairs.shift();
    }
    if (Math.abs(fPrev - f) <= 1e4 * Number.EPSILON * Math.max(Math.abs(f), Math.abs(fPrev), 1)) {
      converged = true;
      message = 'relative change of the log density below 2.2e-12';
      it++;
      break;
    }
    if (Math.max(...Array.from(s, Math.abs)) < 1e-10) {
      converged = true;
      message = 'step below 1e-10';
      it++;
      break;
    }
  }
  return { w, g, f, iterations: it, converged, message, pairs };
}

/** the dense L-BFGS inverse Hessian (the two-loop recursion applied to unit vectors) */
function lbfgsInverse(pairs: [Float64Array, Float64Array][], n: number): Float64Array {
  const h = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const q = new Float64Array(n);
    q[j] = 1;
    const alphas: number[] = [];
    for (let k = pairs.length - 1; k >= 0; k--) {
      const [s, y] = pairs[k];
      alphas[k] = dot(s, q) / dot(y, s);
      for (let i = 0; i < n; i++) q[i] -= alphas[k] * y[i];
    }
    const last = pairs[pairs.length - 1];
    const gamma = last ? dot(last[0], last[1]) / dot(last[1], last[1]) : 1;
    for (let i = 0; i < n; i++) q[i] *= gamma;
    for (let k = 0; k < pairs.length; k++) {
      const [s, y] = pairs[k];
      const b = dot(y, q) / dot(y, s);
      for (let i = 0; i < n; i++) q[i] += s[i] * (alphas[k] - b);
    }
    for (let i = 0; i < n; i++) h[i * n + j] = q[i];
  }
  return symmetrise(h, n);
}

export function findMap(target: Target, options: MapOptions = {}): MapResult {
  const jacobian = options.jacobian ?? false;
  const density = new UnconstrainedDensity(target, jacobian);
  const t = density.transforms;
  const n = density.dim;
  const starts = options.starts ?? 1;
  const radius = options.initRadius ?? 2;
  const maxIterations = options.maxIterations ?? 1000;
  const hStep = options.hessianStep ?? 1e-2;
  if (!Number.isInteger(starts) || starts < 1) throw new ClaxPtInputError('map.starts', `must be a positive integer, got ${starts}`);
  if (!(radius >= 0)) throw new ClaxPtInputError('map.initRadius', `must be non-negative, got ${radius}`);
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw new ClaxPtInputError('map.maxIterations', `must be a positive integer, got ${maxIterations}`);
  if (!(hStep > 0 && hStep < 1)) throw new ClaxPtInputError('map.hessianStep', `must lie in (0, 1), got ${hStep}`);
  const init = options.initial ?? target.initial;
  const center = init ? t.toUnconstrained(init, options.initial ? 'initial' : 'target.initial') : new Float64Array(n);
  const dx = t.derivative(center);
  const scale = Float64Array.from({ length: n }, (_, i) => (target.scales ? target.scales[i] / Math.abs(dx[i]) : 1));
  // f(w) = -log p(u), u = center + scale * w
  const toU = (w: Float64Array) => Float64Array.from(w, (v, i) => center[i] + scale[i] * v);
  const gu = new Float64Array(n);
  const fg = (w: Float64Array, g: Float64Array) => {
    const lp = density.logDensity(toU(w), gu);
    for (let i = 0; i < n; i++) g[i] = -gu[i] * scale[i];
    return -lp;
  };
  const rng = new Rng(options.seed ?? 1, 0);
  const runs: (ReturnType<typeof lbfgs> & { x: Float64Array })[] = [];
  for (let s = 0; s < starts; s++) {
    const w0 = new Float64Array(n);
    if (s > 0) for (let i = 0; i < n; i++) w0[i] = radius * (2 * rng.uniform() - 1);
    const r = lbfgs(fg, w0, maxIterations);
    runs.push({ ...r, x: t.toConstrained(toU(r.w)) });
  }
  const best = runs.reduce((a, b) => (Number.isFinite(b.f) && !(b.f >= a.f) ? b : a));
  if (!Number.isFinite(best.f)) throw new ClaxPtInputError('initial point', 'the log density is not finite at any starting point of the optimiser');
  const u = toU(best.w);

  // Hessian of -log p in w by central differences of the gradient, step hStep * (L-BFGS width)
  const approx = best.pairs.length ? lbfgsInverse(best.pairs, n) : null;
  const hw = new Float64Array(n * n);
  const gp = new Float64Array(n);
  const gm = new Float64Array(n);
  let fdOk = true;
  for (let j = 0; j < n && fdOk; j++) {
    const width = approx && approx[j * n + j] > 0 ? Math.sqrt(approx[j * n + j]) : 1;
    const h = hStep * width;
    const wp = Float64Array.from(best.w);
    const wm = Float64Array.from(best.w);
    wp[j] += h;
    wm[j] -= h;
    if (!Number.isFinite(fg(wp, gp)) || !Number.isFinite(fg(wm, gm))) fdOk = false;
    for (let i = 0; i < n; i++) hw[i * n + j] = (gp[i] - gm[i]) / (2 * h);
  }
  symmetrise(hw, n);
  // to u: H_u = S^-1 H_w S^-1 (the gradient vanishes at the optimum, so no transform curvature term)
  const hu = Float64Array.from(hw, (v, k) => v / (scale[Math.floor(k / n)] * scale[k % n]));
  // the sampler's density adds log|dx/du|: its curvature -d2/du2 log|dx/du| = 2 s (1 - s) on interval parameters
  const huJac = Float64Array.from(hu);
  if (!jacobian) {
    const dd = t.derivative(u);
    t.kinds.forEach((k, i) => {
      if (k === 'interval') {
        const p = target.parameters[i];
        const s = dd[i] / ((p.upper as number) - (p.lower as number)); // s(1 - s)
        huJac[i * n + i] += 2 * s;
      }
    });
  }
  let invHessian = fdOk ? inverseSpd(huJac, n) : null;
  let invNoJac = fdOk ? inverseSpd(hu, n) : null;
  let hessianFrom: MapResult['hessianFrom'] = 'finite differences';
  if (!invHessian || !invNoJac) {
    hessianFrom = 'L-BFGS';
    const hwInv = approx ?? Float64Array.from({ length: n * n }, (_, k) => (Math.floor(k / n) === k % n ? 1 : 0));
    invNoJac = Float64Array.from(hwInv, (v, k) => v * scale[Math.floor(k / n)] * scale[k % n]);
    invHessian = invNoJac;
  }
  const dxu = t.derivative(u);
  const covariance = Float64Array.from(invNoJac, (v, k) => v * dxu[Math.floor(k / n)] * dxu[k % n]);
  return {
    x: best.x,
    u,
    logPosterior: -best.f,
    converged: best.converged,
    message: best.message,
    iterations: best.iterations,
    evaluations: density.evaluations,
    invHessian,
    covariance,
    hessianFrom,
    starts: runs.map((r) => ({ logPosterior: -r.f, iterations: r.iterations, converged: r.converged, message: r.message, x: Array.from(r.x) })),
  };
}
